"""Attachment bodies stored before they were kept per organisation (``hub xapi
adopt-attachments``).

Bodies used to live under one global key per SHA-2 (:func:`xapi.attachments.legacy_blob_key`),
so any organisation naming a SHA-2 could be served another's bytes. Now each organisation has
its own (:func:`xapi.attachments.blob_key`) and the old keys are never read. This step gives the
old bodies to the organisations that provably sent them: the organisation of the earliest
statement naming the SHA-2 (its batch uploaded the body, the key being new then), and every
organisation with a statement whose attachment has no ``fileUrl`` (such a statement cannot be
stored without its body, Communication 1.5.2). An organisation that only named the SHA-2 with a
``fileUrl`` gets nothing: that is the leak being closed. The blob store cannot list keys, so the
step reads every statement once, oldest first; it is idempotent and leaves the old keys in place
(delete them once satisfied).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext
from tqdm import tqdm

from hub.context import get_blobs, get_store
from storage import json_text
from storage.ports import Store
from xapi.attachments import blob_key, legacy_blob_key

_PAGE = 1000


def adopt_legacy_blobs(store: Store, blobs: Any,
                       progress: Callable[[int], object] = lambda _: None) -> int:
    """Copy each old body to the organisations that sent it (see the module); returns how
    many copies were made. ``progress`` is told how many statements each page read."""
    claimed: set[str] = set()  # SHA-2s whose earliest statement was seen
    copies = 0
    cursor: str | None = None
    while True:
        page = store.statements.scan(cursor, _PAGE)
        for body, org in zip(page.bodies, page.orgs, strict=True):
            # the stored text as the LRS reads it back (numbers orjson refuses included)
            for att in json_text.loads(body, None).get("attachments") or ():
                sha2 = str(att.get("sha2", "")).lower() if isinstance(att, dict) else ""
                if not sha2:
                    continue
                first = sha2 not in claimed
                claimed.add(sha2)
                if first or "fileUrl" not in att:
                    copies += _copy(blobs, sha2, org)
        progress(len(page.bodies))
        cursor = page.cursor
        if cursor is None:
            return copies


def _copy(blobs: Any, sha2: str, org: str | None) -> int:
    old, new = legacy_blob_key(sha2), blob_key(org, sha2)
    if blobs.exists(new) or not blobs.exists(old):
        return 0
    blobs.put(new, blobs.get(old), content_type=blobs.content_type(old))
    return 1


@click.command("adopt-attachments")
@with_appcontext
def adopt_attachments_command() -> None:
    """Give attachment bodies stored before per-organisation storage to the organisations
    that sent them (run once after upgrading)."""
    store = get_store()
    with tqdm(total=store.statements.count(), unit="statements", desc="adopt-attachments",
              disable=None) as bar:  # None: no bar when stderr is not a terminal
        copies = adopt_legacy_blobs(store, get_blobs(), bar.update)
    click.echo(f"copied={copies}")


def init_app(app: Flask) -> None:
    """Add ``hub xapi adopt-attachments`` to the ``xapi`` command group."""
    group = app.cli.commands.get("xapi")
    if group is None:
        group = click.Group("xapi", help="The xAPI LRS.")
        app.cli.add_command(group)
    if isinstance(group, click.Group):
        group.add_command(adopt_attachments_command)
