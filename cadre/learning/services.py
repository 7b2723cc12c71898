"""Writes for learning requests: asking, cancelling, deciding, recording completion (by the person,
an administrator or the provider through a personal link) and the emails each step sends.

Every write checks who is acting, reports every problem at once, and changes nothing when refused.
Emails are queued when the transaction commits."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cadre.catalogue.models import Offering
from cadre.catalogue.selectors import offerings_visible_to
from cadre.core.audit import audit_event
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.learning import selectors
from cadre.learning.evidence import check_file
from cadre.learning.models import OPEN_STATUSES, LearningRequest, evidence_path, new_nonce
from cadre.people.models import Person
from cadre.people.selectors import person_of

MAX_REASON = 2000
MAX_EVIDENCE = 5000
PROVIDER_LINK_DAYS = 30
Status = LearningRequest.Status
DUPLICATE = (
    "You already have a request for this offering that is waiting for a decision or approved. "
    "Cancel that one first if you want to ask again."
)


def _clean(text: str | None) -> str:
    return (text or "").replace("\x00", "").strip()


# -- asking ---------------------------------------------------------------------------------------


@dataclass
class RequestDetails:
    reason: str
    attributes: list[str]
    preferred_start: str = ""


def request_create(*, actor, offering: Offering, details: RequestDetails) -> LearningRequest:
    """The signed-in person asks for an offering they can see in the catalogue."""
    person = person_of(actor)
    if person is None or not person.is_active:
        raise PermissionDenied(
            "Only people with a current staff record in Cadre can ask for development. "
            "Ask your learning and development team to add you."
        )
    if not offerings_visible_to(actor).filter(pk=offering.pk).exists():
        raise PermissionDenied("This offering is not open to you.")
    choices = dict(selectors.attribute_choices(person, offering))
    reason = _clean(details.reason)
    preferred = _clean(details.preferred_start)
    problems = []
    if not reason:
        problems.append(Problem("Say why you want to do this and what you hope to get from it.", field="reason"))
    elif len(reason) > MAX_REASON:
        problems.append(Problem(f"Keep your reason to {MAX_REASON:,} characters or fewer.", field="reason"))
    chosen = list(dict.fromkeys(details.attributes))
    if set(chosen) - set(choices):
        problems.append(Problem("Choose attributes from the list.", field="attributes"))
    if len(preferred) > 200:
        problems.append(Problem("Keep the preferred start to 200 characters or fewer.", field="preferred_start"))
    if LearningRequest.objects.filter(person=person, offering=offering, status__in=OPEN_STATUSES).exists():
        problems.append(Problem(DUPLICATE))
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic(durable=True):
            made = LearningRequest.objects.create(
                organisation_id=person.organisation_id,
                person=person,
                offering=offering,
                reason=reason,
                attributes=[{"key": key, "name": choices[key]} for key in chosen],
                preferred_start=preferred,
                requested_by=actor,
            )
            audit_event(actor=actor, event="learning.requested", target=made, data={"offering": offering.pk})
            transaction.on_commit(lambda: _enqueue(made.pk, "requested"))
    except IntegrityError as error:
        # Two submissions at once: the database's rule (one open request per offering) decides.
        raise ValidationError(Problem(DUPLICATE)) from error
    return made


def request_cancel(*, learning_request: LearningRequest, actor) -> LearningRequest:
    """The person takes back a request that is waiting or approved."""
    if learning_request.person.user_id != actor.pk:
        raise PermissionDenied("Only the person who asked can cancel a request.")
    with transaction.atomic(durable=True):
        locked = LearningRequest.objects.select_for_update().get(pk=learning_request.pk)
        if locked.status not in (Status.REQUESTED, Status.APPROVED):
            raise ValidationError(
                Problem(
                    "This request is already cancelled."
                    if locked.status == Status.CANCELLED
                    else f"This request is {locked.get_status_display().lower()}, so it cannot be cancelled."
                )
            )
        locked.status = Status.CANCELLED
        locked.cancelled_at = locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at", "updated_at"])
        audit_event(actor=actor, event="learning.cancelled", target=locked)
    return locked


# -- deciding -------------------------------------------------------------------------------------


def request_decide(*, learning_request: LearningRequest, actor, approve: bool, reason: str = "") -> LearningRequest:
    """The named approver (or an administrator) approves or declines; a decline needs a reason."""
    if learning_request.person.user_id == actor.pk:
        raise PermissionDenied("You cannot decide your own request. It goes to your line manager or endorser.")
    if not selectors.may_decide(actor, learning_request):
        raise PermissionDenied(
            "Only the line manager, the endorser or a learning and development administrator decides."
        )
    reason = _clean(reason)
    if not approve and not reason:
        raise ValidationError(Problem("Say why the request is declined.", field="reason"))
    if len(reason) > MAX_REASON:
        raise ValidationError(Problem(f"Keep the reason to {MAX_REASON:,} characters or fewer.", field="reason"))
    with transaction.atomic(durable=True):
        locked = LearningRequest.objects.select_for_update().get(pk=learning_request.pk)
        if locked.status != Status.REQUESTED:
            raise ValidationError(
                Problem(
                    f"This request is no longer waiting for a decision: it is {locked.get_status_display().lower()}."
                )
            )
        now = timezone.now()
        decider = person_of(actor)
        locked.status = Status.APPROVED if approve else Status.DECLINED
        locked.decided_by = actor
        locked.decided_by_name = decider.full_name if decider else actor.get_full_name()
        locked.decided_at = locked.updated_at = now
        locked.decision_reason = reason
        locked.save(
            update_fields=["status", "decided_by", "decided_by_name", "decided_at", "updated_at", "decision_reason"]
        )
        audit_event(
            actor=actor,
            event="learning.approved" if approve else "learning.declined",
            target=locked,
            data={"status": locked.status},
        )
        transaction.on_commit(lambda: _enqueue(locked.pk, "decided"))
    return locked


# -- completion -----------------------------------------------------------------------------------


def completion_refusal(learning_request: LearningRequest) -> Problem | None:
    status = learning_request.status
    if status == Status.COMPLETED:
        return Problem(f"Completion is already recorded, on {learning_request.completed_on:%-d %B %Y}.")
    if status == Status.DECLINED:
        return Problem("This request was declined, so there is no completion to record.")
    if status == Status.CANCELLED:
        return Problem("This request was cancelled, so there is no completion to record.")
    if status == Status.REQUESTED:
        return Problem("This request has not been approved yet. Record completion once it is approved.")
    return None


def _date_problems(completed_on: date | None) -> list[Problem]:
    if completed_on is None:
        return [Problem("Enter the date it was completed.", field="completed_on")]
    if completed_on > timezone.localdate():
        return [Problem("The date it was completed must be today or in the past.", field="completed_on")]
    if completed_on.year < 1950:
        return [Problem("Enter a real date it was completed, such as 27 3 2026.", field="completed_on")]
    return []


def completion_record(
    *, learning_request: LearningRequest, actor, completed_on: date | None, evidence: str = "", evidence_file=None
) -> LearningRequest:
    """The person (with evidence: a description, a file or both) or an administrator records completion."""
    if not selectors.may_record_completion(actor, learning_request):
        raise PermissionDenied("Only the person or a learning and development administrator records completion.")
    by_person = learning_request.person.user_id == actor.pk
    current = LearningRequest.objects.get(pk=learning_request.pk)
    refusal = completion_refusal(current)
    if refusal is not None:
        raise ValidationError(refusal)
    evidence = _clean(evidence)
    problems = _date_problems(completed_on)
    if len(evidence) > MAX_EVIDENCE:
        problems.append(Problem(f"Keep the evidence to {MAX_EVIDENCE:,} characters or fewer.", field="evidence"))
    checked = None
    if evidence_file:
        checked, file_problems = check_file(evidence_file)
        problems += file_problems
    elif by_person and not evidence:
        problems.append(
            Problem("Describe your evidence, or attach a file such as a certificate, or both.", field="evidence")
        )
    if problems:
        raise ValidationError(problems)
    stored = default_storage.save(evidence_path(None, checked.name), evidence_file) if checked else ""
    try:
        with transaction.atomic(durable=True):
            locked = LearningRequest.objects.select_for_update().get(pk=learning_request.pk)
            refusal = completion_refusal(locked)
            if refusal is not None:
                raise ValidationError(refusal)
            person = person_of(actor)
            _complete(
                locked,
                completed_on=completed_on,
                recorded_by=LearningRequest.RecordedBy.PERSON
                if by_person
                else LearningRequest.RecordedBy.ADMINISTRATOR,
                user=actor,
                name=person.full_name if person else actor.get_full_name(),
                evidence=evidence,
            )
            if checked:
                locked.evidence_file.name = stored
                locked.evidence_file_name = checked.name
                locked.evidence_content_type = checked.content_type
                locked.save(update_fields=["evidence_file", "evidence_file_name", "evidence_content_type"])
            audit_event(
                actor=actor,
                event="learning.completed",
                target=locked,
                data={"recorded_by": locked.recorded_by, "evidence_file": bool(checked)},
            )
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    return locked


def _complete(locked: LearningRequest, *, completed_on: date, recorded_by: str, user, name: str, evidence: str):
    now = timezone.now()
    locked.status = Status.COMPLETED
    locked.completed_on = completed_on
    locked.completed_at = locked.updated_at = now
    locked.recorded_by = recorded_by
    locked.recorded_by_user = user
    locked.recorded_by_name = name[:200]
    locked.evidence = evidence
    locked.save(
        update_fields=[
            "status",
            "completed_on",
            "completed_at",
            "updated_at",
            "recorded_by",
            "recorded_by_user",
            "recorded_by_name",
            "evidence",
        ]
    )


def provider_link_send(*, learning_request: LearningRequest, actor, name: str, email: str) -> LearningRequest:
    """An administrator emails the provider a personal link on which to confirm completion. A new
    link replaces (and stops) any sent before."""
    if learning_request.organisation_id not in selectors.administered_organisations(actor):
        raise PermissionDenied("Only a learning and development administrator sends the provider a link.")
    name, email = _clean(name), _clean(email).lower()
    problems = []
    try:
        validate_email(email)
    except DjangoValidationError:
        problems.append(
            Problem(
                "Enter the provider's email address in the right format, like name@example.org."
                if email
                else "Enter the provider's email address.",
                field="email",
            )
        )
    if len(name) > 200:
        problems.append(Problem("Keep the name to 200 characters or fewer.", field="name"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        locked = LearningRequest.objects.select_for_update().get(pk=learning_request.pk)
        if locked.status != Status.APPROVED:
            raise ValidationError(
                Problem(
                    "Only an approved request waiting for completion can be sent to the provider. "
                    f"This one is {locked.get_status_display().lower()}."
                )
            )
        now = timezone.now()
        locked.provider_name = name
        locked.provider_email = email
        locked.provider_nonce = new_nonce()
        locked.provider_link_sent_at = locked.updated_at = now
        locked.provider_link_expires_at = now + timedelta(days=PROVIDER_LINK_DAYS)
        locked.save(
            update_fields=[
                "provider_name",
                "provider_email",
                "provider_nonce",
                "provider_link_sent_at",
                "provider_link_expires_at",
                "updated_at",
            ]
        )
        audit_event(actor=actor, event="learning.provider_link_sent", target=locked)
        transaction.on_commit(lambda: _enqueue(locked.pk, "provider_link"))
    return locked


def provider_link_refusal(learning_request: LearningRequest) -> str | None:
    """Why the provider's link cannot take a completion now, or None."""
    if learning_request.status == Status.COMPLETED:
        return f"Completion was recorded on {learning_request.completed_on:%-d %B %Y}. Thank you."
    if learning_request.status != Status.APPROVED:
        return "This place is no longer open, so there is nothing to confirm."
    if learning_request.provider_link_expired:
        return (
            "This link has expired. Ask "
            f"{learning_request.organisation.name}'s learning and development team to send a new one."
        )
    return None


def provider_completion_confirm(
    *, learning_request: LearningRequest, token: str, completed_on: date | None, note: str = "", name: str = ""
) -> LearningRequest:
    """The provider confirms completion through their personal link: no account needed."""
    if not learning_request.provider_token_matches(token):
        raise PermissionDenied("This link is not right.")
    refusal = provider_link_refusal(learning_request)
    if refusal:
        raise ValidationError(Problem(refusal))
    note, name = _clean(note), _clean(name)
    problems = _date_problems(completed_on)
    if len(note) > MAX_EVIDENCE:
        problems.append(Problem(f"Keep the note to {MAX_EVIDENCE:,} characters or fewer.", field="note"))
    if len(name) > 200:
        problems.append(Problem("Keep your name to 200 characters or fewer.", field="name"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        locked = (
            LearningRequest.objects.select_for_update()
            .select_related("organisation", "offering")
            .get(pk=learning_request.pk)
        )
        if not locked.provider_token_matches(token):
            raise PermissionDenied("This link is not right.")
        refusal = provider_link_refusal(locked)
        if refusal:
            raise ValidationError(Problem(refusal))
        _complete(
            locked,
            completed_on=completed_on,
            recorded_by=LearningRequest.RecordedBy.PROVIDER,
            user=None,
            name=name or locked.provider_name or locked.offering.provider or "The provider",
            evidence=note,
        )
        audit_event(actor=None, event="learning.completed", target=locked, data={"recorded_by": "provider"})
    return locked


# -- emails ---------------------------------------------------------------------------------------


def _enqueue(request_id: int, event: str) -> None:
    from cadre.learning.tasks import send_learning_email

    send_learning_email.enqueue(request_id=request_id, event=event)


def _url(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def provider_link_for(learning_request: LearningRequest) -> str:
    return _url("learning:provider", learning_request.pk, learning_request.provider_token())


def _email_of(person: Person | None) -> str:
    if person is None:
        return ""
    if person.user_id and person.user.is_active and person.user.email:
        return person.user.email
    return person.email


def learning_email_send(request_id: int, event: str) -> int:
    """Send the email for one step of a request. Returns how many went."""
    found = (
        LearningRequest.objects.select_related(
            "person__user", "person__line_manager__user", "person__endorser__user", "offering", "organisation"
        )
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        return 0
    person, offering = found.person, found.offering
    if event == "requested":
        if found.status != Status.REQUESTED:
            return 0
        approver = selectors.named_approver(person)
        recipients = (
            [_email_of(approver)] if approver else [u.email for u in selectors.administrators_of(found.organisation_id)]
        )
        recipients = [r for r in recipients if r]
        if not recipients:
            return 0
        greeting = f"Hello {approver.first_name}," if approver else "Hello,"
        body = (
            f"{greeting}\n\n{person.full_name} has asked to do {offering.title}"
            f"{' (' + offering.provider + ')' if offering.provider else ''}.\n\n"
            f"Their reason:\n{found.reason}\n\n"
            f"Please approve or decline it here:\n{_url('learning:decide', found.pk)}\n"
        )
        send_mail(f"{person.full_name} asks to do {offering.title}", body, None, recipients)
        return len(recipients)
    if event == "decided":
        to = _email_of(person)
        if not to or found.status not in (Status.APPROVED, Status.DECLINED):
            return 0
        if found.status == Status.APPROVED:
            subject = f"Approved: {offering.title}"
            outcome = f"{found.decided_by_name or 'Your approver'} approved your request to do {offering.title}."
        else:
            subject = f"Not approved: {offering.title}"
            outcome = f"{found.decided_by_name or 'Your approver'} declined your request to do {offering.title}."
        reason = f"\n\nTheir reason:\n{found.decision_reason}" if found.decision_reason else ""
        body = (
            f"Hello {person.first_name},\n\n{outcome}{reason}\n\n"
            f"See your request here:\n{_url('learning:detail', found.pk)}\n"
        )
        send_mail(subject, body, None, [to])
        return 1
    if event == "provider_link":
        if not found.provider_email or found.status != Status.APPROVED:
            return 0
        until = timezone.localtime(found.provider_link_expires_at)
        body = (
            f"Hello{' ' + found.provider_name if found.provider_name else ''},\n\n"
            f"{found.organisation.name} asks you to confirm that {person.full_name} has completed "
            f"{offering.title}.\n\nConfirm it here (this link is yours alone; no account is needed):\n"
            f"{provider_link_for(found)}\n\nThe link works until {until:%-d %B %Y}.\n"
        )
        send_mail(f"Please confirm completion: {offering.title}", body, None, [found.provider_email])
        return 1
    return 0
