"""The one error the validator raises, and the helpers that build its property paths.

Paths are dotted, array indexes included (``context.contextActivities.parent.0.id``), and a batch
prefixes the statement's index (``3.actor.mbox``), so the problem+json body names exactly the
property that broke a rule (Data 2.2.s4: the LRS rejects the whole Statement with 400).

While validating, a path is a linked tuple ``(parent_path, key)`` built with a tuple literal, and
only rendered to its dotted string when a rule fails: formatting a string for every property of
every valid statement would cost more than the checks themselves.
"""

from __future__ import annotations

from typing import Any, NoReturn

from hub.errors import ValidationError


class StatementInvalid(ValidationError):
    """A Statement (or a parameter of the same type) breaks a rule of the xAPI Data part (400).

    ``errors`` maps the dotted path of the failing property to its message, e.g.
    ``{"actor.mbox": ["must be a mailto: IRI"]}``; ``detail`` repeats the path and message."""

    type = "xapi-statement-invalid"
    title = "Invalid xAPI statement"

    def __init__(self, field: str, message: str) -> None:
        field = field or "statement"
        super().__init__(f"{field}: {message}", errors={field: [message]})
        self.field = field
        self.message = message


Path = Any  # str (the root) or a tuple (parent Path, key)


def render(path: Path) -> str:
    """The dotted string of a path: ``(("", "actor"), "mbox")`` is ``actor.mbox``."""
    parts: list[str] = []
    while type(path) is tuple:
        path, key = path
        parts.append(str(key))
    if path:
        parts.append(path)
    return ".".join(reversed(parts))


def fail(path: Path, message: str) -> NoReturn:
    """Raise :class:`StatementInvalid` for the property at ``path``."""
    raise StatementInvalid(render(path), message)


def reject_unknown(obj: dict, allowed: frozenset[str], path: Path) -> None:
    """Reject a property the spec does not define for this object (Data 2.2.s4.b1.b7; keys are
    case-sensitive, Data 2.2.s4.b1.b5, so ``Actor`` is unknown, not ``actor``)."""
    if allowed.issuperset(obj):  # the common case, one C-level pass over the keys
        return
    for key in obj:
        if key not in allowed:
            fail((path, key), "is not a property of this object")


def required(obj: dict, key: str, path: Path) -> tuple[Any, Path]:
    """``obj[key]`` and its path, for the check that follows; fails "is required" when absent:
    ``check_iri(*required(value, "id", path))``."""
    if key not in obj:
        fail((path, key), "is required")
    return obj[key], (path, key)
