"""The public URL of a catalogue item, which is also its xAPI activity IRI (xAPI Data 2.4.4.1:
an activity id should resolve to something about the activity).

One place for every layer that names a catalogue item: search and the public pages
(``marketplace``), the LTI sides and the packages they launch (``lti``), the statements the hub
writes for attendance and program completion, and the plans that read learners' statements
back. Courses live under ``/catalogue/courses/<id>``; curated and blended programs, catalogue
items too, under ``/catalogue/programs/<id>``, told apart by their id's prefix.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

#: The id prefix of curated and blended programs (``marketplace.programs`` mints them).
PROGRAM_ID_PREFIX = "prg_"


def is_program_id(item_id: str) -> bool:
    """Whether a catalogue id names a program rather than a course."""
    return item_id.startswith(PROGRAM_ID_PREFIX)


def catalogue_item_url(public_url: str, item_id: str) -> str:
    """The public page of a catalogue item (``public_url``: ``HUB_PUBLIC_URL``, no trailing
    slash), and so its xAPI activity IRI."""
    page = "programs" if is_program_id(item_id) else "courses"
    return f"{public_url}/catalogue/{page}/{quote(item_id, safe='')}"


def catalogue_item_id(public_url: str, activity_id: str) -> str | None:
    """The catalogue id an activity IRI names (the inverse of :func:`catalogue_item_url`), or
    None when it is not a catalogue item's IRI on this hub: the page kind must match the id
    (a program's id under ``/programs/``, a course's under ``/courses/``)."""
    for page in ("courses", "programs"):
        prefix = f"{public_url}/catalogue/{page}/"
        if activity_id.startswith(prefix):
            item_id = unquote(activity_id[len(prefix):])
            if item_id and catalogue_item_url(
                    public_url, item_id) == activity_id:
                return item_id
            return None
    return None
