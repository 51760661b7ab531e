"""The one rule for a cell of every CSV report the hub writes (plans' overdue items, blended
rosters and attendance sheets, flagged completions, talent search and coverage)."""

from __future__ import annotations


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: empty for None, and a leading ``=``, ``+``,
    ``-``, ``@``, tab or carriage return (which would start a formula: OWASP "CSV injection";
    learner ids and names come from clients) gets a ``'`` before it."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
