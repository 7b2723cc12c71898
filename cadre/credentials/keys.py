"""Issuer keys: Ed25519 key pairs, their public JSON Web Keys, and the private keys kept encrypted.

A private key is stored as `v1.<nonce>.<ciphertext>` (base64url parts): AES-256-GCM under a key
derived from SECRET_KEY with HKDF-SHA256, with the key's own id as associated data, so a stored
private key cannot be read without SECRET_KEY nor moved to another key's row. Keys derived from
SECRET_KEY_FALLBACKS are tried when SECRET_KEY has been rotated, as Django does for signing."""

import base64
import hashlib
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

FORMAT = "v1"
_INFO = b"cadre.credentials.issuer-key.v1"


class KeyUnreadable(Exception):
    """A stored private key cannot be decrypted with SECRET_KEY or its fallbacks."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _wrapping_key(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode("utf-8"))


def _secrets() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def public_jwk(public_key: Ed25519PublicKey) -> dict:
    raw = public_key.public_bytes(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}


def thumbprint(jwk: dict) -> str:
    """The JWK's RFC 7638 thumbprint (SHA-256 of its required members, in order, without spaces)."""
    members = json.dumps({"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]}, separators=(",", ":"))
    return b64url(hashlib.sha256(members.encode("utf-8")).digest())


def public_key_from_jwk(jwk: dict) -> Ed25519PublicKey:
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or "d" in jwk:
        raise ValueError("Not an Ed25519 public key.")
    return Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))


def encrypt_private_key(private_key: Ed25519PrivateKey, *, kid: str) -> str:
    raw = private_key.private_bytes(
        encoding=serialization.Encoding.Raw,
        format=serialization.PrivateFormat.Raw,
        encryption_algorithm=serialization.NoEncryption(),
    )
    nonce = os.urandom(12)
    sealed = AESGCM(_wrapping_key(settings.SECRET_KEY)).encrypt(nonce, raw, kid.encode("utf-8"))
    return ".".join([FORMAT, b64url(nonce), b64url(sealed)])


def decrypt_private_key(stored: str, *, kid: str) -> Ed25519PrivateKey:
    try:
        version, nonce, sealed = stored.split(".")
    except ValueError as error:
        raise KeyUnreadable("The stored private key is not in a known format.") from error
    if version != FORMAT:
        raise KeyUnreadable("The stored private key is not in a known format.")
    for secret in _secrets():
        try:
            raw = AESGCM(_wrapping_key(secret)).decrypt(b64url_decode(nonce), b64url_decode(sealed), kid.encode())
        except InvalidTag:
            continue
        return Ed25519PrivateKey.from_private_bytes(raw)
    raise KeyUnreadable("The private key cannot be decrypted: SECRET_KEY has changed and the old one is not listed.")


def new_key_pair() -> tuple[Ed25519PrivateKey, dict, str]:
    """A fresh private key, its public JWK and its key id (the thumbprint)."""
    private_key = Ed25519PrivateKey.generate()
    jwk = public_jwk(private_key.public_key())
    return private_key, jwk, thumbprint(jwk)
