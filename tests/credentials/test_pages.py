"""The credential pages: public ones need no sign-in and show only what the credential holds; lists
are scoped; withdrawing is for the issuing organisation's administrators."""

import contextlib
import json
import re
import zlib

import jwt
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cadre.core.models import Role
from cadre.credentials import openbadges
from cadre.credentials.models import Credential
from cadre.credentials.services import credential_revoke
from tests.credentials.helpers import claims_of, issue, resign, stranger_key
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams opened, to look for its structure."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(stream.group(1)))
    return b"\n".join(parts)


def page_of(credential: Credential) -> str:
    return reverse("credentials:credential", args=[credential.pk])


def test_anyone_sees_a_credential_and_that_it_verifies(client, org, django_assert_max_num_queries):
    credential = issue(org, recipient_email="sam.smith@example.org")
    with django_assert_max_num_queries(4):
        response = client.get(page_of(credential))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("<h1") == 1
    assert "Leading through change" in text and "Sam Smith" in text and org.name in text
    assert "This credential is genuine and stands" in text
    assert "The signature matches" in text and "has not been withdrawn" in text
    assert "sam.smith@example.org" not in text  # nothing beyond what the credential itself shows
    for name in ("credentials:pdf", "credentials:jwt", "credentials:json"):
        assert reverse(name, args=[credential.pk]) in text


def test_a_withdrawn_credential_says_so_and_offers_no_certificate(client, org):
    credential = issue(org)
    credential_revoke(credential=credential, reason="Awarded to the wrong person.", actor=None)
    text = client.get(page_of(credential)).content.decode()
    assert "This credential has been withdrawn." in text and "Awarded to the wrong person." in text
    assert reverse("credentials:pdf", args=[credential.pk]) not in text
    assert client.get(reverse("credentials:pdf", args=[credential.pk])).status_code == 404


def test_unknown_credentials_are_not_found(client):
    assert client.get("/badges/7d8f1d1a-8a54-4c4e-9c55-2f0f1e0b1c2d/").status_code == 404
    assert client.get("/badges/not-a-uuid/").status_code == 404


def test_the_signed_credential_and_its_json_download(client, org):
    credential = issue(org)
    signed = client.get(reverse("credentials:jwt", args=[credential.pk]))
    assert signed["Content-Type"] == "application/jwt"
    assert "attachment" in signed["Content-Disposition"] and ".jwt" in signed["Content-Disposition"]
    assert signed.content.decode() == credential.jwt
    as_json = client.get(reverse("credentials:json", args=[credential.pk]))
    document = json.loads(as_json.content)
    assert as_json["Content-Type"] == "application/ld+json"
    assert document == openbadges.credential_from_claims(claims_of(credential))
    assert "iss" not in document and openbadges.schema_problems(document) == []


def test_the_certificate_is_a_tagged_pdf_naming_the_verify_address(client, org, settings):
    credential = issue(org)
    response = client.get(reverse("credentials:pdf", args=[credential.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    inside = pdf_objects(response.content)
    assert b"/StructTreeRoot" in inside and b"/MarkInfo" in inside  # tagged, for screen readers
    assert b"/Title (Sam Smith)" in inside  # the recipient, as the heading
    from cadre.credentials.views import page_url

    assert page_url(credential) == settings.SITE_URL + page_of(credential)


def test_the_certificate_template_shows_recipient_achievement_issuer_date_and_address(org, rf):
    from django.template.loader import render_to_string

    credential = issue(org)
    html = render_to_string(
        "credentials/certificate_pdf.html", {"credential": credential, "page_url": "https://x.example/badges/1/"}
    )
    for words in ("Sam Smith", "Leading through change", org.name, "https://x.example/badges/1/"):
        assert words in html
    assert credential.valid_from.strftime("%Y") in html


def test_the_check_page_verifies_a_pasted_credential(client, org):
    credential = issue(org, recipient_email="sam.smith@example.org")
    page = client.get(reverse("credentials:verify"))
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content
    response = client.post(reverse("credentials:verify"), {"token": credential.jwt, "email": "Sam.Smith@example.org"})
    text = response.content.decode()
    assert "This badge is genuine" in text and "Sam Smith" in text and org.name in text
    assert "Awarded to Sam.Smith@example.org" in text and ">Yes<" in text
    other = client.post(reverse("credentials:verify"), {"token": credential.jwt, "email": "alex@example.org"})
    assert "it was awarded to another email address" in other.content.decode()


def test_the_check_page_verifies_an_uploaded_file(client, org):
    credential = issue(org)
    upload = SimpleUploadedFile("badge.jwt", credential.jwt.encode(), content_type="application/jwt")
    response = client.post(reverse("credentials:verify"), {"file": upload})
    assert "This badge is genuine" in response.content.decode()


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("format", "Reason: bad format."),
        ("signature", "Reason: bad signature."),
        ("unknown_key", "Reason: unknown key."),
        ("revoked", "Reason: revoked."),
    ],
)
def test_the_check_page_names_why_a_credential_fails(client, org, reason, words):
    credential = issue(org)
    token = {
        "format": "not a credential",
        "signature": resign(claims_of(credential), credential.key, private_key=stranger_key()),
        "unknown_key": resign(claims_of(credential), credential.key, kid="https://elsewhere.example/k/1/"),
        "revoked": credential.jwt,
    }[reason]
    if reason == "revoked":
        credential_revoke(credential=credential, reason="Issued in error.", actor=None)
    text = client.post(reverse("credentials:verify"), {"token": token}).content.decode()
    assert "This badge does not verify" in text and words in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Paste the signed credential, or upload its .jwt file."),
        ({"token": "x" * 70_000}, "far longer than any credential"),
        ({"token": "a.b.c", "file": SimpleUploadedFile("b.jwt", b"a.b.c")}, "not both"),
        ({"file": SimpleUploadedFile("b.png", b"\x89PNG\xff\xfe")}, "The file is not text"),
        ({"file": SimpleUploadedFile("b.jwt", b"")}, "The file is empty"),
        ({"token": "a.b.c", "email": "not an email"}, "Enter a valid email address"),
    ],
)
def test_the_check_page_explains_what_is_missing(client, data, message):
    response = client.post(reverse("credentials:verify"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and message in text
    assert "<title>Error: " in text


def test_the_issuer_profile_for_people_and_for_software(client, org):
    issue(org)
    page = client.get(reverse("credentials:issuer", args=[org.slug]))
    assert page.status_code == 200 and org.name in page.content.decode()
    for response in (
        client.get(reverse("credentials:issuer", args=[org.slug]), HTTP_ACCEPT="application/ld+json"),
        client.get(reverse("credentials:issuer", args=[org.slug]) + "?format=json"),
    ):
        profile = json.loads(response.content)
        assert profile["type"] == ["Profile"] and profile["name"] == org.name
        assert profile["id"].endswith(reverse("credentials:issuer", args=[org.slug]))
        schema = openbadges.SCHEMA_ID.replace("achievementcredential", "profile")
        assert openbadges.schema_problems(profile, schema=schema) == []
    assert client.get(reverse("credentials:issuer", args=[OrganisationFactory().slug])).status_code == 404


def test_the_public_keys_are_published_and_match_what_signed(client, org):
    from cadre.credentials.services import issuer_key_rotate

    first = issue(org)
    issuer_key_rotate(organisation=org, actor=None)
    keys = client.get(reverse("credentials:jwks", args=[org.slug])).json()["keys"]
    assert len(keys) == 2 and all("d" not in key for key in keys)
    kid = jwt.get_unverified_header(first.jwt)["kid"]
    published = next(key for key in keys if key["kid"] == kid)
    assert published["kty"] == "OKP" and published["crv"] == "Ed25519" and published["alg"] == "EdDSA"
    one = client.get(reverse("credentials:key", args=[org.slug, first.key.kid]))
    assert one.json() == published
    public_key = jwt.PyJWK(published).key
    assert jwt.decode(first.jwt, public_key, algorithms=["EdDSA"])["jti"] == f"urn:uuid:{first.pk}"
    assert client.get(reverse("credentials:key", args=[org.slug, "nope"])).status_code == 404


def test_my_credentials_are_mine_only(client, org, django_assert_num_queries):
    me = user_with_role(org, Role.MEMBER)
    issue(org, person=me.person, achievement_name="Coaching skills")
    issue(org, person=None, recipient_email=me.email.upper(), achievement_name="Mentoring")
    issue(org, recipient_email="someone.else@example.org", achievement_name="Not mine")
    client.force_login(me)
    client.get(reverse("credentials:mine"))  # warm the session
    with django_assert_num_queries(5):
        text = client.get(reverse("credentials:mine")).content.decode()
    assert "Coaching skills" in text and "Mentoring" in text and "Not mine" not in text
    for n in range(10):
        issue(org, person=me.person, achievement_name=f"Course {n}")
    with django_assert_num_queries(5):
        client.get(reverse("credentials:mine"))


def test_signing_in_is_needed_for_my_credentials(client):
    assert client.get(reverse("credentials:mine")).status_code == 302


def test_administrators_list_what_their_organisation_issued(client, org, admin, django_assert_num_queries):
    issue(org, source_label="Spring cohort")
    issue(OrganisationFactory(), recipient_name="Alex From Elsewhere")
    client.force_login(admin)
    client.get(reverse("credentials:issued"))
    with django_assert_num_queries(5):
        text = client.get(reverse("credentials:issued")).content.decode()
    assert "Sam Smith" in text and "Spring cohort" in text and "Alex From Elsewhere" not in text
    for n in range(12):
        issue(org, recipient_name=f"Person {n}")
    with django_assert_num_queries(5):
        client.get(reverse("credentials:issued"))


def test_people_who_do_not_issue_have_no_issued_list(client, org):
    client.force_login(user_with_role(org, Role.MEMBER))
    assert client.get(reverse("credentials:issued")).status_code == 404


def test_an_administrator_withdraws_a_credential(client, org, admin):
    credential = issue(org)
    client.force_login(admin)
    url = reverse("credentials:revoke", args=[credential.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": ""})
    assert "Say why it is being withdrawn." in refused.content.decode()
    credential.refresh_from_db()
    assert credential.revoked_at is None
    done = client.post(url, {"reason": "Awarded to the wrong person."}, follow=True)
    assert "The credential has been withdrawn." in done.content.decode()
    credential.refresh_from_db()
    assert credential.revocation_reason == "Awarded to the wrong person."
    assert client.get(url).status_code == 302  # already withdrawn: back to its page


def test_another_organisation_cannot_withdraw_it(client, org):
    credential = issue(org)
    client.force_login(user_with_role(OrganisationFactory(), Role.ORG_ADMIN))
    url = reverse("credentials:revoke", args=[credential.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Mischief."}).status_code == 404
    credential.refresh_from_db()
    assert credential.revoked_at is None
    client.force_login(user_with_role(org, Role.MEMBER))
    assert client.get(url).status_code == 404


def test_export_and_erasure_of_a_persons_credentials(client, org, admin):
    from cadre.core.privacy import person_erase, person_export

    me = user_with_role(org, Role.MEMBER)
    credential = issue(org, person=me.person, recipient_name=me.person.full_name, recipient_email=me.email)
    exported = person_export(person=me.person, actor=admin)["sections"]["credentials"]["credentials"]
    assert exported[0]["achievement"] == "Leading through change" and exported[0]["signed_credential"] == credential.jwt
    last_name = me.person.last_name
    person_erase(person=me.person, actor=admin)
    credential.refresh_from_db()
    assert credential.recipient_name == "" and credential.recipient_email == "" and credential.jwt == ""
    assert credential.revoked_at is not None and credential.person is None
    from cadre.credentials.verification import verify

    kept = exported[0]["signed_credential"]
    assert verify(kept).reason == "revoked"
    text = client.get(page_of(credential)).content.decode()
    assert "Withdrawn credential" in text and last_name not in text
    assert client.get(reverse("credentials:jwt", args=[credential.pk])).status_code == 404
