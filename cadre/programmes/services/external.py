"""External participants: people from outside the public sector (a local business, a charity) who
take a place on an open programme.

Such a person gets a staff-style record in the programme's organisation, with the role type
`external_participant`, and an invitation to a login, but no role in the organisation: so they see
their own record, the organisation's open programmes and what they applied to, never its staff."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from cadre.core.audit import acting_as, audit_event
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.core.models import Invitation, Organisation, User
from cadre.core.services import invitation_send
from cadre.people.models import Person, RoleType
from cadre.programmes.models import Programme
from cadre.programmes.rules import is_programme_administrator


@dataclass
class ExternalParticipantDetails:
    first_name: str
    last_name: str
    email: str
    employer: str


def _problems(programme: Programme, details: ExternalParticipantDetails) -> list[Problem]:
    problems = []
    if programme.audience != Programme.Audience.OPEN:
        problems.append(
            Problem(
                "This programme is not open to people from outside the public sector. "
                "Change who may take places in its design first."
            )
        )
    for field, label, value, longest in (
        ("first_name", "their first name", details.first_name, 100),
        ("last_name", "their last name", details.last_name, 100),
        ("employer", "who they work for", details.employer, 200),
    ):
        if not value.strip():
            problems.append(Problem(f"Enter {label}.", field=field))
        elif len(value.strip()) > longest:
            problems.append(Problem(f"{label.capitalize()} must be {longest} characters or fewer.", field=field))
    email = details.email.strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError:
        problems.append(Problem("Enter an email address in the correct format, like name@example.com.", field="email"))
    else:
        problems.extend(_email_taken(programme, email))
    return problems


def _email_taken(programme: Programme, email: str) -> list[Problem]:
    existing = Person.objects.filter(organisation_id=programme.organisation_id, email__iexact=email).first()
    if existing is not None:
        if existing.role_type == RoleType.EXTERNAL_PARTICIPANT:
            return [Problem(f"{existing.full_name} has already been invited with this email address.", field="email")]
        return [
            Problem(
                f"{existing.full_name} works for {programme.organisation.name} with this email address, "
                "so they can apply as a member of staff.",
                field="email",
            )
        ]
    if User.objects.filter(email__iexact=email).exists():
        return [
            Problem(
                "Someone already signs in to Cadre with this email address. "
                "Ask the participant for another address, such as their work one.",
                field="email",
            )
        ]
    return []


def external_participant_invite(
    *, programme: Programme, actor, details: ExternalParticipantDetails
) -> tuple[Person, str]:
    """Add someone from outside the public sector to an open programme's organisation, and invite
    them to a login with no role there. Returns their record and the invitation's link."""
    if not is_programme_administrator(actor, programme.organisation_id):
        raise PermissionDenied("Only the programme's administrators invite external participants.")
    problems = _problems(programme, details)
    if problems:
        raise ValidationError(problems)
    email = details.email.strip().lower()
    with transaction.atomic(durable=True), acting_as(actor):
        # One invitation at a time in the organisation, so two at once cannot make two records.
        Organisation.objects.select_for_update().filter(pk=programme.organisation_id).exists()
        problems = _email_taken(programme, email)
        if problems:
            raise ValidationError(problems)
        person = Person.objects.create(
            organisation_id=programme.organisation_id,
            first_name=details.first_name.strip(),
            last_name=details.last_name.strip(),
            email=email,
            role_type=RoleType.EXTERNAL_PARTICIPANT,
        )
        invitation, link = invitation_send(organisation=programme.organisation, email=email, actor=actor, person=person)
        # `invitation_send` grants the member role unless told otherwise; an external participant
        # holds no role in the organisation, so that they never see its staff.
        Invitation.objects.filter(pk=invitation.pk).update(roles=[])
        audit_event(
            actor=actor,
            event="programme.external_participant_invited",
            target=person,
            data={"programme": programme.pk, "employer": details.employer.strip()},
        )
        transaction.on_commit(lambda: _email_about_programme(person.pk, programme.pk))
    return person, link


def _email_about_programme(person_id: int, programme_id: int) -> None:
    person = Person.objects.select_related("organisation").get(pk=person_id)
    programme = Programme.objects.get(pk=programme_id)
    address = settings.SITE_URL.rstrip("/") + reverse("programmes:programme", args=[programme.pk])
    send_mail(
        f"{programme.title}: how to apply",
        f"Hello {person.first_name},\n\n{person.organisation.name} has invited you to apply for a place on "
        f"{programme.title}: {programme.summary}\n\nFirst set your password with the link in the invitation "
        f"email we have also sent you. Then read about the programme and apply here:\n{address}\n",
        None,
        [person.email],
    )
