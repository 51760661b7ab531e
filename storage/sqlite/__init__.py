"""The embedded SQLite adapter of every storage port (the default backend)."""

from storage.sqlite.store import REPOSITORY_MODULES, SqliteStore, open_store

__all__ = ["REPOSITORY_MODULES", "SqliteStore", "open_store"]
