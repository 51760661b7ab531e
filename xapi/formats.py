"""``format`` of statement results (Communication 2.1.3): ``exact``, ``ids``, ``canonical``.

``ids`` keeps only what identifies Agents, Groups, Activities and Verbs; ``canonical`` serves
the LRS's canonical Activity definitions and keeps one language of every language map, chosen
by ``Accept-Language`` (Communication 2.1.3 "canonical", RFC 7231 language ranges).
"""

from __future__ import annotations

from typing import Any

from xapi.index_keys import IFI_PROPERTIES

FORMATS = ("exact", "ids", "canonical")


def parse_accept_language(header: str | None) -> list[str]:
    """Language ranges of an Accept-Language header, best first (q=0 dropped)."""
    if not header:
        return []
    ranked: list[tuple[float, int, str]] = []
    for i, item in enumerate(header.split(",")):
        lang, _, params = item.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if lang and q > 0:
            ranked.append((-q, i, lang.strip().lower()))
    return [lang for _, _, lang in sorted(ranked)]


def pick_language(lang_map: dict[str, Any], ranges: list[str]) -> dict[str, Any]:
    """One entry of a language map: the best match of ``ranges``, else the first entry."""
    if not lang_map:
        return lang_map
    lowered = {k.lower(): k for k in lang_map}
    for wanted in ranges:
        if wanted == "*":
            break
        if wanted in lowered:
            key = lowered[wanted]
            return {key: lang_map[key]}
        for low, key in lowered.items():
            if low.startswith(wanted + "-") or wanted.startswith(low + "-"):
                return {key: lang_map[key]}
    key = next(iter(lang_map))
    return {key: lang_map[key]}


def _ids_agent(agent: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "objectType" in agent:
        out["objectType"] = agent["objectType"]
    for prop in IFI_PROPERTIES:
        if prop in agent:
            out[prop] = agent[prop]
            break
    else:
        if isinstance(agent.get("member"), list):  # anonymous Group: its members identify it
            out["member"] = [_ids_agent(m) for m in agent["member"] if isinstance(m, dict)]
    return out


def _is_agent(obj: Any) -> bool:
    return isinstance(obj, dict) and obj.get("objectType") in ("Agent", "Group")


def to_ids(stmt: dict[str, Any]) -> dict[str, Any]:
    """The ``ids`` form of a statement (or SubStatement)."""
    out = dict(stmt)
    for prop in ("actor", "authority"):
        if isinstance(out.get(prop), dict):
            out[prop] = _ids_agent(out[prop])
    if isinstance(out.get("verb"), dict):
        out["verb"] = {"id": out["verb"].get("id")}
    obj = out.get("object")
    if isinstance(obj, dict):
        kind = obj.get("objectType", "Activity")
        if kind == "Activity":
            out["object"] = {"id": obj.get("id")}
        elif _is_agent(obj):
            out["object"] = _ids_agent(obj)
        elif kind == "SubStatement":
            out["object"] = to_ids(obj)
    context = out.get("context")
    if isinstance(context, dict):
        context = dict(context)
        for prop in ("instructor", "team"):
            if isinstance(context.get(prop), dict):
                context[prop] = _ids_agent(context[prop])
        activities = context.get("contextActivities")
        if isinstance(activities, dict):
            context["contextActivities"] = {
                k: [{"id": a.get("id")} for a in v
                    if isinstance(a, dict)] if isinstance(v, list) else v
                for k, v in activities.items()
            }
        out["context"] = context
    return out


def _filter_languages(value: Any, ranges: list[str], key: str | None = None) -> Any:
    if isinstance(value, dict):
        if key in ("display", "name", "description") and all(
            isinstance(v, str) for v in value.values()
        ):
            return pick_language(value, ranges)
        if key == "extensions":
            return value
        return {k: _filter_languages(v, ranges, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_filter_languages(v, ranges, key) for v in value]
    return value


def to_canonical(stmt: dict[str, Any], canonical: dict[str, dict[str, Any]],
                 ranges: list[str]) -> dict[str, Any]:
    """The ``canonical`` form: Activity definitions from the LRS, one language per map."""
    out = dict(stmt)
    obj = out.get("object")
    if isinstance(obj, dict) and obj.get("objectType", "Activity") == "Activity":
        known = canonical.get(obj.get("id", ""))
        if known and known.get("definition"):
            out["object"] = {**obj, "definition": known["definition"]}
    return dict(_filter_languages(out, ranges))


def activity_ids(stmt: dict[str, Any]) -> list[str]:
    """Ids of the statement's object Activity (what ``canonical`` replaces)."""
    obj = stmt.get("object")
    if isinstance(obj, dict) and obj.get("objectType", "Activity") == "Activity":
        return [obj["id"]] if isinstance(obj.get("id"), str) else []
    return []
