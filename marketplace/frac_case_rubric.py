"""Reading the proficiency levels of a CASE 1.1 package: ``CFRubrics`` (§7.1.24-7.1.29).

A ``CFRubricCriterion`` whose ``CFItemURI`` is a competency (a ``Competency Sub-theme`` item) of
the package gives that competency its levels: one per ``CFRubricCriterionLevel``, numbered by its
``position`` (else its ``score``), which must be 1..5 (1 Basic … 5 Ustad). Criteria about other
items, and rubrics that are not the hub's, are kept as they came and exported again.
"""

from __future__ import annotations

from typing import Any

from marketplace.frac_case import EXT, rubric_id
from marketplace.frac_case_fields import PackageProblems, RecordReader, level_number

Document = dict[str, Any]


def _levels(criterion: RecordReader, lang: str) -> dict[str, dict[str, str]]:
    """The levels a criterion defines, ``{"1": langmap, …}``."""
    ours = criterion.obj("extensions").get(EXT)
    langmaps = ours.get("levels") if isinstance(ours, dict) else None
    if langmaps is not None and not isinstance(langmaps, dict):
        criterion.fail(f"extensions.{EXT}.levels", "must be an object")
        langmaps = None
    levels: dict[str, dict[str, str]] = {}
    for index, raw in criterion.objects("CFRubricCriterionLevels"):
        level = RecordReader(raw, f"{criterion.path}.CFRubricCriterionLevels[{index}]",
                             criterion.problems, criterion.item)
        level.identifier()
        level.timestamp()
        description = level.string("description")
        position = raw.get("position", raw.get("score"))
        number = level_number(position)
        if number is None:
            level.fail("position", "a proficiency level is 1..5")
            continue
        if str(number) in levels:
            level.fail("position", f"level {number} is defined twice")
            continue
        mapped = (langmaps or {}).get(str(number))
        text = level.langmap(mapped, f"extensions.{EXT}.levels.{number}") if mapped else None
        levels[str(number)] = text or ({lang: description} if description else {lang: ""})
    return levels


def read_rubrics(top: RecordReader, nodes: dict[str, Document], document_id: str,
                 problems: PackageProblems) -> list[Document]:
    """Give the package's competencies their levels; return the rubrics to keep."""
    kept: list[Document] = []
    done: set[str] = set()
    for index, raw in top.objects("CFRubrics"):
        rubric = RecordReader(raw, f"CFRubrics[{index}]", problems,
                              raw.get("identifier") if isinstance(raw.get("identifier"), str)
                              else None)
        identifier = rubric.identifier()
        rubric.timestamp()
        others = []
        for c_index, c_raw in rubric.objects("CFRubricCriteria"):
            criterion = RecordReader(c_raw, f"{rubric.path}.CFRubricCriteria[{c_index}]",
                                     problems, rubric.item)
            criterion.identifier()
            target = criterion.obj("CFItemURI").get("identifier")
            node = nodes.get(target.lower()) if isinstance(target, str) else None
            if node is None or node["type"] != "subtheme":
                others.append(c_raw)
                continue
            if node["id"] in done:
                criterion.fail("CFItemURI", "a second criterion for the same competency")
                continue
            done.add(node["id"])
            node["levels"] = _levels(criterion, next(iter(node["name"]), "en"))
        if identifier == rubric_id(document_id) and not others:
            continue  # the hub's own rubric: written again from the competencies' levels
        kept.append({**raw, "CFRubricCriteria": others} if "CFRubricCriteria" in raw else raw)
    return kept
