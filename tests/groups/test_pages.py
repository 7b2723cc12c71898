"""The group pages: forming (bad input of every kind, preview, save), a group's page, moving a
person, the facilitator, meetings with the register, rota and log, conflicts, my groups; who
sees what; query counts pinned on the list pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.core.models import Role
from cadre.groups import services
from cadre.groups.models import Conflict, Forming, LearningSet, LogEntry, Meeting, MeetingAttendance, SetMember
from tests.factories import OrganisationFactory, UserFactory, user_with_role
from tests.groups.conftest import make_cohort, members_of

pytestmark = pytest.mark.django_db
SECRET = "The restructure is hurting my team and I may resign"


def _signed_in(client, user):
    client.force_login(user)
    return client


# -- forming ---------------------------------------------------------------------------------------


def test_forming_preview_and_save(client, admin, programme):
    cohort, _ = make_cohort(programme, people=12, managers=False)
    _signed_in(client, admin)
    page = client.get(reverse("groups:form"))
    assert page.status_code == 200
    assert f"{cohort.programme.title}: {cohort.name} (12 taking part)" in page.content.decode()
    response = client.post(
        reverse("groups:form"),
        {"name": "Spring groups", "kind": "support_and_challenge", "cohorts": [cohort.pk], "size": "4", "seed": "3"},
    )
    forming = Forming.objects.get()
    assert response.url == reverse("groups:forming", args=[forming.pk])
    preview = client.get(response.url).content.decode()
    assert "Gain over random" in preview and "Group 3 by tier" in preview and "Save these groups" in preview
    assert not LearningSet.objects.exists()  # a preview writes no groups
    client.post(reverse("groups:forming_save", args=[forming.pk]))
    assert LearningSet.objects.count() == 3
    saved = client.get(reverse("groups:forming", args=[forming.pk])).content.decode()
    assert "Saved groups" in saved
    again = client.post(reverse("groups:forming_save", args=[forming.pk]), follow=True).content.decode()
    assert "saved already" in again and LearningSet.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter a name for these groups"),
        ({"name": "x" * 201}, "The name must be 200 characters or fewer."),
        ({"kind": "book_club"}, "Choose the kind of group."),
        ({"kind": ""}, "Choose the kind of group."),
        ({"cohorts": []}, "Choose at least one cohort to form groups from."),
        ({"cohorts": ["999999999999999999999"]}, "Choose cohorts from the list."),
        ({"cohorts": ["abc"]}, "Choose cohorts from the list."),
        ({"size": ""}, "Enter a group size between 2 and 30, such as 6."),
        ({"size": "six"}, "Enter a group size between 2 and 30, such as 6."),
        ({"size": "1"}, "Enter a group size between 2 and 30, such as 6."),
        ({"size": "99999999999999999999999"}, "Enter a group size between 2 and 30, such as 6."),
        ({"size": "13"}, "so a group can have at most 12"),
        ({"seed": "-4"}, "Enter the seed as a whole number"),
        ({"seed": "1.5"}, "Enter the seed as a whole number"),
        ({"name": "Groups\x00"}, "Null characters are not allowed."),
    ],
)
def test_bad_input_on_the_forming_form_is_explained_and_writes_nothing(client, admin, programme, data, message):
    cohort, _ = make_cohort(programme, people=12, managers=False)
    _signed_in(client, admin)
    form = {"name": "Spring groups", "kind": "support_and_challenge", "cohorts": [cohort.pk], "size": "4", "seed": "0"}
    form.update(data)
    response = client.post(reverse("groups:form"), form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page.replace("&#x27;", "'")
    assert not Forming.objects.exists()


def test_a_cohort_of_another_organisation_is_not_offered_and_cannot_be_posted(client, admin, programme):
    other_admin = user_with_role(OrganisationFactory(), Role.LD_ADMIN)
    cohort, _ = make_cohort(programme, people=6)
    _signed_in(client, other_admin)
    assert cohort.name not in client.get(reverse("groups:form")).content.decode()
    response = client.post(
        reverse("groups:form"),
        {"name": "Mine", "kind": "action_learning", "cohorts": [cohort.pk], "size": "3", "seed": "0"},
    )
    assert "Choose cohorts from the list." in response.content.decode()
    assert not Forming.objects.exists()


def test_members_cannot_reach_the_administrators_pages(client, programme, admin, saved_sets):
    member = members_of(saved_sets[0])[0].person.user
    forming = saved_sets[0].forming
    _signed_in(client, member)
    for name, args in [
        ("groups:list", []),
        ("groups:form", []),
        ("groups:forming", [forming.pk]),
        ("groups:facilitator", [saved_sets[0].pk]),
        ("groups:move", [saved_sets[0].pk, members_of(saved_sets[0])[1].pk]),
        ("groups:set", [saved_sets[1].pk]),  # someone else's group
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert client.post(reverse("groups:forming_save", args=[forming.pk])).status_code == 404


# -- moving a person --------------------------------------------------------------------------------


def test_move_page_shows_the_effect_then_moves(client, admin, saved_sets):
    first, second = saved_sets[0], saved_sets[1]
    member, partner = members_of(first)[0], members_of(second)[0]
    _signed_in(client, admin)
    url = reverse("groups:move", args=[first.pk, member.pk])
    assert client.get(url).status_code == 200
    checked = client.post(url, {"to_set": second.pk, "exchange_with": partner.pk, "action": "check"}).content.decode()
    assert "The effect of this move" in checked and "Diversity now" in checked
    assert SetMember.objects.get(pk=member.pk).learning_set_id == first.pk  # checking moves nobody
    moved = client.post(url, {"to_set": second.pk, "exchange_with": partner.pk, "action": "move"})
    assert moved.url == reverse("groups:set", args=[second.pk])
    assert SetMember.objects.get(pk=member.pk).learning_set_id == second.pk


def test_move_page_refuses_a_move_that_breaks_a_rule_with_the_reason(client, admin, saved_sets):
    first, second = saved_sets[0], saved_sets[1]
    member = members_of(first)[0]
    _signed_in(client, admin)
    url = reverse("groups:move", args=[first.pk, member.pk])
    page = client.post(url, {"to_set": second.pk, "exchange_with": "0", "action": "move"}).content.decode()
    assert "There is a problem" in page and "differ in size by one at most" in page
    assert SetMember.objects.get(pk=member.pk).learning_set_id == first.pk
    for bad in ({"to_set": "", "action": "check"}, {"to_set": "abc"}, {"to_set": second.pk, "exchange_with": "x"}):
        page = client.post(url, bad).content.decode()
        assert "There is a problem" in page


# -- the facilitator, meetings, rota, register and log ----------------------------------------------


def test_facilitator_page(client, admin, saved_sets, org):
    someone = user_with_role(org, Role.MEMBER)
    _signed_in(client, admin)
    url = reverse("groups:facilitator", args=[saved_sets[0].pk])
    assert "Enter an email address in the right format" in client.post(url, {"email": "not an email"}).content.decode()
    assert "There is no login for" in client.post(url, {"email": "nobody@example.org"}).content.decode()
    assert client.post(url, {"email": someone.email}).status_code == 302
    saved_sets[0].refresh_from_db()
    assert saved_sets[0].facilitator == someone


def _meeting_form(day, **extra):
    data = {
        "date_day": str(day.day),
        "date_month": str(day.month),
        "date_year": str(day.year),
        "start_time": "10am",
        "end_time": "12pm",
        "venue": "Room 4",
        "online_link": "",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"date_day": ""}, "must include a day"),
        ({"date_day": "31", "date_month": "2"}, "must be a real date"),
        ({"start_time": "tea time"}, "Enter the start time as a time"),
        ({"end_time": "9am"}, "The meeting must end after it starts."),
        ({"venue": ""}, "Enter a venue, an online meeting link, or both."),
        ({"online_link": "ftp://example.org"}, "Enter the online meeting link as a full web address"),
    ],
)
def test_bad_meetings_on_the_page(client, group, extra, message):
    _signed_in(client, group.facilitator)
    day = timezone.localdate() + timedelta(days=7)
    page = client.post(reverse("groups:meeting_new", args=[group.pk]), _meeting_form(day, **extra)).content.decode()
    assert "There is a problem" in page and message in page
    assert not Meeting.objects.exists()


def test_facilitator_adds_a_meeting_makes_the_rota_and_takes_the_register(
    client, group, mailoutbox, django_capture_on_commit_callbacks
):
    _signed_in(client, group.facilitator)
    day = timezone.localdate() + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        with_response = client.post(reverse("groups:meeting_new", args=[group.pk]), _meeting_form(day))
    meeting = Meeting.objects.get()
    assert with_response.url == reverse("groups:meeting", args=[meeting.pk])
    assert len(mailoutbox) == 4  # three members and the facilitator
    rota = client.post(reverse("groups:rota", args=[group.pk]), {"per_meeting": "2"})
    assert rota.status_code == 302 and meeting.rota.count() == 2
    bad = client.post(reverse("groups:rota", args=[group.pk]), {"per_meeting": "lots"}).content.decode()
    assert "Enter how many people bring an issue" in bad
    members = members_of(group)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    url = reverse("groups:meeting", args=[meeting.pk])
    register = {"action": "register", **{f"member_{m.pk}": "present" for m in members}}
    assert client.post(url, register).status_code == 302
    assert MeetingAttendance.objects.filter(meeting=meeting, status="present").count() == 3
    bad = client.post(url, {"action": "register", f"member_{members[0].pk}": "asleep"}).content.decode()
    assert "Choose attended, sent apologies or absent" in bad
    rota = client.post(url, {"action": "rota", "members": [members[0].pk]})
    assert rota.status_code == 302 and list(meeting.rota.values_list("member_id", flat=True)) == [members[0].pk]
    set_page = client.get(reverse("groups:set", args=[group.pk])).content.decode()
    assert "3 of 3" in set_page and members[0].person.full_name in set_page


def test_the_log_is_for_members_and_the_facilitator_only(client, group, admin):
    meeting = Meeting.objects.create(
        learning_set=group, starts_at=timezone.now(), ends_at=timezone.now() + timedelta(hours=1), venue="Room 1"
    )
    member = members_of(group)[0].person.user
    url = reverse("groups:meeting", args=[meeting.pk])
    _signed_in(client, member)
    bad = client.post(url, {"action": "log", "kind": "", "text": ""}).content.decode()
    assert "Choose whether this is an issue or an action." in bad and "Enter the issue or action." in bad
    assert client.post(url, {"action": "log", "kind": "issue", "text": SECRET}).status_code == 302
    assert SECRET in client.get(url).content.decode()
    _signed_in(client, group.facilitator)
    assert SECRET in client.get(url).content.decode()

    superuser = UserFactory(is_superuser=True, is_staff=True)
    for outsider in (admin, superuser):
        _signed_in(client, outsider)
        page = client.get(url)
        assert page.status_code == 200 and SECRET not in page.content.decode()
        assert "The group&#x27;s log" not in page.content.decode()
        assert client.post(url, {"action": "log", "kind": "issue", "text": "Sneaking in"}).status_code == 404
    assert LogEntry.objects.count() == 1
    # The admin site has no page for the log, and the group's page there does not show it.
    assert client.get("/admin/groups/logentry/").status_code == 404
    admin_page = client.get(f"/admin/groups/learningset/{group.pk}/change/")
    assert admin_page.status_code == 200 and SECRET not in admin_page.content.decode()


def test_a_member_of_another_group_sees_neither_the_group_nor_its_meetings(client, group, saved_sets):
    meeting = Meeting.objects.create(
        learning_set=group, starts_at=timezone.now(), ends_at=timezone.now() + timedelta(hours=1), venue="Room 1"
    )
    _signed_in(client, members_of(saved_sets[1])[0].person.user)
    assert client.get(reverse("groups:set", args=[group.pk])).status_code == 404
    assert client.get(reverse("groups:meeting", args=[meeting.pk])).status_code == 404
    assert client.get("/groups/meetings/" + "9" * 30 + "/").status_code == 404


# -- conflicts ---------------------------------------------------------------------------------------


def test_a_participant_declares_a_conflict_and_its_reason_is_for_administrators_only(client, saved_sets, admin):
    me, other = members_of(saved_sets[0])[0].person, members_of(saved_sets[1])[0].person
    _signed_in(client, me.user)
    url = reverse("groups:conflicts")
    assert "I should not be in a group with" in client.get(url).content.decode()
    bad = client.post(url, {"as": "myself", "other": ""}).content.decode()
    assert "Choose the person to be kept apart from." in bad
    too_long = client.post(url, {"as": "myself", "other": other.pk, "reason": "x" * 2001}).content.decode()
    assert "2,000 characters or fewer" in too_long
    assert client.post(url, {"as": "myself", "other": other.pk, "reason": "We were in a dispute"}).status_code == 302
    conflict = Conflict.objects.get()
    assert (conflict.person, conflict.other) == (me, other)
    assert "We were in a dispute" not in client.get(url).content.decode()
    again = client.post(url, {"as": "myself", "other": other.pk}).content.decode()
    assert "is already recorded" in again
    _signed_in(client, other.user)
    theirs = client.get(url).content.decode()  # the other person is not told
    assert "Conflicts you have declared" not in theirs and "We were in a dispute" not in theirs
    _signed_in(client, admin)
    assert "We were in a dispute" in client.get(url).content.decode()
    same = client.post(url, {"person": me.pk, "other": me.pk}).content.decode()
    assert "cannot be kept apart from themselves" in same
    assert client.post(reverse("groups:conflict_withdraw", args=[conflict.pk])).status_code == 302
    assert not Conflict.objects.exists()


# -- query counts --------------------------------------------------------------------------------------


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_make_a_fixed_number_of_queries(client, admin, programme, django_assert_num_queries):
    cohort, _ = make_cohort(programme, people=6, managers=False)
    forming = services.forming_start(
        actor=admin, cohort_ids=[cohort.pk], size=3, seed=1, name="Small", kind="action_learning"
    )
    sets = services.forming_save(forming=forming, actor=admin)
    member = members_of(sets[0])[0].person.user
    Meeting.objects.create(
        learning_set=sets[0], starts_at=timezone.now(), ends_at=timezone.now() + timedelta(hours=1), venue="Room"
    )
    pages = [
        (admin, reverse("groups:list")),
        (admin, reverse("groups:forming", args=[forming.pk])),
        (admin, reverse("groups:set", args=[sets[0].pk])),
        (admin, reverse("groups:conflicts")),
        (member, reverse("groups:mine")),
    ]
    small = {}
    for user, url in pages:
        _signed_in(client, user)
        small[url] = _count_queries(client, url)
    # More of everything: another forming of more people, meetings, conflicts.
    bigger, people = make_cohort(programme, name="Bigger", people=12, managers=False, seed=5)
    for a, b in [(0, 1), (2, 3)]:
        Conflict.objects.create(person=people[a], other=people[b])
    services.forming_save(
        forming=services.forming_start(
            actor=admin, cohort_ids=[bigger.pk, cohort.pk], size=3, seed=2, name="Big", kind="action_learning"
        ),
        actor=admin,
    )
    for days in (1, 2, 3):
        Meeting.objects.create(
            learning_set=sets[0],
            starts_at=timezone.now() + timedelta(days=days),
            ends_at=timezone.now() + timedelta(days=days, hours=1),
            venue="Room",
        )
    for user, url in pages:
        _signed_in(client, user)
        with django_assert_num_queries(small[url], info=url):
            client.get(url)
