"""The learner record an LTI launch keeps current (issue 13, "Learners": records are "created
by LTI launches").

An LMS's launch names the learner (the hub learner id of ``store.learners``) and, when the
LMS sends them, a name (LTI 1.3 §5.3.6, OpenID Connect standard claims) and custom parameters
(LTI 1.3 §5.4.1 "custom" claim: string values the LMS's administrator configures):
``designation``, ``position`` (a published FRAC position, id or reference code) and
``languages`` (BCP 47 tags separated by ``,`` or ``;``). ``launch_presentation.locale``
(LTI 1.3 §5.4.4, a BCP 47 tag) is the languages' fallback for a record that has none.

The record belongs to the launching LMS's organisation (issue 11 treats an LMS's learners as
its own). A launch is never refused for a bad custom value: the value is ignored and logged,
and the rest of the record is still written.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from catalogue_schemas.fields import is_language_tag
from hub.errors import ValidationError
from marketplace.learners import resolve_position, with_defaults
from storage.ports import Document, Store
from storage.timestamps import utcnow

log = logging.getLogger(__name__)

_SEPARATORS = re.compile(r"[,;\s]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _text(value: Any, limit: int) -> str | None:
    """A one-line text of at most ``limit`` characters, or None."""
    if not isinstance(value, str) or not value.strip() or len(value) > limit \
            or _CONTROL.search(value):
        return None
    return value.strip()


def _languages(value: Any) -> list[str] | None:
    """The tags of a custom ``languages`` value, or None when any is not a BCP 47 tag."""
    if not isinstance(value, str):
        return None
    tags = [t for t in _SEPARATORS.split(value) if t]
    if not tags or len(tags) > 20 or not all(is_language_tag(t) for t in tags):
        return None
    return list(dict.fromkeys(tags))


def _position(store: Store, value: Any) -> str | None:
    """The node id of the published FRAC position a custom value names, or None."""
    text = _text(value, 200)
    try:
        return resolve_position(store, text) if text else None
    except ValidationError:
        return None


def _locale(presentation: Any) -> str | None:
    """``launch_presentation.locale`` as a BCP 47 tag; LMSes also send POSIX locales
    (``en_US``), which name the same language with ``_`` for ``-``."""
    locale = presentation.get("locale") if isinstance(presentation, dict) else None
    if not isinstance(locale, str):
        return None
    tag = locale.split(".")[0].replace("_", "-")
    return tag if is_language_tag(tag) else None


def _ignored(org_id: str, learner_id: str, key: str, value: Any) -> None:
    log.warning("LTI launch of learner %s (organisation %s): custom %s %r ignored",
                learner_id, org_id, key, str(value)[:100])


def launched_fields(store: Store, org_id: str, learner_id: str, custom: Any,
                    presentation: Any) -> Document:
    """The record fields a launch's custom claim and launch presentation give, each valid
    one only (invalid values are logged and left out)."""
    custom = custom if isinstance(custom, dict) else {}
    fields: Document = {}
    if "designation" in custom:
        designation = _text(custom["designation"], 200)
        if designation is None:
            _ignored(org_id, learner_id, "designation", custom["designation"])
        else:
            fields["designation"] = designation
    if "position" in custom:
        position = _position(store, custom["position"])
        if position is None:
            _ignored(org_id, learner_id, "position", custom["position"])
        else:
            fields["position"] = position
    if "languages" in custom:
        languages = _languages(custom["languages"])
        if languages is None:
            _ignored(org_id, learner_id, "languages", custom["languages"])
        else:
            fields["languages"] = languages
    locale = _locale(presentation)
    if locale is not None:
        fields["locale"] = locale
    return fields


def record_launched_learner(store: Store, org_id: str, learner_id: str, public_url: str,
                            name: str | None, custom: Any, presentation: Any) -> Document:
    """Create or update the launched learner's record in the LMS's organisation: the name
    when the id_token gives one, the valid custom values, the locale as the languages of a
    record that has none; what the launch does not say stays as it was."""
    fields = launched_fields(store, org_id, learner_id, custom, presentation)
    locale = fields.pop("locale", None)
    existing = store.department_learners.get(org_id, learner_id)
    now = utcnow()
    record: Document = with_defaults(existing) if existing else {
        "org_id": org_id, "learner_id": learner_id, "name": None, "designation": None,
        "position": None, "languages": [], "home_page": public_url, "source": "lti",
        "created_at": now, "updated_at": None}
    changes: Document = {**fields}
    if name:
        changes["name"] = name[:300]
    if "languages" not in changes and not record["languages"] and locale:
        changes["languages"] = [locale]
    if existing is not None and all(record.get(k) == v for k, v in changes.items()):
        return record  # nothing new: no write on every launch of the same learner
    record = {**record, **changes, "updated_at": now if existing else None}
    store.department_learners.put(record)
    return record
