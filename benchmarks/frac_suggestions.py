"""Quality of competency suggestions: precision@3 and recall@3 on the labelled set.

Builds every lexical model variant over the demo framework (marketplace/demo_frac_data.py)
and scores the hand-labelled course descriptions of benchmarks/frac_labelled.py.

precision@3 = correct among the top 3 / 3 (the standard definition, also when fewer than 3
are returned); recall@3 = correct among the top 3 / number of labels. Items carry 1-3 labels,
so even a perfect model cannot reach precision@3 = 1: beside the standard figure each subset
prints its ceiling (the precision@3 of a perfect ranker, mean of min(3, labels) / 3) and the
normalised precision (mean of hits / min(3, labels), 1.0 for a perfect ranker). With at most 3
labels per item the normalised precision equals recall@3; both are printed, labelled.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any, NamedTuple

from benchmarks.frac_labelled import ITEMS, LabelledCourse
from marketplace import demo_frac_data
from marketplace.frac_model import FrameworkVersion
from marketplace.frac_suggest import BM25Model, SuggestionModel, competency_texts
from marketplace.frac_text import ANALYSERS

K = 3


def demo_version_document() -> dict[str, Any]:
    """Version 1 of the demo framework as a version document (FRAC_PLAN.md), built from the
    demo data module: ids from codes, every node confirmed."""
    node_id = demo_frac_data.node_id
    nodes = []
    for entry in demo_frac_data.ENTRIES:
        node: dict[str, Any] = {**entry, "id": node_id(entry["code"]),
                                "framework": demo_frac_data.FRAMEWORK["id"],
                                "status": "confirmed", "extensions": {}}
        node["parent"] = node_id(entry["parent"]) if entry.get("parent") else None
        if "requirements" in node:
            node["requirements"] = [{"competency": node_id(r["competency"]), "level": r["level"]}
                                    for r in node["requirements"]]
        nodes.append(node)
    framework = demo_frac_data.FRAMEWORK
    return {
        "framework": framework["id"], "number": 1, "published_at": "2026-01-01T00:00:00Z",
        "published_by": "benchmark", "title": framework["title"],
        "description": framework["description"], "extensions": {}, "nodes": nodes,
        "associations": [], "retired": []}


def demo_version() -> FrameworkVersion:
    """Version 1 of the demo framework, as the model reads it."""
    return FrameworkVersion(demo_version_document())


class Figures(NamedTuple):
    """Quality on one subset of the labelled set."""

    precision: float  # standard precision@3: hits / 3
    recall: float  # recall@3: hits / labels
    n: int
    ceiling: float  # precision@3 of a perfect ranker on this subset: min(3, labels) / 3
    normalised: float  # hits / min(3, labels)


def evaluate_figures(model: SuggestionModel, items: tuple[LabelledCourse, ...] = ITEMS
                     ) -> dict[str, Figures]:
    """``{subset: Figures}`` for all, each language and the paraphrases."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0, 0.0])
    for item in items:
        top = [s.code for s in model.suggest({item.lang: item.text}, limit=K)]
        hits = len(set(top) & set(item.codes))
        best = min(K, len(item.codes))
        for subset in ("all", item.lang) + (("paraphrase",) if item.paraphrase else ()):
            acc = sums[subset]
            acc[0] += hits / K
            acc[1] += hits / len(item.codes)
            acc[2] += 1
            acc[3] += best / K
            acc[4] += hits / best
    return {k: Figures(p / n, r / n, int(n), c / n, q / n) for k, (p, r, n, c, q) in sums.items()}


def evaluate(model: SuggestionModel, items: tuple[LabelledCourse, ...] = ITEMS
             ) -> dict[str, tuple[float, float, int]]:
    """``{subset: (precision@3, recall@3, n)}`` for all, each language and the paraphrases."""
    return {k: (f.precision, f.recall, f.n) for k, f in evaluate_figures(model, items).items()}


def ceiling(items: tuple[LabelledCourse, ...] = ITEMS) -> float:
    """The precision@3 of a perfect model: mean of min(3, labels) / 3."""
    return sum(min(K, len(i.codes)) for i in items) / K / len(items)


def _line(name: str, figures: dict[str, Figures]) -> str:
    order = ["all", "en", "hi", "mr", "ta", "bn", "paraphrase"]
    parts = [f"{k} P@3={f.precision:.3f} [ceiling {f.ceiling:.3f}, normalised P@3 "
             f"{f.normalised:.3f}] R@3={f.recall:.3f} (n={f.n})"
             for k in order if (f := figures.get(k))]
    return f"frac_suggestions {name}: " + "; ".join(parts)


def run() -> list[str]:
    """Build each model variant over the demo framework and print P@3/R@3 per subset."""
    version = demo_version()
    texts = competency_texts(version)
    lines = [f"frac_suggestions: {len(ITEMS)} labelled courses, "
             f"{sum(i.paraphrase for i in ITEMS)} paraphrases, {len(texts)} competencies; "
             f"P@3 = standard precision@3 (hits/3); ceiling = P@3 of a perfect ranker given "
             f"each item's labels ({ceiling():.3f} on the whole set); normalised P@3 = "
             f"hits/min(3, labels)"]
    results = {}
    for kind, model_class in (("tfidf", SuggestionModel), ("bm25", BM25Model)):
        for analyser in ANALYSERS:
            started = time.perf_counter()
            model = model_class(texts, analyser)
            built = time.perf_counter() - started
            started = time.perf_counter()
            name = f"{kind}/{analyser}"
            results[name] = evaluate_figures(model)
            per_item = (time.perf_counter() - started) / len(ITEMS)
            lines.append(_line(name, results[name])
                         + f"; build {built * 1000:.0f} ms, {per_item * 1000:.2f} ms/course")
    best = max(results, key=lambda name: results[name]["all"].precision)
    top = results[best]["all"]
    lines.append(f"frac_suggestions best: {best} P@3={top.precision:.3f} R@3={top.recall:.3f} "
                 f"(target P@3 >= 0.6; ceiling {top.ceiling:.3f}; normalised P@3 "
                 f"{top.normalised:.3f})")
    for line in lines:
        print(line, flush=True)
    return lines
