"""hub.sealing: values sealed at rest open only with the same secret and purpose, and the
forwarding passwords sealed before SecretBox existed still open."""

from __future__ import annotations

import base64

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hub.sealing import SealedUnreadable, SecretBox
from xapi.forwarding_secrets import KEY_PURPOSE, PasswordBox, PasswordUnreadable

SECRET = b"s" * 32


def test_seal_and_open_bytes_and_text() -> None:
    box = SecretBox(SECRET, b"test purpose v1")
    token = box.seal(b"\x00\xffprivate key")
    assert token.isascii() and b"private key" not in token.encode()
    assert box.open(token) == b"\x00\xffprivate key"
    assert box.open(box.seal("पासवर्ड")) == "पासवर्ड".encode()
    assert box.seal("same") != box.seal("same")  # a fresh IV each time


@pytest.mark.parametrize("other", [
    SecretBox(SECRET, b"another purpose v1"),
    SecretBox(b"t" * 32, b"test purpose v1"),
], ids=["other-purpose", "other-secret"])
def test_a_box_of_another_purpose_or_secret_cannot_open(other: SecretBox) -> None:
    token = SecretBox(SECRET, b"test purpose v1").seal("secret")
    with pytest.raises(SealedUnreadable):
        other.open(token)


@pytest.mark.parametrize("token", ["", "not-a-token", "gAAAAA" + "A" * 80, "é", None])
def test_malformed_tokens_are_unreadable_not_crashes(token: object) -> None:
    with pytest.raises(SealedUnreadable):
        SecretBox(SECRET, b"p").open(token)  # type: ignore[arg-type]


def test_a_shared_secret_is_re_read_once_when_a_token_does_not_open() -> None:
    """Another process may have created the blob-store key first: re-read it, then retry."""
    calls: list[bool] = []
    secrets = {"current": b"a" * 32}

    def source(refresh: bool = False) -> bytes:
        calls.append(refresh)
        return secrets["current"]

    token = SecretBox(b"b" * 32, b"p").seal("x")
    box = SecretBox(source, b"p")
    with pytest.raises(SealedUnreadable):
        box.open(token)
    assert calls == [False, True]
    secrets["current"] = b"b" * 32
    assert box.open(token) == b"x"


def test_forwarding_passwords_sealed_before_secret_box_still_open() -> None:
    """The token the old PasswordBox wrote (Fernet, HKDF-SHA256 with the forwarding purpose)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_PURPOSE)
    old_token = Fernet(base64.urlsafe_b64encode(hkdf.derive(SECRET))).encrypt(b"hunter2").decode()
    box = PasswordBox(SECRET)
    assert box.open(old_token) == "hunter2"
    assert box.open(box.seal("hunter2")) == "hunter2"
    with pytest.raises(PasswordUnreadable):
        PasswordBox(b"z" * 32).open(old_token)
    with pytest.raises(SealedUnreadable):  # the LTI keys' boxes cannot read passwords
        SecretBox(SECRET, b"karmayogi-hub lti signing key v1").open(old_token)
