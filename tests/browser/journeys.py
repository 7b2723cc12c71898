"""Steps that several browser tests take: signing in and out, reading a one-time code, screenshots.

Form fields are found by their accessible labels and buttons by their role and name, matched
loosely, so the steps keep working when the wording of the sign-in pages is polished."""

import os
import re
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.axe import follow, visit

EMAIL = re.compile("email", re.IGNORECASE)
PASSWORD = re.compile("password", re.IGNORECASE)
SIGN_IN = re.compile(r"^\s*sign in\s*$", re.IGNORECASE)
SIGN_OUT = re.compile(r"^\s*sign out\s*$", re.IGNORECASE)


def sign_in(page: Page, *, email: str, password: str) -> None:
    """Fill in the sign-in form and submit it. Leaves the browser wherever Cadre sends it next."""
    visit(page, "/accounts/login/")
    screenshot(page, "login")
    # By role as well as name: the password's "Show password" button is labelled too.
    page.get_by_role("textbox", name=EMAIL).fill(email)
    page.get_by_role("textbox", name=PASSWORD).fill(password)
    follow(page.get_by_role("button", name=SIGN_IN))


def sign_out(page: Page) -> None:
    """Sign out from the navigation, confirming on the sign-out page, and check the landing page."""
    follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name=SIGN_OUT))
    follow(page.get_by_role("button", name=SIGN_OUT))
    expect(page.get_by_role("heading", level=1)).to_have_text("Leadership and management development")
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name=SIGN_IN)).to_be_visible()


def totp_code(secret: str) -> str:
    """The authenticator app's current code for a TOTP secret (RFC 6238, as allauth checks it).

    Near the end of a 30-second step the code would change before the server checks it, so
    this waits for the next step instead."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left_in_step = period - time.time() % period
    if left_in_step < 3:
        time.sleep(left_in_step + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def screenshot(page: Page, name: str) -> None:
    """Save a full-page screenshot to the folder named by CADRE_SHOTS, when it is set."""
    folder = os.environ.get("CADRE_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
