"""An L&D administrator builds a small framework in a real browser (two attributes, two tiers, an
indicator in every cell, one value), tries to publish it too early and is told what is missing,
completes it and publishes it. Every page visited is scanned with axe-core."""

import re

from playwright.sync_api import Page, expect

from cadre.core.models import Role
from cadre.frameworks.models import BehaviourIndicator, Framework, FrameworkVersion
from tests.browser import live_database
from tests.browser.axe import follow, visit
from tests.browser.journeys import screenshot, sign_in
from tests.factories import OrganisationFactory, user_with_role

pytestmark = live_database

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's

TIERS = [("Aspiring manager", "SO1, SO2"), ("Core manager", "PO1\nPO2")]
ATTRIBUTES = [("Agile", "I adapt when things change."), ("Collaborative", "I work across boundaries.")]


def add_tier(page: Page, name: str, grades: str) -> None:
    follow(page.get_by_role("link", name="Add a tier"))
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("HR grades (optional)").fill(grades)
    follow(page.get_by_role("button", name="Add tier"))
    expect(page.get_by_role("table").filter(has_text="HR grades")).to_contain_text(name)


def add_attribute(page: Page, name: str, statement: str) -> None:
    follow(page.get_by_role("link", name="Add an attribute"))
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Statement").fill(statement)
    follow(page.get_by_role("button", name="Add attribute"))
    # On to the new attribute's page, where its indicators are added.
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    follow(page.get_by_role("link", name=re.compile("^Back to")))
    expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()


def add_indicators(page: Page, attribute: str) -> None:
    follow(page.get_by_role("link", name=attribute, exact=True))
    for tier, _grades in TIERS:
        follow(page.get_by_role("link", name=f"Add an indicator for {tier}"))
        expect(page.get_by_label("Tier")).to_have_value(re.compile(r"\d+"))
        page.get_by_label("Behaviour").fill(f"As a {tier.lower()}, I show I am {attribute.lower()}.")
        follow(page.get_by_role("button", name="Add indicator"))
        expect(page.get_by_role("region", name=re.compile(tier))).to_contain_text(
            f"As a {tier.lower()}, I show I am {attribute.lower()}."
        )
    follow(page.get_by_role("link", name=re.compile("^Back to")))


def test_an_ld_administrator_builds_and_publishes_a_framework(page: Page):
    org = OrganisationFactory(name="North Borough Council")
    admin = user_with_role(org, Role.LD_ADMIN, first_name="Lee", last_name="Developer")

    sign_in(page, email=admin.email, password=PASSWORD)
    follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Manage frameworks"))
    follow(page.get_by_role("button", name="Create a framework"))
    page.get_by_label("Name", exact=True).fill("Officers' leadership framework")
    page.get_by_label("Who it is for (optional)").fill("Officers")
    follow(page.get_by_role("button", name="Create framework"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Officers' leadership framework")

    for name, grades in TIERS:
        add_tier(page, name, grades)

    # A form with a mistake shows the error summary and keeps what was typed.
    follow(page.get_by_role("link", name="Add an attribute"))
    page.get_by_label("Name", exact=True).fill("Agile")
    follow(page.get_by_role("button", name="Add attribute"))
    expect(page.get_by_role("alert")).to_contain_text("Enter the attribute's statement, in the first person.")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Agile")
    follow(page.get_by_role("link", name="Cancel"))

    for name, statement in ATTRIBUTES:
        add_attribute(page, name, statement)

    # Too early: every attribute lacks its indicators.
    follow(page.get_by_role("button", name="Publish version 1"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Agile has no indicator of what it looks like for: Aspiring manager, Core manager.")
    expect(summary).to_contain_text("Collaborative has no indicator of what it looks like for")
    expect(page.get_by_role("button", name="Publish version 1")).to_have_count(0)
    screenshot(page, "framework-publish-refused")
    follow(page.get_by_role("link", name="Go back to the draft"))

    for name, _statement in ATTRIBUTES:
        add_indicators(page, name)

    follow(page.get_by_role("link", name="Add a value"))
    page.get_by_label("Name", exact=True).fill("Respect")
    page.get_by_label("Agile").check()
    page.get_by_label("Collaborative").check()
    follow(page.get_by_role("button", name="Add value"))
    expect(page.locator("#values + dl")).to_contain_text("Supported by: Agile, Collaborative")
    screenshot(page, "framework-draft")

    follow(page.get_by_role("button", name="Publish version 1"))
    expect(page.get_by_role("alert")).to_have_count(0)
    follow(page.get_by_role("button", name="Publish version 1"))
    expect(page.get_by_text("Version 1 of Officers' leadership framework is published.")).to_be_visible()
    expect(page.get_by_role("button", name="Start a new draft")).to_be_visible()
    follow(page.get_by_role("link", name="All versions"))
    expect(page.get_by_role("table")).to_contain_text("Published")

    version = FrameworkVersion.objects.get(framework=Framework.objects.get(owner_organisation=org))
    assert version.status == FrameworkVersion.Status.PUBLISHED
    assert version.attributes.count() == 2 and version.tiers.count() == 2 and version.values.count() == 1
    kinds = BehaviourIndicator.objects.filter(version=version, kind="positive")
    assert {(i.attribute.name, i.tier.name) for i in kinds} == {(a, t) for a, _ in ATTRIBUTES for t, _ in TIERS}
    assert sorted(version.tiers.get(rank=2).grade_mappings.values_list("grade", flat=True)) == ["PO1", "PO2"]
    visit(page, "/frameworks/manage/")
