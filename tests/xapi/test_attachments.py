"""Attachments in multipart/mixed (Data 2.4.11, Communication 1.5.2) and signed statements
(Data 2.6), with real multipart bodies."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
import pytest
from joserfc import jws
from joserfc.jwk import RSAKey

from tests.xapi.conftest import LRS, statement
from xapi.attachments import SIGNATURE_USAGE, blob_key

BOUNDARY = "abcXYZ123"


def attachment_meta(content: bytes, **extra: Any) -> dict[str, Any]:
    meta = {"usageType": "http://example.org/usage/report", "display": {"en-US": "Report"},
            "contentType": "text/plain", "length": len(content),
            "sha2": hashlib.sha256(content).hexdigest()}
    meta.update(extra)
    return meta


def multipart(payload: Any, parts: list[tuple[bytes, dict[str, str]]],
              first_type: str = "application/json") -> bytes:
    out = [f"--{BOUNDARY}\r\nContent-Type: {first_type}\r\n\r\n".encode(),
           orjson.dumps(payload), b"\r\n"]
    for content, headers in parts:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        out += [f"--{BOUNDARY}\r\n{head}\r\n".encode(), content, b"\r\n"]
    out.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(out)


def part_headers(content: bytes, content_type: str = "text/plain") -> dict[str, str]:
    return {"Content-Type": content_type, "Content-Transfer-Encoding": "binary",
            "X-Experience-API-Hash": hashlib.sha256(content).hexdigest()}


def post_multipart(lrs: LRS, body: bytes) -> Any:
    return lrs.post(None, data=body,
                    content_type=f"multipart/mixed; boundary={BOUNDARY}")


def parse_response(resp: Any) -> tuple[Any, dict[str, bytes]]:
    from xapi.attachments import parse_multipart

    return parse_multipart(resp.get_data(), resp.headers["Content-Type"])


def test_attachment_round_trip(lrs: LRS, app: Any) -> None:
    content = "नमस्ते report\x00\x01".encode()
    stmt = statement(attachments=[attachment_meta(content)])
    resp = post_multipart(lrs, multipart(stmt, [(content, part_headers(content))]))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    # the body went to the blob store, not into the statement
    sha2 = hashlib.sha256(content).hexdigest()
    org = app.extensions["hub.store"].organisations.get_by_name("Platform")
    assert app.extensions["hub.blobs"].get(blob_key(org["id"], sha2)) == content
    plain = lrs.get(f"/xapi/statements?statementId={stmt['id']}")
    assert plain.mimetype == "application/json"
    got = lrs.get(f"/xapi/statements?statementId={stmt['id']}&attachments=true")
    assert got.mimetype == "multipart/mixed"
    body, parts = parse_response(got)
    assert body["id"] == stmt["id"]
    assert parts == {sha2: content}
    listed = lrs.get("/xapi/statements?attachments=true")
    result, parts = parse_response(listed)
    assert [s["id"] for s in result["statements"]] == [stmt["id"]]
    assert parts == {sha2: content}


def test_file_url_only_attachment_as_json(lrs: LRS) -> None:
    meta = attachment_meta(b"x", fileUrl="http://example.org/file.txt")
    assert lrs.post(statement(attachments=[meta])).status_code == 200


def test_attachment_without_body_in_json_is_400(lrs: LRS) -> None:
    assert lrs.post(statement(attachments=[attachment_meta(b"x")])).status_code == 400


@pytest.mark.parametrize("case", ["hash-mismatch", "no-hash", "no-encoding", "extra-part",
                                  "missing-part", "first-not-json", "no-boundary"])
def test_malformed_multipart_is_400(lrs: LRS, case: str) -> None:
    content = b"the report"
    stmt = statement(attachments=[attachment_meta(content)])
    headers = part_headers(content)
    parts = [(content, headers)]
    first = "application/json"
    if case == "hash-mismatch":
        headers["X-Experience-API-Hash"] = hashlib.sha256(b"other").hexdigest()
    elif case == "no-hash":
        del headers["X-Experience-API-Hash"]
    elif case == "no-encoding":
        del headers["Content-Transfer-Encoding"]
    elif case == "extra-part":
        parts.append((b"more", part_headers(b"more")))
    elif case == "missing-part":
        parts = []
    elif case == "first-not-json":
        first = "text/plain"
    body = multipart(stmt, parts, first_type=first)
    ctype = "multipart/mixed" if case == "no-boundary" else f"multipart/mixed; boundary={BOUNDARY}"
    resp = lrs.post(None, data=body, content_type=ctype)
    assert resp.status_code == 400
    assert lrs.get(f"/xapi/statements?statementId={stmt['id']}").status_code == 404


@pytest.fixture(scope="module")
def rsa_key() -> RSAKey:
    return RSAKey.generate_key(2048)


def signed_body(stmt: dict[str, Any], token: bytes, content_type: str = "application/octet-stream",
                ) -> bytes:
    signed = dict(stmt, attachments=[{
        "usageType": SIGNATURE_USAGE, "display": {"en-US": "signature"},
        "contentType": content_type, "length": len(token),
        "sha2": hashlib.sha256(token).hexdigest()}])
    return multipart(signed, [(token, part_headers(token, "application/octet-stream"))])


def test_signed_statement_rs256_accepted(lrs: LRS, rsa_key: RSAKey) -> None:
    stmt = statement()
    token = jws.serialize_compact({"alg": "RS256"}, orjson.dumps(stmt), rsa_key).encode()
    resp = post_multipart(lrs, signed_body(stmt, token))
    assert resp.status_code == 200, resp.get_data(as_text=True)


def test_signed_statement_other_payload_rejected(lrs: LRS, rsa_key: RSAKey) -> None:
    stmt = statement()
    other = dict(stmt, verb={"id": "http://adlnet.gov/expapi/verbs/completed"})
    token = jws.serialize_compact({"alg": "RS256"}, orjson.dumps(other), rsa_key).encode()
    assert post_multipart(lrs, signed_body(stmt, token)).status_code == 400


@pytest.mark.parametrize("signed,sent,ok", [
    ("PT1.2345S", "PT1.23S", True),   # beyond the hundredth: not compared (Data 4.6)
    ("PT1.23S", "PT1.2399S", True),
    ("PT1.230S", "PT1.23S", True),
    ("PT1.24S", "PT1.23S", False),    # a different hundredth is a different statement
])
def test_signature_compares_durations_to_the_hundredth(lrs: LRS, rsa_key: RSAKey, signed: str,
                                                       sent: str, ok: bool) -> None:
    stmt = dict(statement(), result={"duration": sent})
    payload = dict(stmt, result={"duration": signed})
    token = jws.serialize_compact({"alg": "RS256"}, orjson.dumps(payload), rsa_key).encode()
    resp = post_multipart(lrs, signed_body(stmt, token))
    assert resp.status_code == (200 if ok else 400), resp.get_data(as_text=True)


def test_signed_statement_hs256_rejected(lrs: LRS) -> None:
    from joserfc.jwk import OctKey

    stmt = statement()
    key = OctKey.import_key(b"k" * 32)
    token = jws.serialize_compact({"alg": "HS256"}, orjson.dumps(stmt), key).encode()
    assert post_multipart(lrs, signed_body(stmt, token)).status_code == 400


def test_signature_not_a_jws_or_wrong_type_rejected(lrs: LRS, rsa_key: RSAKey) -> None:
    stmt = statement()
    assert post_multipart(lrs, signed_body(stmt, b"not-a-jws")).status_code == 400
    token = jws.serialize_compact({"alg": "RS256"}, orjson.dumps(stmt), rsa_key).encode()
    body = signed_body(stmt, token, content_type="text/plain")
    assert post_multipart(lrs, body).status_code == 400


def _self_signed(key: RSAKey) -> str:
    """A base64 DER self-signed certificate for ``key`` (the JWS ``x5c`` header)."""
    import base64
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    private = serialization.load_pem_private_key(key.as_pem(private=True), password=None)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xapi signer")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(private.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(private, hashes.SHA256()))  # type: ignore[arg-type]
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def test_signature_verified_with_x5c_certificate(lrs: LRS, rsa_key: RSAKey) -> None:
    stmt = statement()
    header = {"alg": "RS384", "x5c": [_self_signed(rsa_key)]}
    token = jws.serialize_compact(header, orjson.dumps(stmt), rsa_key,
                                  algorithms=["RS384"]).encode()
    assert post_multipart(lrs, signed_body(stmt, token)).status_code == 200
    # the same payload signed by another key than the certificate's: rejected
    other = RSAKey.generate_key(2048)
    stmt2 = statement()
    forged = jws.serialize_compact(header, orjson.dumps(stmt2), other,
                                   algorithms=["RS384"]).encode()
    assert post_multipart(lrs, signed_body(stmt2, forged)).status_code == 400
