"""JSON text as the hub reads it: orjson, one nesting limit, and numbers kept faithful.

Every JSON body of every route (Flask's ``request.get_json``, webargs, the xAPI resources) and
every stored statement read back goes through :func:`loads`, so the limits below hold in one
place. It lives beside the adapters because the stores read their stored JSON back with it,
and ``hub``/``xapi`` already depend on ``storage`` (never the other way round).

Numbers (RFC 8259 §6 leaves their range to the implementation): orjson keeps 64-bit integers and
finite doubles. It refuses ``1e400`` ("number is infinity") and turns integers past 64 bits into
doubles, losing digits. Those bodies take the standard library's parser instead, with such
numbers kept as :class:`orjson.Fragment` (their own text), which orjson writes back verbatim:
storing, fingerprinting and serving them is faithful, and the fast path stays orjson.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

#: The deepest nesting of arrays and objects accepted in a JSON body (the top-level value is
#: level 1). 64 because: MongoDB refuses BSON nested past 100 levels, and our documents sit a
#: few levels down inside their stored envelopes; orjson serialises at most 255 levels (the
#: statement fingerprint and every store write serialise); recursive validators and
#: marshmallow would otherwise recurse as deep as the client likes. Real payloads are far
#: shallower: the deepest statement of the ADL conformance suite nests about 10 levels (a
#: SubStatement's context activities' definitions' extensions), a batch adds one.
MAX_DEPTH = 64

#: 19 digits in a row may be an integer orjson cannot hold in 64 bits (it would become a
#: lossy double), or a long mantissa: either way the faithful parser decides. A regex scan is
#: far cheaper than parsing twice, and ordinary statements never match.
_LONG_DIGITS = re.compile(rb"[0-9]{19}")
_INT64 = range(-(2**63), 2**64)


class JSONTextError(ValueError):
    """The text is not JSON the hub accepts; ``str()`` says why, for the client."""


def _int(text: str) -> Any:
    # int() of a very long literal is refused by Python (sys.int_info.str_digits_check_threshold)
    # and orjson could not write a big one anyway: keep the text.
    if len(text) <= 20:
        value = int(text)
        if value in _INT64:
            return value
    return orjson.Fragment(text.encode())


def _float(text: str) -> Any:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        return orjson.Fragment(text.encode())
    return value


def _constant(name: str) -> Any:
    raise JSONTextError(f"{name} is not JSON")


def _faithful(data: bytes) -> Any:
    """The standard library's parse with out-of-range numbers kept as their text."""
    try:
        value = json.loads(data, parse_int=_int, parse_float=_float, parse_constant=_constant)
        orjson.dumps(value)  # what orjson cannot write (lone surrogates) is not accepted either
    except RecursionError:
        raise JSONTextError(f"nested deeper than {MAX_DEPTH} levels") from None
    except (ValueError, TypeError) as exc:  # JSONDecodeError, JSONEncodeError, UnicodeError
        raise JSONTextError(f"not valid JSON ({exc})") from None
    return value


def depth_exceeds(value: Any, limit: int) -> bool:
    """True when ``value`` nests arrays/objects deeper than ``limit`` levels (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if type(item) is dict else item
        for child in children:
            kind = type(child)
            if kind is dict or kind is list:
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def loads(data: bytes | bytearray | memoryview | str, max_depth: int | None = MAX_DEPTH) -> Any:
    """Parse JSON text; :class:`JSONTextError` when it is not JSON or nests deeper than
    ``max_depth`` (``None``: no limit, for text the hub wrote itself)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    elif not isinstance(data, bytes):
        data = bytes(data)
    if _LONG_DIGITS.search(data) is None:
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            message = str(exc)
            if "recursion" in message or "depth limit" in message:
                raise JSONTextError(f"nested deeper than {MAX_DEPTH} levels") from None
            if "infinity" not in message:
                raise JSONTextError(f"not valid JSON ({message})") from None
            value = _faithful(data)
    else:
        value = _faithful(data)
    # Counting brackets is a C-speed upper bound on the depth: only a body with more of them
    # than the limit (a batch, or a hostile one) is walked.
    if (max_depth is not None and data.count(b"[") + data.count(b"{") > max_depth
            and (type(value) is dict or type(value) is list) and depth_exceeds(value, max_depth)):
        raise JSONTextError(f"nested deeper than {max_depth} levels")
    return value
