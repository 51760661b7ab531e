"""The public URL of a catalogue item, which is also its xAPI activity IRI (xAPI Data 2.4.4.1:
an activity id should resolve to something about the activity).

One place for every layer that names a catalogue item: search and the public pages
(``marketplace``), the LTI sides and the packages they launch (``lti``), the statements the hub
writes for attendance and program completion, and the plans that read learners' statements
back. Courses live under ``/catalogue/courses/<id>``; curated and blended programs, catalogue
items too, under ``/catalogue/programs/<id>``, told apart by their id's prefix.
"""

from __future__ import annotations

from urllib.parse import quote

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
