"""The marketplace's repositories on MongoDB: organisations, credentials, courses, reviews.

A module of :data:`storage.mongodb.REPOSITORY_MODULES`: ``ensure_indexes(db)`` runs at start-up,
``attach(store)`` sets the repositories on the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pymongo.database import Database

from storage.mongodb import courses, organisations, reviews

if TYPE_CHECKING:
    from storage.mongodb import MongoStore


def ensure_indexes(db: Database[Any]) -> None:
    """Create every index of the marketplace collections (idempotent)."""
    organisations.ensure_indexes(db)
    courses.ensure_indexes(db)
    reviews.ensure_indexes(db)


def attach(store: MongoStore) -> None:
    """Set ``organisations``, ``credentials``, ``courses`` and ``reviews`` on ``store``."""
    store.organisations = organisations.MongoOrganisationRepository(store.db)
    store.credentials = organisations.MongoCredentialRepository(store.db)
    store.courses = courses.MongoCourseRepository(store.db)
    store.reviews = reviews.MongoReviewRepository(store.db, store.courses)
