"""Documents kept whole as JSON text in a column (orjson), as every SQLite repository keeps them."""

from __future__ import annotations

from typing import Any

import orjson


def dumps(doc: Any) -> str:
    """JSON text of a document."""
    return orjson.dumps(doc).decode()


def loads(text: str | bytes) -> Any:
    """A document from its JSON text."""
    return orjson.loads(text)
