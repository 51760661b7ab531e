"""The lexical suggestion model: Unicode-aware tokenising, stemming, ranking, caching."""

from __future__ import annotations

import pytest

from benchmarks.frac_suggestions import demo_version_document
from marketplace.frac_model import FrameworkVersion
from marketplace.frac_suggest import (
    CompetencyText,
    SuggestionModel,
    competency_texts,
    course_texts,
    model_for,
)
from marketplace.frac_text import ANALYSERS, char_ngrams, content_words, features, stem, words


def test_devanagari_words_keep_their_vowel_signs_and_viramas() -> None:
    # A plain \w+ splits at U+094D (virama) and the vowel signs: "प्रशासन" -> "प", "रश", "सन".
    assert words("लोक प्रशासन। शिक्षा॥") == ["लोक", "प्रशासन", "शिक्षा"]


def test_tamil_and_bengali_words_stay_whole() -> None:
    assert words("பொது சுகாதார நிர்வாகம்") == ["பொது", "சுகாதார", "நிர்வாகம்"]
    assert words("জনস্বাস্থ্য প্রশাসন") == ["জনস্বাস্থ্য", "প্রশাসন"]


def test_nfkc_casefold_and_joiners() -> None:
    fullwidth = "\uff25-Office \uff27\uff45\uff2d"  # NFKC folds full-width Latin
    assert words(f"{fullwidth} STRASSE Straße") == ["e", "office", "gem", "strasse", "strasse"]
    assert words("क्\u200dष") == ["क्ष"]


def test_stopwords_and_stems() -> None:
    assert content_words("The rules of procurement and the course") == ["rules", "procurement"]
    assert stem("procurement") == "procure" and stem("evaluation") == "evalu"
    assert stem("evaluating") == "evaluat"
    assert stem("योजनाओं") == "योजन" and stem("योजना") == "योजन"
    assert stem("gem") == "gem"


def test_char_ngrams_and_analysers() -> None:
    assert char_ngrams("gem", 3, 3) == ["<ge", "gem", "em>"]
    for analyser in ANALYSERS:
        assert features("Tender evaluation", analyser)
    with pytest.raises(ValueError):
        features("x", "unknown")


def _model(analyser: str = "stems+chars") -> SuggestionModel:
    return SuggestionModel([
        CompetencyText("id-gem", "C-1", {"en": "GeM procurement", "hi": "जेम खरीद"},
                       {"en": "Buying on the government marketplace portal"},
                       {"en": ["reverse auction", "L1"]}),
        CompetencyText("id-rti", "C-2", {"en": "Right to information"},
                       {"en": "Answering RTI applications and first appeals"},
                       levels={"1": {"en": "Knows the timelines of the Act"}}),
        CompetencyText("id-health", "C-3", {"en": "Public health administration"},
                       {"en": "Hospitals, primary health centres and disease surveillance"},
                       theme={"en": "Citizen services"}),
    ], analyser)


@pytest.mark.parametrize("analyser", ANALYSERS)
def test_ranks_the_matching_competency_first(analyser: str) -> None:
    model = _model(analyser)
    top = model.suggest({"en": "Reverse auction and L1 purchase on the portal"}, limit=3)
    assert top[0].code == "C-1" and top[0].languages == ("en",)
    assert [s.score for s in top] == sorted((s.score for s in top), reverse=True)
    assert model.suggest({"en": "disease surveillance in hospitals"})[0].code == "C-3"


def test_languages_lists_only_the_texts_that_match_on_their_own() -> None:
    top = _model().suggest({"en": "first appeals under the RTI Act", "hi": "जेम पर खरीद"})
    by_code = {s.code: s for s in top}
    assert by_code["C-2"].languages == ("en",)
    assert by_code["C-1"].languages == ("hi",)


def test_exclude_limit_and_no_match() -> None:
    model = _model()
    text = {"en": "GeM reverse auction, RTI appeals and hospitals"}
    assert len(model.suggest(text, limit=2)) == 2
    assert {s.code for s in model.suggest(text, exclude=["id-gem", "C-2"])} == {"C-3"}
    assert model.suggest({"en": "zzzz qqqq"}) == []
    assert model.suggest({}) == []


def test_course_texts_per_language_with_neutral_keywords() -> None:
    content = {"title": {"en": "GeM", "hi": "जेम"}, "description": {"en": "Buying"},
               "keywords": ["L1", "auction"]}
    assert course_texts(content) == {"en": "GeM\nBuying\nL1\nauction", "hi": "जेम\nL1\nauction"}
    assert course_texts({"title": {}, "keywords": ["x"]}) == {"und": "x"}
    assert course_texts({"keywords": {"hi": ["बोली"]}, "title": "not a map"}) == {"hi": "बोली"}


def test_model_for_reads_a_framework_version_and_is_cached_per_version() -> None:
    doc = demo_version_document()
    version = FrameworkVersion(doc)
    texts = competency_texts(version)
    assert len(texts) == 40
    gem = next(t for t in texts if t.code == "COMSUBTHEME-18")
    assert gem.theme["en"] == "Procurement and Contracts" and gem.keywords["hi"]
    first = model_for(version)
    assert model_for(FrameworkVersion(doc)) is first  # same (framework, number): cached
    assert model_for(FrameworkVersion({**doc, "number": 2})) is not first


def test_quality_on_the_labelled_set_does_not_regress() -> None:
    # Measured 0.544 / 0.924 with the framework's ta/bn/mr text (0.517 / 0.877 en+hi only;
    # benchmarks/frac_suggestions.py); a change to tokenising, weights or the demo text that
    # loses precision fails here before the benchmark runs.
    from benchmarks.frac_suggestions import evaluate

    figures = evaluate(SuggestionModel(competency_texts(FrameworkVersion(
        demo_version_document()))))
    precision, recall, n = figures["all"]
    assert n >= 150
    assert precision >= 0.54 and recall >= 0.92
    assert figures["paraphrase"][1] >= 0.90
