"""A learner's recommendations ("My iGOT", issue 13): the gap between the levels the learner's
roles require and the levels the passbook proves, the department's mandated items first, then
the published courses and programs that close the gap best.

- roles and required levels: :mod:`marketplace.learner_roles`;
- held levels: the caller passes ``store.passbook.held_levels`` of the learner (proven,
  not withheld evidence only);
- mandated items: :func:`marketplace.plan_progress.mandated_items` over the learner's
  organisation's live plans, the completed ones left out, earliest due date first (an item two
  plans mandate is shown once, with both plans and the earlier date);
- ranking: :mod:`marketplace.recommend_rank` over :mod:`marketplace.recommend_index`.

Every recommendation names the gaps it closes or narrows and explains its rank (``why``: the
score, its parts and a sentence in the request language, English or Hindi).
"""

from __future__ import annotations

from collections.abc import Mapping

from catalogue_schemas.links import catalogue_item_url
from marketplace.frac_model import LEVEL_NAMES, FrameworkVersion, pick_text
from marketplace.frac_search import ref
from marketplace.learner_roles import learner_roles
from marketplace.plan_progress import mandated_items
from marketplace.recommend_index import Candidate, catalogue_index, primary
from marketplace.recommend_rank import Gap, Help, gaps, helps_of, parts, rank
from storage.ports import Document, Store
from storage.ports.frac import code_order

#: Sentence parts of ``why.text`` per language (primary subtag); English otherwise.
PHRASES: Mapping[str, Mapping[str, str]] = {
    "en": {
        "closes": "closes the gap in {competency} (held {held}, needed {required}) at level "
                  "{level}",
        "narrows": "narrows the gap in {competency} (held {held}, needed {required}) to "
                   "level {level}",
        "language": "offered in your language ({languages})",
        "other_language": "not offered in your languages ({languages})",
        "rated": "rated {rating} of 5 by {count}",
        "unrated": "not rated yet",
        "minutes": "{minutes} minutes",
        "self-paced": "self-paced",
        "instructor-led": "instructor-led",
        "classroom": "in a classroom",
        "mandated": "mandated by {plans}, due {due}",
        "overdue": "overdue: due {due}",
    },
    "hi": {
        "closes": "{competency} का अंतर (प्राप्त {held}, आवश्यक {required}) स्तर {level} पर पूरा "
                  "करता है",
        "narrows": "{competency} का अंतर (प्राप्त {held}, आवश्यक {required}) स्तर {level} तक "
                   "घटाता है",
        "language": "आपकी भाषा ({languages}) में उपलब्ध",
        "other_language": "आपकी भाषाओं में उपलब्ध नहीं ({languages})",
        "rated": "{count} द्वारा 5 में से {rating} रेटिंग",
        "unrated": "अभी रेटिंग नहीं",
        "minutes": "{minutes} मिनट",
        "self-paced": "स्व-गति से",
        "instructor-led": "प्रशिक्षक के साथ",
        "classroom": "कक्षा में",
        "mandated": "{plans} द्वारा अनिवार्य, नियत तिथि {due}",
        "overdue": "समय सीमा बीत गई: {due}",
    },
}


def phrases(lang: str | None) -> tuple[str, Mapping[str, str]]:
    """The language ``why.text`` is written in and its phrases."""
    wanted = primary(lang or "en")
    return (wanted, PHRASES[wanted]) if wanted in PHRASES else ("en", PHRASES["en"])


def competency_ref(version: FrameworkVersion | None, competency: str,
                   lang: str | None) -> Document:
    """A competency named in ``lang`` (only its id when the framework no longer has it)."""
    node = version.node(competency) if version is not None else None
    shown = ref(version, node, lang) if version is not None else None
    return shown or {"id": competency, "code": None, "type": "subtheme", "name": competency,
                     "description": None}


def _help(version: FrameworkVersion | None, found: Help, lang: str | None) -> Document:
    return {"competency": competency_ref(version, found.gap.competency, lang),
            "required": found.gap.required, "held": found.gap.held, "level": found.level,
            "level_name": LEVEL_NAMES.get(found.level, str(found.level)),
            "effect": "closes" if found.closes else "narrows"}


def _why(version: FrameworkVersion | None, item: Candidate | None, helps: tuple[Help, ...],
         shown: Mapping[str, float], mandated: Document | None, learner_languages: list[str],
         lang: str | None) -> Document:
    code, say = phrases(lang)
    text: list[str] = []
    if mandated is not None:
        key = "overdue" if mandated["overdue"] else "mandated"
        text.append(say[key].format(plans=", ".join(p["plan_title"] or p["plan_id"]
                                                    for p in mandated["plans"]),
                                    due=mandated["due_date"]))
    for found in helps:
        name = competency_ref(version, found.gap.competency, lang)["name"]
        text.append(say["closes" if found.closes else "narrows"].format(
            competency=name, held=found.gap.held, required=found.gap.required,
            level=found.level))
    if item is not None:
        offered = ", ".join(item.languages) or "-"
        wanted = {primary(t) for t in learner_languages}
        if wanted:
            text.append(say["language" if item.primary_languages & wanted else
                            "other_language"].format(languages=offered))
        # an average of 3 reviews is 3.7, not 3.6666666666666665
        text.append(say["rated"].format(rating=f"{item.rating:.1f}".removesuffix(".0"),
                                        count=item.rating_count)
                    if item.rating is not None else say["unrated"])
        if item.minutes is not None:
            text.append(say["minutes"].format(minutes=item.minutes))
        if item.mode:
            text.append(say.get(item.mode, item.mode))
    return {"score": round(sum(shown.values()), 4), "parts": dict(shown),
            "text": "; ".join(text), "lang": code}


def _shaped(store: Store, version: FrameworkVersion | None, item_id: str,
            item: Candidate | None, helps: tuple[Help, ...], shown: Mapping[str, float],
            mandated: Document | None, learner: Document, public_url: str,
            lang: str | None) -> Document:
    if item is None:  # a mandated item no longer live, or tagged with nothing
        course = store.courses.get(item_id) or {}
        live = course.get("live") or course.get("revision") or {}
        title, category = live.get("title"), live.get("category")
        mode, languages, minutes = live.get("mode"), live.get("languages") or [], live.get(
            "duration_minutes")
        rating: Document = course.get("rating") or {"average": None, "count": 0}
    else:
        title, category, mode = item.title, item.category, item.mode
        languages, minutes = list(item.languages), item.minutes
        rating = {"average": item.rating, "count": item.rating_count}
    return {"item_id": item_id, "category": category, "title": pick_text(title, lang),
            "url": catalogue_item_url(public_url, item_id), "mode": mode,
            "languages": languages, "duration_minutes": minutes, "rating": rating,
            "mandated": mandated, "closes": [_help(version, h, lang) for h in helps],
            "why": _why(version, item, helps, shown, mandated,
                        list(learner.get("languages") or []), lang)}


def mandated(store: Store, learner: Document, public_url: str, on: str,
             lang: str | None) -> list[Document]:
    """The learner's mandated items not yet completed, one per item (its plans, the earliest
    due date), earliest due first, then by item id."""
    plans = store.plans.list(learner["org_id"], "live")
    by_item: dict[str, Document] = {}
    for row in mandated_items(store, learner, public_url, plans, on, lang):
        if row["state"] == "completed":
            continue
        entry = by_item.setdefault(row["item_id"], {
            "due_date": row["due_date"], "overdue": False, "state": row["state"],
            "plans": []})
        entry["due_date"] = min(entry["due_date"], row["due_date"])
        entry["overdue"] = entry["overdue"] or row["overdue"]
        entry["plans"].append({"plan_id": row["plan_id"], "plan_version": row["plan_version"],
                               "plan_title": row["plan_title"], "due_date": row["due_date"]})
    return [{"item_id": item_id, **entry} for item_id, entry in
            sorted(by_item.items(), key=lambda kv: (kv[1]["due_date"], kv[0]))]


def _gap(version: FrameworkVersion | None, gap: Gap, lang: str | None) -> Document:
    return {"competency": competency_ref(version, gap.competency, lang),
            "required": gap.required, "held": gap.held,
            "roles": [ref(version, version.node(r), lang) if version is not None else
                      {"id": r} for r in gap.roles]}


def recommendations(store: Store, learner: Document, held: Mapping[str, int], public_url: str,
                    on: str, lang: str | None = None, limit: int = 20) -> Document:
    """The learner's roles, gaps and recommendations: mandated items first (each listed
    whatever the limit), then at most ``limit`` ranked items."""
    roles = learner_roles(store, learner)
    version = roles.version
    # Largest gap first, then in the framework's code order (COMSUBTHEME-2 before -10).
    learner_gaps = sorted(gaps(roles.required, held), key=lambda g: (
        g.held - g.required, code_order(version.node(g.competency) or {"id": g.competency})
        if version is not None else (), g.competency))
    index = catalogue_index(store)
    languages = list(learner.get("languages") or [])
    wanted = frozenset(primary(t) for t in languages if t)
    items: list[Document] = []
    due = mandated(store, learner, public_url, on, lang)
    for entry in due:
        item = index.items.get(entry["item_id"])
        helps = helps_of(item, learner_gaps) if item is not None else ()
        shown = parts(item, helps, wanted) if item is not None else {}
        items.append(_shaped(store, version, entry["item_id"], item, helps, shown,
                             {k: v for k, v in entry.items() if k != "item_id"}, learner,
                             public_url, lang))
    for found in rank(index, learner_gaps, languages, limit,
                      exclude=(e["item_id"] for e in due)):
        items.append(_shaped(store, version, found.item.item_id, found.item, found.helps,
                             found.parts, None, learner, public_url, lang))
    for number, shaped in enumerate(items, start=1):
        shaped["rank"] = number
    return {"org_id": learner["org_id"], "learner_id": learner["learner_id"],
            "position": ref(version, roles.position, lang) if version is not None else None,
            "roles": [ref(version, r, lang) for r in roles.roles] if version is not None
            else [],
            "gaps": [_gap(version, g, lang) for g in learner_gaps],
            "recommendations": items}

