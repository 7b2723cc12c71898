"""Writes about organisations, roles and invitations."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from cadre.core.errors import Problem, ValidationError
from cadre.core.models import Invitation, Membership, Organisation, Role, User
from cadre.people.models import Person

INVITATION_DAYS = 14


def organisation_create(*, slug: str, name: str, type: str, actor=None) -> Organisation:
    problems = []
    if not slug or slugify(slug) != slug:
        problems.append(
            Problem("Use lower-case letters, numbers and hyphens only, such as north-borough.", field="slug")
        )
    if not name.strip():
        problems.append(Problem("Enter the organisation's name.", field="name"))
    if type not in Organisation.Type.values:
        problems.append(Problem(f"The type must be one of: {', '.join(Organisation.Type.values)}.", field="type"))
    if slug and Organisation.objects.filter(slug=slug).exists():
        problems.append(Problem(f"An organisation with the slug {slug} already exists.", field="slug"))
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():
            return Organisation.objects.create(slug=slug, name=name.strip(), type=type)
    except IntegrityError as error:
        raise ValidationError(Problem(f"An organisation with the slug {slug} already exists.", field="slug")) from error


def role_grant(*, user: User, organisation: Organisation, role: str, actor=None) -> Membership:
    if role not in Role.values:
        raise ValidationError(Problem(f"‘{role}’ is not a role.", field="role"))
    membership, _ = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return membership


def role_revoke(*, user: User, organisation: Organisation, role: str, actor=None) -> None:
    for membership in Membership.objects.filter(user=user, organisation=organisation, role=role):
        membership.delete()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_send(
    *, organisation: Organisation, email: str, actor=None, roles: list[str] | None = None, person=None
) -> tuple[Invitation, str]:
    """Invite someone to take up a login. Returns the invitation and its link (shown to the sender
    as well as emailed). The token itself is never stored, only its hash."""
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.core.validators import validate_email

    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError as error:
        raise ValidationError(Problem(f"‘{email}’ is not a valid email address.", field="email")) from error
    bad_roles = [r for r in roles or [] if r not in Role.values]
    if bad_roles:
        raise ValidationError(Problem(f"Unknown roles: {', '.join(bad_roles)}.", field="roles"))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            person=person,
            roles=list(roles or [Role.MEMBER]),
            token_hash=_token_hash(token),
            invited_by=actor if getattr(actor, "pk", None) else None,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        link = settings.SITE_URL + reverse("invitation_accept", args=[token])
        body = render_to_string(
            "core/emails/invitation.txt",
            {"organisation": organisation, "link": link, "days": INVITATION_DAYS, "invitation": invitation},
        )
        transaction.on_commit(
            lambda: send_mail(f"You are invited to Cadre for {organisation.name}", body, None, [email])
        )
    return invitation, link


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation", "person").filter(token_hash=_token_hash(token)).first()


def invitation_accept(*, token: str, password: str, full_name: str = "") -> User:
    """Take up an invitation: create (or reuse) the login, link the person, grant the roles."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError as DjangoValidationError

    invitation = invitation_for_token(token)
    if invitation is None:
        raise ValidationError(Problem("This invitation link is not valid. Ask for a new invitation."))
    if invitation.accepted_at is not None:
        raise ValidationError(Problem("This invitation has already been used. Sign in instead."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(Problem("This invitation has expired. Ask for a new invitation."))
    try:
        validate_password(password, User(email=invitation.email, full_name=full_name))
    except DjangoValidationError as error:
        raise ValidationError([Problem(m, field="password") for m in error.messages]) from error
    try:
        with transaction.atomic(durable=True):
            locked = Invitation.objects.select_for_update(of=("self",)).select_related("person").get(pk=invitation.pk)
            if locked.accepted_at is not None:
                raise ValidationError(Problem("This invitation has already been used. Sign in instead."))
            user = User.objects.select_for_update().filter(email__iexact=locked.email).first()
            if locked.person_id and user is not None:
                linked = Person.objects.filter(user=user).exclude(pk=locked.person_id).first()
                if linked is not None:
                    raise ValidationError(
                        Problem(
                            f"The login {locked.email} already belongs to a staff record at "
                            f"{linked.organisation.name}. Ask your administrator to invite a different email address."
                        )
                    )
            if user is None:
                user = User.objects.create_user(locked.email, password, full_name=full_name.strip())
            else:
                user.set_password(password)
                user.is_active = True  # someone who left and has been invited back
                user.save(update_fields=["password", "is_active"])
            for role in locked.roles:
                Membership.objects.get_or_create(user=user, organisation=locked.organisation, role=role)
            if locked.person_id and locked.person.user_id is None:
                locked.person.user = user
                locked.person.save(update_fields=["user"])
            from allauth.account.models import EmailAddress

            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
            locked.accepted_at = timezone.now()
            locked.save(update_fields=["accepted_at"])
    except IntegrityError as error:
        raise ValidationError(
            Problem("This invitation was being accepted at the same moment elsewhere. Sign in, or try again.")
        ) from error
    return user
