"""Open Badges 3.0: the credential document Cadre signs, and its check against the vendored schema.

Nothing here touches the database or the network. The schema and contexts are the files in
`vendor/` (see its README), read once per process."""

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
SCHEMA_ID = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
SCHEMA_TYPE = "1EdTechJsonSchemaValidator2019"

# The vendored copy of each document, by the address it is published at.
VENDORED = {
    VC_CONTEXT: "credentials-v2.json",
    OB_CONTEXT: "context-3.0.3.json",
    SCHEMA_ID: "ob_v3p0_achievementcredential_schema.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_profile_schema.json": "ob_v3p0_profile_schema.json",
}

# JWT claims that sit beside the credential's own properties in a VC-JWT payload.
JWT_CLAIMS = ("iss", "jti", "nbf", "sub", "exp", "iat", "aud")


@cache
def vendored(address: str) -> dict:
    """A vendored document, by its published address. Anything else is refused, never fetched."""
    try:
        name = VENDORED[address]
    except KeyError as error:
        raise LookupError(f"{address} is not one of the documents Cadre keeps a copy of.") from error
    return json.loads((VENDOR / name).read_text(encoding="utf-8"))


@cache
def _validator(address: str):
    import jsonschema_rs

    # offline: a `$ref` to anywhere else fails rather than being fetched.
    return jsonschema_rs.Draft201909Validator(vendored(address), validate_formats=True, offline=True)


def schema_problems(document: object, *, schema: str = SCHEMA_ID, limit: int = 5) -> list[str]:
    """What stops `document` meeting the vendored schema, in words (none when it does)."""
    problems = []
    for error in _validator(schema).iter_errors(document):
        where = "/".join(str(part) for part in error.instance_path) or "the credential"
        problems.append(f"{where}: {error.message}")
        if len(problems) >= limit:
            break
    return problems


def timestamp(moment: datetime) -> str:
    """A DateTimeZ as the credential writes it: UTC, whole seconds, with the trailing Z."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def identity_hash(value: str, salt: str) -> str:
    """An IdentityHash as Open Badges defines it: 'sha256$' and the hex SHA-256 of value + salt."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def normalised_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class Award:
    """What a credential says, in Cadre's words."""

    credential_id: uuid.UUID
    issuer_id: str  # the issuer profile's address
    issuer_name: str
    recipient_name: str
    recipient_email: str
    achievement_name: str
    achievement_description: str
    criteria: str
    valid_from: datetime
    valid_until: datetime | None = None


def subject_id(credential_id: uuid.UUID) -> str:
    """The credential subject's id: a URN that stands for the recipient in this one credential
    and says nothing about them (the JWT's `sub` claim must have one)."""
    return f"urn:uuid:{uuid.uuid5(credential_id, 'subject')}"


def achievement_id(issuer_id: str, name: str) -> str:
    """The same achievement (name) from the same issuer has the same id in every credential."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, issuer_id + '#achievement:' + name)}"


def credential_document(award: Award, *, salt: str | None = None) -> dict:
    """The OpenBadgeCredential (AchievementCredential) for an award, unsigned.

    The recipient is named (as the certificate names them) and identified by a salted SHA-256 hash
    of their email address, never the address itself."""
    identifiers = [
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": award.recipient_name}
    ]
    if award.recipient_email:
        salt = salt or secrets.token_hex(16)
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": identity_hash(normalised_email(award.recipient_email), salt),
                "salt": salt,
            }
        )
    document = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{award.credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": award.achievement_name,
        "issuer": {"id": award.issuer_id, "type": ["Profile"], "name": award.issuer_name},
        "validFrom": timestamp(award.valid_from),
        "credentialSubject": {
            "id": subject_id(award.credential_id),
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "achievement": {
                "id": achievement_id(award.issuer_id, award.achievement_name),
                "type": ["Achievement"],
                "name": award.achievement_name,
                "description": award.achievement_description,
                "criteria": {"narrative": award.criteria},
            },
        },
        "credentialSchema": [{"id": SCHEMA_ID, "type": SCHEMA_TYPE}],
    }
    if award.valid_until is not None:
        document["validUntil"] = timestamp(award.valid_until)
    return document


def jwt_claims(document: dict) -> dict:
    """The VC-JWT payload: the credential itself with the registered claims the Open Badges 3.0
    'JSON Web Token Proof Format' asks for beside it (exp, iss, jti, nbf, sub)."""
    claims = dict(document)
    claims["iss"] = document["issuer"]["id"]
    claims["jti"] = document["id"]
    claims["nbf"] = int(parse_timestamp(document["validFrom"]).timestamp())
    claims["sub"] = document["credentialSubject"]["id"]
    if "validUntil" in document:
        claims["exp"] = int(parse_timestamp(document["validUntil"]).timestamp())
    return claims


def credential_from_claims(claims: dict) -> dict:
    """The credential inside a VC-JWT payload: the payload without its JWT claims or, for tokens
    made the Verifiable Credentials 1.1 way, the `vc` claim."""
    if isinstance(claims.get("vc"), dict):
        return claims["vc"]
    return {name: value for name, value in claims.items() if name not in JWT_CLAIMS}


def recipient_name(document: dict) -> str:
    for identifier in _identifiers(document):
        if identifier.get("identityType") == "name" and identifier.get("hashed") is False:
            return str(identifier.get("identityHash", ""))
    return ""


def is_awarded_to_email(document: dict, email: str) -> bool:
    """Whether the credential's hashed email identifier matches this address."""
    for identifier in _identifiers(document):
        if identifier.get("identityType") == "emailAddress" and identifier.get("hashed") is True:
            expected = str(identifier.get("identityHash", ""))
            if secrets.compare_digest(
                identity_hash(normalised_email(email), str(identifier.get("salt", ""))), expected
            ):
                return True
    return False


def _identifiers(document: dict) -> list[dict]:
    subject = document.get("credentialSubject")
    found = subject.get("identifier", []) if isinstance(subject, dict) else []
    found = found if isinstance(found, list) else [found]
    return [item for item in found if isinstance(item, dict)]


def issuer_profile(*, issuer_id: str, name: str, url: str = "") -> dict:
    """The issuer's Open Badges 3.0 Profile, as its page serves it as JSON."""
    profile = {"@context": [VC_CONTEXT, OB_CONTEXT], "id": issuer_id, "type": ["Profile"], "name": name}
    if url:
        profile["url"] = url
    return profile
