"""Tokenising for competency suggestions: Unicode-aware words, light stemming, character n-grams.

Course and framework text arrives in English and Indian languages (Devanagari for Hindi and
Marathi, Tamil, Bengali script). Python's ``\\w`` does not match combining marks, so a plain
``\\w+`` would cut "प्रशासन" at every vowel sign and virama; the word pattern below keeps the
marks of the Indic blocks (U+0900 to U+0D7F, minus the danda punctuation) inside the word.
Text is NFKC-normalised and casefolded first so compatibility forms and case do not matter
(Unicode Standard Annex #15).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Letters/digits, plus every code point of the Indic blocks except the dandas (U+0964/0965)
# and the abbreviation sign (U+0970), which are punctuation; ZWJ/ZWNJ join Indic clusters.
_WORD = re.compile(r"(?:[^\W_]|[\u0900-\u0963\u0966-\u096f\u0971-\u0d7f\u200c\u200d])+")
_JOINERS = str.maketrans("", "", "\u200c\u200d")

_ENGLISH_STOPWORDS = """a an and are as at be by for from how in into is it its of on or the
    their this that to
    with within who what when where which will your you our we can all through about using use
    used course module session sessions participants learn learners learning officers officer
    staff training programme program covers including includes introduction basics
    understand understanding day days hands practical practice also such other new way ways"""
ENGLISH_STOPWORDS = frozenset(_ENGLISH_STOPWORDS.split())

# Function words and catalogue filler in Hindi, Marathi, Tamil and Bengali.
_INDIC_STOPWORDS = """का की के को में से पर और है हैं था थे तथा एवं या लिए यह इस इन उन वह जो कि भी
    कर करने करना करें किया किए होता होती होते हो गया साथ द्वारा बारे प्रति तक अपने अपनी
    पाठ्यक्रम प्रशिक्षण अधिकारियों अधिकारी कर्मचारियों प्रतिभागी सीखें सिखाता सिखाया
    व आणि ची चा चे च्या ला ना मध्ये हे ही या हा आहे आहेत करणे साठी कसे तसेच अभ्यासक्रम
    मधील वर व्या ते सह
    மற்றும் ஒரு இந்த என்ற பற்றி உள்ள ஆகிய பாடநெறி பயிற்சி அலுவலர்களுக்கு அதிகாரிகளுக்கு
    எப்படி செய்வது
    এবং ও এই একটি করে করা হয় থেকে জন্য সঙ্গে কোর্স প্রশিক্ষণ কর্মকর্তাদের"""
INDIC_STOPWORDS = frozenset(_INDIC_STOPWORDS.split())

STOPWORDS = ENGLISH_STOPWORDS | INDIC_STOPWORDS

# Light English suffix stripping: enough to meet "procurement"/"procuring"/"procured" halfway
# without a full Porter stemmer (longest suffix first; the stem keeps >= 4 characters).
_EN_SUFFIXES = (
    "ational", "ization", "isation", "ations", "nesses", "ments", "ities", "ation", "ition",
    "ment", "ness", "ings", "ity", "ing", "ies", "ive", "ers", "ed", "es", "er", "al", "ic",
    "ly", "s", "e", "y",
)
# Common Hindi/Marathi noun and adjective inflections (after Ramanathan & Rao's light Hindi
# stemmer, without its verb endings -ना/-ने/-ता/-ते/-ती, which also end nouns such as योजना and
# सूचना), longest first; the stem keeps >= 2 characters.
_INDIC_SUFFIXES = (
    "ियों", "ियां", "ियाँ", "ाओं", "ाएं", "ाएँ", "ीय", "िया", "ों", "ें", "ीं", "ाँ", "ां",
    "ी", "ा", "े", "ि", "ु", "ू", "ो", "ै", "ं",
)


def words(text: str) -> list[str]:
    """The words of ``text``: NFKC, casefolded, Indic combining marks kept inside words."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return [w.translate(_JOINERS) for w in _WORD.findall(folded)]


def content_words(text: str) -> list[str]:
    """``words`` without stopwords and one-character tokens."""
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


def stem(word: str) -> str:
    """A light stem: English suffixes for Latin words, Hindi/Marathi endings for Devanagari."""
    if word.isascii():
        for suffix in _EN_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                return word[: -len(suffix)]
        return word
    if "\u0900" <= word[0] <= "\u097f":
        for suffix in _INDIC_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                return word[: -len(suffix)]
    return word


def char_ngrams(word: str, low: int = 3, high: int = 5) -> list[str]:
    """Character n-grams of ``word`` with boundary marks, so inflected forms share grams."""
    padded = f"<{word}>"
    grams = []
    for n in range(low, high + 1):
        grams += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return grams or [padded]


ANALYSERS = ("words", "stems", "chars", "stems+chars")


def features(text: str, analyser: str) -> Counter[str]:
    """Term counts of ``text`` under one of ``ANALYSERS``.

    ``stems+chars`` mixes whole stems with character n-grams; n-grams carry a lower weight
    because one word yields many of them.
    """
    tokens = content_words(text)
    counts: Counter[str] = Counter()
    if analyser == "words":
        counts.update(tokens)
    elif analyser == "stems":
        counts.update(stem(t) for t in tokens)
    elif analyser == "chars":
        for t in tokens:
            counts.update(char_ngrams(t))
    elif analyser == "stems+chars":
        for t in tokens:
            counts["w:" + stem(t)] += 3
            counts.update(char_ngrams(t))
    else:
        raise ValueError(f"unknown analyser {analyser!r}")
    return counts
