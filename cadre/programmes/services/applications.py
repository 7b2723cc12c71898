"""From application to a place: applying or being nominated, endorsement, the selection panel's
scores, the decision with its reasons, offers, and the waiting list.

Places are decided by the database. Every write that can take or free a place locks the cohort's
row first (`select_for_update`), so two acceptances, two declines or an acceptance and a change of
capacity are taken one after the other and a cohort never holds more people than it has places.
Places come in two pools: the organisation's own people, and the places kept for partners (people
from the programme's network and, on an open programme, external participants).

The waiting list is fair and automatic: people the panel selected wait in order of the panel's mean
score, highest first, then by when they applied; whenever a place in their pool is free (a decline,
a withdrawal, a lapsed offer, more places), the first in line is offered it."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Avg, F
from django.urls import reverse
from django.utils import timezone

from cadre.core.audit import audit_event
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.people.models import Person, RoleType
from cadre.people.selectors import managers_above, person_of
from cadre.programmes.models import Application, ApplicationAttribute, Cohort, PanelScore, Programme
from cadre.programmes.rules import is_on_panel_of, is_programme_administrator
from cadre.programmes.selectors import endorser_of

MAX_STATEMENT = 5_000


@dataclass
class Statement:
    """What an applicant writes: a statement, and the selection criteria they address."""

    text: str
    attributes: dict[str, str] = field(default_factory=dict)
    employer: str = ""


def pool_for(person: Person, programme: Programme) -> str | None:
    """Which places a person may take, or None when they may not apply at all."""
    if person.role_type == RoleType.EXTERNAL_PARTICIPANT:
        if programme.takes_external_applicants and person.organisation_id == programme.organisation_id:
            return Application.Pool.PARTNER
        return None
    if person.organisation_id == programme.organisation_id:
        return Application.Pool.HOME
    shared = programme.audience != Programme.Audience.OWN and programme.network_id is not None
    if shared and programme.network.organisations.filter(pk=person.organisation_id).exists():
        return Application.Pool.PARTNER
    return None


def eligibility_problems(person: Person, cohort: Cohort, *, today=None) -> list[Problem]:
    """Why this person may not apply to this cohort now; empty when they may."""
    today = today or timezone.localdate()
    programme = cohort.programme
    if programme.status != Programme.Status.PUBLISHED:
        return [Problem("This programme is not taking applications.")]
    if cohort.status != Cohort.Status.OPEN:
        return [Problem("This cohort is not open for applications.")]
    if cohort.applications_open_on and today < cohort.applications_open_on:
        return [Problem(f"Applications open on {cohort.applications_open_on:%-d %B %Y}.")]
    if cohort.applications_close_on and today > cohort.applications_close_on:
        return [Problem(f"Applications closed on {cohort.applications_close_on:%-d %B %Y}.")]
    if person.status != Person.Status.ACTIVE:
        return [Problem(f"{person.full_name} has left, so cannot apply.")]
    pool = pool_for(person, programme)
    if pool is None:
        return [Problem("This programme is not open to people from your organisation.")]
    if pool == Application.Pool.PARTNER and cohort.partner_places == 0:
        return [Problem("This cohort keeps no places for people from partner organisations.")]
    # Tiers are checked for the organisation's own people, and for partners' people whose tier is in
    # the programme's framework (a shared one); partners with frameworks of their own are screened
    # by their endorser and the panel.
    own_framework = person.tier is not None and person.tier.version.framework_id == programme.framework_id
    if programme.eligible_tiers and (pool == Application.Pool.HOME or own_framework):
        if person.tier is None:
            return [
                Problem("Your development tier is not set, so Cadre cannot tell whether this programme is for you.")
            ]
        if person.tier.key not in programme.eligible_tiers:
            return [Problem(f"This programme is not for people at the {person.tier.name} tier.")]
    return []


def _statement_problems(programme: Programme, statement: Statement, person: Person) -> list[Problem]:
    problems = []
    if not statement.text.strip():
        problems.append(
            Problem("Write your statement: why you want a place and what you will bring.", field="statement")
        )
    elif len(statement.text) > MAX_STATEMENT:
        problems.append(Problem(f"The statement must be {MAX_STATEMENT:,} characters or fewer.", field="statement"))
    chosen = set(statement.attributes)
    if programme.selection_attributes:
        unknown = chosen - set(programme.selection_attributes)
        if unknown:
            problems.append(Problem("Choose attributes from the programme's selection criteria.", field="attributes"))
        elif not chosen:
            problems.append(
                Problem("Choose at least one of the selection criteria to write about.", field="attributes")
            )
        for key, text in statement.attributes.items():
            if key in programme.selection_attributes and len(text) > MAX_STATEMENT:
                problems.append(Problem("Each example must be 5,000 characters or fewer.", field=f"attribute-{key}"))
    elif chosen:
        problems.append(Problem("This programme has no selection criteria to choose from.", field="attributes"))
    if person.role_type == RoleType.EXTERNAL_PARTICIPANT and not statement.employer.strip():
        problems.append(Problem("Enter who you work for.", field="employer"))
    if len(statement.employer) > 200:
        problems.append(Problem("Your employer's name must be 200 characters or fewer.", field="employer"))
    return problems


ENDED = (Cohort.Status.CANCELLED, Cohort.Status.COMPLETED)


def _refuse_if_ended(cohort: Cohort) -> None:
    """Nothing moves on an application once its cohort is cancelled or over."""
    if cohort.status in ENDED:
        raise ValidationError(Problem(f"The cohort is {cohort.get_status_display().lower()}, so this cannot be done."))


def _needs_endorsement(application: Application) -> bool:
    programme = application.cohort.programme
    return programme.needs_endorsement and endorser_of(application.person) is not None


def _write_statement(application: Application, statement: Statement) -> None:
    application.statement = statement.text.strip()
    application.employer = statement.employer.strip()
    application.attributes.all().delete()
    ApplicationAttribute.objects.bulk_create(
        ApplicationAttribute(application=application, key=key, text=text.strip())
        for key, text in statement.attributes.items()
    )


def _submit(application: Application, actor) -> None:
    """The application is complete: it goes to the endorser, or straight to selection."""
    now = timezone.now()
    application.submitted_at = now
    endorser = endorser_of(application.person)
    if _needs_endorsement(application) and not (endorser and endorser.user_id == getattr(actor, "pk", None)):
        application.status = Application.Status.SUBMITTED
        transaction.on_commit(lambda: _email_endorser(application.pk))
    else:
        application.status = Application.Status.ENDORSED
        if endorser and endorser.user_id == getattr(actor, "pk", None):
            application.endorsed_by, application.endorsed_at = actor, now


def application_submit(*, cohort: Cohort, actor, statement: Statement) -> Application:
    """The signed-in person applies for a place. Applying twice is refused, whatever the timing."""
    person = person_of(actor)
    if person is None:
        raise PermissionDenied("Only someone with a staff or participant record can apply.")
    problems = eligibility_problems(person, cohort) + _statement_problems(cohort.programme, statement, person)
    if Application.objects.filter(cohort=cohort, person=person).exists():
        problems = [Problem("You have already applied to this cohort.")]
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic(durable=True):
            application = Application.objects.create(
                cohort=cohort,
                organisation_id=cohort.organisation_id,
                person=person,
                pool=pool_for(person, cohort.programme),
            )
            _write_statement(application, statement)
            _submit(application, actor)
            application.save()
            audit_event(actor=actor, event="application.submitted", target=application)
    except IntegrityError as error:
        # A second request that raced the first past the check above.
        raise ValidationError(Problem("You have already applied to this cohort.")) from error
    return application


def may_nominate(actor, person: Person, cohort: Cohort) -> bool:
    """Line managers up the chain and the administrators of the person's own or the cohort's organisation."""
    me = person_of(actor)
    if me is not None and me.pk in managers_above(person.pk):
        return True
    if me is not None and person.endorser_id == me.pk:
        return True
    return is_programme_administrator(actor, cohort.organisation_id) or is_programme_administrator(
        actor, person.organisation_id
    )


def application_nominate(*, cohort: Cohort, actor, person: Person, reason: str) -> Application:
    """Put someone forward. They are asked to write their own statement; then it goes on as an application."""
    if not may_nominate(actor, person, cohort):
        raise PermissionDenied("You can nominate the people you line-manage, or anyone if you run the programme.")
    problems = eligibility_problems(person, cohort)
    if person.user_id is None:
        problems.append(Problem(f"{person.full_name} has no login yet: invite them to Cadre first."))
    if not reason.strip():
        problems.append(Problem("Say why you are nominating them.", field="reason"))
    elif len(reason) > MAX_STATEMENT:
        problems.append(Problem("The reason must be 5,000 characters or fewer.", field="reason"))
    if Application.objects.filter(cohort=cohort, person=person).exists():
        problems = [Problem(f"{person.full_name} has already applied or been nominated for this cohort.")]
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic(durable=True):
            application = Application.objects.create(
                cohort=cohort,
                organisation_id=cohort.organisation_id,
                person=person,
                kind=Application.Kind.NOMINATION,
                pool=pool_for(person, cohort.programme),
                nominated_by=actor,
                status=Application.Status.NOMINATED,
                endorsement_note=reason.strip(),
            )
            audit_event(actor=actor, event="application.nominated", target=application)
            transaction.on_commit(lambda: _email_nominee(application.pk))
    except IntegrityError as error:
        raise ValidationError(Problem(f"{person.full_name} has already been nominated for this cohort.")) from error
    return application


def nomination_complete(*, application: Application, actor, statement: Statement) -> Application:
    """The nominee writes their statement, and the nomination goes on like an application. A nomination
    from the person's own endorser counts as their endorsement."""
    if application.person.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("Only the person nominated completes their nomination.")
    with transaction.atomic(durable=True):
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cohort__programme", "person")
            .get(pk=application.pk)
        )
        if application.status != Application.Status.NOMINATED:
            raise ValidationError(Problem("This nomination has already been completed or withdrawn."))
        _refuse_if_ended(application.cohort)
        problems = _statement_problems(application.cohort.programme, statement, application.person)
        if problems:
            raise ValidationError(problems)
        _write_statement(application, statement)
        _submit(application, application.nominated_by)
        application.updated_at = timezone.now()
        application.save()
        audit_event(actor=actor, event="application.submitted", target=application)
    return application


def may_endorse(actor, application: Application) -> bool:
    endorser = endorser_of(application.person)
    if endorser is not None and endorser.user_id == getattr(actor, "pk", None):
        return True
    return is_programme_administrator(actor, application.organisation_id)


def application_endorse(*, application: Application, actor, endorse: bool | None, note: str) -> Application:
    """The line manager (or an elected member's endorser) supports the application, or does not, with a reason."""
    if application.person.user_id == getattr(actor, "pk", None):
        raise PermissionDenied("Nobody endorses their own application.")
    if not may_endorse(actor, application):
        raise PermissionDenied("Only the applicant's line manager or endorser can endorse this application.")
    problems = []
    if endorse is None:
        problems.append(Problem("Choose whether you endorse the application.", field="endorse"))
    elif not endorse and not note.strip():
        problems.append(Problem("Give the reason you do not endorse it: the applicant will see it.", field="note"))
    if len(note) > MAX_STATEMENT:
        problems.append(Problem("The note must be 5,000 characters or fewer.", field="note"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Application.Status.SUBMITTED:
            raise ValidationError(Problem("This application is not waiting for endorsement."))
        _refuse_if_ended(Cohort.objects.get(pk=application.cohort_id))
        application.status = Application.Status.ENDORSED if endorse else Application.Status.NOT_ENDORSED
        application.endorsed_by, application.endorsed_at = actor, timezone.now()
        application.endorsement_note = note.strip()
        application.updated_at = timezone.now()
        application.save()
        audit_event(
            actor=actor, event="application.endorsed" if endorse else "application.not_endorsed", target=application
        )
        transaction.on_commit(lambda: _email_applicant(application.pk))
    return application


SCORABLE = (Application.Status.ENDORSED, Application.Status.WAITING, Application.Status.NOT_SELECTED)


def application_score(
    *, application: Application, actor, scores: dict[str, int | None], notes: dict[str, str]
) -> Application:
    """A panel member scores an application against each selection criterion, 0 to 4. Scoring again
    replaces that member's scores; the application's panel score is the mean of every member's."""
    cohort = application.cohort
    if not (is_on_panel_of(actor, cohort) or is_programme_administrator(actor, cohort.organisation_id)):
        raise PermissionDenied("Only the selection panel scores applications.")
    if application.person.user_id == getattr(actor, "pk", None):
        raise PermissionDenied("Nobody scores their own application.")
    criteria = cohort.programme.selection_attributes
    problems = []
    if not criteria:
        problems.append(Problem("The programme has no selection criteria to score against."))
    for key in criteria:
        value = scores.get(key)
        if value is None:
            problems.append(Problem(f"Score {key}: choose 0 to 4.", field=f"score-{key}"))
        elif not 0 <= value <= 4:
            problems.append(Problem(f"Score {key} from 0 to 4.", field=f"score-{key}"))
        if len(notes.get(key, "")) > MAX_STATEMENT:
            problems.append(Problem("Each note must be 5,000 characters or fewer.", field=f"note-{key}"))
    if set(scores) - set(criteria):
        problems.append(Problem("Score only the programme's selection criteria.", field="scores"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in SCORABLE:
            raise ValidationError(Problem("Only endorsed applications waiting for a decision are scored."))
        PanelScore.objects.filter(application=application, panel_member=actor).delete()
        PanelScore.objects.bulk_create(
            PanelScore(
                application=application, panel_member=actor, key=key, score=scores[key], note=notes.get(key, "").strip()
            )
            for key in criteria
        )
        mean = application.scores.aggregate(mean=Avg("score"))["mean"]
        application.panel_score = Decimal(str(mean)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        application.updated_at = timezone.now()
        application.save(update_fields=["panel_score", "updated_at"])
        audit_event(actor=actor, event="application.scored", target=application)
    return application


def application_decide(*, application: Application, actor, selected: bool | None, reason: str) -> Application:
    """Record the panel's outcome with its reasons. Someone selected joins the waiting list in order of
    their score; once offers have started, a free place goes to them at once if they are first in line."""
    cohort = application.cohort
    if not is_programme_administrator(actor, cohort.organisation_id):
        raise PermissionDenied("Only the programme's administrators record selection decisions.")
    if application.person.user_id == getattr(actor, "pk", None):
        raise PermissionDenied("Nobody decides their own application.")
    problems = []
    if selected is None:
        problems.append(Problem("Choose whether the applicant is selected.", field="selected"))
    if not reason.strip():
        problems.append(Problem("Give the reasons for the decision: the applicant will see them.", field="reason"))
    elif len(reason) > MAX_STATEMENT:
        problems.append(Problem("The reasons must be 5,000 characters or fewer.", field="reason"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in SCORABLE:
            raise ValidationError(Problem("Only endorsed applications waiting for a decision can be decided."))
        _refuse_if_ended(cohort)
        application.status = Application.Status.WAITING if selected else Application.Status.NOT_SELECTED
        application.decided_by, application.decided_at = actor, timezone.now()
        application.decision_reason = reason.strip()
        application.updated_at = timezone.now()
        application.save()
        audit_event(actor=actor, event="application.decided", target=application, data={"selected": bool(selected)})
        if not selected:
            transaction.on_commit(lambda: _email_applicant(application.pk))
        if cohort.status in (Cohort.Status.SELECTING, Cohort.Status.RUNNING):
            fill_places(cohort)
    return application


def offers_start(*, cohort: Cohort, actor) -> list[Application]:
    """Selection is over: offer every free place to the first in line in its pool."""
    if not is_programme_administrator(actor, cohort.organisation_id):
        raise PermissionDenied("Only the programme's administrators make offers.")
    with transaction.atomic(durable=True):
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
        if cohort.status not in (Cohort.Status.OPEN, Cohort.Status.SELECTING, Cohort.Status.PLANNED):
            raise ValidationError(Problem("Offers can be made only before a cohort starts running."))
        undecided = cohort.applications.filter(status__in=(Application.Status.SUBMITTED, Application.Status.ENDORSED))
        if undecided.exists():
            raise ValidationError(
                Problem(
                    f"{undecided.count()} applications are still waiting for endorsement or a decision: "
                    "decide them first so the order of the waiting list is fair."
                )
            )
        if not cohort.applications.filter(status=Application.Status.WAITING).exists():
            raise ValidationError(Problem("Nobody has been selected yet."))
        cohort.status = Cohort.Status.SELECTING
        cohort.save(update_fields=["status"])
        offered = fill_places(cohort)
        audit_event(actor=actor, event="cohort.offers_made", target=cohort, data={"offers": len(offered)})
    return offered


def waiting_order(cohort: Cohort, pool: str):
    """The waiting list of one pool, first in line first."""
    return cohort.applications.filter(status=Application.Status.WAITING, pool=pool).order_by(
        F("panel_score").desc(nulls_last=True), "submitted_at", "id"
    )


def fill_places(cohort: Cohort) -> list[Application]:
    """Offer each free place to the first in line in its pool. Call only with the cohort's row locked."""
    if cohort.status not in (Cohort.Status.SELECTING, Cohort.Status.RUNNING):
        return []
    offered = []
    now = timezone.now()
    for pool, places in (
        (Application.Pool.HOME, cohort.home_places),
        (Application.Pool.PARTNER, cohort.partner_places),
    ):
        held = cohort.applications.filter(pool=pool, status__in=Application.HOLDS_A_PLACE).count()
        free = places - held
        if free <= 0:
            continue
        for application in waiting_order(cohort, pool)[:free]:
            application.status = Application.Status.OFFERED
            application.offered_at = now
            application.offer_expires_at = now + timedelta(days=cohort.offer_days)
            application.responded_at = None
            application.updated_at = now
            application.save()
            offered.append(application)
            audit_event(actor=None, event="application.offered", target=application)
    ids = [application.pk for application in offered]
    if ids:
        transaction.on_commit(lambda: [_email_applicant(pk) for pk in ids])
    return offered


def offer_respond(*, application: Application, actor, accept: bool | None) -> Application:
    """The applicant accepts or declines their offer. Acceptance checks, under the cohort's lock, that a
    place in their pool is still free; a decline passes the place to the next in line."""
    if application.person.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("Only the person offered the place can accept or decline it.")
    if accept is None:
        raise ValidationError(Problem("Choose whether you accept the place.", field="accept"))
    refusal = None
    with transaction.atomic(durable=True):
        cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
        application = (
            Application.objects.select_for_update(of=("self",)).select_related("person__tier").get(pk=application.pk)
        )
        if application.status != Application.Status.OFFERED:
            raise ValidationError(Problem("There is no open offer to answer: it may have lapsed or been answered."))
        _refuse_if_ended(cohort)
        now = timezone.now()
        if application.offer_expires_at and application.offer_expires_at < now:
            # Kept, though the answer is refused: the place passes on.
            application.status = Application.Status.LAPSED
            application.save(update_fields=["status"])
            audit_event(actor=None, event="offer.lapsed", target=application)
            fill_places(cohort)
            refusal = "The offer lapsed before it was accepted and has passed to the waiting list."
        elif accept and _taken(cohort, application.pool) >= _places(cohort, application.pool):
            application.status = Application.Status.WAITING
            application.save(update_fields=["status"])
            refusal = "Sorry, the last place has just been taken. You are back on the waiting list, in your place."
        else:
            if accept:
                application.status = Application.Status.ACCEPTED
                tier = application.person.tier
                application.tier_rank_at_start = tier.rank if tier else None
            else:
                application.status = Application.Status.DECLINED
            application.responded_at = now
            application.updated_at = now
            application.save()
            audit_event(actor=actor, event="offer.accepted" if accept else "offer.declined", target=application)
            if accept:
                from cadre.programmes.services.sessions import invitations_send_for

                invitations_send_for(application)
            else:
                fill_places(cohort)
    if refusal:
        raise ValidationError(Problem(refusal))
    return application


def _places(cohort: Cohort, pool: str) -> int:
    return cohort.home_places if pool == Application.Pool.HOME else cohort.partner_places


def _taken(cohort: Cohort, pool: str) -> int:
    return cohort.applications.filter(
        pool=pool, status__in=(Application.Status.ACCEPTED, Application.Status.COMPLETED)
    ).count()


def application_withdraw(*, application: Application, actor, reason: str = "") -> Application:
    """The applicant (or an administrator) withdraws. A place they held goes to the next in line."""
    is_self = application.person.user_id == getattr(actor, "pk", None)
    if not (is_self or is_programme_administrator(actor, application.organisation_id)):
        raise PermissionDenied("Only the applicant or the programme's administrators can withdraw an application.")
    if len(reason) > MAX_STATEMENT:
        raise ValidationError(Problem("The reason must be 5,000 characters or fewer.", field="reason"))
    with transaction.atomic(durable=True):
        cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in (*Application.IN_PROGRESS, Application.Status.ACCEPTED):
            raise ValidationError(Problem("This application has already ended, so there is nothing to withdraw."))
        application.status = Application.Status.WITHDRAWN
        application.decision_reason = reason.strip() or application.decision_reason
        application.updated_at = timezone.now()
        application.save()
        audit_event(actor=actor, event="application.withdrawn", target=application)
        fill_places(cohort)
    return application


def offers_lapse(now=None) -> int:
    """Offers past their time pass to the waiting list (the scheduler runs this)."""
    now = now or timezone.now()
    lapsed = 0
    cohort_ids = set(
        Application.objects.filter(status=Application.Status.OFFERED, offer_expires_at__lt=now).values_list(
            "cohort_id", flat=True
        )
    )
    for cohort_id in sorted(cohort_ids):
        with transaction.atomic(durable=True):
            cohort = Cohort.objects.select_for_update().get(pk=cohort_id)
            expired = list(
                cohort.applications.select_for_update().filter(
                    status=Application.Status.OFFERED, offer_expires_at__lt=now
                )
            )
            for application in expired:
                application.status = Application.Status.LAPSED
                application.updated_at = now
                application.save(update_fields=["status", "updated_at"])
                audit_event(actor=None, event="offer.lapsed", target=application)
            lapsed += len(expired)
            fill_places(cohort)
    return lapsed


# -- emails ---------------------------------------------------------------------------------------


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _email_endorser(application_id: int) -> None:
    application = Application.objects.select_related("person", "cohort__programme").get(pk=application_id)
    endorser = endorser_of(application.person)
    if endorser is None or not endorser.email:
        return
    send_mail(
        f"Please endorse {application.person.full_name}'s application",
        f"Hello {endorser.first_name},\n\n{application.person.full_name} has applied for a place on "
        f"{application.cohort}. Please read their application and say whether you endorse it:\n"
        f"{_link('programmes:endorse', application.pk)}\n",
        None,
        [endorser.email],
    )


def _email_nominee(application_id: int) -> None:
    application = Application.objects.select_related("person", "cohort__programme").get(pk=application_id)
    if not application.person.email:
        return
    send_mail(
        f"You have been nominated for {application.cohort.programme.title}",
        f"Hello {application.person.first_name},\n\nYou have been nominated for a place on {application.cohort}. "
        f"To go forward, write your statement here:\n{_link('programmes:application', application.pk)}\n",
        None,
        [application.person.email],
    )


_NEWS = {
    Application.Status.NOT_ENDORSED: ("Your application was not endorsed", "was not endorsed"),
    Application.Status.ENDORSED: ("Your application was endorsed", "was endorsed and goes to the selection panel"),
    Application.Status.NOT_SELECTED: ("The outcome of your application", "was not successful this time"),
    Application.Status.OFFERED: ("You are offered a place", "has been offered a place: please accept or decline it"),
}


def _email_applicant(application_id: int) -> None:
    application = Application.objects.select_related("person", "cohort__programme").get(pk=application_id)
    news = _NEWS.get(application.status)
    if news is None or not application.person.email:
        return
    subject, sentence = news
    extra = ""
    if application.status == Application.Status.OFFERED and application.offer_expires_at:
        extra = f"\nThe offer is open until {timezone.localtime(application.offer_expires_at):%-d %B %Y, %H:%M}.\n"
    send_mail(
        f"{subject}: {application.cohort.programme.title}",
        f"Hello {application.person.first_name},\n\nYour application for {application.cohort} {sentence}.\n{extra}\n"
        f"See the details and reasons here:\n{_link('programmes:application', application.pk)}\n",
        None,
        [application.person.email],
    )
