"""pymongo's exceptions translated into :mod:`storage.errors` at the adapter's boundary.

Callers of a repository see only storage errors, whatever the backend.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from pymongo import errors as mongo_errors

from storage.errors import DuplicateKey, StorageError, StoreUnavailable

F = TypeVar("F", bound=Callable[..., Any])

#: The server's error code for a unique index violation.
DUPLICATE_KEY_CODE = 11000


def _is_duplicate(exc: mongo_errors.BulkWriteError) -> bool:
    details = exc.details or {}
    return any(e.get("code") == DUPLICATE_KEY_CODE for e in details.get("writeErrors", ()))


def translate(exc: mongo_errors.PyMongoError) -> StorageError:
    """The storage error for a driver error."""
    if isinstance(exc, mongo_errors.DuplicateKeyError):
        return DuplicateKey(str(exc))
    if isinstance(exc, mongo_errors.BulkWriteError) and _is_duplicate(exc):
        return DuplicateKey(str(exc))
    # ServerSelectionTimeoutError, AutoReconnect and NetworkTimeout are all ConnectionFailure.
    if isinstance(exc, mongo_errors.ConnectionFailure | mongo_errors.ExecutionTimeout):
        return StoreUnavailable(str(exc))
    return StorageError(str(exc))


@contextmanager
def translated() -> Iterator[None]:
    """Re-raise any driver error inside the block as its storage error."""
    try:
        yield
    except mongo_errors.PyMongoError as exc:
        raise translate(exc) from exc


def translate_errors(func: F) -> F:
    """Decorator form of :func:`translated` for repository methods."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with translated():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
