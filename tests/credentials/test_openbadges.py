"""The Open Badges 3.0 credential Cadre builds: valid against the vendored schema (and refused when it
is not), every property a term of the vendored contexts, and the vendored files as published."""

import hashlib
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cadre.credentials import openbadges
from cadre.credentials.openbadges import Award, credential_document, schema_problems

VENDOR = Path(openbadges.__file__).resolve().parent / "vendor"


def award(**overrides) -> Award:
    fields = {
        "credential_id": uuid.UUID("2b1c9f52-5d0e-4a53-9a32-4f2f3c9b8e11"),
        "issuer_id": "https://cadre.example.org/badges/issuers/north-borough/",
        "issuer_name": "North Borough Council",
        "recipient_name": "Sam Smith",
        "recipient_email": "Sam.Smith@Example.org",
        "achievement_name": "Leading through change",
        "achievement_description": "A six-month programme for new service managers.",
        "criteria": "Attended every session.",
        "valid_from": datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC),
    }
    fields.update(overrides)
    return Award(**fields)


def test_the_credential_meets_the_vendored_achievement_credential_schema():
    document = credential_document(award())
    assert schema_problems(document) == []
    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["issuer"] == {
        "id": "https://cadre.example.org/badges/issuers/north-borough/",
        "type": ["Profile"],
        "name": "North Borough Council",
    }
    assert document["validFrom"] == "2026-03-01T09:30:15Z"
    assert document["credentialSubject"]["type"] == ["AchievementSubject"]
    assert document["credentialSubject"]["achievement"]["criteria"] == {"narrative": "Attended every session."}
    assert document["credentialSchema"] == [
        {
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019",
        }
    ]


def test_an_expiring_credential_still_meets_the_schema():
    document = credential_document(award(valid_until=datetime(2029, 3, 1, tzinfo=UTC)))
    assert document["validUntil"] == "2029-03-01T00:00:00Z"
    assert schema_problems(document) == []


def test_the_email_is_a_salted_sha256_hash_never_the_address():
    document = credential_document(award(), salt="pepper")
    text = repr(document).lower()
    assert "sam.smith@example.org" not in text
    hashed = next(i for i in document["credentialSubject"]["identifier"] if i["identityType"] == "emailAddress")
    expected = hashlib.sha256(b"sam.smith@example.orgpepper").hexdigest()
    assert hashed == {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": f"sha256${expected}",
        "salt": "pepper",
    }
    assert openbadges.is_awarded_to_email(document, " SAM.SMITH@example.org ")
    assert not openbadges.is_awarded_to_email(document, "someone.else@example.org")
    assert openbadges.recipient_name(document) == "Sam Smith"


def test_two_credentials_hash_the_same_email_differently():
    first, second = credential_document(award()), credential_document(award())
    hashes = [
        next(i["identityHash"] for i in d["credentialSubject"]["identifier"] if i["identityType"] == "emailAddress")
        for d in (first, second)
    ]
    assert hashes[0] != hashes[1]


def test_without_an_email_the_recipient_is_named_only():
    document = credential_document(award(recipient_email=""))
    assert [i["identityType"] for i in document["credentialSubject"]["identifier"]] == ["name"]
    assert schema_problems(document) == []


def test_the_same_achievement_has_the_same_id_and_the_subject_id_reveals_nothing():
    first = credential_document(award(credential_id=uuid.uuid4()))
    second = credential_document(award(credential_id=uuid.uuid4()))
    assert first["credentialSubject"]["achievement"]["id"] == second["credentialSubject"]["achievement"]["id"]
    assert first["credentialSubject"]["id"] != second["credentialSubject"]["id"]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", first["credentialSubject"]["id"])


@pytest.mark.parametrize(
    ("break_it", "where"),
    [
        (lambda d: d.pop("validFrom"), "validFrom"),
        (lambda d: d.pop("credentialSubject"), "credentialSubject"),
        (lambda d: d.update(type=["VerifiableCredential"]), "type"),
        (lambda d: d.update({"@context": ["https://www.w3.org/ns/credentials/v2"]}), "@context"),
        (lambda d: d["credentialSubject"]["identifier"][0].update(hashed="no"), "identifier"),
        (lambda d: d["credentialSubject"]["identifier"][0].update(nickname="Sammy"), "identifier"),
        (lambda d: d["credentialSubject"]["achievement"].pop("criteria"), "achievement"),
        (lambda d: d.update(validFrom="the first of March"), "validFrom"),
    ],
)
def test_a_credential_that_breaks_the_schema_is_reported(break_it, where):
    document = credential_document(award())
    break_it(document)
    problems = schema_problems(document)
    assert problems, "the schema let it through"
    assert any(where in problem or problem.startswith("the credential") for problem in problems)


def _terms(context) -> set[str]:
    """Every term a JSON-LD context defines, scoped contexts included."""
    found = set()
    if isinstance(context, dict):
        for name, value in context.items():
            if not name.startswith("@"):
                found.add(name)
            if isinstance(value, dict) and "@context" in value:
                found |= _terms(value["@context"])
    return found


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return {k for k in value if k != "@context"} | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for item in value for k in _keys(item)}
    return set()


def test_every_property_written_is_a_term_of_the_vendored_contexts():
    defined = _terms(openbadges.vendored(openbadges.VC_CONTEXT)["@context"]) | _terms(
        openbadges.vendored(openbadges.OB_CONTEXT)["@context"]
    )
    document = credential_document(award(valid_until=datetime(2029, 3, 1, tzinfo=UTC)))
    claims = openbadges.jwt_claims(document)
    assert _keys(document) - defined == set()
    # The JWT claims sit beside the credential; `jti` is an Open Badges term too.
    assert set(claims) - set(document) == {"iss", "jti", "nbf", "sub", "exp"}


def test_the_issuer_profile_meets_the_vendored_profile_schema():
    profile = openbadges.issuer_profile(issuer_id="https://cadre.example.org/badges/issuers/x/", name="X Council")
    assert schema_problems(profile, schema=openbadges.SCHEMA_ID.replace("achievementcredential", "profile")) == []
    assert schema_problems({"name": "No id"}, schema=openbadges.SCHEMA_ID.replace("achievementcredential", "profile"))


def test_only_vendored_documents_are_served_never_fetched():
    with pytest.raises(LookupError):
        openbadges.vendored("https://example.org/some/other/context.json")


def test_the_vendored_files_are_the_published_ones():
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in VENDOR.glob("*.json"))
    assert files == [
        "context-3.0.3.json",
        "credentials-v2.json",
        "ob_v3p0_achievementcredential_schema.json",
        "ob_v3p0_profile_schema.json",
    ]
    for name in files:
        digest = hashlib.sha256((VENDOR / name).read_bytes()).hexdigest()
        assert f"`{name}`" in readme and digest in readme, f"{name}: its SHA-256 is not the one the README records"
    schema = openbadges.vendored(openbadges.SCHEMA_ID)
    assert schema["$id"] == openbadges.SCHEMA_ID
    assert schema["$schema"].startswith("https://json-schema.org/draft/2019-09/schema")
