"""schema.org ``Course`` JSON-LD of a published course (https://schema.org/Course).

Served at ``/catalogue/courses/<id>.jsonld`` and for ``Accept: application/ld+json``. Titles and
descriptions keep every language as JSON-LD language-tagged values (JSON-LD 1.1 §4.2.4), with
the English (else first) text as the plain ``name`` search engines expect. Competency tags
are ``teaches`` terms and ``educationalAlignment`` objects whose ``targetUrl`` is the
competency's CASE 1.1 item.
"""

from __future__ import annotations

from typing import Any

JSONLD_MIMETYPE = "application/ld+json"

#: Our learning modes as schema.org ``courseMode`` values (CourseInstance).
_COURSE_MODE = {"self-paced": "online", "instructor-led": "blended", "classroom": "onsite"}
_RESOURCE_TYPE = {"course": "Course", "program": "Program",
                  "learning-resource": "LearningResource", "assessment": "Assessment"}


def preferred(language_map: dict[str, str] | None) -> str | None:
    """English text when present (any ``en-*`` too), else the first entry."""
    if not language_map:
        return None
    for tag, text in language_map.items():
        if tag.lower() == "en" or tag.lower().startswith("en-"):
            return text
    return next(iter(language_map.values()))


def tagged(language_map: dict[str, str] | None) -> list[dict[str, str]]:
    """Every entry as a JSON-LD language-tagged string."""
    return [{"@value": text, "@language": tag} for tag, text in (language_map or {}).items()]


def course_jsonld(item: dict[str, Any], alignments: list[dict[str, Any]] | None = None
                  ) -> dict[str, Any]:
    """The JSON-LD of a public course item (:func:`marketplace.search.public_course`), with
    the ``educationalAlignment`` of its FRAC competency tags
    (:func:`marketplace.frac_tags.alignments`)."""
    price = item.get("price") or {}
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": item["url"],
        "url": item["url"],
        "identifier": item["id"],
        "name": preferred(item.get("title")),
        "alternateName": tagged(item.get("title")),
        "description": preferred(item.get("description")),
        "inLanguage": item.get("languages") or [],
        "keywords": ", ".join(item.get("keywords") or []),
        "provider": {"@type": "Organization", "name": item["provider"]["name"],
                     "identifier": item["provider"]["id"]},
        "educationalLevel": item.get("level"),
        "learningResourceType": _RESOURCE_TYPE.get(item.get("category") or "", "Course"),
        "timeRequired": item.get("duration"),
        "license": item.get("licence"),
        "version": item.get("version"),
        "datePublished": item.get("published_at"),
        "isAccessibleForFree": str(price.get("amount", "0")).strip("0.") == "",
        "offers": {"@type": "Offer", "price": price.get("amount", "0"),
                   "priceCurrency": price.get("currency", "INR"),
                   "category": "Free" if str(price.get("amount", "0")).strip("0.") == ""
                   else "Paid"},
        "hasCourseInstance": {"@type": "CourseInstance",
                              "courseMode": _COURSE_MODE.get(item.get("mode") or "", "online"),
                              "courseWorkload": item.get("duration")},
        "teaches": [{"@type": "DefinedTerm", "termCode": c.get("code") or c["id"],
                     "name": c.get("name"),
                     "description": f"proficiency level {c['level']}"}
                    for c in item.get("competencies") or []],
        "educationalAlignment": alignments or [],
    }
    descriptions = tagged(item.get("description"))
    if len(descriptions) > 1:
        doc["disambiguatingDescription"] = descriptions
    if item.get("certificate_offered"):
        doc["educationalCredentialAwarded"] = "Certificate of completion"
    rating = item.get("rating") or {}
    if rating.get("count"):
        doc["aggregateRating"] = {"@type": "AggregateRating",
                                  "ratingValue": rating["average"],
                                  "ratingCount": rating["count"],
                                  "bestRating": 5, "worstRating": 1}
    return doc
