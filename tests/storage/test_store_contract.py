"""Contract of Store itself (every repository attached, ``write``, ``ping``), run over every
adapter."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from storage.ports import Store
from tests.storage.factories import org_doc


def test_implements_the_port(store: Any) -> None:
    """Every repository Store names is attached and implements its own port."""
    repositories = typing.get_type_hints(Store)
    assert set(repositories) >= {"organisations", "credentials", "courses", "reviews",
                                 "statements", "xapi_documents", "activities", "forwarding",
                                 "lti_contexts", "lti_tools"}
    for name, port in repositories.items():
        assert isinstance(getattr(store, name), port), name
    for method in ("write", "ping", "close"):
        assert callable(getattr(store, method))


def test_write_runs_fn_and_returns_its_result(store: Any) -> None:
    def add_two() -> list[str]:
        store.organisations.add(org_doc("org_1"))
        store.organisations.add(org_doc("org_2"))
        return ["org_1", "org_2"]

    assert store.write(add_two) == ["org_1", "org_2"]
    assert store.organisations.count() == 2
    store.ping()


def test_write_raises_the_error_of_fn(store: Any) -> None:
    def failing() -> None:
        raise LookupError("the caller's own error")

    with pytest.raises(LookupError, match="own error"):
        store.write(failing)
    assert store.write(lambda: 7) == 7  # the store is still usable
