"""Signing credentials as VC-JWTs and checking them, with a specific reason when one fails.

The proof follows the Open Badges 3.0 "JSON Web Token Proof Format": a compact JWS whose JOSE
header has `alg` ("EdDSA", for the organisation's Ed25519 key), `kid` (the address of the public
key as a JWK) and `typ` ("JWT"), and whose payload is the credential with the claims `iss`, `jti`,
`nbf`, `sub` and, when it expires, `exp`. PyJWT (on `cryptography`) makes and checks the
signature; everything else is checked here, in the order of `REASONS`."""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlparse

import jwt
from django.urls import reverse
from django.utils import dateformat, timezone

from cadre.credentials import openbadges
from cadre.credentials.keys import public_key_from_jwk
from cadre.credentials.models import Credential, IssuerKey

ALGORITHM = "EdDSA"
MAX_TOKEN_LENGTH = 64 * 1024
_COMPACT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")

# Why a credential fails, in the order they are checked.
REASONS = {
    "format": "bad format",
    "unknown_key": "unknown key",
    "signature": "bad signature",
    "schema": "does not meet the Open Badges 3.0 schema",
    "claims": "claims do not match the credential",
    "issuer": "issuer does not own the key",
    "unrecorded": "not in the issuer's register",
    "revoked": "revoked",
    "not_yet_valid": "not yet valid",
    "expired": "expired",
}


def sign(claims: dict, *, private_key, kid_url: str) -> str:
    return jwt.encode(claims, private_key, algorithm=ALGORITHM, headers={"kid": kid_url, "typ": "JWT"})


def issuer_url(organisation) -> str:
    from django.conf import settings

    return settings.SITE_URL + reverse("credentials:issuer", args=[organisation.slug])


def key_url(key: IssuerKey) -> str:
    from django.conf import settings

    return settings.SITE_URL + reverse("credentials:key", args=[key.organisation.slug, key.kid])


@dataclass
class Verification:
    """The outcome of checking a token. `reason` is a key of REASONS when it is not valid."""

    valid: bool = False
    reason: str = ""
    message: str = ""
    header: dict = field(default_factory=dict)
    credential: dict | None = None
    key: IssuerKey | None = None
    record: Credential | None = None
    checked: list[str] = field(default_factory=list)

    @property
    def reason_text(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def issuer_name(self) -> str:
        if self.key is not None:
            return self.key.organisation.name
        issuer = (self.credential or {}).get("issuer")
        return str(issuer.get("name", "")) if isinstance(issuer, dict) else ""

    @property
    def recipient_name(self) -> str:
        return openbadges.recipient_name(self.credential) if self.credential else ""

    @property
    def achievement_name(self) -> str:
        subject = (self.credential or {}).get("credentialSubject")
        achievement = subject.get("achievement") if isinstance(subject, dict) else None
        return str(achievement.get("name", "")) if isinstance(achievement, dict) else ""

    def summary(self) -> str:
        """One line, as `cadre verify-badge` prints it."""
        if self.valid:
            return (
                f"valid issuer={self.issuer_name} recipient={self.recipient_name} achievement={self.achievement_name}"
            )
        return f"invalid: {self.reason_text}: {self.message}"


def _fail(result: Verification, reason: str, message: str) -> Verification:
    result.valid, result.reason, result.message = False, reason, message
    return result


def _kid_thumbprint(kid: str) -> str:
    try:
        path = urlparse(kid).path if "://" in kid else kid
    except ValueError:  # not an address at all (an unclosed "[", say): no key of ours
        return ""
    parts = [part for part in path.split("/") if part]
    return parts[-1] if parts else ""


def _moment(seconds) -> datetime | None:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _date(moment: datetime) -> str:
    return dateformat.format(timezone.localtime(moment), "j F Y \\a\\t H:i")


def verify(token: str, *, now: datetime | None = None) -> Verification:
    """Check a compact JWS against the keys and register here. Never raises on bad input."""
    result = Verification()
    now = now or timezone.now()
    token = (token or "").strip()

    # 1. The format: a compact JWS whose header names EdDSA and a key.
    if not token:
        return _fail(result, "format", "There is nothing to check.")
    if len(token) > MAX_TOKEN_LENGTH:
        return _fail(result, "format", "It is far longer than any credential Cadre issues.")
    if token.startswith("{"):
        return _fail(
            result,
            "format",
            "This is a credential's JSON, which carries no signature. Check the signed credential "
            "(the .jwt file) instead.",
        )
    if not _COMPACT.match(token):
        return _fail(result, "format", "A signed credential is three parts of letters and digits joined by dots.")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.exceptions.InvalidTokenError:  # unreadable, or a header PyJWT refuses (an unknown "crit")
        return _fail(result, "format", "Its first part (the header) cannot be read.")
    result.header = header
    if not header.get("alg"):
        return _fail(result, "format", "Its header does not say how it was signed (no alg).")
    if header.get("alg") != ALGORITHM:
        return _fail(
            result,
            "format",
            f"It is signed with {str(header.get('alg'))[:20]!r}; Cadre checks EdDSA (Ed25519) signatures only.",
        )
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        return _fail(result, "format", "Its header does not say which key signed it (no kid).")
    result.checked.append("format")

    # 2. The key: one of an organisation's keys here, current or retired.
    key = IssuerKey.objects.select_related("organisation").filter(kid=_kid_thumbprint(kid)[:64]).first()
    if key is None:
        return _fail(result, "unknown_key", f"It was signed with a key this service does not know ({kid[:200]}).")
    result.key = key
    result.checked.append("key")

    # 3. The signature.
    try:
        claims = jwt.decode(
            token,
            public_key_from_jwk(key.public_jwk),
            algorithms=[ALGORITHM],
            options={
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "verify_aud": False,
                "verify_iss": False,
                "verify_sub": False,
                "verify_jti": False,
            },
        )
    except jwt.exceptions.InvalidSignatureError:
        return _fail(
            result,
            "signature",
            f"The signature does not match: the credential has been changed since {key.organisation.name} signed "
            "it, or it was signed with another key.",
        )
    except (jwt.exceptions.DecodeError, json.JSONDecodeError, UnicodeDecodeError):
        return _fail(result, "format", "Its second part (the credential) cannot be read.")
    result.checked.append("signature")

    # 4. The credential meets the Open Badges 3.0 schema.
    credential = openbadges.credential_from_claims(claims)
    result.credential = credential
    problems = openbadges.schema_problems(credential)
    if problems:
        return _fail(result, "schema", "; ".join(problems))
    result.checked.append("schema")

    # 5. The JWT claims say what the credential says (OB 3.0, "Verify a Credential VC-JWT Signature").
    mismatch = _claims_mismatch(claims, credential)
    if mismatch:
        return _fail(result, "claims", mismatch)
    result.checked.append("claims")

    # 6. The issuer it names is the organisation whose key signed it.
    expected = reverse("credentials:issuer", args=[key.organisation.slug])
    if urlparse(str(claims.get("iss", ""))).path != expected:
        return _fail(
            result,
            "issuer",
            f"It names {str(claims.get('iss'))[:200]} as its issuer, but was signed with the key of "
            f"{key.organisation.name}.",
        )
    result.checked.append("issuer")

    # 7. In the register, and not withdrawn.
    record = _record(str(credential.get("id", "")), key)
    if record is None:
        return _fail(
            result, "unrecorded", f"It was signed with {key.organisation.name}'s key but is not in its register."
        )
    result.record = record
    if record.revoked_at is not None:
        because = f": {record.revocation_reason.rstrip('.')}" if record.revocation_reason else ""
        return _fail(result, "revoked", f"{key.organisation.name} withdrew it on {_date(record.revoked_at)}{because}.")
    result.checked.append("register")

    # 8. The dates.
    not_before = _moment(claims.get("nbf"))
    if not_before is not None and not_before > now:
        return _fail(result, "not_yet_valid", f"It is not valid until {_date(not_before)}.")
    expires = _moment(claims.get("exp"))
    if expires is not None and expires <= now:
        return _fail(result, "expired", f"It expired on {_date(expires)}.")
    result.checked.append("dates")
    result.valid = True
    return result


def _claims_mismatch(claims: dict, credential: dict) -> str:
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    subject = credential.get("credentialSubject")
    subject_id = subject.get("id") if isinstance(subject, dict) else None
    if claims.get("iss") != issuer_id:
        return "The iss claim is not the credential's issuer."
    if claims.get("jti") != credential.get("id"):
        return "The jti claim is not the credential's id."
    if claims.get("sub") != subject_id:
        return "The sub claim is not the credential subject's id."
    valid_from = credential.get("validFrom")
    not_before = _moment(claims.get("nbf"))
    try:
        starts = openbadges.parse_timestamp(str(valid_from)) if valid_from else None
    except ValueError:
        starts = None
    if not_before is None or starts is None or int(starts.timestamp()) != int(not_before.timestamp()):
        return "The nbf claim is not the credential's validFrom."
    if "exp" in claims or "validUntil" in credential:
        expires = _moment(claims.get("exp"))
        try:
            until = openbadges.parse_timestamp(str(credential.get("validUntil")))
        except ValueError:
            until = None
        if expires is None or until is None or int(until.timestamp()) != int(expires.timestamp()):
            return "The exp claim is not the credential's validUntil."
    return ""


def _record(credential_id: str, key: IssuerKey) -> Credential | None:
    import uuid

    if not credential_id.startswith("urn:uuid:"):
        return None
    try:
        pk = uuid.UUID(credential_id.removeprefix("urn:uuid:"))
    except ValueError:
        return None
    return Credential.objects.filter(pk=pk, organisation_id=key.organisation_id).first()
