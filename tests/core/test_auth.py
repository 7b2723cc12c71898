"""Signing in: email and password, lockout after repeated failures, two-factor authentication with
an authenticator app and recovery codes, and the GOV.UK pages allauth shows for all of it."""

import re
import time

import pytest
from allauth.account import app_settings as account_settings
from allauth.account.models import EmailAddress
from allauth.core.internal.ratelimit import parse_rates
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.cache import cache

from cadre.core.sso import providers_from_environment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # UserFactory's password
BASE_SCRIPT = (
    "<script>document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype "
    "? ' govuk-frontend-supported' : '');</script>"
)


# Helpers


def html(response) -> str:
    return response.content.decode()


def h1_count(page: str) -> int:
    return len(re.findall(r"<h1[\s>]", page))


def title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def current_totp(secret: str) -> str:
    """The code an authenticator app shows now, made with allauth's own helpers (and not one about
    to expire, so that a slow test cannot straddle two periods)."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def key_limit() -> tuple[int, float]:
    """How many failed sign-ins per email address the settings allow, and in how many seconds."""
    rate = next(r for r in parse_rates(account_settings.RATE_LIMITS["login_failed"]) if r.per == "key")
    return rate.amount, rate.duration


def assert_gov_uk_page(page: str) -> None:
    """One h1, and nothing the Content-Security-Policy would block: no inline scripts beyond the
    hashed one in base.html, and no style attributes."""
    assert h1_count(page) == 1, page
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>.*?</script>", page, re.S)
    assert inline_scripts == [BASE_SCRIPT]
    assert not re.search(r"\sstyle=", page)
    assert "govuk-template__body" in page  # Cadre's page shell, not allauth's bare one


def confirm_it_is_me(client, next_path: str):
    """Changing how one signs in asks for the password again first, even just after signing in."""
    response = client.get(next_path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == next_path


def set_up_totp(client, user) -> str:
    """Turn on two-factor authentication as the person would, returning the app's secret."""
    response = client.get("/accounts/2fa/totp/activate/")
    if response.status_code == 302:
        confirm_it_is_me(client, "/accounts/2fa/totp/activate/")
        response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200, response.get("Location")
    secret = response.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_totp(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return secret


@pytest.fixture
def user():
    """A login as accepting an invitation leaves it: its email address confirmed."""
    user = UserFactory(email="jo.bloggs@north-borough.gov.uk")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def signed_in(client, user):
    response = sign_in(client, user.email)
    assert response.status_code == 302
    return client


# Email and password


def test_a_person_signs_in_with_email_and_password_and_signs_out(client, user):
    response = sign_in(client, "Jo.Bloggs@north-borough.gov.uk")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == user.pk

    # Signing out asks first (a link cannot sign anyone out), then needs a POST.
    response = client.get("/accounts/logout/")
    assert response.status_code == 200
    assert is_signed_in(client)
    assert '<form method="post" action="/accounts/logout/"' in html(response)

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not is_signed_in(client)


def test_a_wrong_password_shows_the_error_summary_and_keeps_the_email(client, user):
    response = sign_in(client, user.email, "not the password")

    page = html(response)
    assert response.status_code == 200
    assert not is_signed_in(client)
    assert title(page).startswith("Error: Sign in")
    assert 'class="govuk-error-summary"' in page
    assert "There is a problem" in page
    assert '<a href="#id_login">The email address or password is not right.</a>' in page
    assert 'class="govuk-input govuk-input--error" id="id_login"' in page
    assert f'value="{user.email}"' in page
    assert 'name="password" type="password"' in page
    assert "not the password" not in page  # a password is never sent back
    assert_gov_uk_page(page)


def test_missing_email_and_password_are_named_and_linked_in_the_summary(client):
    page = html(client.post("/accounts/login/", {"login": "", "password": ""}))

    assert '<a href="#id_login">Enter your email address.</a>' in page
    assert '<a href="#id_password">Enter your password.</a>' in page
    assert "govuk-form-group--error" in page
    assert "placeholder" not in page


def test_the_login_page_offers_no_sign_up(client):
    page = html(client.get("/accounts/login/"))

    assert "/accounts/signup/" not in page
    assert "sign up" not in page.lower()
    assert "invitation" in page
    # And the sign-up address itself says that logins come by invitation.
    page = html(client.get("/accounts/signup/"))
    assert "You need an invitation to use Cadre" in page
    assert_gov_uk_page(page)


# Lockout


def test_repeated_failures_lock_the_address_out_even_with_the_right_password(client, user):
    limit, window = key_limit()
    assert limit <= 10  # settings: a handful of tries, not an unlimited guessing game
    assert window >= 5 * 60

    for _ in range(limit - 1):
        assert not is_signed_in(client) and sign_in(client, user.email, "guess").status_code == 200
    # One short of the limit, the right password still works...
    assert sign_in(client, user.email).status_code == 302
    client.post("/accounts/logout/")
    # ...but one more failure locks the address, and the right password is refused.
    sign_in(client, user.email, "guess")
    response = sign_in(client, user.email)

    page = html(response)
    assert response.status_code == 200
    assert not is_signed_in(client)
    assert '<a href="#id_login">You have tried to sign in too many times' in page
    assert f"wait {int(window // 60)} minutes" in page
    assert "reset your password" in page
    assert title(page).startswith("Error: ")
    assert f'value="{user.email}"' in page
    assert_gov_uk_page(page)


def test_the_lockout_is_for_that_address_and_is_kept_in_the_cache(client, user):
    limit, _ = key_limit()
    colleague = UserFactory()
    for _ in range(limit):
        sign_in(client, user.email, "guess")
    assert "too many times" in html(sign_in(client, user.email))

    # A colleague at the same office (the same address) is not locked out.
    assert sign_in(client, colleague.email).status_code == 302
    client.post("/accounts/logout/")

    # The count lives in the shared cache: clear it and the person can sign in again.
    cache.clear()
    assert sign_in(client, user.email).status_code == 302


def test_resetting_the_password_lifts_the_lockout(client, user):
    limit, _ = key_limit()
    for _ in range(limit):
        sign_in(client, user.email, "guess")
    assert "too many times" in html(sign_in(client, user.email))

    client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.outbox[-1].body).group(0)
    response = client.get(link)
    new_password = "a new long passphrase"
    response = client.post(response["Location"], {"password1": new_password, "password2": new_password})
    assert response.status_code == 302

    assert sign_in(client, user.email, new_password).status_code == 302


# Two-factor authentication


def test_setting_up_an_authenticator_app_makes_sign_in_ask_for_a_code(signed_in, user):
    confirm_it_is_me(signed_in, "/accounts/2fa/totp/activate/")
    response = signed_in.get("/accounts/2fa/totp/activate/")
    page = html(response)
    assert_gov_uk_page(page)
    assert '<img class="cadre-qr-code" src="data:image/svg+xml;base64,' in page
    assert 'alt="QR code to add Cadre to your authenticator app.' in page
    # The secret is shown as text too, for typing into the app.
    secret = re.search(r'<code id="totp-secret"[^>]*>([A-Z2-7]+)</code>', page).group(1)
    assert secret == response.context["form"].secret

    # A wrong code is refused with the error summary.
    wrong = f"{(int(current_totp(secret)) + 1) % 10**6:06d}"
    page = html(signed_in.post("/accounts/2fa/totp/activate/", {"code": wrong}))
    assert '<a href="#id_code">The code is not right.' in page
    assert title(page).startswith("Error: Set up an authenticator app")
    assert_gov_uk_page(page)
    assert not Authenticator.objects.filter(user=user).exists()

    response = signed_in.post("/accounts/2fa/totp/activate/", {"code": current_totp(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    signed_in.post("/accounts/logout/")

    # The password alone no longer signs the person in.
    response = sign_in(signed_in, user.email)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not is_signed_in(signed_in)
    page = html(signed_in.get("/accounts/2fa/authenticate/"))
    assert "Enter a code from your authenticator app" in page
    assert_gov_uk_page(page)

    page = html(signed_in.post("/accounts/2fa/authenticate/", {"code": ""}))
    assert '<a href="#id_code">Enter the code from your authenticator app, or a recovery code.</a>' in page
    assert not is_signed_in(signed_in)

    response = signed_in.post("/accounts/2fa/authenticate/", {"code": current_totp(secret)})
    assert response.status_code == 302
    assert int(signed_in.session["_auth_user_id"]) == user.pk


def test_a_recovery_code_works_once_and_only_once(signed_in, user):
    set_up_totp(signed_in, user)
    page = html(signed_in.get("/accounts/2fa/recovery-codes/"))
    codes = re.findall(r"<code[^>]*>(\d+)</code>", page)
    assert len(codes) == mfa_settings.RECOVERY_CODE_COUNT
    code = codes[3]
    signed_in.post("/accounts/logout/")

    sign_in(signed_in, user.email)
    response = signed_in.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert int(signed_in.session["_auth_user_id"]) == user.pk
    unused = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    assert code not in unused and len(unused) == len(codes) - 1
    assert f"{len(codes) - 1} of {len(codes)} codes not used yet" in html(signed_in.get("/accounts/2fa/"))
    signed_in.post("/accounts/logout/")

    sign_in(signed_in, user.email)
    response = signed_in.post("/accounts/2fa/authenticate/", {"code": code})
    page = html(response)
    assert response.status_code == 200
    assert not is_signed_in(signed_in)
    assert "The code is not right" in page
    assert title(page).startswith("Error: ")
    assert_gov_uk_page(page)

    # Another unused code still works.
    response = signed_in.post("/accounts/2fa/authenticate/", {"code": codes[4]})
    assert response.status_code == 302
    assert is_signed_in(signed_in)


def test_recovery_codes_download_as_a_text_file(signed_in, user):
    set_up_totp(signed_in, user)
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()

    response = signed_in.get("/accounts/2fa/recovery-codes/download/")

    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().split() == codes


# Every page


def anonymous_pages() -> dict[str, tuple[int, str]]:
    return {
        "/accounts/login/": (200, "Sign in to Cadre"),
        "/accounts/signup/": (200, "You need an invitation to use Cadre"),
        "/accounts/password/reset/": (200, "Reset your password"),
        "/accounts/password/reset/done/": (200, "Check your email"),
        "/accounts/password/reset/key/1-not-a-key/": (200, "This link does not work"),
        "/accounts/password/reset/key/done/": (200, "Your password has been changed"),
        "/accounts/inactive/": (200, "Your login is switched off"),
        "/accounts/confirm-email/": (200, "Confirm your email address"),
        "/accounts/confirm-email/not-a-key/": (200, "Confirm your email address"),
        "/accounts/3rdparty/login/cancelled/": (200, "You did not finish signing in"),
        "/accounts/3rdparty/login/error/": (401, "Signing in with your organisation's account did not work"),
    }


def test_every_sign_in_page_is_a_gov_uk_page_with_one_heading(client):
    for path, (status, heading) in anonymous_pages().items():
        response = client.get(path)
        assert response.status_code == status, path
        page = html(response)
        assert_gov_uk_page(page)
        assert heading in re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1), path


def test_every_account_and_two_factor_page_is_a_gov_uk_page_with_one_heading(signed_in, user):
    pages_before_2fa = {
        "/accounts/logout/": "Sign out of Cadre",
        "/accounts/password/change/": "Change your password",
        "/accounts/email/": "Your email addresses",
        "/accounts/reauthenticate/": "Confirm it is you",
        "/accounts/2fa/": "Sign-in and security",
        "/accounts/3rdparty/": "Your organisation accounts",
    }
    for path, heading in pages_before_2fa.items():
        response = signed_in.get(path)
        assert response.status_code == 200, (path, response.get("Location"))
        page = html(response)
        assert_gov_uk_page(page)
        assert heading in page, path

    confirm_it_is_me(signed_in, "/accounts/2fa/totp/activate/")
    page = html(signed_in.get("/accounts/2fa/totp/activate/"))
    assert_gov_uk_page(page)
    assert "Set up an authenticator app" in page

    set_up_totp(signed_in, user)
    pages_with_2fa = {
        "/accounts/2fa/": "Sign-in and security",
        "/accounts/2fa/reauthenticate/": "Confirm it is you",
        "/accounts/2fa/totp/deactivate/": "Turn off two-factor authentication",
        "/accounts/2fa/recovery-codes/": "Your recovery codes",
        "/accounts/2fa/recovery-codes/generate/": "Create new recovery codes",
    }
    for path, heading in pages_with_2fa.items():
        response = signed_in.get(path)
        assert response.status_code == 200, (path, response.get("Location"))
        page = html(response)
        assert_gov_uk_page(page)
        assert heading in page, path
    assert '<strong class="govuk-tag govuk-tag--green">On</strong>' in html(signed_in.get("/accounts/2fa/"))


def test_a_person_without_a_password_is_offered_one(client):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    response = client.get("/accounts/password/set/")

    assert response.status_code == 200
    assert_gov_uk_page(html(response))
    assert "Set a password" in html(response)
    assert "Set a password" in html(client.get("/accounts/2fa/"))


def test_failed_forms_on_account_pages_keep_the_gov_uk_error_pattern(signed_in, user):
    response = signed_in.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": "a new long passphrase", "password2": "a new long passphrase"},
    )
    page = html(response)
    assert response.status_code == 200
    assert title(page).startswith("Error: Change your password")
    assert '<a href="#id_oldpassword">' in page
    assert_gov_uk_page(page)

    response = signed_in.post("/accounts/password/reset/", {"email": "not an email"})
    page = html(response)
    assert title(page).startswith("Error: Reset your password")
    assert "Enter an email address in the correct format" in page
    assert 'value="not an email"' in page


def test_the_login_page_lists_single_sign_on_as_buttons_that_post(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = providers_from_environment(
        {
            "CADRE_OIDC_PROVIDERS": "entra",
            "CADRE_OIDC_ENTRA_NAME": "Microsoft",
            "CADRE_OIDC_ENTRA_SERVER_URL": "https://login.microsoftonline.com/tenant/v2.0",
            "CADRE_OIDC_ENTRA_CLIENT_ID": "client",
            "CADRE_OIDC_ENTRA_SECRET": "secret",
            "CADRE_OIDC_ENTRA_ORGANISATIONS": "north-borough",
            "CADRE_SAML_ORGANISATIONS": "south-borough",
            "CADRE_SAML_SOUTH_BOROUGH_NAME": "South Borough Council",
            "CADRE_SAML_SOUTH_BOROUGH_IDP_ENTITY_ID": "https://idp.south-borough.gov.uk",
            "CADRE_SAML_SOUTH_BOROUGH_IDP_SSO_URL": "https://idp.south-borough.gov.uk/sso",
            "CADRE_SAML_SOUTH_BOROUGH_IDP_X509CERT": "MIIB",
        }
    )

    page = html(client.get("/accounts/login/"))

    assert_gov_uk_page(page)
    assert re.search(r'<form method="post" action="/accounts/oidc/entra/login/\?process=login"', page)
    assert re.search(r'<form method="post" action="/accounts/saml/south-borough/login/\?process=login"', page)
    assert "Sign in with Microsoft" in page
    assert "Sign in with South Borough Council" in page
    # The confirmation page a plain link would reach is a GOV.UK page too.
    page = html(client.get("/accounts/oidc/entra/login/?process=login"))
    assert "Sign in with Microsoft" in re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert_gov_uk_page(page)


def test_allauth_pages_cadre_does_not_rewrite_still_get_gov_uk_markup(rf):
    """allauth's own templates (here, one for a feature Cadre leaves off) render through Cadre's
    layouts and GOV.UK elements, so a page added by an allauth upgrade is never unstyled."""
    from allauth.account.forms import RequestLoginCodeForm
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.post("/accounts/login/code/")
    request.user = AnonymousUser()
    form = RequestLoginCodeForm(data={"email": "not an email"})
    assert not form.is_valid()

    page = render_to_string(
        "account/request_login_code.html",
        {"form": form, "request_login_code_url": "/accounts/login/code/", "login_url": "/accounts/login/"},
        request=request,
    )

    assert_gov_uk_page(page)
    assert '<h1 class="govuk-heading-l">' in page
    assert 'class="govuk-error-summary"' in page
    assert 'class="govuk-input govuk-input--error"' in page
    assert 'class="govuk-button"' in page
    assert title(page).startswith("Error: ")


def test_someone_with_a_tier_lands_on_what_is_expected_of_them_and_administrators_on_home(client):
    from cadre.core.models import Role
    from tests.factories import OrganisationFactory, user_with_role
    from tests.frameworks import builders

    org = OrganisationFactory()
    tier = builders.version(builders.framework(organisation=org)).tiers.first()
    member = user_with_role(org, Role.MEMBER)
    member.person.tier = tier
    member.person.save()
    response = sign_in(client, member.email)
    assert response.status_code == 302 and response["Location"] == "/frameworks/expected/"
    client.logout()
    untiered = user_with_role(org, Role.MEMBER)
    assert sign_in(client, untiered.email)["Location"] == "/"
    client.logout()
    admin = user_with_role(org, Role.LD_ADMIN)
    admin.person.tier = tier
    admin.person.save()
    assert sign_in(client, admin.email)["Location"] == "/"
    client.logout()
    # A link the person followed to sign in still wins.
    response = client.post("/accounts/login/?next=/people/", {"login": member.email, "password": PASSWORD})
    assert response["Location"] == "/people/"
