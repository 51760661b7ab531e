"""Attachments (Data 2.4.11, Communication 1.5.2) and signed statements (Data 2.6).

A request with attachment bodies is ``multipart/mixed``: the first part is the statement(s) as
``application/json``, each further part one attachment body with ``X-Experience-API-Hash`` (its
SHA-2) and ``Content-Transfer-Encoding: binary``. Bodies are stored in the blob store under
their organisation and SHA-2 (content-addressed within an organisation, so the same file sent
twice is stored once); statements keep only the attachment metadata. The organisation is part of
the key because each organisation's LRS is its own store: knowing a SHA-2 (and naming it with a
``fileUrl``) must not give another organisation's bytes.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import quote

import orjson

from hub.errors import ValidationError
from hub.json_body import load_body
from storage.json_text import loads
from xapi.index_keys import fingerprint

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
#: Data 2.6: the JWS must use one of these.
SIGNATURE_ALGORITHMS = ("RS256", "RS384", "RS512")
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)
_HASHES = {64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512, 56: hashlib.sha224}


def blob_key(org_id: str | None, sha2: str) -> str:
    """Where organisation ``org_id``'s attachment body lives in the blob store (one quoted
    segment for the organisation, so no id can reach another's folder)."""
    return f"xapi/orgs/{quote(org_id or '-', safe='')}/attachments/{sha2.lower()}"


def legacy_blob_key(sha2: str) -> str:
    """Where attachment bodies lived before they were kept per organisation (see
    :mod:`xapi.attachment_upgrade`)."""
    return f"xapi/attachments/{sha2.lower()}"


def _fail(message: str, field: str = "attachments") -> ValidationError:
    return ValidationError.for_field(field, message)


def _chunks(body: bytes, boundary: bytes) -> list[bytes]:
    """The parts of a multipart body, each from just after its boundary line's ``--boundary``.

    RFC 2046 §5.1.1: the delimiter is CRLF "--" boundary (the CRLF belongs to it, not to the
    part before), the first one may open the body; the last is followed by "--". The
    boundary string alone inside a part is content, not a split point."""
    dash = b"--" + boundary
    delimiter = b"\r\n" + dash
    if body.startswith(dash):
        rest = body[len(dash):]
    else:  # a preamble, ignored (RFC 2046 §5.1.1)
        start = body.find(delimiter)
        if start < 0:
            raise _fail("the body does not follow its multipart boundary", "Content-Type")
        rest = body[start + len(delimiter):]
    chunks = rest.split(delimiter)
    if len(chunks) < 2 or not chunks[-1].startswith(b"--"):
        raise _fail("the body does not follow its multipart boundary", "Content-Type")
    return chunks[:-1]


def _split_part(chunk: bytes) -> tuple[dict[str, str], bytes]:
    """(headers, content) of one part: the rest of the boundary line (transport padding, then
    CRLF), header lines, an empty line, the content."""
    padding, sep, rest = chunk.partition(b"\r\n")
    if not sep or padding.strip(b" \t"):
        raise _fail("a multipart boundary line must end with CRLF", "Content-Type")
    if rest.startswith(b"\r\n"):  # no header lines at all
        return {}, rest[2:]
    head, sep, content = rest.partition(b"\r\n\r\n")
    if not sep:
        raise _fail("a multipart part has no header block")
    headers: dict[str, str] = {}
    for line in head.decode("latin-1").split("\r\n"):
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    return headers, content


def parse_multipart(body: bytes, content_type: str) -> tuple[Any, dict[str, bytes]]:
    """Split a ``multipart/mixed`` request into its JSON and its attachment parts by SHA-2
    (Communication 1.5.2); 400 on every malformation the spec lists."""
    match = _BOUNDARY.search(content_type)
    if not match:
        raise _fail("multipart/mixed needs a boundary", "Content-Type")
    parts = [_split_part(chunk) for chunk in _chunks(body, match.group(1).encode("latin-1"))]
    first_headers, first_body = parts[0]
    if first_headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise _fail("the first part must be application/json", "Content-Type")
    statements = load_body(first_body, "content")
    bodies: dict[str, bytes] = {}
    for headers, content in parts[1:]:
        sha2 = headers.get("x-experience-api-hash")
        if not sha2:
            raise _fail("every attachment part needs an X-Experience-API-Hash header")
        if headers.get("content-transfer-encoding", "").lower() != "binary":
            raise _fail("every attachment part needs Content-Transfer-Encoding: binary")
        digest = _HASHES.get(len(sha2))
        if digest is None or digest(content).hexdigest() != sha2.lower():
            raise _fail(f"the part {sha2} does not hash to its X-Experience-API-Hash")
        bodies[sha2.lower()] = content
    return statements, bodies


def _attachments(statements: Iterable[Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for stmt in statements:
        if isinstance(stmt, dict):
            for att in stmt.get("attachments") or ():
                if isinstance(att, dict):
                    yield stmt, att


def check_parts(statements: list[Any], parts: dict[str, bytes]) -> None:
    """Every attachment without ``fileUrl`` has its body, every body belongs to an attachment
    (Communication 1.5.2), and every signature verifies (Data 2.6)."""
    wanted: set[str] = set()
    for stmt, att in _attachments(statements):
        sha2 = str(att.get("sha2", "")).lower()
        is_signature = att.get("usageType") == SIGNATURE_USAGE
        if is_signature:
            if att.get("contentType") != "application/octet-stream":
                raise _fail("a signature attachment must be application/octet-stream",
                            "attachments.contentType")
            if sha2 not in parts:
                raise _fail("a signed statement needs its JWS as an attachment part")
            verify_signature(stmt, parts[sha2])
        if sha2 in parts:
            wanted.add(sha2)
        elif "fileUrl" not in att:
            raise _fail(f"no multipart part for the attachment {sha2}")
    extra = set(parts) - wanted
    if extra:
        raise _fail(f"parts that are not attachments of any statement: {sorted(extra)}")


def _b64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def verify_signature(stmt: dict[str, Any], token: bytes) -> None:
    """Data 2.6: the JWS is well formed, uses RS256/384/512, its payload is the statement
    without the signature, and when it carries an X.509 chain (``x5c``) it verifies with the
    first certificate's key."""
    try:
        text = token.decode("ascii").strip()
        head_b64, payload_b64, sig_b64 = text.split(".")
        # the payload is the client's JSON too: the same parser and depth limit as a body
        header = loads(_b64(head_b64))
        payload = loads(_b64(payload_b64))
        _b64(sig_b64)
    except (ValueError, UnicodeDecodeError, orjson.JSONDecodeError):
        raise _fail("the signature is not a JWS with a JSON payload") from None
    if not isinstance(header, dict) or header.get("alg") not in SIGNATURE_ALGORITHMS:
        raise _fail("the JWS must use RS256, RS384 or RS512")
    if not isinstance(payload, dict):
        raise _fail("the JWS payload must be a statement")
    unsigned = dict(stmt)
    remaining = [a for a in stmt.get("attachments") or ()
                 if not (isinstance(a, dict) and a.get("usageType") == SIGNATURE_USAGE)]
    unsigned.pop("attachments", None)
    if remaining:
        unsigned["attachments"] = remaining
    payload_cmp = {k: v for k, v in payload.items() if k != "attachments" or v}
    if "id" in payload_cmp and "id" in unsigned and payload_cmp["id"] != unsigned["id"]:
        raise _fail("the JWS payload is not this statement")
    if fingerprint(payload_cmp) != fingerprint(unsigned):
        raise _fail("the JWS payload is not this statement")
    if header.get("x5c"):
        _verify_x5c(text, header)


def _verify_x5c(text: str, header: dict[str, Any]) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from joserfc import jws
    from joserfc.errors import JoseError
    from joserfc.jwk import RSAKey

    try:
        cert = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))
        pem = cert.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
        registry = jws.JWSRegistry(algorithms=list(SIGNATURE_ALGORITHMS))
        # An x5c chain makes the header far larger than joserfc's 512-byte default.
        registry.max_header_length = 64 * 1024
        registry.max_payload_length = 16 * 1024 * 1024
        jws.deserialize_compact(text, RSAKey.import_key(pem), registry=registry)
    except (ValueError, TypeError, KeyError, JoseError):
        raise _fail("the JWS does not verify with its x5c certificate") from None


def save_parts(blobs: Any, org_id: str, parts: dict[str, bytes]) -> None:
    """Store organisation ``org_id``'s attachment bodies by SHA-2 (before the statements: an
    orphan body is harmless, a statement without its body is not)."""
    for sha2, content in parts.items():
        key = blob_key(org_id, sha2)
        if not blobs.exists(key):
            blobs.put(key, content)


def _header_safe(content_type: Any) -> str:
    """A contentType fit for a part header: validation refuses control characters, but a
    statement stored before it did must not inject headers (CR/LF) into a response or a
    forwarded batch (RFC 9110 §5.5), so anything unfit is sent as octet-stream."""
    if (not isinstance(content_type, str) or not content_type.isascii()
            or any((ord(c) < 0x20 and c != "\t") or c == "\x7f" for c in content_type)):
        return "application/octet-stream"
    return content_type


def multipart_response(result: Any, statements: list[dict[str, Any]], blobs: Any,
                       orgs: Sequence[str | None]) -> tuple[bytes, str]:
    """A ``multipart/mixed`` body: the JSON result, then each attachment body once
    (Communication 2.1.3 ``attachments=true``). Returns (body, content type).

    ``orgs`` holds each statement's organisation: a body is read from that organisation's
    attachments only."""
    boundary = "xapi-" + uuid.uuid4().hex
    out = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
           orjson.dumps(result), b"\r\n"]
    seen: set[str] = set()
    owner = {id(stmt): org for stmt, org in zip(statements, orgs, strict=True)}
    for stmt, att in _attachments(statements):
        sha2 = str(att.get("sha2", "")).lower()
        key = blob_key(owner[id(stmt)], sha2)
        if not sha2 or sha2 in seen or not blobs.exists(key):
            continue
        seen.add(sha2)
        content_type = _header_safe(att.get("contentType"))
        out.append(
            f"--{boundary}\r\nContent-Type: {content_type}\r\n"
            f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n"
            .encode())
        out.append(blobs.get(key))
        out.append(b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/mixed; boundary={boundary}"
