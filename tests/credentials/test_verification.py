"""Checking a signed credential: the round trip holds, and each way a credential can fail is named."""

import base64
import json
from datetime import timedelta

import jwt
import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cadre.credentials.verification import REASONS, verify
from tests.credentials.helpers import claims_of, issue, resign, stranger_key
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _segments(token: str) -> list[str]:
    return token.split(".")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_credential_as_issued_verifies(org):
    credential = issue(org)
    outcome = verify(credential.jwt)
    assert outcome.valid and outcome.reason == ""
    assert outcome.record == credential and outcome.key == credential.key
    assert outcome.checked == ["format", "key", "signature", "schema", "claims", "issuer", "register", "dates"]
    assert outcome.summary() == (f"valid issuer={org.name} recipient=Sam Smith achievement=Leading through change")


def test_a_changed_payload_fails_its_signature(org):
    credential = issue(org)
    header, _payload, signature = _segments(credential.jwt)
    claims = claims_of(credential)
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    outcome = verify(".".join([header, _b64(claims), signature]))
    assert not outcome.valid and outcome.reason == "signature"
    assert outcome.summary().startswith("invalid: bad signature:")


def test_a_credential_signed_with_another_key_under_this_kid_fails_its_signature(org):
    credential = issue(org)
    forged = resign(claims_of(credential), credential.key, private_key=stranger_key())
    outcome = verify(forged)
    assert outcome.reason == "signature"


def test_an_unknown_kid_is_named(org):
    credential = issue(org)
    token = resign(claims_of(credential), credential.key, kid="https://elsewhere.example/keys/not-ours/")
    outcome = verify(token)
    assert outcome.reason == "unknown_key" and "https://elsewhere.example/keys/not-ours/" in outcome.message
    assert outcome.summary().startswith("invalid: unknown key:")


def test_a_withdrawn_credential_fails_with_its_reason(org):
    from cadre.credentials.services import credential_revoke

    credential = issue(org)
    credential_revoke(credential=credential, reason="Issued in error.", actor=None)
    outcome = verify(credential.jwt)
    assert outcome.reason == "revoked" and "Issued in error." in outcome.message


def test_a_credential_not_yet_valid_says_from_when(org):
    credential = issue(org, valid_from=timezone.now() + timedelta(days=3))
    outcome = verify(credential.jwt)
    assert outcome.reason == "not_yet_valid" and "not valid until" in outcome.message
    assert verify(credential.jwt, now=timezone.now() + timedelta(days=4)).valid


def test_an_expired_credential_says_when(org):
    starts = timezone.now() - timedelta(days=400)
    credential = issue(org, valid_from=starts, valid_until=starts + timedelta(days=365))
    outcome = verify(credential.jwt)
    assert outcome.reason == "expired" and "expired on" in outcome.message
    assert verify(credential.jwt, now=starts + timedelta(days=10)).valid


def test_a_signed_credential_that_breaks_the_schema_is_refused(org):
    credential = issue(org)
    claims = claims_of(credential)
    claims["credentialSubject"]["identifier"][0]["hashed"] = "perhaps"
    outcome = verify(resign(claims, credential.key))
    assert outcome.reason == "schema" and "hashed" in outcome.message


@pytest.mark.parametrize(
    ("change", "claim"),
    [
        (lambda c: c.update(sub="urn:uuid:00000000-0000-0000-0000-000000000000"), "sub"),
        (lambda c: c.update(jti="urn:uuid:00000000-0000-0000-0000-000000000000"), "jti"),
        (lambda c: c.update(nbf=c["nbf"] - 60), "nbf"),
        (lambda c: c.update(exp=c["nbf"] + 60), "exp"),
        (lambda c: c.update(iss="https://elsewhere.example/issuer"), "iss"),
    ],
)
def test_claims_that_contradict_the_credential_are_refused(org, change, claim):
    credential = issue(org)
    claims = claims_of(credential)
    change(claims)
    outcome = verify(resign(claims, credential.key))
    assert outcome.reason == "claims" and f"The {claim} claim" in outcome.message


def test_a_credential_naming_another_issuer_than_its_key_is_refused(org):
    credential = issue(org)
    other = OrganisationFactory()
    claims = claims_of(credential)
    elsewhere = claims["iss"].replace(f"/{org.slug}/", f"/{other.slug}/")
    claims["iss"] = claims["issuer"]["id"] = elsewhere
    outcome = verify(resign(claims, credential.key))
    assert outcome.reason == "issuer" and org.name in outcome.message


def test_a_credential_signed_with_a_known_key_but_never_recorded_is_refused(org):
    credential = issue(org)
    claims = claims_of(credential)
    claims["id"] = claims["jti"] = "urn:uuid:7d8f1d1a-8a54-4c4e-9c55-2f0f1e0b1c2d"
    outcome = verify(resign(claims, credential.key))
    assert outcome.reason == "unrecorded"


def test_the_vc_claim_of_verifiable_credentials_1_1_is_read_too(org):
    credential = issue(org)
    claims = claims_of(credential)
    registered = {name: claims.pop(name) for name in ("iss", "jti", "nbf", "sub")}
    assert verify(resign({**registered, "vc": claims}, credential.key)).valid


@pytest.mark.parametrize(
    ("token", "words"),
    [
        ("", "nothing to check"),
        ("   \n", "nothing to check"),
        ('{"@context": []}', "carries no signature"),
        ("not a token at all", "three parts"),
        ("a.b", "three parts"),
        ("e30.e30.e30", "no alg"),  # an empty header names no algorithm
        ("bm90IGpzb24.e30.e30", "header"),
        ("!!!.@@@.###", "three parts"),
        ("x" * 70000, "far longer"),
    ],
)
def test_bad_formats_are_named(token, words):
    outcome = verify(token)
    assert outcome.reason == "format" and words in outcome.message.lower()


def test_other_algorithms_and_a_missing_kid_are_refused(org):
    credential = issue(org)
    claims = claims_of(credential)
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": "x"})
    assert verify(unsigned).reason == "format"
    hmac = jwt.encode(claims, "a-shared-secret-of-at-least-32-bytes!!", algorithm="HS256", headers={"kid": "x"})
    assert "HS256" in verify(hmac).message
    no_kid = jwt.encode(claims, stranger_key(), algorithm="EdDSA")
    assert "no kid" in verify(no_kid).message


def test_a_readable_header_with_an_unreadable_payload_is_a_format_problem(org):
    credential = issue(org)
    header, _payload, signature = _segments(credential.jwt)
    outcome = verify(".".join([header, "bm90IGpzb24", signature]))
    assert outcome.reason in {"format", "signature"}


@given(text=st.text(max_size=300))
def test_nothing_typed_makes_it_fail_to_answer(text):
    outcome = verify(text)
    assert not outcome.valid and outcome.reason in REASONS and outcome.message
