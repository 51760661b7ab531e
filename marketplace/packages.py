"""Packaged content (cmi5, xAPI packages): where a package lives and what a revision stores of it.

This module is the interface between the package upload (:mod:`marketplace.package_upload`) and
the player (the cmi5 runtime builds on it): a course revision that has a package carries

``delivery``: ``{"type": "cmi5"|"xapi", "package": <prefix>}`` and ``package``::

    {"type", "key": <prefix>, "sha256", "size", "files", "uploaded_at", "uploaded_by",
     "structure": {"id", "title", "description", "blocks": [...], "children": [...],
                   "aus": [{"id", "title", "description", "url", "external", "launch_method",
                            "move_on", "mastery_score", "activity_type",
                            "launch_parameters", "entitlement_key"}]}}

Blob layout (content-addressed by the zip's SHA-256, so a stored file never changes and can be
cached for ever): ``packages/<org>/<course>/<sha256>/package.zip`` (the upload as it came),
``.../manifest.json`` (every file with size, content type and SHA-256) and
``.../files/<path inside the package>`` (one blob per file, served and presigned one by one).

Nothing here imports the catalogue service, so the service (which carries a package over when a
revision is edited) and the player may both import it.
"""

from __future__ import annotations

from typing import Any

from storage.ports import Document

PACKAGE_TYPES = ("cmi5", "xapi")


def package_prefix(org_id: str, course_id: str, sha256: str) -> str:
    """The blob prefix of one package upload."""
    return f"packages/{org_id}/{course_id}/{sha256}"


def zip_key(prefix: str) -> str:
    """The blob of the zip as uploaded."""
    return f"{prefix}/package.zip"


def manifest_key(prefix: str) -> str:
    """The blob listing the package's files (JSON)."""
    return f"{prefix}/manifest.json"


def file_key(prefix: str, path: str) -> str:
    """The blob of the file at ``path`` inside the package."""
    return f"{prefix}/files/{path}"


def package_of(course_or_revision: Document | None) -> Document | None:
    """The ``package`` field of a revision, or of a course's working revision; None without one."""
    if not course_or_revision:
        return None
    revision = course_or_revision.get("revision", course_or_revision)
    if not isinstance(revision, dict):
        return None
    package = revision.get("package")
    return package if isinstance(package, dict) else None


def structure_of(course_or_revision: Document | None) -> dict[str, Any] | None:
    """The stored course structure of a revision (or of a course's working revision), or None
    when it has no uploaded package. Pass ``course["live"]`` for what learners are served."""
    package = package_of(course_or_revision)
    structure = package.get("structure") if package else None
    return structure if isinstance(structure, dict) else None


def find_au(structure: dict[str, Any] | None, au_id: str) -> dict[str, Any] | None:
    """The AU of ``structure`` whose id (IRI) is ``au_id``, or None."""
    for au in (structure or {}).get("aus", ()):
        if au.get("id") == au_id:
            return au  # type: ignore[no-any-return]
    return None


def carried_over(current: Document | None, content: Document) -> Document:
    """``content`` (a new revision written by PUT /courses/{id}) with the current revision's
    ``package`` kept when its delivery still names that package: the package is set only by an
    upload, never by a client's JSON, and dropped when the delivery moves elsewhere."""
    content = {k: v for k, v in content.items() if k != "package"}
    package = package_of(current)
    delivery = content.get("delivery") or {}
    if (package and delivery.get("type") == package.get("type")
            and delivery.get("package") == package.get("key")):
        content["package"] = package
    return content
