"""A matching round in the browser: the administrator runs a round, pins one pair and forbids
another, runs it again and sends the proposals; the mentee and the mentor both accept, and the
relationship page keeps their session log. axe checks every page."""

import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser import live_database
from tests.browser.axe import follow, visit
from tests.browser.journeys import sign_in, sign_out
from tests.mentoring.builders import PASSWORD, ask, make_world, mentor, person

pytestmark = live_database


def test_a_matching_round_from_run_to_relationship(page: Page):
    world = make_world()
    mentor(person(world, "Strong", "Mentor", rank=3), strengths=(4, 4, 4))
    mentor(person(world, "Fair", "Mentor", rank=3), strengths=(2, 2, 2))
    weak = mentor(person(world, "Weak", "Mentor", rank=3), strengths=(1, 1, 1))
    ask(world, person(world, "Ann", "One", rank=1), needs=(4, 4, 4))
    ben = ask(world, person(world, "Ben", "Two", rank=1), needs=(1, 1, 1))

    sign_in(page, email=world.admin.email, password=PASSWORD)
    visit(page, "/mentoring/schemes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentoring schemes")
    follow(page.get_by_role("link", name="Leaders mentoring leaders"))
    follow(page.get_by_role("button", name="Run a matching round"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Matching round 1")
    expect(page.get_by_role("row", name=re.compile("Ann One"))).to_contain_text(
        "Strong in Collaborative and Agile, where Ann most wants to grow; from the same organisation"
    )
    expect(page.get_by_role("row", name=re.compile("Ben Two"))).to_contain_text("Fair Mentor")

    follow(page.get_by_role("button", name="Pin Ann One with Strong Mentor"))
    expect(page.get_by_role("row", name=re.compile("Ann One"))).to_contain_text("Pinned")
    expect(page.get_by_role("button", name="Send proposals")).to_have_count(0)
    follow(page.get_by_role("button", name="Forbid Ben Two with Fair Mentor"))
    expect(page.get_by_role("row", name=re.compile("Ben Two"))).to_contain_text("Forbidden")
    follow(page.get_by_role("button", name="Run the round again"))
    expect(page.get_by_role("row", name=re.compile("Ann One"))).to_contain_text("Pinned by the administrator.")
    expect(page.get_by_role("row", name=re.compile("Ben Two"))).to_contain_text("Weak Mentor")
    follow(page.get_by_role("button", name="Send proposals"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The proposals are sent")
    sign_out(page)

    sign_in(page, email=ben.person.email, password=PASSWORD)
    visit(page, "/mentoring/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My mentoring")
    follow(page.get_by_role("link", name="Weak Mentor as your mentor"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposed mentor: Weak Mentor")
    follow(page.get_by_role("button", name="Send answer"))
    expect(page.get_by_role("alert")).to_contain_text("Choose whether you accept or decline.")
    page.get_by_label("Accept").check()
    follow(page.get_by_role("button", name="Send answer"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have accepted")
    sign_out(page)

    sign_in(page, email=weak.person.email, password=PASSWORD)
    visit(page, "/mentoring/")
    follow(page.get_by_role("link", name="Ben Two as your mentee"))
    page.get_by_label("Accept").check()
    follow(page.get_by_role("button", name="Send answer"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentoring with Ben Two")
    expect(page.get_by_role("main")).to_contain_text("Agreed")

    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("What was it about?").fill("Getting started")
    page.get_by_label("Accountable").check()
    follow(page.get_by_role("button", name="Log session"))
    expect(page.get_by_role("table", name="Sessions held")).to_contain_text("Getting started")
    expect(page.get_by_role("main")).to_contain_text("Active")
