"""Issuing, withdrawing and re-keying: who may, what is refused, what is written, and how the
private keys are kept."""

import base64
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from django.db import connection
from django.utils import timezone

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.models import AuditEntry, Role
from cadre.credentials import openbadges, services
from cadre.credentials.keys import KeyUnreadable, decrypt_private_key
from cadre.credentials.models import Credential, IssuerKey
from cadre.credentials.verification import verify
from tests.credentials.helpers import claims_of, header_of, issue
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_an_administrator_issues_a_signed_credential(org, admin):
    credential = issue(org, actor=admin, recipient_name="  Sam   Smith ")
    assert credential.recipient_name == "Sam Smith"
    assert credential.issued_by == admin
    assert verify(credential.jwt).valid
    claims = claims_of(credential)
    assert claims["jti"] == f"urn:uuid:{credential.pk}"
    assert claims["nbf"] == int(credential.valid_from.timestamp())
    assert "exp" not in claims
    header = header_of(credential)
    assert header == {"alg": "EdDSA", "kid": header["kid"], "typ": "JWT"}
    assert header["kid"].endswith(f"/badges/issuers/{org.slug}/keys/{credential.key.kid}/")
    entry = AuditEntry.objects.get(event="credentials.issued")
    assert entry.actor == admin and entry.organisation_id == org.pk
    assert "sam" not in str(entry.changes).lower()  # the audit log holds the award, not the person's details


def test_an_organisation_administrator_and_system_code_issue_too(org):
    assert issue(org, actor=user_with_role(org, Role.ORG_ADMIN)).pk
    assert issue(org, actor=None).issued_by is None


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXECUTIVE_VIEWER, Role.EQUALITY_OFFICER])
def test_other_roles_cannot_issue(org, role):
    with pytest.raises(PermissionDenied):
        issue(org, actor=user_with_role(org, role))
    assert not Credential.objects.exists() and not IssuerKey.objects.exists()


def test_an_administrator_of_another_organisation_cannot_issue_for_this_one(org):
    elsewhere = user_with_role(OrganisationFactory(), Role.LD_ADMIN)
    with pytest.raises(PermissionDenied):
        issue(org, actor=elsewhere)
    assert not Credential.objects.exists()


def test_every_problem_is_reported_and_nothing_written(org, admin):
    with pytest.raises(ValidationError) as caught:
        issue(
            org,
            actor=admin,
            recipient_name=" ",
            recipient_email="not an address",
            achievement_name="",
            achievement_description="\x00",
            criteria="",
            source_label="x" * 201,
            valid_until=timezone.now() - timedelta(days=1),
        )
    fields = {p.field for p in caught.value.problems}
    assert fields == {
        "recipient_name",
        "recipient_email",
        "achievement_name",
        "achievement_description",
        "criteria",
        "source_label",
        "valid_until",
    }
    assert not Credential.objects.exists() and not IssuerKey.objects.exists()


def test_a_credential_that_would_fail_the_schema_is_never_signed(org, admin, monkeypatch):
    real = openbadges.credential_document

    def broken(award, **kwargs):
        document = real(award, **kwargs)
        document["credentialSubject"]["identifier"][0]["hashed"] = "perhaps"
        return document

    monkeypatch.setattr(openbadges, "credential_document", broken)
    with pytest.raises(ValidationError, match=r"Open Badges 3\.0 schema"):
        issue(org, actor=admin)
    assert not Credential.objects.exists() and not IssuerKey.objects.exists()


def test_one_key_per_organisation_made_on_first_issue_and_reused(org):
    first, second = issue(org), issue(org, recipient_name="Alex Jones")
    other = issue(OrganisationFactory())
    assert first.key == second.key
    assert other.key != first.key
    assert IssuerKey.objects.filter(organisation=org).count() == 1
    assert AuditEntry.objects.filter(event="credentials.key_created").count() == 2


def test_the_private_key_is_not_stored_in_plain_text(org, settings):
    credential = issue(org)
    key = credential.key
    private = decrypt_private_key(key.private_key_encrypted, kid=key.kid)
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_key_encrypted, public_jwk FROM credentials_issuerkey WHERE id = %s", [key.pk])
        stored, public = (str(value) for value in cursor.fetchone())
    for encoding in (base64.b64encode, base64.urlsafe_b64encode, lambda b: b.hex().encode()):
        assert encoding(raw).decode().rstrip("=") not in stored
    assert "PRIVATE KEY" not in stored and pem.decode() not in stored
    assert '"d"' not in public and "d" not in key.public_jwk
    assert stored.startswith("v1.")
    # Bound to its row: it cannot be read as another key's, nor without the SECRET_KEY.
    with pytest.raises(KeyUnreadable):
        decrypt_private_key(key.private_key_encrypted, kid="another-key")
    settings.SECRET_KEY = "a-different-secret-key-for-this-test-only-0123456789"
    with pytest.raises(KeyUnreadable):
        decrypt_private_key(key.private_key_encrypted, kid=key.kid)


def test_after_secret_key_rotation_the_fallback_still_reads_the_key(org, settings):
    credential = issue(org)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-only-abcdefghijklmnop"
    settings.SECRET_KEY_FALLBACKS = [old]
    assert issue(org, recipient_name="Alex Jones").key == credential.key
    assert verify(credential.jwt).valid


def test_rotation_signs_with_a_new_key_and_old_credentials_still_verify(org):
    before = issue(org)
    new_key = services.issuer_key_rotate(organisation=org, actor=user_with_role(org, Role.ORG_ADMIN))
    after = issue(org, recipient_name="Alex Jones")
    before.key.refresh_from_db()
    assert before.key.retired_at is not None and new_key.retired_at is None
    assert after.key == new_key
    assert verify(before.jwt).valid and verify(after.jwt).valid
    assert IssuerKey.objects.filter(organisation=org, retired_at__isnull=True).count() == 1


def test_only_organisation_administrators_rotate_keys(org, admin):
    with pytest.raises(PermissionDenied):
        services.issuer_key_rotate(organisation=org, actor=admin)  # L&D administrators issue, not re-key


def test_withdrawing_records_when_and_why_and_checks_then_fail(org, admin):
    credential = issue(org, actor=admin)
    services.credential_revoke(credential=credential, reason="Awarded to the wrong person.", actor=admin)
    credential.refresh_from_db()
    assert credential.revoked_at is not None
    assert credential.revocation_reason == "Awarded to the wrong person."
    outcome = verify(credential.jwt)
    assert not outcome.valid and outcome.reason == "revoked"
    assert "Awarded to the wrong person." in outcome.message
    with pytest.raises(ValidationError, match="already been withdrawn"):
        services.credential_revoke(credential=credential, reason="Again.", actor=admin)
    assert AuditEntry.objects.filter(event="credentials.revoked").count() == 1


def test_withdrawing_needs_a_reason_and_the_right_organisation(org, admin):
    credential = issue(org, actor=admin)
    with pytest.raises(ValidationError, match="Say why"):
        services.credential_revoke(credential=credential, reason="  ", actor=admin)
    with pytest.raises(ValidationError, match="500 characters"):
        services.credential_revoke(credential=credential, reason="x" * 501, actor=admin)
    with pytest.raises(PermissionDenied):
        services.credential_revoke(
            credential=credential, reason="No.", actor=user_with_role(OrganisationFactory(), Role.ORG_ADMIN)
        )
    credential.refresh_from_db()
    assert credential.revoked_at is None


def test_the_recipient_is_emailed_a_link_once_the_credential_is_written(org, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=False) as waiting:
        credential = issue(org, recipient_email="sam.smith@example.org")
    assert mail.outbox == [] and len(waiting) == 1  # nothing is sent before the commit
    waiting[0]()
    assert mail.outbox[0].to == ["sam.smith@example.org"]
    assert mail.outbox[0].subject == "Your certificate: Leading through change"
    assert f"/badges/{credential.pk}/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True) as waiting:
        issue(org, recipient_email="")
    assert waiting == [] and len(mail.outbox) == 1


def test_issuing_inside_a_callers_transaction_rolls_back_with_it(org):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        issue(org)
        raise RuntimeError("the programme's completion failed")
    assert not Credential.objects.exists()


def test_validity_dates_are_kept_in_whole_seconds(org):
    starts = timezone.now() + timedelta(days=2, microseconds=123)
    credential = issue(org, valid_from=starts, valid_until=starts + timedelta(days=365))
    credential.refresh_from_db()
    assert credential.valid_from == starts.replace(microsecond=0)
    claims = claims_of(credential)
    assert claims["exp"] - claims["nbf"] == 365 * 24 * 3600
