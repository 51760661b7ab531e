"""The port of FRAC competency frameworks: the editable frameworks, their nodes with review
history, and the immutable published versions (DESIGN.md "FRAC").

The shapes (framework, node, node event, version) are in :class:`FracRepository`; every FRAC
module of the hub codes against them. Besides the protocol this module holds the few rules both
adapters share, so that neither repeats the other: how a batch is checked before it is
written (:func:`check_batch`), what "code order" means (:func:`code_order`) and how a code's
number is read (:func:`code_parts`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from storage.errors import DuplicateKey
from storage.ports.document import Document

#: A reference code: an upper-case prefix, a hyphen and a number (``COMSUBTHEME-12``), the
#: CASE 1.1 ``humanCodingScheme`` of a node.
CODE = re.compile(r"^([A-Z][A-Z0-9_]*)-([0-9]{1,9})$")

#: Fields of a framework that name it: an update never changes them.
FRAMEWORK_FIXED = ("id", "org_id")

#: Fields a version summary (``list_versions``) leaves out: the whole tree.
VERSION_BODY = ("nodes", "associations")


def code_parts(code: object) -> tuple[str, int] | None:
    """``("COMSUBTHEME", 12)`` for ``"COMSUBTHEME-12"``; None for anything else (no code, a
    foreign code an import kept verbatim)."""
    if not isinstance(code, str):
        return None
    match = CODE.match(code)
    return (match.group(1), int(match.group(2))) if match else None


def code_order(node: Document) -> tuple[int, str, int, str, str]:
    """The sort key of "code order": codes of one prefix by their number (``-2`` before
    ``-10``), prefixes alphabetically, foreign codes after them as text, nodes without a code
    last; the id breaks ties so that the order is total."""
    code = node.get("code")
    parts = code_parts(code)
    if parts is not None:
        return (0, parts[0], parts[1], "", node["id"])
    if isinstance(code, str):
        return (1, "", 0, code, node["id"])
    return (2, "", 0, "", node["id"])


def check_batch(nodes: Sequence[Document], events: Sequence[Document]) -> None:
    """Refuse a batch of :meth:`FracRepository.add_nodes` before anything is written:
    ``DuplicateKey`` when two nodes share an id or a (framework, code); ``ValueError`` when an
    event names no node of the batch (a node's history starts with the write that creates it).
    """
    ids: set[str] = set()
    codes: set[tuple[str, str]] = set()
    for node in nodes:
        if node["id"] in ids:
            raise DuplicateKey(f"node id {node['id']!r} appears twice in the batch")
        ids.add(node["id"])
        if node.get("code") is not None:
            key = (node["framework"], node["code"])
            if key in codes:
                raise DuplicateKey(f"code {node['code']!r} appears twice in the batch")
            codes.add(key)
    for event in events:
        if event.get("node") not in ids:
            raise ValueError(f"event names node {event.get('node')!r}, not one of the batch")


def highest_codes(nodes: Sequence[Document]) -> dict[tuple[str, str], int]:
    """``{(framework, prefix): highest number}`` over the nodes' codes, so that an adapter can
    keep :meth:`FracRepository.next_code_number` above every code stored (an imported
    framework arrives with its codes; the next node created must not reuse one)."""
    highest: dict[tuple[str, str], int] = {}
    for node in nodes:
        parts = code_parts(node.get("code"))
        if parts is not None:
            key = (node["framework"], parts[0])
            highest[key] = max(highest.get(key, 0), parts[1])
    return highest


@runtime_checkable
class FracRepository(Protocol):
    """``store.frac``: frameworks, nodes, node events, versions and code sequences.

    Framework: ``{"id", "org_id", "title": langmap, "description": langmap, "creator",
    "created_at", "updated_at", "extensions"}``. Node: ``{"id", "framework", "type", "code",
    "name", "description", "parent", "area", "levels", "keywords", "requirements",
    "resources", "status", "revision", "created_at", "updated_at", "extensions"}``. Event:
    ``{"node", "framework", "at", "by", "org_id", "action", "from", "to", "comment"}``.
    Version: ``{"framework", "number", "published_at", "published_by", "title",
    "description", "extensions", "nodes": [...], "associations": [...], "retired": [...]}``.
    """

    def add_framework(self, doc: Document) -> None:
        """Insert a framework; ``DuplicateKey`` when the id exists."""
        ...

    def get_framework(self, framework_id: str) -> Document | None:
        """One framework, or None."""
        ...

    def list_frameworks(self, org_id: str | None = None) -> list[Document]:
        """Frameworks of one organisation (all when None), oldest first."""
        ...

    def update_framework(self, framework_id: str, changes: Document) -> Document | None:
        """Set ``changes`` (never ``id`` or ``org_id``) in one write; the updated framework, or
        None when absent."""
        ...

    def add_nodes(self, nodes: list[Document], events: list[Document]) -> None:
        """Insert nodes and their events, all or nothing: ``DuplicateKey`` (and nothing
        stored) when an id or a (framework, code) is taken, in the store or twice in the
        batch; ``ValueError`` when an event names no node of the batch. Codes of the form
        ``PREFIX-n`` raise the framework's sequence of that prefix to at least ``n``."""
        ...

    def get_node(self, node_id: str) -> Document | None:
        """One node, or None."""
        ...

    def list_nodes(self, framework_id: str, *, types: tuple[str, ...] | None = None,
                   statuses: tuple[str, ...] | None = None) -> list[Document]:
        """The nodes of a framework, of the given types and statuses (any when None), in code
        order (:func:`code_order`)."""
        ...

    def replace_node(self, node: Document, *, expected_revision: int,
                     event: Document | None) -> bool:
        """Compare-and-set: replace the node when its stored ``revision`` equals
        ``expected_revision``; the stored document carries ``expected_revision + 1`` (set by
        the repository) and keeps its ``id`` and ``framework``; ``event`` is appended to the
        node's history in the same atomic write. False (nothing written) when the node is
        absent or its revision moved on; ``DuplicateKey`` when the new code is taken."""
        ...

    def list_node_events(self, node_id: str) -> list[Document]:
        """A node's history, oldest first."""
        ...

    def next_code_number(self, framework_id: str, prefix: str) -> int:
        """The next number of ``prefix`` in a framework (1, 2, ...): an atomic sequence, so
        that two concurrent callers never get the same number, kept above every code stored
        with that prefix."""
        ...

    def add_version(self, doc: Document) -> None:
        """Insert a published version; ``DuplicateKey`` when (framework, number) exists."""
        ...

    def get_version(self, framework_id: str, number: int | None = None) -> Document | None:
        """Version ``number`` of a framework (the latest when None), or None."""
        ...

    def list_versions(self, framework_id: str) -> list[Document]:
        """Summaries of a framework's versions (without ``nodes`` and ``associations``),
        oldest first."""
        ...

    def latest_version_numbers(self) -> dict[str, int]:
        """``{framework id: latest version number}`` for every framework with a version; read
        on every catalogue lookup, so it is an index-only query."""
        ...
