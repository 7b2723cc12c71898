"""The catalogue in the browser: an administrator adds an offering, a member finds it by search
and filters, and the coverage shows it; axe checks every page."""

from playwright.sync_api import Page, expect

from cadre.core.models import Role
from tests.browser import live_database
from tests.browser.axe import follow, visit
from tests.browser.journeys import sign_in
from tests.factories import OrganisationFactory, user_with_role
from tests.frameworks import builders

pytestmark = live_database
PASSWORD = "correct horse battery"


def test_an_offering_is_added_found_and_counted(page: Page):
    org = OrganisationFactory(name="North Borough Council")
    version = builders.version(builders.framework(organisation=org, name="Officers' framework"), tiers=2)
    admin = user_with_role(org, Role.LD_ADMIN, first_name="Lee", last_name="Developer")

    sign_in(page, email=admin.email, password=PASSWORD)
    follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Catalogue"))
    follow(page.get_by_role("link", name="Add an offering"))
    page.get_by_label("Title").fill("Leading through change")
    page.get_by_label("Course or workshop").check()
    page.get_by_label("Summary").fill("Two days on leading a team through a restructure")
    page.get_by_label("In person").check()
    page.get_by_label("Cost per place in pounds (optional)").fill("three hundred")
    follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("alert")).to_contain_text("Enter the cost as a number of pounds")
    page.get_by_label("Cost per place in pounds (optional)").fill("300")
    attribute = version.attributes.order_by("order").first()
    page.get_by_label(attribute.name, exact=True).check()
    page.get_by_label("Aspiring manager", exact=True).check()
    follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Leading through change")
    expect(page.get_by_role("main")).to_contain_text("£300.00 a place")

    follow(page.get_by_role("link", name="Development catalogue"))
    page.get_by_label("Search").fill("restructure")
    follow(page.get_by_role("button", name="Apply filters"))
    expect(page.get_by_role("status")).to_have_text("1 offering, best match first")
    follow(page.get_by_role("link", name="Coverage of the framework"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Coverage of the framework")
    expect(page.get_by_role("row", name=attribute.name)).to_contain_text("1")
    visit(page, "/catalogue/?q=nothing+of+the+sort")
    expect(page.get_by_text("No offerings match.")).to_be_visible()
