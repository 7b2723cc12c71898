import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from playwright.sync_api import Page, expect

from cadre.core.models import Role
from tests.browser import live_database
from tests.browser.axe import follow, visit
from tests.browser.journeys import EMAIL, SIGN_IN, screenshot, sign_in, sign_out, totp_code
from tests.factories import OrganisationFactory, user_with_role

pytestmark = live_database

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
HOME = re.compile(r"^https?://[^/]+/$")


@pytest.fixture
def priya():
    organisation = OrganisationFactory(name="Northshire County Council")
    user = user_with_role(organisation, Role.MEMBER, first_name="Priya", last_name="Shah", job_title="Team leader")
    user.full_name = "Priya Shah"
    user.save(update_fields=["full_name"])
    return user


def test_signing_in_with_email_and_password_then_out(page: Page, priya):
    sign_in(page, email=priya.email, password=PASSWORD)

    expect(page).to_have_url(HOME)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Priya")
    expect(page.get_by_text("Northshire County Council").first).to_be_visible()
    screenshot(page, "home")

    sign_out(page)
    visit(page, "/people/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/people/$"))
    expect(page.get_by_role("button", name=SIGN_IN)).to_be_visible()


def test_a_wrong_password_is_refused_on_the_sign_in_page(page: Page, priya):
    sign_in(page, email=priya.email, password="not the password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_contain_text(re.compile("password", re.IGNORECASE))
    expect(page.get_by_role("textbox", name=EMAIL)).to_have_value(priya.email)


def test_setting_up_two_factor_authentication_then_signing_in_with_a_code(page: Page, priya):
    sign_in(page, email=priya.email, password=PASSWORD)
    follow(page.get_by_role("link", name=re.compile("two-factor authentication", re.IGNORECASE)))
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))

    set_up = re.compile(r"^\s*(activate|set up)", re.IGNORECASE)
    follow(page.get_by_role("link", name=set_up).or_(page.get_by_role("button", name=set_up)).first)
    # allauth asks for the password again before a change to how the person signs in.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_role("textbox", name=re.compile("password", re.IGNORECASE)).fill(PASSWORD)
    follow(page.get_by_role("button", name=re.compile("confirm|continue", re.IGNORECASE)))

    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    secret = page.get_by_text(re.compile(r"^\s*[A-Z2-7]{32}\s*$")).inner_text().strip()
    page.get_by_role("textbox", name=re.compile("code", re.IGNORECASE)).fill(totp_code(secret))
    follow(page.get_by_role("button", name=re.compile("activate|turn on", re.IGNORECASE)))

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("recovery codes", re.IGNORECASE))
    assert Authenticator.objects.filter(user=priya, type=Authenticator.Type.TOTP).exists()
    codes = RecoveryCodes(Authenticator.objects.get(user=priya, type=Authenticator.Type.RECOVERY_CODES))
    shown = page.get_by_role("main").inner_text()
    assert len(codes.get_unused_codes()) == 10
    assert all(code in shown for code in codes.get_unused_codes()), shown

    sign_out(page)
    sign_in(page, email=priya.email, password=PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("two-factor|code", re.IGNORECASE))
    page.get_by_role("textbox", name=re.compile("code", re.IGNORECASE)).fill(totp_code(secret))
    follow(page.get_by_role("button", name=re.compile(r"^\s*(sign in|continue)\s*$", re.IGNORECASE)))

    expect(page).to_have_url(HOME)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Priya")
