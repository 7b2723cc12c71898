"""A member of staff reads their framework in a real browser, each page scanned with axe-core:
from the home page to "What is expected of me", the attributes by tier matrix, an attribute's
page and the list of frameworks."""

import re

from playwright.sync_api import Page, expect

from cadre.core.models import Role
from tests.browser import live_database
from tests.browser.axe import follow, visit
from tests.browser.journeys import screenshot, sign_in
from tests.factories import OrganisationFactory, user_with_role
from tests.frameworks import builders

pytestmark = live_database

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def test_a_person_reads_what_is_expected_of_them(page: Page):
    org = OrganisationFactory(name="North Borough Council")
    framework = builders.framework(organisation=org, name="Officers' framework")
    version = builders.version(framework, attributes=3, tiers=3)
    tier = version.tiers.get(rank=2)
    user = user_with_role(org, Role.MEMBER, first_name="Priya", last_name="Patel", tier=tier)

    # Someone with a tier lands on what is expected of them; the home page links to it too.
    sign_in(page, email=user.email, password=PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("What is expected of me")
    follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Priya")
    follow(page.get_by_role("main").get_by_role("link", name="What is expected of me"))
    expect(page.get_by_role("heading", level=1)).to_have_text("What is expected of me")
    expect(page.get_by_text("You are in tier 2, Core manager")).to_be_visible()
    expect(page.get_by_text("Agile at Core manager: does 1")).to_be_visible()
    expect(page.get_by_text("Agile at Core manager: does not 1")).to_be_visible()
    expect(page.get_by_text("Agile at Aspiring manager: does 1")).to_have_count(0)
    screenshot(page, "what-is-expected-of-me")

    follow(page.get_by_role("link", name="See every attribute at every tier"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Attributes by tier")
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader")).to_have_count(4)
    expect(table.get_by_role("rowheader")).to_have_count(3)
    expect(table.get_by_role("columnheader", name="Tier 2: Core manager")).to_be_visible()
    expect(table.get_by_role("rowheader", name=re.compile("Collaborative"))).to_contain_text("Focus")
    expect(table).to_contain_text("Accountable at Developing manager: does 2")
    screenshot(page, "framework-matrix")

    follow(table.get_by_role("link", name="Collaborative"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Collaborative")
    expect(page.get_by_text("I am collaborative in all I do.")).to_be_visible()
    expect(page.get_by_role("heading", name="Diversity and inclusion")).to_be_visible()

    follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Frameworks"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Frameworks")
    follow(page.get_by_role("link", name="Officers' framework"))
    expect(page.get_by_role("heading", name="Key definitions")).to_be_visible()


def test_an_ld_administrator_sets_a_persons_tier_by_hand(page: Page):
    org = OrganisationFactory(name="North Borough Council")
    version = builders.version(builders.framework(organisation=org, name="Officers' framework"), tiers=3)
    admin = user_with_role(org, Role.LD_ADMIN, first_name="Lee", last_name="Developer")
    person = user_with_role(org, Role.MEMBER, first_name="Sam", last_name="Smith", grade="G1A").person

    sign_in(page, email=admin.email, password=PASSWORD)
    visit(page, f"/people/{person.pk}/")
    follow(page.get_by_role("link", name="Change development tier"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Development tier")
    page.get_by_label("Developing manager (tier 3)").check()
    follow(page.get_by_role("button", name="Set tier by hand"))
    expect(page.get_by_text("Sam Smith's tier is set by hand: Developing manager (tier 3).")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Developing manager (tier 3), set by hand")
    person.refresh_from_db()
    assert person.tier == version.tiers.get(rank=3) and person.tier_set_by_hand

    follow(page.get_by_role("link", name="Change development tier"))
    follow(page.get_by_role("button", name="Set it from role type and grade instead"))
    expect(
        page.get_by_text("Sam Smith's tier now comes from their role type and grade: Aspiring manager (tier 1).")
    ).to_be_visible()
