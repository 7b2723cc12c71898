"""An organisation administrator's pages in a real browser, each scanned with axe-core: the people
list and a person's page, giving a role, inviting someone and their accepting, personal data and
the audit log."""

import re

from django.core import mail
from playwright.sync_api import Page, expect

from cadre.core.models import Membership, Role
from cadre.people.models import Person
from tests.browser import live_database
from tests.browser.axe import check_accessibility, follow, visit
from tests.browser.journeys import screenshot, sign_in, sign_out
from tests.factories import OrganisationFactory, PersonFactory, user_with_role

pytestmark = live_database

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def test_an_organisation_administrators_day(page: Page, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    org = OrganisationFactory(name="North Borough Council")
    admin = user_with_role(org, Role.ORG_ADMIN, first_name="Ada", last_name="Admin")
    colleague = user_with_role(org, Role.MEMBER, first_name="Cal", last_name="Colleague")
    newcomer = PersonFactory(organisation=org, first_name="Nia", last_name="Newcomer", email="nia@north.example")

    sign_in(page, email=admin.email, password=PASSWORD)
    visit(page, "/people/")
    page.get_by_role("searchbox").fill("Newcomer")
    follow(page.get_by_role("button", name="Search"))
    follow(page.get_by_role("link", name="Nia Newcomer"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nia Newcomer")
    screenshot(page, "person")

    # Invite the imported person; they accept from the emailed link.
    follow(page.get_by_role("button", name=re.compile("Invite Nia", re.I)))
    expect(page.get_by_text("Invitation sent to nia@north.example")).to_be_visible()

    # Give a colleague a role, then try to give one to an address nobody has.
    visit(page, "/roles/")
    page.get_by_label(re.compile("email address", re.I)).fill(colleague.email)
    page.get_by_label("Executive viewer").check()
    follow(page.get_by_role("button", name="Give role"))
    expect(page.get_by_text(re.compile("is now executive viewer", re.I))).to_be_visible()
    assert Membership.objects.filter(user=colleague, role=Role.EXECUTIVE_VIEWER).exists()
    page.get_by_label(re.compile("email address", re.I)).fill("nobody@north.example")
    page.get_by_label("Equality officer").check()
    follow(page.get_by_role("button", name="Give role"))
    expect(page.get_by_role("alert")).to_contain_text("No one in North Borough Council has a login")
    expect(page.get_by_label(re.compile("email address", re.I))).to_have_value("nobody@north.example")
    screenshot(page, "roles-error")

    # The audit log shows the role given, before and after.
    visit(page, "/audit/")
    expect(page.get_by_role("table")).to_contain_text("Executive viewer")

    # Personal data: the erase page asks for confirmation first.
    visit(page, f"/people/{colleague.person.pk}/erase/")
    follow(page.get_by_role("button", name="Erase personal data"))
    expect(page.get_by_role("alert")).to_contain_text("Tick the box")
    sign_out(page)

    link = next(line for line in mail.outbox[-1].body.splitlines() if "/invitations/" in line).strip()
    visit(page, link.split("127.0.0.1:8000", 1)[1])
    page.get_by_label("Your full name").fill("Nia Newcomer")
    page.get_by_label("Choose a password").fill("a sturdy passphrase")
    page.get_by_label("Type the password again").fill("a sturdy passphrase")
    follow(page.get_by_role("button", name="Create my login"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Nia")
    assert Person.objects.get(pk=newcomer.pk).user.email == "nia@north.example"
    visit(page, "/help/")
    visit(page, "/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_accessibility(page)
