"""A cohort's sessions: scheduling them, calendar invitations and the personal calendar feed, the
attendance register with follow-up of absences, and the reaction survey after each session
(Kirkpatrick level 1).

- The administrators of the cohort's organisation add, change and cancel sessions. Every
  participant (an application accepted or completed) is sent an invitation by email, with the
  event attached as iCalendar (`cadre.core.calendar`); a change of time or place sends an update
  (the event's SEQUENCE goes up, its UID never changes) and a cancellation sends METHOD:CANCEL.
  Someone who takes a place later is sent the invitations they missed (`invitations_send_for`).
- Each participant may have a private calendar address listing every session of their cohorts.
  Its token is long and random, compared in constant time, and can be replaced at any time.
- The administrators and the cohort's assessors take the register once a session has started.
  An absence without apologies is listed for follow-up, and the participant (with their line
  manager) is asked once, by email, to get in touch: as soon as the session has ended.
- Participants who attended are asked, once, how useful the session was. Reactions are reported
  only in aggregate (by the evaluation report); no page shows anyone's own answers.

Emails go after the transaction commits (`transaction.on_commit`). The scheduler
(`sessions_scheduled_run`) sends the reaction surveys and any absence emails that waited for a
session to end; each row is claimed with a conditional update first, so nobody is asked twice."""

import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from cadre.core.audit import audit_event
from cadre.core.calendar import CalendarEvent, attach_invitation, calendar_bytes
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.people.models import Person
from cadre.people.selectors import person_of
from cadre.programmes.models import Application, Attendance, CalendarFeed, Cohort, Reaction, Session, Stage
from cadre.programmes.rules import is_assessor_of, is_programme_administrator, is_steering_member_of

PARTICIPATING = (Application.Status.ACCEPTED, Application.Status.COMPLETED)
CLOSED_COHORT = (Cohort.Status.CANCELLED, Cohort.Status.COMPLETED)
MAX_TEXT = 10_000
MAX_COMMENT = 5_000
TOKEN_BYTES = 32
TOKEN_LOOKUP_PREFIX = 8
# Surveys and absence emails are for sessions that ended recently: a register typed in months
# later, or data loaded from elsewhere, does not set off a wave of stale emails.
EMAIL_WINDOW = timedelta(days=30)
_LINK = URLValidator(schemes=["https", "http"])


# -- who may do what ------------------------------------------------------------------------------


def may_run_sessions(user, cohort: Cohort) -> bool:
    """Add, change and cancel sessions: the administrators of the cohort's organisation."""
    return is_programme_administrator(user, cohort.organisation_id)


def may_take_register(user, cohort: Cohort) -> bool:
    """Record attendance and follow up absences: the administrators and the cohort's assessors, but
    not an assessor who also sits on the steering group (which sees no individual's record)."""
    if is_programme_administrator(user, cohort.organisation_id):
        return True
    return is_assessor_of(user, cohort) and not is_steering_member_of(user, cohort)


def participation_of(user, cohort: Cohort) -> Application | None:
    """The user's own place in the cohort, if they are taking part (or have completed)."""
    me = person_of(user)
    if me is None:
        return None
    return Application.objects.filter(cohort=cohort, person=me, status__in=PARTICIPATING).first()


class Access:
    ADMIN = "admin"  # everything
    REGISTER = "register"  # the cohort's assessors: sessions, the register and follow-ups
    STEERING = "steering"  # the sessions and how many attended, nobody by name
    PARTICIPANT = "participant"  # their own sessions, calendar and feedback


def sessions_access(user, cohort: Cohort) -> tuple[str | None, Application | None]:
    """How the user sees the cohort's sessions, and their own place in it if they have one."""
    if may_run_sessions(user, cohort):
        return Access.ADMIN, None
    if may_take_register(user, cohort):
        return Access.REGISTER, None
    application = participation_of(user, cohort)
    if application is not None:
        return Access.PARTICIPANT, application
    if is_steering_member_of(user, cohort):
        return Access.STEERING, None
    return None, None


# -- scheduling -----------------------------------------------------------------------------------


@dataclass
class SessionDetails:
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    venue: str = ""
    online_link: str = ""
    facilitator: str = ""
    description: str = ""
    stage: Stage | None = None


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _clock(moment: datetime) -> str:
    """GOV.UK style times: 9am, 9:30am, midday, 4:15pm, midnight."""
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def day_text(moment: datetime | date) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def when_text(starts_at: datetime, ends_at: datetime) -> str:
    """Such as: Tuesday 9 March 2027, 9:30am to 4pm (in UK time)."""
    start, end = local(starts_at), local(ends_at)
    if start.date() == end.date():
        return f"{day_text(start)}, {_clock(start)} to {_clock(end)}"
    return f"{day_text(start)}, {_clock(start)} to {day_text(end)}, {_clock(end)}"


def _short_day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _session_problems(cohort: Cohort, details: SessionDetails, session: Session | None) -> list[Problem]:
    problems = []
    if cohort.status in CLOSED_COHORT:
        word = "cancelled" if cohort.status == Cohort.Status.CANCELLED else "completed"
        return [Problem(f"This cohort has been {word}, so its sessions cannot be added to or changed.")]
    if session is not None and session.cancelled:
        return [Problem("This session has been cancelled, so it cannot be changed.")]
    title = details.title.strip()
    if not title:
        problems.append(Problem("Enter the session's title, such as: Development day one.", field="title"))
    elif len(title) > 200:
        problems.append(Problem("The title must be 200 characters or fewer.", field="title"))
    if details.stage is not None and details.stage.programme_id != cohort.programme_id:
        problems.append(Problem("Choose one of this programme's stages.", field="stage"))
    starts_at, ends_at = details.starts_at, details.ends_at
    if starts_at is None:
        problems.append(Problem("Enter the date and time the session starts.", field="starts_at"))
    if ends_at is None:
        problems.append(Problem("Enter the time the session ends.", field="ends_at"))
    if any(moment is not None and timezone.is_naive(moment) for moment in (starts_at, ends_at)):
        return [*problems, Problem("Give the session's times with their time zone.", field="starts_at")]
    if starts_at is not None and ends_at is not None:
        dates = f"{_short_day(cohort.starts_on)} to {_short_day(cohort.ends_on)}"
        if ends_at <= starts_at:
            problems.append(Problem("The session must end after it starts.", field="ends_at"))
        if local(starts_at).date() < cohort.starts_on or local(starts_at).date() > cohort.ends_on:
            problems.append(Problem(f"The session must be within the cohort's dates: {dates}.", field="starts_at"))
        elif ends_at > starts_at and local(ends_at).date() > cohort.ends_on:
            problems.append(Problem(f"The session must end within the cohort's dates: {dates}.", field="ends_at"))
    venue, link = details.venue.strip(), details.online_link.strip()
    if not venue and not link:
        problems.append(Problem("Enter a venue, an online meeting link, or both.", field="venue"))
    if len(venue) > 300:
        problems.append(Problem("The venue must be 300 characters or fewer.", field="venue"))
    if link:
        try:
            if len(link) > 200:
                raise DjangoValidationError("too long")
            _LINK(link)
        except DjangoValidationError:
            problems.append(
                Problem(
                    "Enter the online meeting link as a full web address of up to 200 characters, "
                    "starting with https://, such as https://meet.example.org/leaders.",
                    field="online_link",
                )
            )
    if len(details.facilitator.strip()) > 200:
        problems.append(Problem("The facilitator's name must be 200 characters or fewer.", field="facilitator"))
    if len(details.description) > MAX_TEXT:
        problems.append(Problem(f"The description must be {MAX_TEXT:,} characters or fewer.", field="description"))
    return problems


def session_save(*, cohort: Cohort, actor, details: SessionDetails, session: Session | None = None) -> Session:
    """Add a session to a cohort, or change one. Participants are sent the invitation, or, when the
    time or place changes, the updated invitation (same UID, SEQUENCE one higher)."""
    if not may_run_sessions(actor, cohort):
        raise PermissionDenied("Only the programme's administrators add and change its sessions.")
    if session is not None and session.cohort_id != cohort.pk:
        raise PermissionDenied("That session belongs to another cohort.")
    with transaction.atomic(durable=True):
        # The cohort's lock is the one cohort_save takes to check its sessions fit its dates.
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
        if session is not None:
            session = Session.objects.select_for_update().get(pk=session.pk)
        problems = _session_problems(cohort, details, session)
        if problems:
            raise ValidationError(problems)
        creating = session is None
        session = session or Session(cohort=cohort)
        before = (session.starts_at, session.ends_at, session.venue, session.online_link)
        session.title = details.title.strip()
        session.stage = details.stage
        session.starts_at, session.ends_at = details.starts_at, details.ends_at
        session.venue, session.online_link = details.venue.strip(), details.online_link.strip()
        session.facilitator = details.facilitator.strip()
        session.description = details.description.strip()
        moved = not creating and before != (session.starts_at, session.ends_at, session.venue, session.online_link)
        if moved:
            session.sequence += 1
        session.save()
        audit_event(
            actor=actor,
            event="session.created" if creating else ("session.moved" if moved else "session.changed"),
            target=session,
            organisation_id=cohort.organisation_id,
        )
        if (creating or moved) and session.ends_at > timezone.now():
            session_id = session.pk
            transaction.on_commit(lambda: _send_invitations(session_id, method="REQUEST"))
    return session


def session_cancel(*, session: Session, actor) -> Session:
    """Cancel a session that has not started: participants are sent a cancellation (METHOD:CANCEL)."""
    if not may_run_sessions(actor, session.cohort):
        raise PermissionDenied("Only the programme's administrators cancel its sessions.")
    with transaction.atomic(durable=True):
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.cancelled:
            raise ValidationError(Problem("This session has already been cancelled."))
        if session.starts_at <= timezone.now():
            raise ValidationError(Problem("This session has already started, so it cannot be cancelled."))
        session.cancelled = True
        session.sequence += 1
        session.save(update_fields=["cancelled", "sequence"])
        audit_event(
            actor=actor, event="session.cancelled", target=session, organisation_id=session.cohort.organisation_id
        )
        session_id = session.pk
        transaction.on_commit(lambda: _send_invitations(session_id, method="CANCEL"))
    return session


def invitations_send_for(application: Application) -> int:
    """Send a new participant the invitations to the cohort's sessions still to come. Call it when
    someone takes a place (inside or outside a transaction: the emails go after it commits).
    Returns how many invitations will be sent."""
    application = Application.objects.select_related("person").get(pk=application.pk)
    if not application.is_participant or not application.person.email:
        return 0
    session_ids = list(
        Session.objects.filter(cohort_id=application.cohort_id, cancelled=False, ends_at__gt=timezone.now())
        .exclude(cohort__status__in=CLOSED_COHORT)
        .order_by("starts_at")
        .values_list("pk", flat=True)
    )
    application_id = application.pk
    for session_id in session_ids:
        transaction.on_commit(
            lambda session_id=session_id: _send_invitations(session_id, method="REQUEST", only=[application_id])
        )
    return len(session_ids)


# -- calendars ------------------------------------------------------------------------------------


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _organiser(session: Session) -> tuple[str, str]:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return session.cohort.organisation.name, address or "cadre@localhost"


def _location(session: Session) -> str:
    if session.venue and session.online_link:
        return f"{session.venue} (or online: {session.online_link})"
    return session.venue or session.online_link


def session_event(session: Session, *, attendees: Iterable[tuple[str, str]] = ()) -> CalendarEvent:
    """The session as a calendar event. Needs `cohort__programme` and `cohort__organisation`."""
    lines = []
    if session.description:
        lines.append(session.description)
    if session.online_link:
        lines.append(f"Join online: {session.online_link}")
    if session.facilitator:
        lines.append(f"Facilitator: {session.facilitator}")
    lines.append(f"Details: {_link('programmes:session', session.pk)}")
    organiser_name, organiser_email = _organiser(session)
    return CalendarEvent(
        uid=str(session.uid),
        start=session.starts_at,
        end=session.ends_at,
        summary=f"{session.title}: {session.cohort.programme.title}",
        description="\n\n".join(lines),
        location=_location(session),
        url=_link("programmes:session", session.pk),
        organiser_name=organiser_name,
        organiser_email=organiser_email,
        attendees=tuple(attendees),
        sequence=session.sequence,
        cancelled=session.cancelled or session.cohort.status == Cohort.Status.CANCELLED,
    )


def session_calendar(session: Session) -> bytes:
    """One session to download and add to a calendar (METHOD:PUBLISH)."""
    return calendar_bytes([session_event(session)], method="PUBLISH", name=session.title)


def _sessions_of_person(person: Person) -> QuerySet[Session]:
    cohorts = Application.objects.filter(person=person, status__in=PARTICIPATING).values("cohort_id")
    return (
        Session.objects.filter(cohort_id__in=cohorts)
        .select_related("cohort__programme", "cohort__organisation")
        .order_by("starts_at", "id")
    )


def feed_calendar(feed: CalendarFeed) -> bytes:
    """Every session of every cohort the person takes part in; cancelled ones marked as cancelled."""
    events = [session_event(session) for session in _sessions_of_person(feed.person)]
    return calendar_bytes(events, method="PUBLISH", name="Programme sessions")


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed a token opens, or None. Candidates are found by a short prefix and the whole token
    compared in constant time, so response times say nothing about how much of a guess was right."""
    if not token or len(token) < 20 or len(token) > 64 or not token.isascii():
        return None
    candidates = CalendarFeed.objects.filter(token__startswith=token[:TOKEN_LOOKUP_PREFIX]).select_related("person")
    found = None
    for feed in candidates:
        if hmac.compare_digest(feed.token.encode(), token.encode()):
            found = feed
    return found


def calendar_feed_issue(*, actor, reset: bool = False) -> CalendarFeed:
    """The signed-in participant's private calendar address: made on first asking; `reset` replaces
    the token, so the old address stops working at once."""
    person = person_of(actor)
    if person is None:
        raise PermissionDenied("Only someone with a staff or participant record has a calendar address.")
    if not Application.objects.filter(person=person, status__in=PARTICIPATING).exists():
        raise ValidationError(Problem("You are not taking part in a cohort, so there are no sessions to list."))
    try:
        with transaction.atomic(durable=True):
            feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
            if feed is not None and not reset:
                return feed
            token = secrets.token_urlsafe(TOKEN_BYTES)
            if feed is None:
                feed = CalendarFeed.objects.create(person=person, token=token)
                event = "calendar_feed.created"
            else:
                feed.token, feed.created_at = token, timezone.now()
                feed.save(update_fields=["token", "created_at"])
                event = "calendar_feed.reset"
            audit_event(actor=actor, event=event, target=feed, organisation_id=person.organisation_id)
    except IntegrityError:
        # Two first requests at once: the other one made it.
        return CalendarFeed.objects.get(person=person)
    return feed


# -- invitations by email -------------------------------------------------------------------------


def _send_invitations(session_id: int, *, method: str, only: list[int] | None = None) -> int:
    session = Session.objects.select_related("cohort__programme", "cohort__organisation").get(pk=session_id)
    participants = Application.objects.filter(cohort_id=session.cohort_id, status__in=PARTICIPATING).select_related(
        "person"
    )
    if only is not None:
        participants = participants.filter(pk__in=only)
    messages = []
    for application in participants:
        if not application.person.email:
            continue
        try:
            messages.append(_invitation(session, application, method))
        except ValueError:
            # An address a calendar cannot carry (the event refuses it): that person gets no invitation.
            continue
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def _invitation(session: Session, application: Application, method: str) -> EmailMultiAlternatives:
    person = application.person
    when = when_text(session.starts_at, session.ends_at)
    programme = session.cohort.programme.title
    if method == "CANCEL":
        subject = f"Cancelled: {session.title}, {day_text(local(session.starts_at))}"
        opening = f"{session.title} ({programme}) on {when} has been cancelled."
    elif session.sequence:
        subject = f"Changed: {session.title}, {day_text(local(session.starts_at))}"
        opening = f"The time or place of {session.title} ({programme}) has changed. It is now:"
    else:
        subject = f"Invitation: {session.title}, {day_text(local(session.starts_at))}"
        opening = f"You are invited to {session.title}, part of {programme}:"
    lines = [f"Hello {person.first_name},", "", opening]
    if method != "CANCEL":
        lines += ["", f"When: {when} (UK time)"]
        if session.venue:
            lines.append(f"Where: {session.venue}")
        if session.online_link:
            lines.append(f"Online: {session.online_link}")
        if session.facilitator:
            lines.append(f"Facilitator: {session.facilitator}")
        lines += ["", "The invitation is attached: open it to add the session to your calendar."]
    else:
        lines += ["", "The attachment removes it from your calendar."]
    lines += ["", f"Details of the session: {_link('programmes:session', session.pk)}", ""]
    message = EmailMultiAlternatives(subject, "\n".join(lines), None, [person.email])
    attach_invitation(message, session_event(session, attendees=[(person.full_name, person.email)]), method)
    return message


# -- attendance -----------------------------------------------------------------------------------


def participants_of(cohort: Cohort) -> QuerySet[Application]:
    return (
        Application.objects.filter(cohort=cohort, status__in=PARTICIPATING)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )


def attendance_record(*, session: Session, actor, statuses: dict[int, str]) -> list[Attendance]:
    """Take the register: present, apologies or absent for every participant (by application id).
    Open once the session has started. Taking it again changes only what changed."""
    cohort = session.cohort
    if not may_take_register(actor, cohort):
        raise PermissionDenied("Only the programme's administrators and the cohort's assessors take the register.")
    now = timezone.now()
    if session.cancelled:
        raise ValidationError(Problem("This session was cancelled, so there is no register to take."))
    if now < session.starts_at:
        raise ValidationError(
            Problem(
                "You can record attendance once the session has started: "
                f"{when_text(session.starts_at, session.ends_at)}."
            )
        )
    participants = list(participants_of(cohort))
    known = {application.pk for application in participants}
    problems = []
    if set(statuses) - known:
        problems.append(Problem("Record attendance only for the cohort's participants."))
    for application in participants:
        if statuses.get(application.pk) not in Attendance.Status.values:
            problems.append(
                Problem(
                    f"Choose whether {application.person.full_name} attended, sent apologies or was absent.",
                    field=f"status-{application.pk}",
                )
            )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        session = Session.objects.select_for_update().get(pk=session.pk)
        existing = {row.application_id: row for row in Attendance.objects.filter(session=session)}
        rows = []
        for application in participants:
            status = statuses[application.pk]
            row = existing.get(application.pk)
            if row is None:
                row = Attendance.objects.create(
                    session=session, application=application, status=status, recorded_by=actor, recorded_at=now
                )
            elif row.status != status:
                row.status, row.recorded_by, row.recorded_at = status, actor, now
                row.save(update_fields=["status", "recorded_by", "recorded_at"])
            rows.append(row)
        counts = {value: sum(1 for s in statuses.values() if s == value) for value in Attendance.Status.values}
        audit_event(
            actor=actor,
            event="session.attendance_recorded",
            target=session,
            organisation_id=cohort.organisation_id,
            data=counts,
        )
        if session.ends_at <= now:
            # Someone marked absent while the session was still on may yet arrive: they are asked
            # to get in touch only once it has ended (here, or by the scheduler).
            claimed = _claim(
                Attendance.objects.filter(session=session, status=Attendance.Status.ABSENT), "absence_emailed_at", now
            )
            transaction.on_commit(lambda: _email_absences(claimed))
    return rows


def _claim(rows: QuerySet[Attendance], marker: str, now: datetime) -> list[int]:
    """Mark each row as emailed, unless another run got there first: the ids this run may email."""
    claimed = []
    for pk in rows.filter(**{f"{marker}__isnull": True}).values_list("pk", flat=True):
        if Attendance.objects.filter(pk=pk, **{f"{marker}__isnull": True}).update(**{marker: now}):
            claimed.append(pk)
    return claimed


def _email_absences(attendance_ids: list[int]) -> int:
    rows = Attendance.objects.filter(pk__in=attendance_ids, status=Attendance.Status.ABSENT).select_related(
        "session__cohort__programme", "application__person__line_manager", "recorded_by"
    )
    messages = []
    for row in rows:
        person = row.application.person
        manager = person.line_manager
        cc = [manager.email] if manager and manager.email and manager.status == Person.Status.ACTIVE else []
        to = [person.email] if person.email else []
        if not to and not cc:
            continue
        session = row.session
        body = (
            f"Hello {person.first_name},\n\n"
            f"We missed you at {session.title} ({session.cohort.programme.title}) on "
            f"{when_text(session.starts_at, session.ends_at)}, and we did not have your apologies.\n\n"
            "Please get in touch with the programme team (reply to this email) so that we can help you catch "
            "up on what you missed. Attending the sessions counts towards completing the programme.\n"
        )
        if cc:
            body += f"\nYour line manager, {manager.full_name}, has a copy of this email.\n"
        reply_to = [row.recorded_by.email] if row.recorded_by and row.recorded_by.email else None
        messages.append(
            EmailMessage(
                f"We missed you at {session.title}", body, None, to or cc, cc=cc if to else None, reply_to=reply_to
            )
        )
    return (get_connection().send_messages(messages) or 0) if messages else 0


def absence_follow_up_record(*, attendance: Attendance, actor, note: str, followed_up_on: date | None) -> Attendance:
    """Record how an absence was followed up: what was done or agreed, and when."""
    session = attendance.session
    if not may_take_register(actor, session.cohort):
        raise PermissionDenied("Only the programme's administrators and the cohort's assessors follow up absences.")
    problems = []
    if attendance.status != Attendance.Status.ABSENT:
        raise ValidationError(Problem("Only an absence without apologies needs a follow-up."))
    if not note.strip():
        problems.append(Problem("Write what was done or agreed when you followed up the absence.", field="note"))
    elif len(note) > MAX_TEXT:
        problems.append(Problem(f"The note must be {MAX_TEXT:,} characters or fewer.", field="note"))
    today = timezone.localdate()
    session_day = local(session.starts_at).date()
    if followed_up_on is None:
        problems.append(Problem("Enter the date of the follow-up.", field="followed_up_on"))
    elif followed_up_on > today:
        problems.append(Problem("The date of the follow-up cannot be in the future.", field="followed_up_on"))
    elif followed_up_on < session_day:
        problems.append(
            Problem(
                f"The follow-up cannot be before the session, on {_short_day(session_day)}.", field="followed_up_on"
            )
        )
    if problems:
        raise ValidationError(problems)
    moment = (
        timezone.now()
        if followed_up_on == today
        else datetime.combine(followed_up_on, time(12, 0), tzinfo=timezone.get_default_timezone())
    )
    with transaction.atomic(durable=True):
        attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
        attendance.follow_up_note = note.strip()
        attendance.followed_up_at = moment
        attendance.followed_up_by = actor
        attendance.save(update_fields=["follow_up_note", "followed_up_at", "followed_up_by"])
        audit_event(
            actor=actor,
            event="attendance.followed_up",
            target=attendance,
            organisation_id=session.cohort.organisation_id,
        )
    return attendance


# -- reactions (Kirkpatrick level 1) --------------------------------------------------------------

REACTION_QUESTIONS = {
    "useful": "How useful was the session for you?",
    "will_use": "How likely are you to use what you learned at work?",
    "recommend": "How likely are you to recommend the session to a colleague?",
}


@dataclass
class ReactionAnswers:
    useful: int | None
    will_use: int | None
    recommend: int | None
    comment: str = ""


def reaction_due(session: Session, application: Application, *, now: datetime | None = None) -> bool:
    """Whether this participant is asked for their reaction now (and has not given it)."""
    now = now or timezone.now()
    return (
        not session.cancelled
        and session.ends_at <= now
        and Attendance.objects.filter(
            session=session, application=application, status=Attendance.Status.PRESENT
        ).exists()
        and not Reaction.objects.filter(session=session, application=application).exists()
    )


def reaction_give(*, session: Session, actor, answers: ReactionAnswers) -> tuple[Reaction | None, bool]:
    """A participant who attended answers the survey, once. Returns (reaction, True) when saved,
    and (None, False) when they had already answered: nothing changes, and the page says so."""
    application = participation_of(actor, session.cohort)
    if application is None:
        raise PermissionDenied("Only the cohort's participants give their reaction to its sessions.")
    if Reaction.objects.filter(session=session, application=application).exists():
        return None, False
    if session.cancelled:
        raise ValidationError(Problem("This session was cancelled, so there is nothing to give a reaction to."))
    if timezone.now() < session.ends_at:
        raise ValidationError(
            Problem(
                "You can give your reaction once the session has ended: "
                f"{when_text(session.starts_at, session.ends_at)}."
            )
        )
    if not Attendance.objects.filter(
        session=session, application=application, status=Attendance.Status.PRESENT
    ).exists():
        raise ValidationError(Problem("The reaction survey is for the people recorded as attending this session."))
    problems = []
    for name, question in REACTION_QUESTIONS.items():
        value = getattr(answers, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            problems.append(Problem(f"{question} Choose a number from 1 to 5.", field=name))
    if len(answers.comment) > MAX_COMMENT:
        problems.append(Problem(f"The comment must be {MAX_COMMENT:,} characters or fewer.", field="comment"))
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic(durable=True):
            reaction = Reaction.objects.create(
                session=session,
                application=application,
                useful=answers.useful,
                will_use=answers.will_use,
                recommend=answers.recommend,
                comment=answers.comment.strip(),
            )
            # The event only: reactions are reported in aggregate, never one person's answers.
            audit_event(
                actor=actor,
                event="session.reaction_given",
                target=session,
                organisation_id=session.cohort.organisation_id,
            )
    except IntegrityError:
        return None, False
    return reaction, True


def _email_reaction_requests(attendance_ids: list[int]) -> int:
    rows = Attendance.objects.filter(pk__in=attendance_ids).select_related(
        "session__cohort__programme", "application__person"
    )
    messages = []
    for row in rows:
        person, session = row.application.person, row.session
        if not person.email:
            continue
        body = (
            f"Hello {person.first_name},\n\n"
            f"Thank you for coming to {session.title} ({session.cohort.programme.title}). "
            "Please tell us how useful it was: three quick questions and space for a comment, "
            "which takes about a minute.\n\n"
            f"{_link('programmes:reaction', session.pk)}\n\n"
            "Your answers are reported only together with everyone else's: nobody sees yours on their own.\n"
        )
        messages.append(EmailMessage(f"How was {session.title}?", body, None, [person.email]))
    return (get_connection().send_messages(messages) or 0) if messages else 0


def sessions_scheduled_run(now: datetime | None = None) -> int:
    """The scheduler's work for sessions (`cadre run-schedule`): ask the people who attended a session
    that has ended for their reaction, and ask people absent without apologies to get in touch, each
    once. Returns how many people were emailed."""
    now = now or timezone.now()
    ended = Q(session__cancelled=False, session__ends_at__lte=now, session__ends_at__gte=now - EMAIL_WINDOW)
    participating = Q(application__status__in=PARTICIPATING)
    answered = Reaction.objects.filter(session=OuterRef("session"), application=OuterRef("application"))
    with transaction.atomic(durable=True):
        surveys = _claim(
            Attendance.objects.filter(ended, participating, status=Attendance.Status.PRESENT).filter(~Exists(answered)),
            "reaction_asked_at",
            now,
        )
        absences = _claim(
            Attendance.objects.filter(ended, participating, status=Attendance.Status.ABSENT), "absence_emailed_at", now
        )
        transaction.on_commit(lambda: (_email_reaction_requests(surveys), _email_absences(absences)))
    return len(surveys) + len(absences)


# -- reads for the pages --------------------------------------------------------------------------


def sessions_with_counts(cohort: Cohort) -> QuerySet[Session]:
    """The cohort's sessions, each with how many were recorded present, with apologies and absent."""
    return (
        Session.objects.filter(cohort=cohort)
        .select_related("stage")
        .annotate(
            present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT)),
            apologies=Count("attendance", filter=Q(attendance__status=Attendance.Status.APOLOGIES)),
            absent=Count("attendance", filter=Q(attendance__status=Attendance.Status.ABSENT)),
        )
        .order_by("starts_at", "id")
    )


def absences_of(cohort: Cohort) -> QuerySet[Attendance]:
    """Absences without apologies, to follow up: those not yet followed up first."""
    return (
        Attendance.objects.filter(session__cohort=cohort, status=Attendance.Status.ABSENT)
        .select_related("session", "application__person", "followed_up_by")
        .order_by(
            F("followed_up_at").asc(nulls_first=True), "session__starts_at", "application__person__last_name", "id"
        )
    )


def sessions_for_participant(cohort: Cohort, application: Application) -> QuerySet[Session]:
    """The cohort's sessions, each with the participant's attendance and whether they gave a reaction."""
    mine = Attendance.objects.filter(session=OuterRef("pk"), application=application)
    return (
        Session.objects.filter(cohort=cohort)
        .select_related("stage")
        .annotate(
            my_attendance=Subquery(mine.values("status")[:1]),
            reacted=Exists(Reaction.objects.filter(session=OuterRef("pk"), application=application)),
        )
        .order_by("starts_at", "id")
    )
