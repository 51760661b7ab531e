"""pylti1p3's tool configuration over ``store.lti_platforms``: the library looks registrations
and deployments up through a :class:`~pylti1p3.tool_config.ToolConfAbstract`; this one reads
the store instead of a JSON file, so registrations made through ``/lti/platforms`` or Dynamic
Registration work at once in every process.

Every issuer is treated as possibly having several client ids (LTI 1.3 §5.1.2: a registration
is ``(iss, client_id)``), which is the library's recommended mode for new configurations. The
key set URL is given to the library but never fetched by it: the hub verifies signatures itself
(:mod:`lti.tool_launch`), through the guarded outbound client and its key-set cache.
"""

from __future__ import annotations

from typing import Any

from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.request import Request
from pylti1p3.tool_config import ToolConfAbstract

from storage.ports import Document, Store


def as_registration(doc: Document) -> Registration:
    """The library's registration object for a stored registration."""
    return (Registration().set_issuer(doc["issuer"]).set_client_id(doc["client_id"])
            .set_auth_login_url(doc["auth_login_url"]).set_auth_token_url(doc["auth_token_url"])
            .set_key_set_url(doc["key_set_url"]))


class StoreToolConf(ToolConfAbstract[Request]):
    """Registrations and deployments from the store (see the module docstring).

    ``stored(iss, client_id)`` gives the hub's own document (with its id and organisation);
    the library's methods give its :class:`Registration`/:class:`Deployment` objects."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        # An instance attribute: the library's class attribute is a dict shared by every
        # ToolConf of the process.
        self.issuers_relation_types = {}
        # The registrations this request already read, by (iss, client_id): one instance
        # serves one request, so the library's later lookups (the deployment check) see the
        # document the hub's own checks used without reading the store again.
        self._read: dict[tuple[str, str], Document] = {}

    def remember(self, doc: Document) -> None:
        """Take ``doc`` (just read from the store) as the registration of its
        ``(issuer, client_id)`` for the rest of this request."""
        self._read[(doc["issuer"], doc["client_id"])] = doc

    def check_iss_has_one_client(self, iss: str) -> bool:
        """Never: look every registration up by ``(iss, client_id)``."""
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        """Always (see :meth:`check_iss_has_one_client`)."""
        return True

    def stored(self, iss: str, client_id: str | None) -> Document | None:
        """The registration of ``(iss, client_id)``; without a client id (optional at login,
        LTI 1.3 §5.1.1.1) the issuer's only registration, None when it has several."""
        if client_id:
            doc = self._read.get((iss, client_id))
            if doc is None:
                doc = self.store.lti_platforms.find(iss, client_id)
                if doc is not None:
                    self.remember(doc)
            return doc
        found = self.store.lti_platforms.for_issuer(iss)
        return found[0] if len(found) == 1 else None

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration:
        """The issuer's only registration (the library's one-client mode; unused here)."""
        doc = self.stored(iss, None)
        return as_registration(doc) if doc else None  # type: ignore[return-value]

    def find_registration_by_params(self, iss: str, client_id: str, *args: Any,
                                    **kwargs: Any) -> Registration:
        """The registration of ``(iss, client_id)``, or None (the library checks for None)."""
        doc = self.stored(iss, client_id)
        return as_registration(doc) if doc else None  # type: ignore[return-value]

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        """Unused: every lookup names the client id."""
        doc = self.stored(iss, None)
        return _deployment(doc, deployment_id)

    def find_deployment_by_params(self, iss: str, deployment_id: str, client_id: str,
                                  *args: Any, **kwargs: Any) -> Deployment | None:
        """The deployment when the registration lists it (LTI 1.3 §5.3.3), else None."""
        return _deployment(self.stored(iss, client_id), deployment_id)


def _deployment(doc: Document | None, deployment_id: str) -> Deployment | None:
    if doc is None or deployment_id not in doc.get("deployment_ids", ()):
        return None
    return Deployment().set_deployment_id(deployment_id)
