"""Certificates and badges in the browser, signed out as anyone checking one would be: a credential's
public page, the issuer's page, and the checking page with a genuine badge, a broken one and nothing
at all; axe checks every page. Then the recipient finds it among their own."""

import re

from playwright.sync_api import Page, expect

from cadre.core.models import Role
from cadre.credentials.services import credential_issue
from tests.browser import live_database
from tests.browser.axe import follow, visit
from tests.browser.journeys import sign_in
from tests.factories import OrganisationFactory, user_with_role

pytestmark = live_database
PASSWORD = "correct horse battery"


def test_a_badge_is_shown_checked_and_found(page: Page):
    org = OrganisationFactory(name="North Borough Council", slug="north-borough")
    sam = user_with_role(org, Role.MEMBER, first_name="Sam", last_name="Smith")
    credential = credential_issue(
        organisation=org,
        recipient_name="Sam Smith",
        recipient_email=sam.email,
        person=sam.person,
        achievement_name="Leading through change",
        achievement_description="A six-month programme for new service managers.",
        criteria="Attended every session and completed the action learning set.",
        actor=None,
    )

    visit(page, f"/badges/{credential.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leading through change")
    expect(page.get_by_role("region", name="Verified")).to_contain_text("awarded it to Sam Smith")
    expect(page.get_by_role("link", name="Certificate (PDF)")).to_be_visible()

    follow(page.get_by_role("link", name="North Borough Council"))
    expect(page.get_by_role("heading", level=1)).to_have_text("North Borough Council")
    expect(page.get_by_role("table", name="Signing keys")).to_contain_text("Now in use")

    follow(page.get_by_role("link", name="Check a digital badge"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check a digital badge")
    follow(page.get_by_role("button", name="Check it"))
    expect(page.get_by_role("alert")).to_contain_text("Paste the signed credential, or upload its .jwt file.")
    expect(page).to_have_title(re.compile(r"^Error: "))

    page.get_by_label("Paste the signed credential").fill(credential.jwt)
    page.get_by_label("Email address of the person it was awarded to (optional)").fill(sam.email)
    follow(page.get_by_role("button", name="Check it"))
    expect(page.get_by_role("heading", level=1)).to_have_text("This badge is genuine")
    expect(page.get_by_role("main")).to_contain_text(
        "North Borough Council awarded Leading through change to Sam Smith"
    )

    follow(page.get_by_role("link", name="Check another badge"))
    header, payload, _signature = credential.jwt.split(".")
    page.get_by_label("Paste the signed credential").fill(f"{header}.{payload}.{'A' * 86}")
    follow(page.get_by_role("button", name="Check it"))
    expect(page.get_by_role("heading", level=1)).to_have_text("This badge does not verify")
    expect(page.get_by_role("main")).to_contain_text("Reason: bad signature.")

    sign_in(page, email=sam.email, password=PASSWORD)
    visit(page, "/badges/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your certificates and badges")
    follow(page.get_by_role("link", name="Leading through change"))
    expect(page.get_by_role("region", name="Verified")).to_be_visible()
