"""Canonical Activity definitions (Communication 2.5, Data 2.4.4.1).

Each organisation's LRS keeps one Activity object per id, merged from the definitions of the
statements that organisation stored (another organisation's definitions never show): language
maps merge by language (newer wins per language), other properties are replaced by the newer
value. ``GET /xapi/activities`` and ``format=canonical`` serve it.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from typing import Any

from storage.ports import Store

_LANGUAGE_MAPS = ("name", "description")


def _activities_in(stmt: dict[str, Any]) -> Iterator[dict[str, Any]]:
    obj = stmt.get("object")
    if isinstance(obj, dict):
        if obj.get("objectType", "Activity") == "Activity":
            yield obj
        elif obj.get("objectType") == "SubStatement":
            yield from _activities_in(obj)
    context = stmt.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        for value in context["contextActivities"].values():
            for activity in value if isinstance(value, list) else [value]:
                if isinstance(activity, dict):
                    yield activity


def merge_definition(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """``new`` over ``old``: language maps by language, everything else replaced."""
    merged = dict(old or {})
    for key, value in new.items():
        if key in _LANGUAGE_MAPS and isinstance(value, dict) and isinstance(merged.get(key),
                                                                            dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _adds_nothing(known: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether merging ``new`` into ``known`` leaves it unchanged (without building the merge:
    the common case, a statement repeating a known definition)."""
    for key, value in new.items():
        current = known.get(key)
        if key in _LANGUAGE_MAPS and isinstance(value, dict) and isinstance(current, dict):
            if any(current.get(lang) != text for lang, text in value.items()):
                return False
        elif current != value:
            return False
    return True


#: Per store, the definitions this process knows to be stored ((organisation, id) ->
#: definition), so that a batch whose activities bring nothing new costs no read. Bounded;
#: cleared when full.
_KNOWN_BY_STORE: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], dict[str, Any]]] = (
    weakref.WeakKeyDictionary())
_KNOWN_MAX = 50_000


def merge_definitions(store: Store, org_id: str, statements: Iterable[dict[str, Any]]) -> None:
    """Fold the definitions of statements organisation ``org_id`` stored into its canonical
    activities.

    Only activities whose incoming definition adds something to what this process last saw
    stored are read and written (most statements repeat a known definition)."""
    try:
        known_here = _KNOWN_BY_STORE.setdefault(store, {})
    except TypeError:  # a store that cannot be weakly referenced: no cache
        known_here = {}
    candidates: dict[str, dict[str, Any]] = {}  # activity id -> its batch's merged definition
    skipped: dict[str, list[dict[str, Any]]] = {}  # known ones, merged only if one turns new
    for stmt in statements:
        for activity in _activities_in(stmt):
            aid = activity.get("id")
            definition = activity.get("definition")
            if not isinstance(aid, str) or not isinstance(definition, dict):
                continue
            if aid in candidates:
                candidates[aid] = merge_definition(candidates[aid], definition)
                continue
            known = known_here.get((org_id, aid))
            if known is not None and _adds_nothing(known, definition):
                skipped.setdefault(aid, []).append(definition)
                continue
            folded: dict[str, Any] | None = None
            for earlier in skipped.pop(aid, ()):  # batch order: newer wins per language
                folded = merge_definition(folded, earlier)
            candidates[aid] = merge_definition(folded, definition)
    if not candidates:
        return
    known = store.activities.get_many(org_id, candidates)
    changed = []
    if len(known_here) > _KNOWN_MAX:
        known_here.clear()
    for aid, definition in candidates.items():
        current = known.get(aid, {}).get("definition")
        merged = merge_definition(current, definition)
        if merged != current:
            changed.append({"objectType": "Activity", "id": aid, "definition": merged})
        known_here[(org_id, aid)] = merged
    store.activities.put_many(org_id, changed)


def canonical(store: Store, org_id: str, activity_id: str) -> dict[str, Any]:
    """Organisation ``org_id``'s Activity object for an id (just the id when its LRS has no
    definition)."""
    found = store.activities.get_many(org_id, [activity_id]).get(activity_id)
    return found or {"objectType": "Activity", "id": activity_id}
