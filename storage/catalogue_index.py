"""What catalogue search indexes, defined once for every adapter.

Both the SQLite adapter (FTS5 + side tables) and the MongoDB adapter (multikey ``terms`` array)
derive their search index from these functions, so that a query means the same thing on every
backend:

- :func:`tokenize` is the one word splitter. Text is NFKC-normalised, case-folded, Latin
  diacritics are removed, and words are runs of letters, digits, private-use characters and
  combining marks. Indic vowel signs and viramas are combining marks (Unicode categories Mn/Mc),
  so ``प्रशासन`` and ``தமிழ்`` stay one word each; SQLite's default ``unicode61`` tokenizer would
  split them at every vowel sign, which is why the FTS5 table is declared with
  :data:`FTS5_TOKENIZE`. The SQLite adapter feeds FTS5 the output of :func:`tokenize` (already
  folded), so FTS5's own folding never disagrees with ours (it does not apply NFKC and folds
  ``ß`` differently from :meth:`str.casefold`).
- :func:`index_fields` extracts the filterable, facetable and sortable fields of a course.
- :func:`parse_text_query` turns user text into tokens, each matched as a word prefix.
- :data:`FACET_FIELDS`, :data:`DURATION_BANDS`, :data:`RATING_BUCKETS` and :data:`SORT_ORDERS`
  are the catalogue's search vocabulary: the search schemas validate against it and both
  adapters implement it.
- :func:`duration_band` and :func:`facet_filters_except` fix the facet semantics of
  :class:`storage.ports.catalogue.CourseQuery` (disjunctive: a field's counts ignore its own
  filter).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from storage.ports.catalogue import CourseQuery

# The catalogue's search vocabulary: what a query may ask for, how results are faceted and
# sorted. It is the catalogue's own (the search schemas validate against it and both adapters
# implement it), not a port's.

#: Facet fields of catalogue search, in response order.
FACET_FIELDS: tuple[str, ...] = (
    "provider",
    "language",
    "category",
    "mode",
    "level",
    "duration",
    "rating",
    "competency",
    "competency_area",
    "competency_theme",
    "competency_level",
    "program_items",
    "blended",
)

#: Facet fields whose filter is "one of these values" -> the :class:`CourseQuery` attribute
#: holding the values (every facet field but ``duration`` and ``rating``, whose filters are
#: ranges). Both adapters build these filters from this one table.
VALUE_FILTERS: dict[str, str] = {
    "provider": "providers",
    "language": "languages",
    "category": "categories",
    "mode": "modes",
    "level": "levels",
    "competency": "competencies",
    "competency_area": "competency_areas",
    "competency_theme": "competency_themes",
    "competency_level": "competency_levels",
    "program_items": "program_items",
    "blended": "blended",
}

#: Bands of a curated program's item count (facet ``program_items``): id -> [min, max];
#: max None = open. Courses have no value (a program is content with a ``program`` part).
PROGRAM_ITEM_BANDS: dict[str, tuple[int, int | None]] = {
    "1-5": (1, 5),
    "6-10": (6, 10),
    "11-20": (11, 20),
    "gt20": (21, None),
}

#: Duration bands (facet ``duration``): id -> [min minutes, max minutes) ; max None = open.
DURATION_BANDS: dict[str, tuple[int, int | None]] = {
    "lt1h": (0, 60),
    "1-4h": (60, 240),
    "4-10h": (240, 600),
    "10-40h": (600, 2400),
    "gt40h": (2400, None),
}

#: Rating buckets (facet ``rating``), cumulative like every marketplace: "4+" counts every course
#: whose average is >= 4. Unrated courses fall in none.
RATING_BUCKETS: dict[str, float] = {"4+": 4.0, "3+": 3.0, "2+": 2.0, "1+": 1.0}

#: Sort orders of catalogue search. Each sorts by its key, then by course id ascending.
#: relevance: best text match first (newest first when there is no text);
#: newest: published_at desc; title: English (else first) title asc, case-folded;
#: rating: average desc (unrated last), then count desc; duration: minutes asc.
SORT_ORDERS: tuple[str, ...] = ("relevance", "newest", "title", "rating", "duration")

#: The FTS5 tokenizer whose word boundaries equal :func:`tokenize`'s (``remove_diacritics 2``
#: also folds diacritics of decomposed Latin text; the category list keeps combining marks).
FTS5_TOKENIZE = "unicode61 remove_diacritics 2 categories 'L* N* Co Mc Mn'"

#: Relevance of a text match (sort ``relevance``): each query token scores the weight of the best
#: field whose words it prefixes; a course's score is the sum over the tokens. It depends on the
#: course alone (unlike bm25's corpus statistics), so pages stay stable while others publish.
RELEVANCE_WEIGHTS: dict[str, int] = {"title": 4, "keywords": 2, "description": 1}

#: Unicode general categories that belong to a word (as FTS5_TOKENIZE's ``categories``).
_WORD_CATEGORIES = frozenset(
    ("Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Co", "Mc", "Mn")
)

#: Code points scanned for the character classes: planes 0-3 (every assigned letter, digit and
#: mark) and plane 14 (variation selectors); planes 15-16 are private use (``Co``) throughout.
_SCANNED = (range(0x0000, 0x323B0), range(0xE0000, 0xE1000))
_PRIVATE_PLANES = "\U000F0000-\U000FFFFD\U00100000-\U0010FFFD"


def _is_latin(ch: str) -> bool:
    """Latin letters whose diacritics are dropped (Basic Latin through Latin Extended-B, IPA,
    Latin Extended Additional), the range FTS5's ``remove_diacritics`` folds."""
    cp = ord(ch)
    return cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF or 0x2C60 <= cp <= 0x2C7F


def _char_class(test: Callable[[str], bool]) -> str:
    """A regex character class body of the scanned code points passing ``test``."""
    parts: list[str] = []
    start = prev = -2
    for cp in (cp for block in _SCANNED for cp in block):
        if not test(chr(cp)):
            continue
        if cp != prev + 1:
            if start >= 0:
                parts.append(_span(start, prev))
            start = cp
        prev = cp
    if start >= 0:
        parts.append(_span(start, prev))
    return "".join(parts)


def _span(first: int, last: int) -> str:
    return f"\\U{first:08X}" + (f"-\\U{last:08X}" if last > first else "")


class _Patterns:
    """The tokenizer's regular expressions, compiled on first use (~50 ms, once per process):
    per-character loops in Python made indexing 50,000 courses take 20 s."""

    _compiled: tuple[re.Pattern[str], re.Pattern[str]] | None = None

    @classmethod
    def get(cls) -> tuple[re.Pattern[str], re.Pattern[str]]:
        if cls._compiled is None:
            word = _char_class(lambda ch: unicodedata.category(ch) in _WORD_CATEGORIES)
            latin = _char_class(lambda ch: ch.isalpha() and _is_latin(ch))
            marks = _char_class(
                lambda ch: bool(unicodedata.combining(ch)) or unicodedata.category(ch) == "Mn")
            cls._compiled = (
                re.compile(f"[{word}{_PRIVATE_PLANES}]+"),
                # A Latin letter's marks (NFD): the letter is kept, the marks dropped.
                re.compile(f"(?<=[{latin}])[{marks}]+"),
            )
        return cls._compiled


def _strip_latin_diacritics(text: str) -> str:
    """Remove combining marks that follow a Latin base letter; marks on other scripts (Indic
    vowel signs, viramas, nuktas) are part of the letter and stay."""
    if text.isascii():
        return text
    return unicodedata.normalize(
        "NFC", _Patterns.get()[1].sub("", unicodedata.normalize("NFD", text)))


def tokenize(text: str | None) -> list[str]:
    """Words of ``text``, normalised for matching (see the module docstring)."""
    if not text:
        return []
    folded = _strip_latin_diacritics(unicodedata.normalize("NFKC", text).casefold())
    return _Patterns.get()[0].findall(folded)


def parse_text_query(text: str | None) -> list[str]:
    """The tokens of a search text, in order, without repeats. Each must match a word prefix.
    An empty list means "no text condition" (``"  -- "`` searches everything)."""
    return list(dict.fromkeys(tokenize(text)))


def _map_texts(value: Any) -> list[str]:
    """Every string of a language map (or a plain string / list of strings)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, str)]
    return [v for v in value if isinstance(v, str)]


def text_terms(value: Any) -> list[str]:
    """Tokens of every language of a language map (or of a list of keywords), in order."""
    return [tok for text in _map_texts(value) for tok in tokenize(text)]


def duration_band(minutes: int | None) -> str | None:
    """The key of :data:`DURATION_BANDS` that ``minutes`` falls in."""
    if minutes is None:
        return None
    for band, (low, high) in DURATION_BANDS.items():
        if minutes >= low and (high is None or minutes < high):
            return band
    return None


def program_facets(content: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(item count band, blended ``"true"``/``"false"``) of a program's content, each a list
    of at most one value; empty for a course."""
    part = content.get("program")
    if not isinstance(part, dict):
        return [], []
    count = len(part.get("items") or [])
    band = next((b for b, (low, high) in PROGRAM_ITEM_BANDS.items()
                 if count >= low and (high is None or count <= high)), None)
    return ([band] if band else []), ["true" if part.get("blended") else "false"]


def title_sort_key(title: Any) -> str:
    """Case-folded English title, else the first title of the map (sort ``title``)."""
    if isinstance(title, dict):
        text = title.get("en") or next((v for v in title.values() if isinstance(v, str)), "")
    else:
        text = title or ""
    return unicodedata.normalize("NFKC", str(text)).casefold()


def index_fields(course: dict[str, Any]) -> dict[str, Any]:
    """The search index entry of a course, from its ``live`` content (``live`` must be set)."""
    live = course["live"]
    rating = course.get("rating") or {}
    minutes = live.get("duration_minutes")
    tags = [c for c in live.get("competencies") or [] if isinstance(c, dict)]
    title_terms = text_terms(live.get("title"))
    keyword_terms = text_terms(live.get("keywords"))
    description_terms = text_terms(live.get("description"))
    program_items, blended = program_facets(live)
    return {
        "provider_id": course["provider_id"],
        "languages": sorted({str(tag).lower() for tag in live.get("languages") or []}),
        "category": live.get("category"),
        "mode": live.get("mode"),
        "level": live.get("level"),
        "minutes": minutes,
        "duration_band": duration_band(minutes),
        # Competency tags are stored denormalised (marketplace.frac_tags): the area and theme
        # of each tag are in the tag, so indexing needs no framework lookup. Tags stored
        # before validation existed carry only id and level.
        "competencies": sorted({str(c["id"]) for c in tags if c.get("id")}),
        "competency_areas": sorted({str(c["area"]) for c in tags if c.get("area")}),
        "competency_themes": sorted({str(c["theme"]) for c in tags if c.get("theme")}),
        "competency_levels": sorted({str(c["level"]) for c in tags
                                     if c.get("level") is not None}),
        "program_items": program_items,
        "blended": blended,
        "rating_average": rating.get("average"),
        "rating_count": int(rating.get("count") or 0),
        "title_sort": title_sort_key(live.get("title")),
        "published_at": course.get("published_at") or "",
        "terms": set(title_terms) | set(keyword_terms) | set(description_terms),
        "title_terms": set(title_terms),
        "keyword_terms": set(keyword_terms),
        "description_terms": set(description_terms),
    }


#: Which :class:`CourseQuery` attributes are each facet field's own filter. A field's facet
#: counts ignore exactly these (disjunctive faceting); every other filter applies.
FACET_OWN_FILTERS: dict[str, tuple[str, ...]] = {
    "provider": ("providers",),
    "language": ("languages",),
    "category": ("categories",),
    "mode": ("modes",),
    "level": ("levels",),
    "duration": ("duration_bands", "min_minutes", "max_minutes"),
    "rating": ("min_rating",),
    "competency": ("competencies",),
    "competency_area": ("competency_areas",),
    "competency_theme": ("competency_themes",),
    "competency_level": ("competency_levels",),
    "program_items": ("program_items",),
    "blended": ("blended",),
}


def facet_order(field: str, counts: dict[str, int]) -> list[tuple[str, int]]:
    """Facet values as every adapter lists them: duration bands and rating buckets in their
    declared order, other fields by count descending, then value; zero counts left out."""
    fixed: dict[str, Any] | None = None
    if field == "duration":
        fixed = DURATION_BANDS
    elif field == "program_items":
        fixed = PROGRAM_ITEM_BANDS
    elif field == "rating":
        fixed = RATING_BUCKETS
    if fixed is not None:
        return [(value, counts[value]) for value in fixed if counts.get(value)]
    return sorted(((v, n) for v, n in counts.items() if n), key=lambda item: (-item[1], item[0]))


def facet_filters_except(query: CourseQuery, field: str) -> CourseQuery:
    """``query`` without ``field``'s own filters: the query whose matches ``field``'s facet
    counts (and without text or filters other than these, everything else is unchanged)."""
    from dataclasses import replace

    cleared: dict[str, Any] = {}
    for attr in FACET_OWN_FILTERS[field]:
        cleared[attr] = None if attr in ("min_minutes", "max_minutes", "min_rating") else ()
    return replace(query, **cleared)


def has_own_filter(query: CourseQuery, field: str) -> bool:
    """Whether ``query`` filters on ``field`` (so its facet needs a query of its own)."""
    return any(getattr(query, attr) not in (None, ()) for attr in FACET_OWN_FILTERS[field])
