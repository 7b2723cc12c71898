"""Running a group: the facilitator, meetings with calendar invitations, the rota, the register
and the private log (members and the facilitator only: not administrators, not the admin site,
not a personal-data export)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.core import privacy
from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.models import Role
from cadre.groups import services
from cadre.groups.models import LogEntry, Meeting, MeetingAttendance, RotaTurn
from tests.factories import OrganisationFactory, UserFactory, user_with_role
from tests.groups.conftest import members_of

pytestmark = pytest.mark.django_db
SECRET = "My team's restructure is going badly and I am thinking of leaving"


def _details(days=7, **extra):
    start = timezone.now().replace(microsecond=0) + timedelta(days=days)
    values = {"starts_at": start, "ends_at": start + timedelta(hours=2), "venue": "Room 4, Civic Centre"}
    values.update(extra)
    return services.MeetingDetails(**values)


def _meeting(group, actor, days=7) -> Meeting:
    return services.meeting_save(learning_set=group, actor=actor, details=_details(days))


# -- the facilitator ------------------------------------------------------------------------------


def test_an_administrator_sets_the_facilitator_by_email(saved_sets, admin, org):
    someone = user_with_role(org, Role.MEMBER)
    services.facilitator_set(learning_set=saved_sets[0], actor=admin, email=someone.email.upper())
    assert saved_sets[0].facilitator == someone
    services.facilitator_set(learning_set=saved_sets[0], actor=admin, email="")
    assert saved_sets[0].facilitator is None


@pytest.mark.parametrize("who", ["stranger", "unknown", "member"])
def test_a_facilitator_must_have_a_login_here_and_not_be_a_member(saved_sets, admin, who):
    email = {
        "stranger": lambda: user_with_role(OrganisationFactory(), Role.MEMBER).email,
        "unknown": lambda: "nobody@example.org",
        "member": lambda: members_of(saved_sets[0])[0].person.user.email,
    }[who]()
    with pytest.raises(ValidationError) as raised:
        services.facilitator_set(learning_set=saved_sets[0], actor=admin, email=email)
    assert ("cannot also facilitate" if who == "member" else "There is no login for") in str(raised.value)
    saved_sets[0].refresh_from_db()
    assert saved_sets[0].facilitator_id is None


# -- meetings and invitations ---------------------------------------------------------------------


def test_a_meeting_sends_calendar_invitations_to_members_and_the_facilitator(
    group, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _meeting(group, group.facilitator)
    recipients = sorted(m.to[0] for m in mailoutbox)
    expected = sorted([m.person.email for m in members_of(group)] + [group.facilitator.email])
    assert recipients == expected
    message = mailoutbox[0]
    calendar = next(content for content, mime in message.alternatives if mime.startswith("text/calendar"))
    assert "METHOD:REQUEST" in calendar and f"UID:{meeting.uid}" in calendar
    assert "Room 4\\, Civic Centre" in calendar

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_save(learning_set=group, actor=group.facilitator, details=_details(8), meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert mailoutbox[0].subject.startswith("Changed:")
    assert "SEQUENCE:1" in mailoutbox[0].alternatives[0][0]

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, actor=group.facilitator)
    assert "METHOD:CANCEL" in mailoutbox[0].alternatives[0][0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"starts_at": None}, "Enter the date and time the meeting starts"),
        ({"ends_at": None}, "Enter the time the meeting ends"),
        ({"venue": ""}, "Enter a venue, an online meeting link, or both"),
        ({"online_link": "javascript:alert(1)"}, "Enter the online meeting link as a full web address"),
        ({"venue": "x" * 301}, "300 characters or fewer"),
    ],
)
def test_bad_meetings_are_refused(group, change, message):
    details = _details()
    for name, value in change.items():
        setattr(details, name, value)
    with pytest.raises(ValidationError, match=message):
        services.meeting_save(learning_set=group, actor=group.facilitator, details=details)
    assert not Meeting.objects.exists()


def test_a_meeting_must_end_after_it_starts(group):
    details = _details()
    details.ends_at = details.starts_at
    with pytest.raises(ValidationError, match="must end after it starts"):
        services.meeting_save(learning_set=group, actor=group.facilitator, details=details)


def test_members_cannot_arrange_meetings(group):
    with pytest.raises(PermissionDenied):
        _meeting(group, members_of(group)[0].person.user)


# -- the rota -------------------------------------------------------------------------------------


def test_the_rota_goes_round_fairly(group):
    meetings = [_meeting(group, group.facilitator, days=d) for d in (7, 14, 21, 28)]
    assert services.rota_generate(learning_set=group, actor=group.facilitator, per_meeting=2) == 8
    members = members_of(group)
    counts = {m.pk: RotaTurn.objects.filter(member=m).count() for m in members}
    assert max(counts.values()) - min(counts.values()) <= 1
    for meeting in meetings:
        assert RotaTurn.objects.filter(meeting=meeting).count() == 2
    # Nobody brings a second issue before everyone has brought one.
    first_three = [t.member_id for m in meetings[:2] for t in RotaTurn.objects.filter(meeting=m).order_by("id")][:3]
    assert len(set(first_three)) == 3


def test_the_rota_can_be_changed_by_hand_with_members_only(group, saved_sets):
    meeting = _meeting(group, group.facilitator)
    member = members_of(group)[2]
    services.rota_set(meeting=meeting, actor=group.facilitator, member_ids=[member.pk])
    assert list(RotaTurn.objects.filter(meeting=meeting).values_list("member_id", flat=True)) == [member.pk]
    stranger = members_of(saved_sets[1])[0]
    with pytest.raises(ValidationError, match="Choose members of this group"):
        services.rota_set(meeting=meeting, actor=group.facilitator, member_ids=[stranger.pk])


@pytest.mark.parametrize("per_meeting", [0, 4])
def test_a_rota_needs_a_sensible_number_and_a_meeting(group, per_meeting):
    _meeting(group, group.facilitator)
    with pytest.raises(ValidationError, match="from 1 to 3"):
        services.rota_generate(learning_set=group, actor=group.facilitator, per_meeting=per_meeting)


def test_a_rota_needs_an_upcoming_meeting(group):
    with pytest.raises(ValidationError, match="no upcoming meetings"):
        services.rota_generate(learning_set=group, actor=group.facilitator, per_meeting=1)


# -- the register ---------------------------------------------------------------------------------


def test_the_register_is_taken_once_the_meeting_has_started(group):
    upcoming = _meeting(group, group.facilitator)
    members = members_of(group)
    with pytest.raises(ValidationError, match="once the meeting has started"):
        services.attendance_record(meeting=upcoming, actor=group.facilitator, statuses={members[0].pk: "present"})
    started = Meeting.objects.create(
        learning_set=group, starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now(), venue="Room 1"
    )
    services.attendance_record(
        meeting=started, actor=group.facilitator, statuses={members[0].pk: "present", members[1].pk: "apologies"}
    )
    services.attendance_record(meeting=started, actor=group.facilitator, statuses={members[1].pk: "absent"})
    marks = dict(MeetingAttendance.objects.filter(meeting=started).values_list("member_id", "status"))
    assert marks == {members[0].pk: "present", members[1].pk: "absent"}
    with pytest.raises(ValidationError, match="Choose attended, sent apologies or absent"):
        services.attendance_record(meeting=started, actor=group.facilitator, statuses={members[2].pk: "asleep"})


# -- the private log ------------------------------------------------------------------------------


def test_members_and_the_facilitator_keep_the_log_and_nobody_else_can(group, admin):
    member = members_of(group)[0]
    services.log_add(learning_set=group, actor=member.person.user, kind="issue", text=SECRET)
    services.log_add(learning_set=group, actor=group.facilitator, kind="action", text="Talk to HR", owner=member)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for outsider in (admin, superuser):
        with pytest.raises(PermissionDenied):
            services.log_add(learning_set=group, actor=outsider, kind="issue", text="Let me in")
    assert LogEntry.objects.count() == 2


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("issue", "   ", "Enter the issue or action"),
        ("rumour", "Hello", "issue or an action"),
        ("issue", "x" * 5001, "5,000"),
    ],
)
def test_bad_log_entries_are_refused(group, kind, text, message):
    with pytest.raises(ValidationError, match=message):
        services.log_add(learning_set=group, actor=group.facilitator, kind=kind, text=text)
    assert not LogEntry.objects.exists()


def test_the_personal_data_export_holds_no_log_words(group, admin):
    member = members_of(group)[0]
    services.log_add(learning_set=group, actor=member.person.user, kind="issue", text=SECRET)
    document = privacy.person_export(person=member.person, actor=admin)
    section = document["sections"]["groups"]
    assert section["groups"][0]["name"] == group.name
    assert section["log_entries_written"] == 1
    assert SECRET not in str(document)


def test_erasure_removes_their_log_entries_and_conflicts(group, admin):
    member, other = members_of(group)[:2]
    services.log_add(learning_set=group, actor=member.person.user, kind="issue", text=SECRET)
    services.conflict_declare(actor=member.person.user, person=member.person, other=other.person, reason="Private")
    privacy.person_erase(person=member.person, actor=admin)
    assert not LogEntry.objects.exists()
    from cadre.groups.models import Conflict

    assert not Conflict.objects.exists()
