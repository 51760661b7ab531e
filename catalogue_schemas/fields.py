"""Reusable marshmallow fields of the catalogue: BCP 47 language tags, language maps and
ISO 8601 durations. No Flask here: the importer and the CLI use the same fields."""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

import langcodes
from marshmallow import ValidationError, fields

# RFC 5646 §2.1: subtags of ASCII letters and digits joined by hyphens. langcodes also takes
# "en_US" (a POSIX locale, not a language tag), so the shape is checked first.
_TAG_SHAPE = re.compile(r"[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8})*", re.ASCII)


def is_language_tag(tag: str) -> bool:
    """True for a *valid* BCP 47 tag (RFC 5646 §2.2.9): well-formed and every subtag registered
    in the IANA Language Subtag Registry, so ``xx-INVALID`` (well-formed) is refused."""
    return (isinstance(tag, str) and 0 < len(tag) <= 35 and _TAG_SHAPE.fullmatch(tag) is not None
            and langcodes.tag_is_valid(tag))


def validate_language_tag(tag: Any) -> None:
    """Field validator: a valid BCP 47 tag."""
    if not is_language_tag(tag):
        raise ValidationError(f"{tag!r} is not a valid BCP 47 language tag")


class LanguageTag(fields.String):
    """A BCP 47 language tag, kept as given (tags are case-insensitive, RFC 5646 §2.1.1)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate_language_tag)
        kwargs.setdefault("metadata", {}).setdefault(
            "description", "BCP 47 language tag (e.g. en, hi, en-IN, ta)")
        super().__init__(**kwargs)


class LanguageMap(fields.Dict):
    """``{"<BCP 47 tag>": "text", ...}`` as in xAPI/ADL language maps; at least one entry.

    Errors name the offending key so that the API reports ``title.xx-INVALID`` rather than
    marshmallow's ``title.xx-INVALID.key``.
    """

    def __init__(self, max_length: int = 10_000, **kwargs: Any) -> None:
        self.max_length = max_length
        kwargs.setdefault("metadata", {}).setdefault(
            "description", "Language map: BCP 47 tag -> text, at least one entry")
        super().__init__(keys=fields.String(), values=fields.String(), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, dict):
            raise ValidationError("must be an object mapping language tags to text")
        if not value:
            raise ValidationError("needs at least one language entry")
        errors: dict[str, list[str]] = {}
        out: dict[str, str] = {}
        for tag, text in value.items():
            if not is_language_tag(tag):
                errors[str(tag)] = ["not a valid BCP 47 language tag"]
            elif not isinstance(text, str) or not text.strip():
                errors[tag] = ["must be a non-empty string"]
            elif len(text) > self.max_length:
                errors[tag] = [f"longer than {self.max_length} characters"]
            else:
                out[tag] = text.strip()
        if errors:
            raise ValidationError(errors)
        return out


# ISO 8601-1:2019 §5.5.2.4 duration "PnYnMnDTnHnMnS" and the week form "PnW". Years and months
# have no fixed length, so a course must state its workload in weeks, days, hours, minutes.
# ASCII digits only ([0-9]: \d takes "१"), the whole string (fullmatch: "$" lets "PT1H\n"
# through), and a decimal fraction allowed on the smallest component only (ISO 8601-1:2019
# §5.5.2.4: PT1.5H, PT0.5M); at most 9 digits a number, so no int() ever meets a huge one.
_NUMBER = r"[0-9]{1,9}(?:[.,][0-9]{1,9})?"
_DURATION = re.compile(
    rf"P(?:(?P<weeks>{_NUMBER})W)?(?:(?P<days>{_NUMBER})D)?"
    rf"(?:T(?=[0-9])(?:(?P<hours>{_NUMBER})H)?(?:(?P<minutes>{_NUMBER})M)?"
    rf"(?:(?P<seconds>{_NUMBER})S)?)?",
    re.ASCII,
)
_SECONDS = {"weeks": 604800, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}


def duration_minutes(value: str) -> int:
    """Minutes of an ISO 8601 duration (``PT1H30M`` -> 90, ``P2W`` -> 20160, ``PT1.5H`` -> 90);
    seconds round up so that a non-zero duration is never 0 minutes. ``ValueError`` when not
    ISO 8601."""
    match = _DURATION.fullmatch(value or "") if isinstance(value, str) else None
    parts = [(name, text) for name, text in (match.groupdict() if match else {}).items() if text]
    if (not parts or (match and match["weeks"] and len(parts) > 1)
            or any(not text.isdigit() for _, text in parts[:-1])):  # a fraction only last
        raise ValueError(value)
    seconds = sum(Fraction(text.replace(",", ".")) * _SECONDS[name] for name, text in parts)
    return math.ceil(seconds / 60)


class Duration(fields.String):
    """An ISO 8601 duration (``PT45M``, ``PT6H``, ``P3D``, ``P2W``); no years or months."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {}).setdefault(
            "description", "ISO 8601 duration without years/months, e.g. PT1H30M, P2W")
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            minutes = duration_minutes(text)
        except ValueError:
            raise ValidationError(
                f"{text!r} is not an ISO 8601 duration such as PT1H30M or P2W (no Y/M)"
            ) from None
        if minutes <= 0:
            raise ValidationError("must be longer than zero")
        return text
