"""Writes: issuing a credential, withdrawing one, and replacing an organisation's signing key.

Any app that recognises an achievement (a programme's completion, say) calls `credential_issue`
and nothing else: it checks who asks, builds the Open Badges 3.0 credential, checks it against the
vendored schema, signs it with the organisation's key (made on first use) and records it."""

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.core.audit import audit_event
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.core.models import Organisation, Role
from cadre.core.selectors import organisations_where
from cadre.credentials import openbadges
from cadre.credentials.keys import decrypt_private_key, encrypt_private_key, new_key_pair
from cadre.credentials.models import Credential, IssuerKey
from cadre.credentials.verification import issuer_url, key_url, sign

MAX_NAME = 200
MAX_TEXT = 5000
MAX_REASON = 500


def may_issue_for(actor, organisation_id: int) -> bool:
    """System code (no actor) issues for any organisation; people only where they are learning and
    development or organisation administrators."""
    if actor is None:
        return True
    return organisation_id in organisations_where(actor, Role.LD_ADMIN, Role.ORG_ADMIN)


def may_issue_anywhere(user) -> bool:
    return bool(organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN))


def _clean(text) -> str:
    return " ".join(str(text or "").replace("\x00", "").split())


def _clean_block(text) -> str:
    return str(text or "").replace("\x00", "").strip()


def _problems(*, name, email, achievement, description, criteria, source_label, valid_from, valid_until):
    problems = []
    if not name:
        problems.append(Problem("Enter the name of the person receiving it.", field="recipient_name"))
    elif len(name) > MAX_NAME:
        problems.append(Problem(f"The person's name must be {MAX_NAME} characters or fewer.", field="recipient_name"))
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            problems.append(
                Problem("Enter the email address in the right form, like name@example.org.", field="recipient_email")
            )
    if not achievement:
        problems.append(Problem("Enter the name of the achievement.", field="achievement_name"))
    elif len(achievement) > MAX_NAME:
        problems.append(
            Problem(f"The achievement's name must be {MAX_NAME} characters or fewer.", field="achievement_name")
        )
    if not description:
        problems.append(Problem("Describe the achievement.", field="achievement_description"))
    elif len(description) > MAX_TEXT:
        problems.append(
            Problem(f"The description must be {MAX_TEXT} characters or fewer.", field="achievement_description")
        )
    if not criteria:
        problems.append(Problem("Say what the person did to earn it.", field="criteria"))
    elif len(criteria) > MAX_TEXT:
        problems.append(Problem(f"The criteria must be {MAX_TEXT} characters or fewer.", field="criteria"))
    if len(source_label) > MAX_NAME:
        problems.append(Problem(f"The source must be {MAX_NAME} characters or fewer.", field="source_label"))
    if valid_until is not None and valid_until <= valid_from:
        problems.append(Problem("The end of its validity must come after its start.", field="valid_until"))
    return problems


def _signing_key(organisation: Organisation) -> IssuerKey:
    """The organisation's current key, made on first use. Two issues at once cannot both make one:
    the database allows one current key per organisation, and the loser uses the winner's."""
    key = IssuerKey.objects.filter(organisation=organisation, retired_at__isnull=True).first()
    if key is not None:
        return key
    private_key, jwk, kid = new_key_pair()
    try:
        with transaction.atomic():
            key = IssuerKey.objects.create(
                organisation=organisation,
                kid=kid,
                public_jwk=jwk,
                private_key_encrypted=encrypt_private_key(private_key, kid=kid),
            )
    except IntegrityError:
        return IssuerKey.objects.get(organisation=organisation, retired_at__isnull=True)
    audit_event(actor=None, event="credentials.key_created", target=key, organisation_id=organisation.pk)
    return key


def credential_issue(
    *,
    organisation: Organisation,
    recipient_name: str,
    recipient_email: str,
    person=None,
    achievement_name: str,
    achievement_description: str,
    criteria: str,
    source_label: str = "",
    actor=None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> Credential:
    """Award a signed Open Badges 3.0 credential (and its certificate) to one person.

    Joins the caller's transaction when there is one (a programme's completion and its credential
    are written together or not at all), so it is not `durable`. The recipient is emailed a link
    once the transaction commits."""
    if not may_issue_for(actor, organisation.pk):
        raise PermissionDenied("Only the organisation's learning and development administrators issue its credentials.")
    name = _clean(recipient_name)
    email = _clean(recipient_email)
    achievement = _clean(achievement_name)
    description = _clean_block(achievement_description)
    criteria_text = _clean_block(criteria)
    source = _clean(source_label)
    now = timezone.now()
    starts = (valid_from or now).replace(microsecond=0)
    ends = valid_until.replace(microsecond=0) if valid_until is not None else None
    problems = _problems(
        name=name,
        email=email,
        achievement=achievement,
        description=description,
        criteria=criteria_text,
        source_label=source,
        valid_from=starts,
        valid_until=ends,
    )
    if problems:
        raise ValidationError(problems)

    credential_id = uuid.uuid4()
    document = openbadges.credential_document(
        openbadges.Award(
            credential_id=credential_id,
            issuer_id=issuer_url(organisation),
            issuer_name=organisation.name,
            recipient_name=name,
            recipient_email=email,
            achievement_name=achievement,
            achievement_description=description,
            criteria=criteria_text,
            valid_from=starts,
            valid_until=ends,
        )
    )
    # Checked before anything is signed or written: a credential that fails is never issued.
    schema_problems = openbadges.schema_problems(document)
    if schema_problems:
        raise ValidationError(
            [Problem(f"The credential would not meet the Open Badges 3.0 schema: {p}") for p in schema_problems]
        )

    with transaction.atomic():
        key = _signing_key(organisation)
        token = sign(
            openbadges.jwt_claims(document),
            private_key=decrypt_private_key(key.private_key_encrypted, kid=key.kid),
            kid_url=key_url(key),
        )
        credential = Credential.objects.create(
            id=credential_id,
            organisation=organisation,
            person=person,
            recipient_name=name,
            recipient_email=email,
            achievement_name=achievement,
            achievement_description=description,
            criteria=criteria_text,
            source_label=source,
            issued_at=now,
            valid_from=starts,
            valid_until=ends,
            key=key,
            jwt=token,
            issued_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_event(
            actor=actor,
            event="credentials.issued",
            target=credential,
            data={"achievement": achievement, "source": source},
        )
        if email:
            from cadre.credentials.tasks import send_award_email

            transaction.on_commit(lambda: send_award_email.enqueue(credential_id=str(credential_id)))
    return credential


def credential_revoke(*, credential: Credential, reason: str, actor) -> Credential:
    """Withdraw a credential: its page and every check of it say so from now on, with the reason."""
    if not may_issue_for(actor, credential.organisation_id):
        raise PermissionDenied(
            "Only the organisation's learning and development administrators withdraw its credentials."
        )
    reason = _clean(reason)
    if not reason:
        raise ValidationError(
            Problem("Say why it is being withdrawn: the reason is shown to anyone who checks it.", field="reason")
        )
    if len(reason) > MAX_REASON:
        raise ValidationError(Problem(f"The reason must be {MAX_REASON} characters or fewer.", field="reason"))
    with transaction.atomic(durable=True):
        # The row is locked so two withdrawals at once record one date and one reason.
        locked = Credential.objects.select_for_update().get(pk=credential.pk)
        if locked.revoked_at is not None:
            raise ValidationError(Problem("It has already been withdrawn.", field="reason"))
        locked.revoked_at = timezone.now()
        locked.revocation_reason = reason
        locked.save(update_fields=["revoked_at", "revocation_reason"])
        audit_event(actor=actor, event="credentials.revoked", target=locked, data={"reason": reason})
    credential.revoked_at, credential.revocation_reason = locked.revoked_at, locked.revocation_reason
    return credential


def issuer_key_rotate(*, organisation: Organisation, actor) -> IssuerKey:
    """Sign with a new key from now on. The old key is kept (retired) so that everything it signed
    still verifies."""
    if actor is not None and organisation.pk not in organisations_where(actor, Role.ORG_ADMIN):
        raise PermissionDenied("Only the organisation's administrators replace its signing key.")
    private_key, jwk, kid = new_key_pair()
    with transaction.atomic(durable=True):
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        IssuerKey.objects.filter(organisation=organisation, retired_at__isnull=True).update(retired_at=timezone.now())
        key = IssuerKey.objects.create(
            organisation=organisation,
            kid=kid,
            public_jwk=jwk,
            private_key_encrypted=encrypt_private_key(private_key, kid=kid),
        )
        audit_event(actor=actor, event="credentials.key_rotated", target=key, organisation_id=organisation.pk)
    return key
