"""The shared search tokenizer and index fields (``storage.catalogue_index``).

The tokenizer must split text exactly where the FTS5 table of the SQLite adapter does, so these
tests compare it with SQLite's own tokenizer through an ``fts5vocab`` table.
"""

from __future__ import annotations

import sqlite3

import pytest

from storage.catalogue_index import (
    FACET_FIELDS,
    FTS5_TOKENIZE,
    duration_band,
    facet_filters_except,
    has_own_filter,
    index_fields,
    parse_text_query,
    tokenize,
)
from storage.ports.catalogue import CourseQuery
from tests.storage.factories import course_doc


def fts5_terms(text: str) -> set[str]:
    """The distinct terms SQLite's FTS5 (declared as the adapter declares it) makes of text."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f'CREATE VIRTUAL TABLE t USING fts5(a, tokenize="{FTS5_TOKENIZE}")')
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row')")
        conn.execute("INSERT INTO t(a) VALUES (?)", (text,))
        return {row[0] for row in conn.execute("SELECT term FROM v")}
    finally:
        conn.close()


SAMPLES = {
    "english": ("Public Administration: e-Governance 101 (2nd ed.)",
                ["public", "administration", "e", "governance", "101", "2nd", "ed"]),
    "hindi": ("लोक प्रशासन", ["लोक", "प्रशासन"]),
    "hindi-sentence": ("सिविल सेवकों के लिए नेतृत्व और नैतिकता।",
                       ["सिविल", "सेवकों", "के", "लिए", "नेतृत्व", "और", "नैतिकता"]),
    "tamil": ("பொது நிர்வாகம் தமிழ்நாடு", ["பொது", "நிர்வாகம்", "தமிழ்நாடு"]),
    "accented-latin": ("Café naïve Ångström RÉSUMÉ São Paulo",
                       ["cafe", "naive", "angstrom", "resume", "sao", "paulo"]),
}


@pytest.mark.parametrize("name", list(SAMPLES))
def test_tokenize_splits_words_and_keeps_indic_words_whole(name: str) -> None:
    text, expected = SAMPLES[name]
    assert tokenize(text) == expected


@pytest.mark.parametrize("name", list(SAMPLES))
def test_tokenize_agrees_with_the_fts5_tokenizer_on_raw_text(name: str) -> None:
    text, _ = SAMPLES[name]
    assert fts5_terms(text) == set(tokenize(text))


def test_plain_unicode61_would_split_devanagari_at_vowel_signs() -> None:
    """Why the FTS5 table declares its categories: the default breaks Hindi words apart."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(a)")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row')")
    conn.execute("INSERT INTO t(a) VALUES ('प्रशासन')")
    assert {r[0] for r in conn.execute("SELECT term FROM v")} != {"प्रशासन"}
    conn.close()


@pytest.mark.parametrize("text", [
    "Straße ﬁnance \uff26\uff55\uff4c\uff4c İstanbul ΣΊΣΥΦΟΣ e\u0301cole",
    "लोक प्रशासन தமிழ் বাংলা తెలుగు मराठी",
])
def test_fts5_keeps_our_tokens_unchanged(text: str) -> None:
    """The adapter indexes ``" ".join(tokenize(text))``; FTS5 must not split or fold further
    (raw ``ß``, ligatures and fullwidth letters are folded by NFKC/casefold, not by FTS5)."""
    tokens = tokenize(text)
    assert fts5_terms(" ".join(tokens)) == set(tokens)
    assert "strasse" in tokenize("Straße") and tokenize("ﬁnance") == ["finance"]


def test_parse_text_query() -> None:
    assert parse_text_query("Admin admin  GOVERN*") == ["admin", "govern"]
    assert parse_text_query('"  -- ) (* ') == []
    assert parse_text_query('a OR b') == ["a", "or", "b"]
    assert parse_text_query(None) == []
    assert parse_text_query("लोक") == ["लोक"]


def test_duration_bands() -> None:
    assert [duration_band(m) for m in (0, 59, 60, 239, 240, 599, 600, 2399, 2400, 10**6)] == [
        "lt1h", "lt1h", "1-4h", "1-4h", "4-10h", "4-10h", "10-40h", "10-40h", "gt40h", "gt40h"]
    assert duration_band(None) is None


def test_index_fields_of_a_course() -> None:
    course = course_doc(
        "crs_1", "org_p", title={"hi": "लोक प्रशासन", "en": "Public Administration"},
        description={"en": "Ethics for officers"}, keywords=["governance"],
        languages=["EN", "hi"], minutes=90, competencies=["C1", "C2", "C1"],
        rating=(4.5, 2), published_at="2026-01-01T00:00:00.000000Z",
    )
    fields = index_fields(course)
    assert fields["provider_id"] == "org_p"
    assert fields["languages"] == ["en", "hi"]
    assert fields["minutes"] == 90 and fields["duration_band"] == "1-4h"
    assert fields["competencies"] == ["C1", "C2"]
    assert (fields["rating_average"], fields["rating_count"]) == (4.5, 2)
    assert fields["title_sort"] == "public administration"
    assert fields["title_terms"] == {"लोक", "प्रशासन", "public", "administration"}
    assert fields["terms"] >= {"ethics", "officers", "governance", "लोक"}
    assert fields["published_at"] == "2026-01-01T00:00:00.000000Z"


def test_title_sort_falls_back_to_the_first_title() -> None:
    course = course_doc("crs_2", "org_p", title={"hi": "लोक"})
    assert index_fields(course)["title_sort"] == "लोक"


def test_facet_own_filters() -> None:
    query = CourseQuery(text="x", modes=("classroom",), min_minutes=10, min_rating=3.0)
    assert has_own_filter(query, "mode") and has_own_filter(query, "duration")
    assert not has_own_filter(query, "provider")
    assert facet_filters_except(query, "duration").min_minutes is None
    assert facet_filters_except(query, "duration").modes == ("classroom",)
    assert facet_filters_except(query, "rating").min_rating is None
    assert facet_filters_except(query, "mode").text == "x"
    assert {f for f in FACET_FIELDS if has_own_filter(query, f)} == {"mode", "duration", "rating"}


def _reference_tokenize(text: str) -> list[str]:
    """The tokenizer written as the plain per-character loop it is compiled from (the oracle
    of the regex version)."""
    import unicodedata

    def latin(ch: str) -> bool:
        cp = ord(ch)
        return ch.isalpha() and (cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF or 0x2C60 <= cp <= 0x2C7F)

    folded = unicodedata.normalize("NFKC", text).casefold()
    kept: list[str] = []
    base_is_latin = False
    for ch in unicodedata.normalize("NFD", folded):
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn":
            if base_is_latin:
                continue
        else:
            base_is_latin = latin(ch)
        kept.append(ch)
    words = ("Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Co", "Mc", "Mn")
    out, word = [], []
    for ch in unicodedata.normalize("NFC", "".join(kept)):
        if unicodedata.category(ch) in words:
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def test_tokenize_equals_the_per_character_reference_on_every_assigned_code_point() -> None:
    # Each code point between two word letters: classes and folding agree. Planes 0-3 and 14
    # hold every assigned letter, digit and mark; the unassigned and private planes are sampled.
    points = [*range(0, 0x323B0), *range(0xE0000, 0xE1000), *range(0x323B0, 0x110000, 257)]
    for start in range(0, len(points), 4096):
        chunk = "".join(f"a{chr(cp)}b " for cp in points[start:start + 4096]
                        if not 0xD800 <= cp <= 0xDFFF)
        assert tokenize(chunk) == _reference_tokenize(chunk), hex(points[start])


def test_tokenize_equals_the_reference_on_mixed_text() -> None:
    import random

    rng = random.Random(3)
    alphabet = ("abcé ÉÀ\u0301\u0308ßİ\u0131\u017fﬁ-_.,;'\u2019·\u200d\u200c0१२௩ "
                "\u0915\u094d\u0937\u093f"
                "\u0bae\u0bcd\u0b9f\u0bbf\u0985\u09be\ue000\U000f0001\u3042\u30a2\uac00"
                "\u0627\u064e\u05d0\u05b8\u0e01\u0e34")
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert tokenize(text) == _reference_tokenize(text), text
