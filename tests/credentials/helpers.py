"""Shared by the credentials tests: issuing a credential with sensible defaults, and signing tokens
by hand (with the organisation's key or another) to make the ones Cadre would never issue."""

from datetime import datetime

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cadre.credentials import openbadges
from cadre.credentials.keys import decrypt_private_key
from cadre.credentials.models import Credential, IssuerKey
from cadre.credentials.services import credential_issue
from cadre.credentials.verification import key_url


def issue(organisation, **overrides) -> Credential:
    fields = {
        "organisation": organisation,
        "recipient_name": "Sam Smith",
        "recipient_email": "sam.smith@example.org",
        "achievement_name": "Leading through change",
        "achievement_description": "A six-month programme for new service managers.",
        "criteria": "Attended every session and completed the action learning set.",
        "source_label": "Leading through change, spring cohort",
        "actor": None,
    }
    fields.update(overrides)
    return credential_issue(**fields)


def claims_of(credential: Credential) -> dict:
    return jwt.decode(credential.jwt, options={"verify_signature": False})


def header_of(credential: Credential) -> dict:
    return jwt.get_unverified_header(credential.jwt)


def resign(claims: dict, key: IssuerKey, *, private_key=None, kid: str | None = None) -> str:
    """Sign claims with the organisation's own key (or another private key), under its kid."""
    private_key = private_key or decrypt_private_key(key.private_key_encrypted, kid=key.kid)
    return jwt.encode(claims, private_key, algorithm="EdDSA", headers={"kid": kid or key_url(key), "typ": "JWT"})


def stranger_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def document_for(credential: Credential) -> dict:
    return openbadges.credential_from_claims(claims_of(credential))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)
