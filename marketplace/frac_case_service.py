"""Finding what the CASE 1.1 service serves: published framework versions only.

Each function answers None when there is nothing to serve (the route answers CASE's
``imsx_StatusInfo`` 404, CASE 1.1 §5: ``unknownobject``, or ``invalid_uuid`` for an identifier
that is not a UUID). Working (unpublished) nodes are never served.
"""

from __future__ import annotations

from typing import Any

from marketplace.frac_case import UUID_SHAPE
from marketplace.frac_case_export import PackageWriter
from storage.ports import Store

Document = dict[str, Any]


def is_identifier(value: str) -> bool:
    """Whether ``value`` has the shape of a CASE identifier (a UUID)."""
    return UUID_SHAPE.fullmatch(value) is not None


def version_writer(store: Store, framework_id: str, number: int | None,
                   public_url: str) -> PackageWriter | None:
    """The writer of a published version (the latest when ``number`` is None)."""
    frac = store.frac  # type: ignore[attr-defined]
    framework = frac.get_framework(framework_id.lower())
    if framework is None:
        return None
    version = frac.get_version(framework["id"], number)
    if version is None:
        return None
    return PackageWriter(framework, version, public_url)


def latest_documents(store: Store, public_url: str, limit: int, offset: int) -> list[Document]:
    """The CFDocument of the latest version of every framework, by framework id."""
    latest = store.frac.latest_version_numbers()  # type: ignore[attr-defined]
    out = []
    for framework_id in sorted(latest)[offset:offset + limit]:
        writer = version_writer(store, framework_id, latest[framework_id], public_url)
        if writer is not None:
            out.append(writer.document(package_uri=True))
    return out


def published_item(store: Store, item_id: str, number: int | None,
                   public_url: str) -> Document | None:
    """The CFItem of a node in the latest version that has it (or in version ``number``)."""
    frac = store.frac  # type: ignore[attr-defined]
    node = frac.get_node(item_id.lower())
    if node is None:
        return None
    framework = frac.get_framework(node["framework"])
    if framework is None:
        return None
    numbers = ([number] if number is not None else
               sorted((v["number"] for v in frac.list_versions(framework["id"])), reverse=True))
    for candidate in numbers:
        version = frac.get_version(framework["id"], candidate)
        if version is not None and any(n["id"] == node["id"] for n in version["nodes"]):
            writer = PackageWriter(framework, version, public_url)
            return writer.item(writer.by_id[node["id"]], document_uri=True)
    return None
