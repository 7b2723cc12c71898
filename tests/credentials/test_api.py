"""Credentials over the API: one credential, public as its page is; the signed-in person's own list."""

import pytest

from cadre.core.models import Role
from cadre.credentials import openbadges
from cadre.credentials.services import credential_revoke
from tests.credentials.helpers import issue
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_anyone_reads_a_credential_with_whether_it_verifies(client, org):
    credential = issue(org, recipient_email="sam.smith@example.org")
    body = client.get(f"/api/credentials/{credential.pk}").json()
    assert body["id"] == str(credential.pk)
    assert body["recipient_name"] == "Sam Smith" and body["issuer_name"] == org.name
    assert body["verification"] == {"valid": True, "reason": None, "message": None}
    assert body["jwt"] == credential.jwt
    assert openbadges.schema_problems(body["credential"]) == []
    assert body["issuer_id"].endswith(f"/badges/issuers/{org.slug}/")
    assert body["url"].endswith(f"/badges/{credential.pk}/")
    assert "sam.smith@example.org" not in str(body)


def test_a_withdrawn_credential_reads_as_such(client, org):
    credential = issue(org)
    credential_revoke(credential=credential, reason="Issued in error.", actor=None)
    body = client.get(f"/api/credentials/{credential.pk}").json()
    assert body["revoked"] is True and body["revocation_reason"] == "Issued in error."
    assert body["verification"]["valid"] is False and body["verification"]["reason"] == "revoked"


def test_unknown_and_malformed_ids(client):
    missing = client.get("/api/credentials/7d8f1d1a-8a54-4c4e-9c55-2f0f1e0b1c2d")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    assert client.get("/api/credentials/12345").status_code == 422


def test_my_credentials_are_listed_for_me_only(client, org, django_assert_num_queries):
    me = user_with_role(org, Role.MEMBER)
    issue(org, person=me.person, achievement_name="Coaching skills")
    issue(OrganisationFactory(), recipient_email="someone@example.org", achievement_name="Not mine")
    client.force_login(me)
    body = client.get("/api/credentials/mine").json()
    assert body["count"] == 1 and body["items"][0]["achievement_name"] == "Coaching skills"
    assert body["items"][0]["issuer_name"] == org.name and body["items"][0]["revoked"] is False
    for n in range(5):
        issue(org, person=me.person, achievement_name=f"Course {n}")
    with django_assert_num_queries(5):
        assert client.get("/api/credentials/mine").json()["count"] == 6


def test_my_credentials_need_sign_in(client):
    response = client.get("/api/credentials/mine")
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
