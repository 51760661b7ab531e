"""Competency suggestions for a course: a lexical TF-IDF model over a published framework.

Each competency (sub-theme) becomes one document built from its name, keywords, description,
level descriptions and its theme's name, in every language of their language maps; fields are
weighted (a name says more than a level description). A course's title, description and
keywords in every language are scored against these documents by cosine similarity of
sublinear TF-IDF vectors (Manning, Raghavan & Schütze, *Introduction to Information
Retrieval*, §6.4). Pure Python: 40 to 400 competencies do not need a numerical library.

A model is built once per published framework version and cached: versions are immutable.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from marketplace.frac_text import features

DEFAULT_ANALYSER = "stems+chars"

# How much each field of a competency counts towards its document.
FIELD_WEIGHTS = {"name": 3.0, "keywords": 2.0, "description": 1.0, "theme": 1.0, "levels": 0.5}


@dataclass(frozen=True)
class CompetencyText:
    """The text of one competency, each field a language map (keywords: language -> list)."""

    id: str
    code: str
    name: Mapping[str, str]
    description: Mapping[str, str] = field(default_factory=dict)
    keywords: Mapping[str, list[str]] = field(default_factory=dict)
    levels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    theme: Mapping[str, str] = field(default_factory=dict)

    def fields(self) -> Iterable[tuple[str, str, str]]:
        """``(field, language, text)`` for every piece of text of this competency."""
        for lang, text in self.name.items():
            yield "name", lang, text
        for lang, text in self.description.items():
            yield "description", lang, text
        for lang, kws in self.keywords.items():
            yield "keywords", lang, " ; ".join(kws)
        for level in self.levels.values():
            for lang, text in level.items():
                yield "levels", lang, text
        for lang, text in self.theme.items():
            yield "theme", lang, text


@dataclass(frozen=True)
class Suggestion:
    """One suggested competency: its id and code, cosine score, languages it matched in."""

    id: str
    code: str
    score: float
    languages: tuple[str, ...]


def _normalised(weights: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


class SuggestionModel:
    """Sublinear TF-IDF vectors of competencies; ``suggest`` ranks them for a course's text."""

    def __init__(self, competencies: Iterable[CompetencyText], analyser: str = DEFAULT_ANALYSER):
        self.analyser = analyser
        self.competencies = list(competencies)
        raw: list[dict[str, float]] = []
        for comp in self.competencies:
            counts: dict[str, float] = defaultdict(float)
            for name, _lang, text in comp.fields():
                weight = FIELD_WEIGHTS[name]
                for term, n in features(text, analyser).items():
                    counts[term] += weight * n
            raw.append(counts)
        self._raw = raw
        n_docs = len(raw)
        df: Counter[str] = Counter()
        for counts in raw:
            df.update(counts.keys())
        # Smoothed IDF, as if one extra document held every term: no term gets a zero weight.
        self.idf = {t: math.log((1 + n_docs) / (1 + d)) + 1.0 for t, d in df.items()}
        self.vectors = [
            _normalised({t: (1 + math.log(c)) * self.idf[t] if c >= 1 else c * self.idf[t]
                         for t, c in counts.items()})
            for counts in raw
        ]

    def _query(self, text: str) -> dict[str, float]:
        counts = features(text, self.analyser)
        return _normalised(
            {t: (1 + math.log(c)) * self.idf[t] for t, c in counts.items() if t in self.idf}
        )

    def scores(self, text: str) -> list[float]:
        """The score of every competency for ``text`` (cosine of TF-IDF vectors, 0 to 1)."""
        query = self._query(text)
        return [sum(w * vec.get(t, 0.0) for t, w in query.items()) for vec in self.vectors]

    def suggest(
        self, texts: Mapping[str, str], limit: int = 3, exclude: Iterable[str] = ()
    ) -> list[Suggestion]:
        """The top ``limit`` competencies for ``texts`` (language -> the course's text in it).

        The ranking scores all languages together (a course described in English and Hindi
        matches on both); ``languages`` lists those whose text alone also matches, best first.
        Competencies whose id or code is in ``exclude`` are left out.
        """
        skip = set(exclude)
        combined = self.scores("\n".join(texts.values()))
        per_lang = {lang: self.scores(text) for lang, text in texts.items()}
        ranked = sorted(range(len(combined)), key=lambda i: (-combined[i], i))
        out = []
        for i in ranked:
            comp = self.competencies[i]
            if combined[i] <= 0 or comp.id in skip or comp.code in skip:
                continue
            langs = sorted((lang for lang in per_lang if per_lang[lang][i] > 0),
                           key=lambda lang: -per_lang[lang][i])
            out.append(Suggestion(comp.id, comp.code, round(combined[i], 4), tuple(langs)))
            if len(out) == limit:
                break
        return out


class BM25Model(SuggestionModel):
    """The same documents ranked by Okapi BM25 (Robertson & Zaragoza, *The Probabilistic
    Relevance Framework*, 2009, §3.4) instead of cosine; scores are not bounded by 1. Kept
    to compare against TF-IDF in the benchmark."""

    K1 = 1.2
    B = 0.75

    def __init__(self, competencies: Iterable[CompetencyText], analyser: str = DEFAULT_ANALYSER):
        super().__init__(competencies, analyser)
        n_docs = len(self._raw)
        df: Counter[str] = Counter()
        for counts in self._raw:
            df.update(counts.keys())
        self.bm25_idf = {t: math.log(1 + (n_docs - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.lengths = [sum(counts.values()) for counts in self._raw]
        self.average_length = (sum(self.lengths) / n_docs) if n_docs else 1.0

    def scores(self, text: str) -> list[float]:
        """The BM25 score of every competency for ``text``."""
        query = [t for t in features(text, self.analyser) if t in self.bm25_idf]
        out = []
        for counts, length in zip(self._raw, self.lengths, strict=True):
            norm = self.K1 * (1 - self.B + self.B * length / self.average_length)
            out.append(sum(self.bm25_idf[t] * counts[t] * (self.K1 + 1) / (counts[t] + norm)
                           for t in query if t in counts))
        return out


def competency_texts(version: Any) -> list[CompetencyText]:
    """The ``CompetencyText`` of every competency of a ``frac_model.FrameworkVersion``."""
    texts = []
    for node in version.competencies():
        theme = version.parent(node["id"]) or {}
        texts.append(
            CompetencyText(
                id=node["id"],
                code=node.get("code", ""),
                name=node.get("name") or {},
                description=node.get("description") or {},
                keywords=node.get("keywords") or {},
                levels=node.get("levels") or {},
                theme=theme.get("name") or {},
            )
        )
    return texts


_CACHE: OrderedDict[tuple[str, int, str], SuggestionModel] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 16


def model_for(version: Any, analyser: str = DEFAULT_ANALYSER) -> SuggestionModel:
    """The model of a published version, built on first use and cached (versions are immutable)."""
    key = (version.framework, version.number, analyser)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    model = SuggestionModel(competency_texts(version), analyser)
    with _CACHE_LOCK:
        _CACHE[key] = model
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return model


def course_texts(content: Mapping[str, Any]) -> dict[str, str]:
    """Language -> the course's title, description and keywords in that language.

    Keywords may be a list (language-neutral) or a language map of lists; neutral ones are
    added to every language so they count wherever the course is read.
    """
    parts: dict[str, list[str]] = {}
    for key in ("title", "description"):
        value = content.get(key)
        if isinstance(value, Mapping):
            for lang, text in value.items():
                if isinstance(text, str):
                    parts.setdefault(lang, []).append(text)
    keywords = content.get("keywords")
    if isinstance(keywords, Mapping):
        for lang, kws in keywords.items():
            if isinstance(kws, list):
                parts.setdefault(lang, []).extend(str(k) for k in kws)
    elif isinstance(keywords, list):
        for lang in parts or {"und": []}:
            parts.setdefault(lang, []).extend(str(k) for k in keywords)
    return {lang: "\n".join(texts) for lang, texts in parts.items() if texts}
