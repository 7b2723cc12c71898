"""Sessions: scheduling with calendar invitations (parsed back with icalendar), the private calendar
feed, the register and follow-up of absences, the reaction survey and the scheduler's emails."""

import email
from datetime import datetime, time, timedelta
from email import policy

import pytest
from django.utils import timezone
from icalendar import Calendar

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.models import AuditEntry, Role
from cadre.programmes.models import Application, Attendance, CalendarFeed, Cohort, Reaction, Session
from cadre.programmes.services.applications import application_withdraw, offer_respond
from cadre.programmes.services.design import CohortDetails, cohort_save, cohort_set_people
from cadre.programmes.services.sessions import (
    ReactionAnswers,
    SessionDetails,
    absence_follow_up_record,
    attendance_record,
    calendar_feed_issue,
    feed_for_token,
    invitations_send_for,
    reaction_give,
    session_cancel,
    session_save,
    sessions_scheduled_run,
)
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db

LONDON = timezone.get_default_timezone()
PRESENT, APOLOGIES, ABSENT = Attendance.Status.PRESENT, Attendance.Status.APOLOGIES, Attendance.Status.ABSENT


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """A moment `days` from today, in UK time."""
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, minute), tzinfo=LONDON)


def details(**fields) -> SessionDetails:
    values = {
        "title": "Development day one",
        "starts_at": at(40, 9, 30),
        "ends_at": at(40, 16),
        "venue": "Town Hall, Committee Room 2",
        "online_link": "",
        "facilitator": "Jo Facilitator",
        "description": "Bring your 360 report.",
    }
    values.update(fields)
    return SessionDetails(**values)


def calendars(message) -> list[Calendar]:
    """The text/calendar parts of a sent email, parsed back with icalendar."""
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    return [
        Calendar.from_ical(part.get_content()) for part in parsed.walk() if part.get_content_type() == "text/calendar"
    ]


def only_event(calendar: Calendar):
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def running(cohort: Cohort) -> Cohort:
    """The cohort started two months ago, so that sessions can have taken place."""
    Cohort.objects.filter(pk=cohort.pk).update(
        starts_on=timezone.localdate() - timedelta(days=60), status=Cohort.Status.RUNNING
    )
    cohort.refresh_from_db()
    return cohort


def past_session(cohort, admin, *, days_ago: int = 3, **fields) -> Session:
    return session_save(
        cohort=cohort,
        actor=admin,
        details=details(starts_at=at(-days_ago, 9, 30), ends_at=at(-days_ago, 16), **fields),
    )


def by_name(participants) -> dict[str, Application]:
    return {a.person.first_name: a for a in participants}


# -- scheduling and invitations ---------------------------------------------------------------------


def test_a_new_session_sends_each_participant_an_invitation(
    cohort, admin, participants, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = session_save(cohort=cohort, actor=admin, details=details())
    ada, ben, _cal = participants
    assert sorted(m.to[0] for m in mailoutbox) == sorted([ada.person.email, ben.person.email])  # Cal is waiting
    for message in mailoutbox:
        assert message.subject.startswith("Invitation: Development day one")
        assert "Town Hall, Committee Room 2" in message.body
        (calendar,) = calendars(message)
        assert str(calendar["METHOD"]) == "REQUEST"
        event = only_event(calendar)
        assert str(event["UID"]) == str(session.uid)
        assert int(event["SEQUENCE"]) == 0
        assert event.decoded("DTSTART") == at(40, 9, 30)
        assert event.decoded("DTEND") == at(40, 16)
        assert str(event["LOCATION"]) == "Town Hall, Committee Room 2"
        assert str(event["STATUS"]) == "CONFIRMED"
        attendees = event.get("ATTENDEE")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        # Each person's invitation names only them: nobody learns who else is coming.
        assert [str(a) for a in attendees] == [f"mailto:{message.to[0]}"]
        assert str(event["ORGANIZER"]).startswith("mailto:")
        assert any(a[0] == "invite.ics" for a in message.attachments)
    assert AuditEntry.objects.filter(event="session.created", object_id=session.pk).exists()


def test_a_change_of_time_or_place_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    cohort, admin, participants, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = session_save(cohort=cohort, actor=admin, details=details())
    mailoutbox.clear()

    # The wording changes only: nothing is sent, and the calendar copy stands.
    with django_capture_on_commit_callbacks(execute=True):
        session = session_save(
            cohort=cohort, actor=admin, details=details(description="Bring a notebook."), session=session
        )
    assert session.sequence == 0 and mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        session = session_save(
            cohort=cohort,
            actor=admin,
            details=details(starts_at=at(41, 10), ends_at=at(41, 15), online_link="https://meet.example.org/day-one"),
            session=session,
        )
    assert session.sequence == 1
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert message.subject.startswith("Changed: Development day one")
        (calendar,) = calendars(message)
        assert str(calendar["METHOD"]) == "REQUEST"
        event = only_event(calendar)
        assert str(event["UID"]) == str(session.uid)
        assert int(event["SEQUENCE"]) == 1
        assert event.decoded("DTSTART") == at(41, 10)
        assert "https://meet.example.org/day-one" in str(event["DESCRIPTION"])
    assert AuditEntry.objects.filter(event="session.moved", object_id=session.pk).exists()


def test_cancelling_a_session_sends_a_cancellation(
    cohort, admin, participants, mailoutbox, django_capture_on_commit_callbacks
):
    session = session_save(cohort=cohort, actor=admin, details=details())
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=session, actor=admin)
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert message.subject.startswith("Cancelled: Development day one")
        (calendar,) = calendars(message)
        assert str(calendar["METHOD"]) == "CANCEL"
        event = only_event(calendar)
        assert str(event["UID"]) == str(session.uid)
        assert int(event["SEQUENCE"]) == 1
        assert str(event["STATUS"]) == "CANCELLED"
    with pytest.raises(ValidationError, match="already been cancelled"):
        session_cancel(session=Session.objects.get(pk=session.pk), actor=admin)
    with pytest.raises(ValidationError, match="cancelled, so it cannot be changed"):
        session_save(cohort=cohort, actor=admin, details=details(), session=Session.objects.get(pk=session.pk))


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"starts_at": at(20, 9), "ends_at": at(20, 12)}, "starts_at", "within the cohort's dates"),
        ({"starts_at": at(400, 9), "ends_at": at(400, 12)}, "starts_at", "within the cohort's dates"),
        ({"starts_at": at(299, 9), "ends_at": at(302, 12)}, "ends_at", "end within the cohort's dates"),
        ({"starts_at": at(40, 16), "ends_at": at(40, 9)}, "ends_at", "must end after it starts"),
        ({"starts_at": at(40, 9), "ends_at": at(40, 9)}, "ends_at", "must end after it starts"),
        ({"starts_at": None}, "starts_at", "Enter the date and time the session starts"),
        ({"venue": "", "online_link": ""}, "venue", "Enter a venue, an online meeting link, or both"),
        ({"venue": "   ", "online_link": "  "}, "venue", "Enter a venue, an online meeting link, or both"),
        ({"online_link": "meet.example.org/leaders"}, "online_link", "full web address"),
        ({"online_link": "javascript:alert(1)"}, "online_link", "full web address"),
        ({"online_link": "ftp://files.example.org/x"}, "online_link", "full web address"),
        ({"online_link": "https://example.org/" + "a" * 200}, "online_link", "full web address"),
        ({"title": "  "}, "title", "Enter the session's title"),
        ({"title": "x" * 201}, "title", "200 characters or fewer"),
        ({"venue": "x" * 301}, "venue", "300 characters or fewer"),
    ],
)
def test_bad_sessions_are_refused_with_a_clear_message_and_nothing_written(
    cohort, admin, participants, mailoutbox, django_capture_on_commit_callbacks, fields, field, message
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        session_save(cohort=cohort, actor=admin, details=details(**fields))
    assert any(p.field == field and message in p.message for p in error.value.problems), error.value.problems
    assert not Session.objects.exists()
    assert mailoutbox == []


def test_sessions_cannot_be_added_to_a_cancelled_or_completed_cohort_nor_by_others(
    cohort, admin, participants, programme, manager
):
    with pytest.raises(PermissionDenied):
        session_save(cohort=cohort, actor=participants[0].person.user, details=details())
    with pytest.raises(PermissionDenied):
        session_save(cohort=cohort, actor=manager, details=details())
    other = user_with_role(OrganisationFactory(), Role.LD_ADMIN)
    with pytest.raises(PermissionDenied):
        session_save(cohort=cohort, actor=other, details=details())
    for status, word in ((Cohort.Status.CANCELLED, "cancelled"), (Cohort.Status.COMPLETED, "completed")):
        Cohort.objects.filter(pk=cohort.pk).update(status=status)
        with pytest.raises(ValidationError, match=f"cohort has been {word}"):
            session_save(cohort=cohort, actor=admin, details=details())
    assert not Session.objects.exists()


def test_a_stage_must_belong_to_the_cohorts_programme(cohort, admin, programme, org):
    stage = programme.stages.order_by("position")[1]
    session = session_save(cohort=cohort, actor=admin, details=details(stage=stage))
    assert session.stage == stage
    from cadre.programmes.models import Programme, Stage

    elsewhere = Programme.objects.create(organisation=org, title="Another programme", summary="Another")
    foreign = Stage.objects.create(programme=elsewhere, position=1, kind="forum", title="Their forum")
    with pytest.raises(ValidationError, match="Choose one of this programme's stages"):
        session_save(cohort=cohort, actor=admin, details=details(stage=foreign), session=session)


def test_the_cohort_cannot_move_away_from_its_sessions(cohort, admin, programme, participants):
    session_save(cohort=cohort, actor=admin, details=details())
    with pytest.raises(ValidationError, match="sessions would fall outside these dates"):
        cohort_save(
            programme=programme,
            actor=admin,
            cohort=cohort,
            details=CohortDetails(
                name=cohort.name,
                starts_on=timezone.localdate() + timedelta(days=50),
                ends_on=cohort.ends_on,
                capacity=cohort.capacity,
                partner_places=cohort.partner_places,
                status=cohort.status,
            ),
        )


def test_someone_who_takes_a_place_later_is_sent_the_invitations_still_to_come(
    cohort, admin, participants, mailoutbox, django_capture_on_commit_callbacks
):
    ada, _ben, cal = participants
    running(cohort)
    past_session(cohort, admin)
    upcoming = session_save(cohort=cohort, actor=admin, details=details())
    cancelled = session_save(
        cohort=cohort, actor=admin, details=details(title="Forum", starts_at=at(50, 9), ends_at=at(50, 12))
    )
    session_cancel(session=cancelled, actor=admin)
    assert invitations_send_for(cal) == 0  # still waiting: not a participant

    application_withdraw(application=ada, actor=ada.person.user)
    cal.refresh_from_db()
    assert cal.status == Application.Status.OFFERED
    # Accepting the offer sends the invitations to the sessions still to come, and only those.
    with django_capture_on_commit_callbacks(execute=True):
        offer_respond(application=cal, actor=cal.person.user, accept=True)
    assert [m.to for m in mailoutbox] == [[cal.person.email]]
    event = only_event(calendars(mailoutbox[0])[0])
    assert str(event["UID"]) == str(upcoming.uid)


# -- the calendar feed ----------------------------------------------------------------------------


def test_the_feed_lists_only_the_persons_own_cohorts_sessions(client, cohort, admin, participants, programme):
    ada, _ben, cal = participants
    mine = session_save(cohort=cohort, actor=admin, details=details())
    gone = session_save(
        cohort=cohort, actor=admin, details=details(title="Forum", starts_at=at(60, 9), ends_at=at(60, 12))
    )
    session_cancel(session=gone, actor=admin)
    other_cohort = cohort_save(
        programme=programme,
        actor=admin,
        details=CohortDetails(
            name="Autumn cohort",
            starts_on=cohort.starts_on,
            ends_on=cohort.ends_on,
            capacity=2,
            status=Cohort.Status.RUNNING,
        ),
    )
    theirs = session_save(cohort=other_cohort, actor=admin, details=details(title="Someone else's day"))

    feed = calendar_feed_issue(actor=ada.person.user)
    assert len(feed.token) >= 40
    assert calendar_feed_issue(actor=ada.person.user).token == feed.token  # asking again keeps it
    response = client.get(f"/programmes/calendar/{feed.token}.ics")  # no sign-in
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {str(mine.uid), str(gone.uid)}
    assert str(theirs.uid) not in events
    assert str(events[str(gone.uid)]["STATUS"]) == "CANCELLED"
    assert str(events[str(mine.uid)]["STATUS"]) == "CONFIRMED"
    assert "ATTENDEE" not in events[str(mine.uid)]

    assert client.get("/programmes/calendar/not-a-real-token-at-all-here.ics").status_code == 404
    near_miss = feed.token[:-1] + ("A" if feed.token[-1] != "A" else "B")
    assert client.get(f"/programmes/calendar/{near_miss}.ics").status_code == 404
    assert feed_for_token(feed.token[:30]) is None

    renewed = calendar_feed_issue(actor=ada.person.user, reset=True)
    assert renewed.token != feed.token
    assert client.get(f"/programmes/calendar/{feed.token}.ics").status_code == 404
    assert client.get(f"/programmes/calendar/{renewed.token}.ics").status_code == 200
    assert CalendarFeed.objects.count() == 1
    # The audit log says a feed was made and reset, never what its address is.
    entries = AuditEntry.objects.filter(event__startswith="calendar_feed.")
    assert [e.event for e in entries.order_by("id")] == ["calendar_feed.created", "calendar_feed.reset"]
    assert not any(feed.token in (e.object_repr + str(e.changes)) for e in entries)

    with pytest.raises(ValidationError, match="not taking part"):
        calendar_feed_issue(actor=cal.person.user)


def test_participants_get_their_calendar_address_on_their_sessions_page(client, cohort, admin, participants):
    ada = participants[0]
    session_save(cohort=cohort, actor=admin, details=details())
    client.force_login(ada.person.user)
    page = client.get(f"/programmes/cohorts/{cohort.pk}/sessions/").content.decode()
    assert "Get your calendar address" in page
    response = client.post(f"/programmes/cohorts/{cohort.pk}/calendar-address/", {"action": "create"}, follow=True)
    token = CalendarFeed.objects.get(person=ada.person).token
    page = response.content.decode()
    assert "Your calendar address is ready" in page
    assert f"http://testserver/programmes/calendar/{token}.ics" in page and "readonly" in page
    client.post(f"/programmes/cohorts/{cohort.pk}/calendar-address/", {"action": "reset"})
    assert CalendarFeed.objects.get(person=ada.person).token != token
    # Calendar addresses are for participants only.
    client.force_login(admin)
    assert client.post(f"/programmes/cohorts/{cohort.pk}/calendar-address/", {"action": "create"}).status_code == 404


def test_add_to_calendar_downloads_the_one_session(client, cohort, admin, participants, org):
    session = session_save(cohort=cohort, actor=admin, details=details())
    client.force_login(participants[0].person.user)
    response = client.get(f"/programmes/sessions/{session.pk}/calendar.ics")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    event = only_event(Calendar.from_ical(response.content))
    assert str(event["UID"]) == str(session.uid)
    # Someone with no part in the cohort, even in the same organisation, finds nothing.
    client.force_login(user_with_role(org, Role.MEMBER))
    assert client.get(f"/programmes/sessions/{session.pk}/calendar.ics").status_code == 404
    assert client.get(f"/programmes/sessions/{session.pk}/").status_code == 404
    assert client.get(f"/programmes/cohorts/{cohort.pk}/sessions/").status_code == 404


# -- attendance -----------------------------------------------------------------------------------


def test_the_register_opens_once_the_session_has_started(cohort, admin, participants):
    ada, ben, _cal = participants
    session = session_save(cohort=cohort, actor=admin, details=details())
    with pytest.raises(ValidationError, match="once the session has started"):
        attendance_record(session=session, actor=admin, statuses={ada.pk: PRESENT, ben.pk: PRESENT})
    assert not Attendance.objects.exists()


def test_only_administrators_and_assessors_take_the_register(client, cohort, admin, participants, org):
    ada, ben, cal = participants
    running(cohort)
    session = past_session(cohort, admin)
    statuses = {ada.pk: PRESENT, ben.pk: PRESENT}
    for outsider in (ada.person.user, user_with_role(org, Role.MEMBER)):
        with pytest.raises(PermissionDenied):
            attendance_record(session=session, actor=outsider, statuses=statuses)
    client.force_login(ada.person.user)
    url = f"/programmes/sessions/{session.pk}/attendance/"
    assert client.get(url).status_code == 403
    assert client.post(url, {f"status-{ada.pk}": PRESENT, f"status-{ben.pk}": PRESENT}).status_code == 403
    assert not Attendance.objects.exists()

    assessor = user_with_role(org, Role.MEMBER)
    cohort_set_people(cohort=cohort, actor=admin, panel=[], assessors=[assessor], steering=[])
    rows = attendance_record(session=session, actor=assessor, statuses=statuses)
    assert {r.status for r in rows} == {PRESENT}
    with pytest.raises(ValidationError, match="only for the cohort's participants"):
        attendance_record(session=session, actor=admin, statuses={**statuses, cal.pk: PRESENT})


def test_every_participant_needs_an_answer(cohort, admin, participants):
    ada, ben, _cal = participants
    running(cohort)
    session = past_session(cohort, admin)
    with pytest.raises(ValidationError) as error:
        attendance_record(session=session, actor=admin, statuses={ada.pk: PRESENT, ben.pk: "late"})
    assert [(p.field, p.message) for p in error.value.problems] == [
        (f"status-{ben.pk}", "Choose whether Ben Participant attended, sent apologies or was absent.")
    ]
    assert not Attendance.objects.exists()


def test_an_absence_emails_the_participant_and_their_line_manager_once(
    cohort, admin, manager, participants, mailoutbox, django_capture_on_commit_callbacks
):
    ada, ben, _cal = participants
    running(cohort)
    session = past_session(cohort, admin)
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(session=session, actor=admin, statuses={ada.pk: PRESENT, ben.pk: ABSENT})
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [ben.person.email] and message.cc == [manager.person.email]
    assert message.reply_to == [admin.email]
    assert "get in touch" in message.body and session.title in message.subject
    # Taking the register again, or the scheduler, does not ask twice.
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(session=session, actor=admin, statuses={ada.pk: PRESENT, ben.pk: ABSENT})
        attendance_record(session=session, actor=admin, statuses={ada.pk: APOLOGIES, ben.pk: PRESENT})
        attendance_record(session=session, actor=admin, statuses={ada.pk: APOLOGIES, ben.pk: ABSENT})
        sessions_scheduled_run()
    assert [m.subject for m in mailoutbox if "missed" in m.subject] == [message.subject]
    # Apologies are not an absence to chase.
    assert Attendance.objects.get(application=ada).absence_emailed_at is None


def test_someone_marked_absent_during_the_session_is_asked_only_once_it_has_ended(
    cohort, admin, participants, mailoutbox, django_capture_on_commit_callbacks
):
    ada, ben, _cal = participants
    running(cohort)
    now = timezone.now()
    session = session_save(
        cohort=cohort,
        actor=admin,
        details=details(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=2)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(session=session, actor=admin, statuses={ada.pk: PRESENT, ben.pk: ABSENT})
        assert sessions_scheduled_run(now) == 0
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert sessions_scheduled_run(now + timedelta(hours=3)) == 2  # Ben's absence, Ada's survey
        assert sessions_scheduled_run(now + timedelta(hours=4)) == 0
    assert sorted(m.subject for m in mailoutbox) == [
        "How was Development day one?",
        "We missed you at Development day one",
    ]


def test_absences_are_followed_up_with_a_note_and_a_date(client, cohort, admin, participants):
    ada, ben, _cal = participants
    running(cohort)
    session = past_session(cohort, admin, days_ago=5)
    attendance_record(session=session, actor=admin, statuses={ada.pk: APOLOGIES, ben.pk: ABSENT})
    absence = Attendance.objects.get(application=ben)
    apologies = Attendance.objects.get(application=ada)

    client.force_login(admin)
    page = client.get(f"/programmes/cohorts/{cohort.pk}/sessions/").content.decode()
    assert "Absences to follow up" in page and "Ben Participant" in page
    assert f"/programmes/absences/{absence.pk}/follow-up/" in page
    assert f"/programmes/absences/{apologies.pk}/follow-up/" not in page

    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        absence_follow_up_record(attendance=absence, actor=admin, note=" ", followed_up_on=today + timedelta(days=1))
    assert {p.field for p in error.value.problems} == {"note", "followed_up_on"}
    with pytest.raises(ValidationError, match="cannot be before the session"):
        absence_follow_up_record(attendance=absence, actor=admin, note="Phoned", followed_up_on=today - timedelta(10))
    with pytest.raises(ValidationError, match="Only an absence"):
        absence_follow_up_record(attendance=apologies, actor=admin, note="Phoned", followed_up_on=today)
    with pytest.raises(PermissionDenied):
        absence_follow_up_record(attendance=absence, actor=ben.person.user, note="Phoned", followed_up_on=today)

    url = f"/programmes/absences/{absence.pk}/follow-up/"
    response = client.post(url, {"note": "", "followed_up_on_day": "31", "followed_up_on_month": "2"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Write what was done or agreed" in page and "must include a year" in page
    day = today - timedelta(days=1)
    response = client.post(
        url,
        {
            "note": "Spoke by phone: catching up with the facilitator's notes.",
            "followed_up_on_day": str(day.day),
            "followed_up_on_month": str(day.month),
            "followed_up_on_year": str(day.year),
        },
    )
    assert response.status_code == 302
    absence.refresh_from_db()
    assert timezone.localtime(absence.followed_up_at).date() == day and absence.followed_up_by == admin
    page = client.get(f"/programmes/cohorts/{cohort.pk}/sessions/").content.decode()
    assert "There are no absences waiting to be followed up" in page
    assert "Absences already followed up (1)" in page and "catching up with the facilitator" in page
    assert client.get(f"/programmes/absences/{apologies.pk}/follow-up/").status_code == 404
    client.force_login(ben.person.user)
    assert client.get(url).status_code == 404


# -- reactions ------------------------------------------------------------------------------------


def answers(**fields) -> ReactionAnswers:
    return ReactionAnswers(**{"useful": 4, "will_use": 5, "recommend": 3, "comment": "Good day.", **fields})


def test_a_reaction_is_given_once_by_someone_who_attended(cohort, admin, participants):
    ada, ben, cal = participants
    session = session_save(cohort=cohort, actor=admin, details=details())
    with pytest.raises(ValidationError, match="once the session has ended"):
        reaction_give(session=session, actor=ada.person.user, answers=answers())
    running(cohort)
    session = past_session(cohort, admin, title="Forum")
    with pytest.raises(ValidationError, match="recorded as attending"):
        reaction_give(session=session, actor=ada.person.user, answers=answers())
    attendance_record(session=session, actor=admin, statuses={ada.pk: PRESENT, ben.pk: APOLOGIES})
    with pytest.raises(ValidationError, match="recorded as attending"):
        reaction_give(session=session, actor=ben.person.user, answers=answers())
    for outsider in (cal.person.user, admin):
        with pytest.raises(PermissionDenied):
            reaction_give(session=session, actor=outsider, answers=answers())

    reaction, created = reaction_give(session=session, actor=ada.person.user, answers=answers())
    assert created and (reaction.useful, reaction.will_use, reaction.recommend) == (4, 5, 3)
    again, created = reaction_give(session=session, actor=ada.person.user, answers=answers(useful=1, comment="x"))
    assert (again, created) == (None, False)
    assert list(Reaction.objects.values_list("useful", "comment")) == [(4, "Good day.")]
    entry = AuditEntry.objects.get(event="session.reaction_given")
    assert entry.changes == {}  # the event, never the answers


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"useful": 0}, "useful"),
        ({"useful": 6}, "useful"),
        ({"will_use": None}, "will_use"),
        ({"recommend": True}, "recommend"),
        ({"recommend": "5"}, "recommend"),
        ({"comment": "x" * 5001}, "comment"),
    ],
)
def test_reactions_out_of_range_are_refused(cohort, admin, participants, fields, field):
    ada, ben, _cal = participants
    running(cohort)
    session = past_session(cohort, admin)
    attendance_record(session=session, actor=admin, statuses={ada.pk: PRESENT, ben.pk: PRESENT})
    with pytest.raises(ValidationError) as error:
        reaction_give(session=session, actor=ada.person.user, answers=answers(**fields))
    assert [p.field for p in error.value.problems] == [field]
    assert not Reaction.objects.exists()


def test_the_reaction_page_takes_answers_once_and_shows_nobody_any(client, cohort, admin, participants):
    ada, ben, _cal = participants
    running(cohort)
    session = past_session(cohort, admin)
    attendance_record(session=session, actor=admin, statuses={ada.pk: PRESENT, ben.pk: PRESENT})
    url = f"/programmes/sessions/{session.pk}/reaction/"
    client.force_login(ada.person.user)
    sessions_page = client.get(f"/programmes/cohorts/{cohort.pk}/sessions/").content.decode()
    assert f'href="{url}"' in sessions_page and "Give your reaction to Development day one" in sessions_page

    response = client.post(url, {"useful": "9", "will_use": "", "recommend": "3"})
    page = response.content.decode()
    assert "There is a problem" in page and page.count("Choose a number from 1 to 5") >= 2
    assert not Reaction.objects.exists()

    response = client.post(url, {"useful": "4", "will_use": "5", "recommend": "2", "comment": "Really useful day."})
    assert response.status_code == 302
    response = client.post(url, {"useful": "1", "will_use": "1", "recommend": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "your first answers stand" in page
    assert list(Reaction.objects.values_list("useful", "will_use", "recommend")) == [(4, 5, 2)]
    assert "Really useful day." not in client.get(url).content.decode()
    assert url not in client.get(f"/programmes/cohorts/{cohort.pk}/sessions/").content.decode()

    # The programme team reads reactions only in the evaluation report, in aggregate.
    client.force_login(admin)
    assert client.get(url).status_code == 404
    for page_url in (f"/programmes/cohorts/{cohort.pk}/sessions/", f"/programmes/sessions/{session.pk}/"):
        assert "Really useful day." not in client.get(page_url).content.decode()


def test_the_scheduler_asks_attendees_for_their_reaction_once(
    cohort, admin, participants, mailoutbox, django_capture_on_commit_callbacks
):
    ada, ben, _cal = participants
    running(cohort)
    ended = past_session(cohort, admin)
    later = session_save(cohort=cohort, actor=admin, details=details(title="Forum"))
    attendance_record(session=ended, actor=admin, statuses={ada.pk: PRESENT, ben.pk: PRESENT})
    reaction_give(session=ended, actor=ben.person.user, answers=answers())  # Ben has already answered
    with django_capture_on_commit_callbacks(execute=True):
        assert sessions_scheduled_run() == 1
        assert sessions_scheduled_run() == 0
    assert [(m.to, m.subject) for m in mailoutbox] == [([ada.person.email], "How was Development day one?")]
    assert f"/programmes/sessions/{ended.pk}/reaction/" in mailoutbox[0].body
    assert later.title not in mailoutbox[0].body


# -- pages ----------------------------------------------------------------------------------------


def test_an_administrator_adds_a_session_through_the_form(
    client, cohort, admin, participants, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    url = f"/programmes/cohorts/{cohort.pk}/sessions/new/"
    assert "Add a session" in client.get(url).content.decode()
    day = timezone.localdate() + timedelta(days=45)
    form = {
        "title": "Development day one",
        "stage": "",
        "date_day": str(day.day),
        "date_month": str(day.month),
        "date_year": str(day.year),
        "start_time": "9:30am",
        "end_time": "9am",
        "venue": "",
        "online_link": "meet.example.org",
    }
    page = client.post(url, form).content.decode()
    assert "There is a problem" in page
    assert "The session must end after it starts." in page
    assert "Enter the online meeting link as a full web address" in page
    page = client.post(url, {**form, "date_day": "31", "date_month": "2", "start_time": "25:00"}).content.decode()
    assert "The date of the session must be a real date" in page and "Enter the start time as a time" in page
    past = timezone.localdate() + timedelta(days=5)
    page = client.post(
        url, {**form, "date_day": str(past.day), "date_month": str(past.month), "date_year": str(past.year)}
    ).content.decode()
    assert "The session must end after it starts." in page
    assert "The session must be within the cohort&#39;s dates" in page
    assert not Session.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**form, "end_time": "16:00", "online_link": "https://meet.example.org/day"})
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/programmes/sessions/{session.pk}/"
    assert timezone.localtime(session.starts_at).time() == time(9, 30)
    assert timezone.localtime(session.ends_at).time() == time(16, 0)
    assert len(mailoutbox) == 2

    edit = client.get(f"/programmes/sessions/{session.pk}/change/").content.decode()
    assert 'value="09:30"' in edit and f'value="{day.day}"' in edit
    client.force_login(participants[0].person.user)
    assert client.get(url).status_code == 403
    assert client.get(f"/programmes/sessions/{session.pk}/change/").status_code == 403
    assert client.post(f"/programmes/sessions/{session.pk}/cancel/").status_code == 403
    assert not Session.objects.get().cancelled


def test_steering_members_see_attendance_counts_but_nobody_by_name(client, cohort, admin, participants, org):
    ada, ben, _cal = participants
    running(cohort)
    session = past_session(cohort, admin)
    attendance_record(session=session, actor=admin, statuses={ada.pk: PRESENT, ben.pk: ABSENT})
    chair = user_with_role(org, Role.MEMBER)
    cohort_set_people(cohort=cohort, actor=admin, panel=[], assessors=[], steering=[(chair, "Chair")])
    client.force_login(chair)
    page = client.get(f"/programmes/cohorts/{cohort.pk}/sessions/").content.decode()
    assert "1 attended, 0 sent apologies, 1 absent" in page
    assert "Ben Participant" not in page and "Absences to follow up" not in page
    assert client.get(f"/programmes/sessions/{session.pk}/attendance/").status_code == 403


def _fill(cohort, admin, participants, count: int) -> None:
    ada, ben, _cal = participants
    for number in range(count):
        session = past_session(cohort, admin, days_ago=number + 2, title=f"Day {number}")
        attendance_record(session=session, actor=admin, statuses={ada.pk: PRESENT, ben.pk: ABSENT})
        session_save(
            cohort=cohort,
            actor=admin,
            details=details(title=f"Later {number}", starts_at=at(40 + number, 9), ends_at=at(40 + number, 12)),
        )


@pytest.mark.parametrize("count", [1, 4])
def test_the_sessions_page_takes_the_same_queries_however_many_sessions(
    client, cohort, admin, participants, django_assert_num_queries, count
):
    running(cohort)
    _fill(cohort, admin, participants, count)
    client.force_login(admin)
    url = f"/programmes/cohorts/{cohort.pk}/sessions/"
    client.get(url)
    # Session and user, the cohort, the administrator's roles, the sessions with their counts,
    # the participants' count and the absences.
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.content.decode().count("Record follow-up") == count

    client.force_login(participants[0].person.user)
    client.get(url)
    # Session and user, the cohort, roles, the person, their place, assessor check, their sessions and feed.
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("Give your reaction to") == count
