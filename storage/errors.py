"""The storage errors every adapter raises instead of its driver's exceptions.

Adapters translate ``sqlite3``, ``pymongo`` and ``botocore`` errors at their boundary;
the app shell maps these to problem responses (duplicate/concurrent -> 409,
unavailable -> 503).
"""

from __future__ import annotations


class StorageError(Exception):
    """Base of every storage failure."""


class DuplicateKey(StorageError):
    """A unique key (id, name, key id, statement id) already exists."""


class ConcurrentUpdate(StorageError):
    """A compare-and-set write lost: the stored ``row_version`` is not the expected one."""


class LastAdminCredential(StorageError):
    """A guarded revocation refused: it would leave no active credential with the ``admin``
    role (checked and written as one atomic step by the adapter)."""


class StoreUnavailable(StorageError):
    """The backing server or file cannot be reached."""


class StoreClosed(StoreUnavailable):
    """The store was closed by its owner: nothing will reach it again, so a background worker
    of that store stops instead of retrying."""


class BlobNotFound(StorageError):
    """No blob under that key."""


class InvalidBlobKey(StorageError, ValueError):
    """A blob key that is not a safe relative path (leading ``/``, ``..``, empty segment...).

    A ``ValueError`` too, so that callers may treat it as bad input (400) without importing
    storage; the app shell maps it to a validation error naming ``key``."""


class UnknownScheme(StorageError, ValueError):
    """A store or blob URL whose scheme no adapter handles (raised at start-up)."""
