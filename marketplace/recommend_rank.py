"""Gaps and the ranking of catalogue items that close them (issue 13 "Recommendations"):
pure functions over a learner's required and held levels and the catalogue index.

Gap: for each competency the learner's roles require, the required level minus the level the
passbook proves (0 when none); only positive differences are gaps.

An item helps with a gap when it is tagged with the competency at a level above the one held
(an item at or below the held level teaches nothing new). Its **fit** for that gap:

- it *closes* the gap when its level reaches the required one: 1.0 at exactly the required
  level, 0.15 less per level beyond it (the smallest sufficient level is best: a level-5
  course is not the next step for someone who needs level 2), never below 0.4;
- it *narrows* the gap otherwise: 0.6 times the share of the gap it covers.

The score adds weighted parts, each shown in the recommendation's ``why``:

- ``gap``: :data:`WEIGHTS` ["gap"] times the sum of the fits over every gap the item helps
  with (one item closing two gaps beats one closing one);
- ``language``: the full weight when the item is offered in one of the learner's languages
  (primary subtags compared, RFC 5646 §2.2.1), nothing when not; half for everyone when the
  learner's record names no language (nothing to prefer);
- ``rating``: the average rating out of 5 (an unrated item counts as 3 of 5);
- ``duration``: shorter is better, ``240 / (240 + minutes)`` (unknown: one half);
- ``mode``: self-paced (taken now), then instructor-led, then classroom (travel, dates).

The item-only shares (rating, duration, mode) are computed once per item when the index is
built (:class:`marketplace.recommend_index.Candidate` ``shares``).

Ties are broken by item id, so a ranking is the same on every call and every worker.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from marketplace.learner_roles import Requirement
from marketplace.recommend_index import Candidate, CatalogueIndex, primary

#: Weight of each part of the score.
WEIGHTS: Mapping[str, float] = {"gap": 10.0, "language": 3.0, "rating": 1.5, "duration": 1.0,
                                "mode": 0.5}

@dataclass(frozen=True, slots=True)
class Gap:
    """One competency the learner holds below the level a role requires."""

    competency: str
    required: int
    held: int  # 0 when the passbook proves no level
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Help:
    """How one item helps with one gap: the level it teaches and its fit."""

    gap: Gap
    level: int
    fit: float

    @property
    def closes(self) -> bool:
        """Whether the item's level reaches the required one."""
        return self.level >= self.gap.required


@dataclass(frozen=True, slots=True)
class Ranked:
    """An item with its score, the score's parts and the gaps it helps with."""

    item: Candidate
    score: float
    parts: Mapping[str, float]
    helps: tuple[Help, ...]


def gaps(required: Mapping[str, Requirement], held: Mapping[str, int]) -> list[Gap]:
    """The learner's gaps, largest first, then by competency id."""
    found = [Gap(comp, req.level, int(held.get(comp, 0)), req.roles)
             for comp, req in required.items() if int(held.get(comp, 0)) < req.level]
    found.sort(key=lambda g: (g.held - g.required, g.competency))
    return found


def fit(level: int, gap: Gap) -> float:
    """How well an item at ``level`` serves ``gap`` (0 when it teaches nothing new)."""
    if level <= gap.held:
        return 0.0
    if level >= gap.required:
        return max(0.4, 1.0 - 0.15 * (level - gap.required))
    return 0.6 * (level - gap.held) / (gap.required - gap.held)


def parts(item: Candidate, helps: Iterable[Help], languages: frozenset[str]
          ) -> dict[str, float]:
    """The weighted parts of an item's score (see the module docstring)."""
    rating, duration, mode = item.shares
    shares = {"gap": sum(h.fit for h in helps), "language": language_share(item, languages),
              "rating": rating, "duration": duration, "mode": mode}
    return {name: round(WEIGHTS[name] * value, 4) for name, value in shares.items()}


def language_share(item: Candidate, languages: frozenset[str]) -> float:
    """1 when the item is offered in one of the learner's languages, 0 when not, and one
    half for every item when the learner's record names no language (nothing to prefer)."""
    return 0.5 if not languages else 1.0 if item.primary_languages & languages else 0.0


def helps_of(item: Candidate, learner_gaps: Iterable[Gap]) -> tuple[Help, ...]:
    """Every gap ``item`` helps with, with its level and fit."""
    out = []
    for gap in learner_gaps:
        level = item.levels.get(gap.competency)
        if level is not None:
            value = fit(level, gap)
            if value > 0:
                out.append(Help(gap, level, value))
    return tuple(out)


def rank(index: CatalogueIndex, learner_gaps: list[Gap], learner_languages: Iterable[str],
         limit: int, exclude: Iterable[str] = ()) -> list[Ranked]:
    """The ``limit`` best items for the gaps (none of ``exclude``), best first.

    Only the items tagged with a gap competency above the held level are looked at (the
    index bisects each competency's items by level), each scored with a few operations on
    the shares computed when the index was built; the parts are spelled out for the
    ``limit`` best only."""
    languages = frozenset(primary(t) for t in learner_languages if t)
    skip = frozenset(exclude)
    fits: dict[str, float] = {}
    for gap in learner_gaps:
        competency = gap.competency
        for item in index.above(competency, gap.held):
            if item.item_id not in skip:
                fits[item.item_id] = fits.get(item.item_id, 0.0) + fit(
                    item.levels[competency], gap)
    w_gap, w_lang, w_rating, w_duration, w_mode = (WEIGHTS[k] for k in (
        "gap", "language", "rating", "duration", "mode"))
    items = index.items
    scored = []
    # language_share and the item's shares, inlined: this loop runs for every candidate.
    no_language = w_lang * 0.5 if not languages else None
    for item_id, total_fit in fits.items():
        item = items[item_id]
        rating, duration, mode = item.shares
        language = no_language if no_language is not None else (
            w_lang if item.primary_languages & languages else 0.0)
        scored.append((-(w_gap * total_fit + language + w_rating * rating
                         + w_duration * duration + w_mode * mode), item_id))
    out = []
    for _, item_id in heapq.nsmallest(max(0, limit), scored):
        item = items[item_id]
        helps = helps_of(item, learner_gaps)
        shown = parts(item, helps, languages)
        out.append(Ranked(item, round(sum(shown.values()), 4), shown, helps))
    return out
