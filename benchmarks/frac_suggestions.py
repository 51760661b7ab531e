"""Quality of competency suggestions: precision@3 and recall@3 on the labelled set.

Builds every lexical model variant over the demo framework (marketplace/demo_frac_data.py)
and scores the hand-labelled course descriptions of benchmarks/frac_labelled.py.

precision@3 = correct among the top 3 / 3 (the standard definition, also when fewer than 3
are returned); recall@3 = correct among the top 3 / number of labels. Items carry 1-3 labels,
so even a perfect model cannot reach precision@3 = 1: the ceiling (mean of labels / 3) is
printed beside it. Dividing by min(3, labels) instead would give exactly recall@3 here.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

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


def evaluate(model: SuggestionModel, items: tuple[LabelledCourse, ...] = ITEMS
             ) -> dict[str, tuple[float, float, int]]:
    """``{subset: (precision@3, recall@3, n)}`` for all, each language and the paraphrases."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for item in items:
        top = [s.code for s in model.suggest({item.lang: item.text}, limit=K)]
        hits = len(set(top) & set(item.codes))
        for subset in ("all", item.lang) + (("paraphrase",) if item.paraphrase else ()):
            acc = sums[subset]
            acc[0] += hits / K
            acc[1] += hits / len(item.codes)
            acc[2] += 1
    return {k: (p / n, r / n, int(n)) for k, (p, r, n) in sums.items()}


def ceiling(items: tuple[LabelledCourse, ...] = ITEMS) -> float:
    """The precision@3 of a perfect model: mean of min(3, labels) / 3."""
    return sum(min(K, len(i.codes)) for i in items) / K / len(items)


def _line(name: str, figures: dict[str, tuple[float, float, int]]) -> str:
    order = ["all", "en", "hi", "mr", "ta", "bn", "paraphrase"]
    parts = [f"{k} P@3={figures[k][0]:.3f} R@3={figures[k][1]:.3f} (n={figures[k][2]})"
             for k in order if k in figures]
    return f"frac_suggestions {name}: " + "; ".join(parts)


def run() -> list[str]:
    """Build each model variant over the demo framework and print P@3/R@3 per subset."""
    version = demo_version()
    texts = competency_texts(version)
    lines = [f"frac_suggestions: {len(ITEMS)} labelled courses, "
             f"{sum(i.paraphrase for i in ITEMS)} paraphrases, {len(texts)} competencies; "
             f"precision@3 = hits/3, ceiling for this set {ceiling():.3f}"]
    results = {}
    for kind, model_class in (("tfidf", SuggestionModel), ("bm25", BM25Model)):
        for analyser in ANALYSERS:
            started = time.perf_counter()
            model = model_class(texts, analyser)
            built = time.perf_counter() - started
            started = time.perf_counter()
            name = f"{kind}/{analyser}"
            results[name] = evaluate(model)
            per_item = (time.perf_counter() - started) / len(ITEMS)
            lines.append(_line(name, results[name])
                         + f"; build {built * 1000:.0f} ms, {per_item * 1000:.2f} ms/course")
    best = max(results, key=lambda name: results[name]["all"][0])
    p, r, _n = results[best]["all"]
    lines.append(f"frac_suggestions best: {best} P@3={p:.3f} R@3={r:.3f} "
                 f"(target P@3 >= 0.6; ceiling {ceiling():.3f})")
    for line in lines:
        print(line, flush=True)
    return lines
