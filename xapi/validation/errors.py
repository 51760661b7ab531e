"""The one error the validator raises, and the helpers that build its property paths.

Paths are dotted, array indexes included (``context.contextActivities.parent.0.id``), and a batch
prefixes the statement's index (``3.actor.mbox``), so the problem+json body names exactly the
property that broke a rule (Data 2.2.s4: the LRS rejects the whole Statement with 400).
"""

from __future__ import annotations

from typing import NoReturn

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


def fail(path: str, message: str) -> NoReturn:
    """Raise :class:`StatementInvalid` for the property at ``path``."""
    raise StatementInvalid(path, message)


def join(path: str, key: str | int) -> str:
    """The dotted path of ``key`` inside the object at ``path``."""
    return f"{path}.{key}" if path else str(key)


def reject_unknown(obj: dict, allowed: frozenset[str], path: str) -> None:
    """Reject a property the spec does not define for this object (Data 2.2.s4.b1.b7; keys are
    case-sensitive, Data 2.2.s4.b1.b5, so ``Actor`` is unknown, not ``actor``)."""
    for key in obj:
        if key not in allowed:
            fail(join(path, key), "is not a property of this object")
