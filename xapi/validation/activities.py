"""Activities and Activity Definitions, interaction types included (Data 2.4.4.1)."""

from __future__ import annotations

from typing import Any

from xapi.validation.datatypes import (
    check_extensions,
    check_iri,
    check_string,
    validate_language_map,
)
from xapi.validation.errors import Path, fail, reject_unknown, required

_ACTIVITY_KEYS = frozenset(("objectType", "id", "definition"))
_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
_DEFINITION_KEYS = frozenset(
    (
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
        *_COMPONENT_LISTS,
    )
)
_COMPONENT_KEYS = frozenset(("id", "description"))

# Data 2.4.4.1.s9 / s15: the interaction types and the component lists each may use; any other
# list on that type is invalid (the LRS MAY return 400 for it, 2.4.4.1.s13.b3, and we do).
INTERACTION_COMPONENTS: dict[str, frozenset[str]] = {
    "true-false": frozenset(),
    "choice": frozenset(("choices",)),
    "fill-in": frozenset(),
    "long-fill-in": frozenset(),
    "matching": frozenset(("source", "target")),
    "performance": frozenset(("steps",)),
    "sequencing": frozenset(("choices",)),
    "likert": frozenset(("scale",)),
    "numeric": frozenset(),
    "other": frozenset(),
}


def check_activity(value: Any, path: Path) -> None:
    """An Activity (Data 2.4.4.1): id (IRI, required), objectType "Activity" when present,
    and an optional definition."""
    if type(value) is not dict:
        fail(path, "must be an Activity object")
    if "objectType" in value and value["objectType"] != "Activity":
        fail((path, "objectType"), 'must be "Activity"')
    reject_unknown(value, _ACTIVITY_KEYS, path)
    check_iri(*required(value, "id", path))
    if "definition" in value:
        check_definition(value["definition"], (path, "definition"))


def check_definition(value: Any, path: Path) -> None:
    """An Activity Definition (Data 2.4.4.1.s2 and the interaction rules of s8 to s16)."""
    if type(value) is not dict:
        fail(path, "must be an Activity Definition object")
    reject_unknown(value, _DEFINITION_KEYS, path)
    if "name" in value:
        validate_language_map(value["name"], (path, "name"))
    if "description" in value:
        validate_language_map(value["description"], (path, "description"))
    if "type" in value:
        check_iri(value["type"], (path, "type"))
    if "moreInfo" in value:
        check_iri(value["moreInfo"], (path, "moreInfo"))
    if "extensions" in value:
        check_extensions(value["extensions"], (path, "extensions"))
    if "interactionType" in value:
        _check_interaction(value, path)
    else:
        # Data 2.4.4.1.s8: the interaction properties are only meaningful with an
        # interactionType; the conformance suite (XAPI-00064) wants them rejected without one.
        for key in ("correctResponsesPattern", *_COMPONENT_LISTS):
            if key in value:
                fail((path, "interactionType"), f"is required when {key} is used")


def _check_interaction(definition: dict, path: Path) -> None:
    """interactionType, correctResponsesPattern and the component lists that type allows."""
    kind = definition["interactionType"]
    allowed = INTERACTION_COMPONENTS.get(kind) if type(kind) is str else None
    if allowed is None:
        fail((path, "interactionType"), "must be one of " + ", ".join(INTERACTION_COMPONENTS))
    if "correctResponsesPattern" in definition:
        pattern = definition["correctResponsesPattern"]
        pattern_path = (path, "correctResponsesPattern")
        if type(pattern) is not list:
            fail(pattern_path, "must be an array of strings")
        for index, response in enumerate(pattern):
            check_string(response, (pattern_path, index))
    for key in _COMPONENT_LISTS:
        if key not in definition:
            continue
        if key not in allowed:
            fail((path, key), f'is not used by interactionType "{kind}"')
        _check_components(definition[key], (path, key))


def _check_components(value: Any, path: Path) -> None:
    """An array of Interaction Components (Data 2.4.4.1.s15): each an id (string) and an optional
    description (language map); ids distinct within the array (s16.b1)."""
    if type(value) is not list:
        fail(path, "must be an array of interaction components")
    seen: set[str] = set()
    for index, component in enumerate(value):
        item = (path, index)
        if type(component) is not dict:
            fail(item, "must be an interaction component object")
        reject_unknown(component, _COMPONENT_KEYS, item)
        if "id" not in component:
            fail((item, "id"), "is required")
        component_id = component["id"]
        check_string(component_id, (item, "id"))
        if component_id in seen:
            fail((item, "id"), "must be distinct within the array")
        seen.add(component_id)
        if "description" in component:
            validate_language_map(component["description"], (item, "description"))
