"""The special data types of the xAPI Data part (Data 4.0) and the JSON types they sit on.

Every check is a precompiled regular expression or an ``isinstance`` test: the LRS validates
every statement it ingests, so a check must cost well under a microsecond.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson

from xapi.validation.errors import Path, fail

# Data 4.3 / 2.2.s4.b1.b8: an IRI or IRL needs a scheme (RFC 3987 ``scheme ":" ihier-part``);
# the rest is best effort (Data 2.2.s4.b6): no whitespace, controls or the characters RFC 3987
# excludes. Unicode is allowed (that is what makes it an IRI and not a URI).
_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>"{}|\\^`\x00-\x1f\x7f]+')

# Data 2.4.1 / 4.4: the standard string form. A Statement id is "variant 2" of RFC 4122 (the
# ``10xx`` variant bits), any version; other UUIDs (registration) only need the standard form.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_STATEMENT_UUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
)

# Data 2.4.2.3: mbox is a mailto IRI of an email address; mbox_sha1sum the hex SHA-1 of it.
_MBOX = re.compile(r"mailto:[^@\s:/?#]+@[^@\s/?#]+")
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")

# Data 2.2.s4.b2 / 4.2: language map keys are RFC 5646 language tags; the LRS must at least check
# the sequence of subtag lengths, which is what this ABNF transcription does (case-insensitive).
_ALNUM = "[a-z0-9]"
_LANGTAG = (
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"  # language [-extlang]
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    rf"(?:-[0-9a-wyz](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    rf"(?:-x(?:-{_ALNUM}{{1,8}})+)?"  # private use
)
_GRANDFATHERED = (
    "en-gb-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|"
    "i-tao|i-tay|i-tsu|sgn-be-fr|sgn-be-nl|sgn-ch-de|art-lojban|cel-gaulish|no-bok|no-nyn|"
    "zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang"
)
_LANGUAGE_TAG = re.compile(
    rf"(?:{_LANGTAG}|x(?:-{_ALNUM}{{1,8}})+|{_GRANDFATHERED})", re.IGNORECASE | re.ASCII
)

# Data 4.5: ISO 8601 combined date and time (the RFC 3339 profile and its relaxations: minutes-only
# precision, basic-format offsets). The offset "-00:00" ("-00", "-0000") means "unknown local
# offset" in RFC 3339 section 4.3 and is rejected, as the conformance suite requires.
# [0-9], not \d: \d and int() take any script's digits ("२०२४"), ISO 8601 only ASCII ones.
_TIMESTAMP = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?"
    r"(?:([Zz])|([+-])([0-9]{2})(?::?([0-9]{2}))?)?"
)

# Data 4.6: ISO 8601:2004 4.4.3.2 durations: PnYnMnDTnHnMnS or PnW (weeks never combine with
# other units), at least one component; the smallest (last) component may carry a decimal
# fraction (4.4.3.2 "the lowest order component may have a decimal fraction": PT1.5H, PT0.5M,
# P0.5D). One alternative per possible last component, every earlier one an integer; ASCII
# digits only.
def _duration_pattern() -> re.Pattern[str]:
    whole, fraction = "[0-9]+", "[0-9]+(?:[.,][0-9]+)?"
    date, time = ("Y", "M", "D"), ("H", "M", "S")
    alternatives = [fraction + "W"]
    for k, unit in enumerate(date):
        alternatives.append("".join(f"(?:{whole}{u})?" for u in date[:k]) + fraction + unit)
    for k, unit in enumerate(time):
        alternatives.append("".join(f"(?:{whole}{u})?" for u in date) + "T"
                            + "".join(f"(?:{whole}{u})?" for u in time[:k]) + fraction + unit)
    return re.compile("P(?:" + "|".join(alternatives) + ")", re.ASCII)


_DURATION = _duration_pattern()


class _RememberedMatch:
    """A regex full-match that remembers the strings it accepted.

    IRIs and language tags repeat across statements (verbs, activity ids, homePages, "en-US"):
    a set lookup is several times cheaper than the regex. Bounded, and cleared when full, so
    hostile input cannot grow it."""

    def __init__(self, pattern: re.Pattern[str], limit: int) -> None:
        self._match = pattern.fullmatch
        self._known: set[str] = set()
        self._limit = limit

    def __call__(self, value: Any) -> bool:
        if type(value) is not str:
            return False
        if value in self._known:
            return True
        if self._match(value) is None:
            return False
        if len(self._known) >= self._limit:
            self._known.clear()
        self._known.add(value)
        return True


def remember_valid(check: Callable[[Any, Any], None],
                   limit: int) -> Callable[[Any, Any], None]:
    """``check(value, path)`` that remembers the objects it accepted, by their JSON.

    Actors, verbs and activities (with their definitions) repeat from statement to statement:
    serialising one is several times cheaper than checking it again. Only a check that returns
    is remembered (an invalid object is checked, and fails with its own path, every time); the
    check must depend on the value alone. Bounded, cleared when full."""
    known: set[bytes] = set()

    @functools.wraps(check)
    def checked(value: Any, path: Any) -> None:
        if type(value) is not dict:
            check(value, path)
            return
        try:
            key = orjson.dumps(value)
        except TypeError:  # not JSON-serialisable: nothing to remember it by
            check(value, path)
            return
        if key in known:
            return
        check(value, path)
        if len(known) >= limit:
            known.clear()
        known.add(key)

    return checked


_IRI_REMEMBERED = _RememberedMatch(_IRI, 65536)
_LANGUAGE_TAG_REMEMBERED = _RememberedMatch(_LANGUAGE_TAG, 4096)
_OFFSETS: dict[tuple[str, str, str | None], timezone] = {}  # parsed UTC offsets, by their text
_UUID_MATCH = _UUID.fullmatch
_STATEMENT_UUID_MATCH = _STATEMENT_UUID.fullmatch


def is_iri(value: Any) -> bool:
    """True for a string that is an absolute IRI (has a scheme; Data 4.3, 2.2.s4.b1.b8)."""
    return _IRI_REMEMBERED(value)


def is_uuid(value: Any) -> bool:
    """True for a UUID in the standard string form (Data 4.4), any variant or version."""
    return type(value) is str and _UUID_MATCH(value) is not None


def is_statement_id(value: Any) -> bool:
    """True for a Statement id: a UUID of RFC 4122's variant, any version (Data 2.4.1)."""
    return type(value) is str and _STATEMENT_UUID_MATCH(value) is not None


def is_language_tag(value: Any) -> bool:
    """True for a well-formed RFC 5646 language tag (Data 2.2.s4.b2)."""
    return _LANGUAGE_TAG_REMEMBERED(value)


def is_mbox(value: Any) -> bool:
    """True for a ``mailto:`` IRI of an email address (Data 2.4.2.3)."""
    return type(value) is str and _MBOX.fullmatch(value) is not None


def is_sha1(value: Any) -> bool:
    """True for the 40 hexadecimal digits of a SHA-1 sum (Data 2.4.2.3 mbox_sha1sum)."""
    return type(value) is str and _SHA1.fullmatch(value) is not None


def is_number(value: Any) -> bool:
    """True for a JSON number; JSON ``true`` is not a number (Data 2.2.s4.b1.b2)."""
    kind = type(value)
    return kind is int or kind is float


def parse_timestamp(value: Any) -> datetime:
    """The aware datetime of an ISO 8601 timestamp (Data 4.5); UTC when it has no offset.

    Raises ``ValueError`` for anything else, including the "unknown offset" ``-00:00``."""
    if type(value) is not str:
        raise ValueError("a timestamp must be a string")
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        raise ValueError(f"not an ISO 8601 timestamp: {value!r}")
    year, month, day, hour, minute, second, fraction, _zulu, sign, off_h, off_m = match.groups()
    micro = int((fraction + "00000")[:6]) if fraction else 0
    tz = (
        UTC if sign is None else (_OFFSETS.get((sign, off_h, off_m)) or _offset(sign, off_h, off_m))
    )
    sec = int(second or 0)
    if sec == 60:  # a leap second (ISO 8601 allows 60); datetime does not, so clamp it
        sec = 59
    return datetime(int(year), int(month), int(day), int(hour), int(minute), sec, micro, tz)


def _offset(sign: str, hours: str, minutes: str | None) -> timezone:
    """The tzinfo of a UTC offset, remembered (there are few distinct offsets)."""
    offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if not offset and sign == "-":
        raise ValueError("the offset -00:00 means an unknown offset (RFC 3339 4.3)")
    if offset >= timedelta(hours=24) or int(minutes or 0) >= 60:
        raise ValueError(f"offset out of range: {sign}{hours}:{minutes}")
    tz = timezone(-offset if sign == "-" else offset) if offset else UTC
    if len(_OFFSETS) < 1024:
        _OFFSETS[(sign, hours, minutes)] = tz
    return tz


def has_timezone(value: str) -> bool:
    """True when an (already valid) timestamp states its offset or ``Z``."""
    match = _TIMESTAMP.fullmatch(value)
    return match is not None and (match.group(8) is not None or match.group(9) is not None)


# ----- checks that raise, naming the property -------------------------------------------------


def check_string(value: Any, path: Path) -> None:
    """A JSON string (Data 2.2.s4.b1.b2: no other type, and not null, Data 2.2.s4.b1.b1)."""
    if type(value) is not str:
        fail(path, "must be a string")


def check_bool(value: Any, path: Path) -> None:
    """A JSON boolean; the string "true" is not one (Data 2.2.s4.b1.b3)."""
    if type(value) is not bool:
        fail(path, "must be a boolean")


def check_object(value: Any, path: Path) -> dict:
    """A JSON object; returned for the caller's convenience."""
    if type(value) is not dict:
        fail(path, "must be an object")
    return value


def check_iri(value: Any, path: Path) -> None:
    """An absolute IRI (or IRL: an IRL is checked the same way, best effort, Data 2.2.s4.b6)."""
    if type(value) is not str:
        fail(path, "must be an IRI string")
    if not _IRI_REMEMBERED(value):
        fail(path, "must be an absolute IRI with a scheme")


def check_uuid(value: Any, path: Path) -> None:
    """A UUID in the standard string form (Data 4.4)."""
    if type(value) is not str or _UUID_MATCH(value) is None:
        fail(path, "must be a UUID in standard string form")


def check_timestamp(value: Any, path: Path, *, require_timezone: bool = False) -> None:
    """An ISO 8601 timestamp (Data 4.5). xAPI 1.0.3 only says it SHOULD include the time zone
    (4.5.s1.b4); 2.0 makes it a requirement, hence ``require_timezone``."""
    try:
        parse_timestamp(value)
    except ValueError as exc:
        fail(path, f"must be an ISO 8601 timestamp ({exc})")
    if require_timezone and not has_timezone(value):
        fail(path, "must be an ISO 8601 timestamp with a time zone")


def validate_duration(value: Any, path: Path = "duration") -> str:
    """An ISO 8601 duration (Data 4.6), returned; else :class:`StatementInvalid` at ``path``."""
    if type(value) is not str or _DURATION.fullmatch(value) is None:
        fail(path, "must be an ISO 8601 duration (e.g. PT1H30M or P4W)")
    return value


def validate_language_map(value: Any, path: Path = "languageMap") -> dict:
    """A language map (Data 4.2): RFC 5646 tags to strings; else :class:`StatementInvalid`."""
    if type(value) is not dict:
        fail(path, "must be a language map object")
    for tag, text in value.items():
        if not _LANGUAGE_TAG_REMEMBERED(tag):
            fail((path, tag), "is not an RFC 5646 language tag")
        if type(text) is not str:
            fail((path, tag), "must be a string")
    return value


def check_extensions(value: Any, path: Path) -> None:
    """An extensions map (Data 4.1): IRI keys; values are any JSON, null included (4.1.s3.b2)."""
    if type(value) is not dict:
        fail(path, "must be an object")
    for key in value:
        if not _IRI_REMEMBERED(key):
            fail((path, key), "extension keys must be absolute IRIs")
