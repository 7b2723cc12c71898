"""Forming groups in the browser: an administrator chooses a cohort, previews the groups, saves
them, moves a person (seeing the effect on diversity), chooses a facilitator and arranges a
meeting; a member reads their group and its log. axe checks every page."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from cadre.core.models import Membership, Role
from tests.browser import live_database
from tests.browser.axe import follow, visit
from tests.browser.journeys import sign_in
from tests.factories import UserFactory
from tests.groups.conftest import make_cohort

pytestmark = live_database
PASSWORD = "correct horse battery"


def test_groups_are_formed_saved_moved_and_run(page: Page, programme, admin, org):
    cohort, _people = make_cohort(programme, people=9, managers=False)
    facilitator = UserFactory(full_name="Fran Facilitator")
    Membership.objects.create(user=facilitator, organisation=org, role=Role.MEMBER)

    sign_in(page, email=admin.email, password=PASSWORD)
    visit(page, "/groups/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Groups")
    follow(page.get_by_role("button", name="Form groups"))
    page.get_by_label("Name for these groups").fill("Spring support and challenge groups")
    follow(page.get_by_role("button", name="Preview the groups"))
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one cohort to form groups from.")
    page.get_by_label(f"{cohort.programme.title}: {cohort.name} (9 taking part)").check()
    page.get_by_label("Group size").fill("3")
    follow(page.get_by_role("button", name="Preview the groups"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring support and challenge groups")
    expect(page.get_by_text("Gain over random")).to_be_visible()
    expect(page.get_by_role("table", name="Group 1 by organisation")).to_be_visible()
    follow(page.get_by_role("button", name="Save these groups"))
    expect(page.get_by_text("3 groups saved.")).to_be_visible()

    follow(page.get_by_role("link", name="Spring support and challenge groups: support and challenge group 1"))
    first_name = page.get_by_role("row").nth(1).get_by_role("rowheader").inner_text()
    follow(page.get_by_role("link", name=f"Move {first_name}"))
    target = "Spring support and challenge groups: support and challenge group 2"
    page.get_by_role("group", name="Move them to").get_by_label(target).check()
    follow(page.get_by_role("button", name="Check the effect"))
    expect(page.get_by_role("alert")).to_contain_text("differ in size by one at most")
    page.get_by_role("group", name="Exchange them with (optional)").get_by_label(target, exact=False).first.check()
    follow(page.get_by_role("button", name="Check the effect"))
    expect(page.get_by_role("heading", name="The effect of this move")).to_be_visible()
    follow(page.get_by_role("button", name="Move", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(target)
    expect(page.get_by_role("rowheader", name=first_name)).to_be_visible()

    follow(page.get_by_role("link", name="Change facilitator"))
    page.get_by_label("Facilitator's email address").fill(facilitator.email)
    follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_text("Facilitator saved.")).to_be_visible()

    follow(page.get_by_role("link", name="Add a meeting"))
    day = timezone.localdate() + timedelta(days=14)
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("10am")
    page.get_by_label("End time").fill("9am")
    page.get_by_label("Venue").fill("Room 4, Civic Centre")
    follow(page.get_by_role("button", name="Add the meeting"))
    expect(page.get_by_role("alert")).to_contain_text("The meeting must end after it starts.")
    page.get_by_label("End time").fill("midday")
    follow(page.get_by_role("button", name="Add the meeting"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meeting on")
    expect(page.get_by_text("Room 4, Civic Centre")).to_be_visible()
    # The administrator runs the group but cannot read its log.
    expect(page.get_by_role("heading", name="The group's log")).to_have_count(0)


def test_a_member_reads_their_group_keeps_the_log_and_declares_a_conflict(page: Page, programme, admin, org):
    from cadre.groups import services
    from cadre.groups.models import Meeting

    cohort, people = make_cohort(programme, people=6, managers=False)
    forming = services.forming_start(
        actor=admin, cohort_ids=[cohort.pk], size=3, seed=1, name="Autumn sets", kind="action_learning"
    )
    learning_set = services.forming_save(forming=forming, actor=admin)[0]
    member = learning_set.members.select_related("person__user").first().person
    Meeting.objects.create(
        learning_set=learning_set,
        starts_at=timezone.now() - timedelta(minutes=30),
        ends_at=timezone.now() + timedelta(minutes=90),
        venue="Room 2",
    )

    sign_in(page, email=member.user.email, password=PASSWORD)
    visit(page, "/groups/mine/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My groups")
    follow(page.get_by_role("link", name=learning_set.name))
    expect(page.get_by_role("table", name="Members")).to_contain_text(member.full_name)
    follow(page.get_by_role("table", name="Schedule, with who brings an issue").get_by_role("link").first)
    expect(page.get_by_role("heading", name="The group's log")).to_be_visible()
    follow(page.get_by_role("button", name="Add to the log"))
    expect(page.get_by_role("alert")).to_contain_text("Enter the issue or action.")
    page.get_by_label("Issue", exact=True).check()
    page.get_by_label("What it is").fill("How do I lead a team through a restructure?")
    follow(page.get_by_role("button", name="Add to the log"))
    expect(page.get_by_text("How do I lead a team through a restructure?")).to_be_visible()

    visit(page, "/groups/mine/")
    follow(page.get_by_role("link", name="Tell us about someone you should not be in a group with"))
    other = next(p for p in people if p.pk != member.pk)
    page.get_by_label("I should not be in a group with").select_option(
        label=f"{other.full_name}, {other.organisation.name}"
    )
    follow(page.get_by_role("button", name="Record it"))
    expect(page.get_by_text("Conflict recorded.")).to_be_visible()
