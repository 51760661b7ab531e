"""The labelled set of competency suggestions is what the issue asks for, and honest.

Its paraphrases must share no keyword with the names of the competencies they are labelled
with, in their own language: not the same word, not the same light stem, and not a shared
word start (so "procuring" counts as sharing "procurement", "team" as sharing "teamwork").
"""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.frac_labelled import ITEMS
from marketplace import demo_frac_data
from marketplace.frac_text import stem, words

# Only function words are ignored: a content word of the name anywhere in the text counts.
_FUNCTION_WORDS = frozenset(
    ["and", "of", "the", "in", "for", "to", "a", "an", "और", "का", "की", "के", "में", "तथा", "एवं", "व"]
)


def _keywords(text: str) -> set[str]:
    return {w for w in words(text) if w not in _FUNCTION_WORDS and len(w) > 1}


def _related(a: str, b: str) -> bool:
    short, long_ = sorted((a, b), key=len)
    return (a == b or stem(a) == stem(b)
            or (len(short) >= 4 and long_.startswith(short))
            or (len(short) >= 5 and short[:5] == long_[:5]))


def shared_keywords(text: str, name: str) -> set[str]:
    """Words of ``text`` related to a keyword of ``name``."""
    name_words = _keywords(name)
    return {w for w in _keywords(text) if any(_related(w, n) for n in name_words)}


def test_the_related_rule_catches_inflections_and_compounds() -> None:
    assert shared_keywords("Procuring goods", "Public procurement rules") == {"procuring"}
    assert shared_keywords("A team outing", "Teamwork and collaboration") == {"team"}
    assert shared_keywords("शिकायतें सुनना", "शिकायत निवारण") == {"शिकायतें"}
    assert shared_keywords("Coping with pressure", "Stress management and wellbeing") == set()


def test_sizes_languages_and_label_counts() -> None:
    langs = Counter(item.lang for item in ITEMS)
    assert len(ITEMS) >= 150
    assert langs["en"] >= 90 and langs["hi"] >= 30
    others = {lang: n for lang, n in langs.items() if lang in ("ta", "bn", "mr")}
    assert sum(others.values()) >= 30 and max(others.values()) >= 15
    assert all(1 <= len(item.codes) <= 3 for item in ITEMS)
    assert all(len(set(item.codes)) == len(item.codes) for item in ITEMS)
    assert len({item.text for item in ITEMS}) == len(ITEMS)


def test_every_competency_is_labelled_and_every_label_exists() -> None:
    labelled = Counter(code for item in ITEMS for code in item.codes)
    demo = {entry["code"] for entry in demo_frac_data.SUBTHEMES}
    assert set(labelled) == demo
    assert min(labelled.values()) >= 3


def test_at_least_40_paraphrases() -> None:
    assert sum(item.paraphrase for item in ITEMS) >= 40


@pytest.mark.parametrize(
    "item", [item for item in ITEMS if item.paraphrase], ids=lambda item: item.text[:40]
)
def test_paraphrase_shares_no_keyword_with_its_competency_names(item) -> None:
    for code in item.codes:
        entry = demo_frac_data.entry(code)
        assert entry is not None
        name = entry["name"][item.lang]
        assert shared_keywords(item.text, name) == set(), (code, name)
