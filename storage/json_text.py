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
#: lossy double), or a long mantissa: either way the faithful parser decides. Found by mapping
#: every digit to "1" and everything else to "0" and searching for the run, two C loops (a
#: regex scan costs as much as the parse itself); ordinary statements never match.
_DIGITS_AS_ONES = bytes(0x31 if 0x30 <= b <= 0x39 else 0x30 for b in range(256))
_LONG_RUN = b"1" * 19
_INT64 = range(-(2**63), 2**64)


def _serialiser_depth_limit() -> int:
    """The deepest nesting orjson writes (255 today), measured rather than assumed."""
    value: Any = 0
    for depth in range(1, 4096):
        value = [value]
        try:
            orjson.dumps(value)
        except orjson.JSONEncodeError:
            return depth - 1
    return 4096


_SERIALISER_LIMIT = _serialiser_depth_limit()


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


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when ``value`` nests arrays/objects deeper than ``limit`` (< 255) levels.

    Wrapped in enough arrays, the value is refused by orjson's own serialiser exactly when it
    nests deeper than ``limit``: an exact check at C speed (a Python walk of a 100-statement
    batch costs more than parsing it), and the parsed value knows nothing of string content."""
    if limit >= _SERIALISER_LIMIT:
        raise ValueError(f"depth limits from {_SERIALISER_LIMIT} up cannot be checked")
    for _ in range(_SERIALISER_LIMIT - limit):
        value = [value]
    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError as exc:
        return "ecursion" in str(exc)
    return False


def loads(data: bytes | bytearray | memoryview | str, max_depth: int | None = MAX_DEPTH) -> Any:
    """Parse JSON text; :class:`JSONTextError` when it is not JSON or nests deeper than
    ``max_depth`` (``None``: no limit, for text the hub wrote itself)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    elif not isinstance(data, bytes):
        data = bytes(data)
    if data.translate(_DIGITS_AS_ONES).find(_LONG_RUN) < 0:
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
            and too_deep(value, max_depth)):
        raise JSONTextError(f"nested deeper than {max_depth} levels")
    return value
