"""How sign-in fits Cadre: logins come by invitation (or single sign-on for someone the HR import
already knows), never by open sign-up.

- `AccountAdapter` closes sign-up and words the sign-in errors, including the lockout after
  repeated failures (allauth's `login_failed` rate limit, counted in the cache).
- `MFAAdapter` words the two-factor errors.
- `SocialAccountAdapter` decides who may sign in through an identity provider: the email the
  provider vouches for must belong to an active person imported into one of the organisations
  that provider serves (see docs/single-sign-on.md).
- The form classes give allauth's forms GOV.UK labels, hints and error messages (no placeholders);
  settings.ACCOUNT_FORMS and settings.MFA_FORMS point at them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account import app_settings as account_settings
from allauth.account import forms as account_forms
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.ratelimit import parse_rates
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthProcess
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.shortcuts import render
from django.urls import reverse

if TYPE_CHECKING:
    from allauth.socialaccount.models import SocialLogin

    from cadre.people.models import Person

ALL_ORGANISATIONS = "*"


def _duration_words(seconds: float) -> str:
    seconds = int(seconds)
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"


def lockout_period() -> str:
    """How long the longest `login_failed` rate limit lasts, in words ("15 minutes")."""
    rates = parse_rates(account_settings.RATE_LIMITS.get("login_failed"))
    return _duration_words(max((rate.duration for rate in rates), default=300))


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "The email address or password is not right.",
        "enter_current_password": "Enter your current password.",
        "incorrect_password": "The password is not right.",
        "invalid_password_reset": "This link to reset your password is not valid.",
        "rate_limited": "You have done this too many times in a short while. Wait a few minutes, then try again.",
    }

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_login_redirect_url(self, request) -> str:
        """Someone with a development tier and no administrative role lands on what is expected of
        them at their tier; everyone else on the home page (and a `next` link always wins)."""
        from cadre.core.models import Role
        from cadre.core.selectors import roles_by_organisation
        from cadre.people.selectors import person_of

        user = request.user
        held = set().union(*roles_by_organisation(user).values())
        if not user.is_superuser and held <= {Role.MEMBER}:
            person = person_of(user)
            if person is not None and person.tier_id is not None:
                return reverse("frameworks:expected")
        return super().get_login_redirect_url(request)

    def get_reauthentication_methods(self, user) -> list[dict]:
        descriptions = {
            "reauthenticate": "Use your password instead",
            "mfa_reauthenticate": "Use a code from your authenticator app, or a recovery code, instead",
        }
        methods = super().get_reauthentication_methods(user)
        for method in methods:
            method["description"] = descriptions.get(method["id"], method["description"])
        return methods

    def validation_error(self, code, *args):
        if code == "too_many_login_attempts":
            return ValidationError(
                f"You have tried to sign in too many times. For your security, wait {lockout_period()} "
                "before you try again, or reset your password.",
                code=code,
            )
        return super().validation_error(code, *args)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "The code is not right. Check your authenticator app and try again.",
        "cannot_delete_authenticator": "You cannot turn off two-factor authentication.",
        "cannot_generate_recovery_codes": "Set up an authenticator app before you create recovery codes.",
        "unverified_email": "Confirm your email address before you set up two-factor authentication: "
        "on the page for your email addresses, send yourself a confirmation email.",
    }


# Forms: GOV.UK wording for allauth's fields.


def _password_hint() -> str:
    return " ".join(str(text) for text in password_validation.password_validators_help_texts())


class GovukFormMixin:
    """Sentence-case labels, hints and GOV.UK error messages; no placeholder text."""

    labels: dict[str, str] = {}
    hints: dict[str, str] = {}
    required: dict[str, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]
            if name in self.hints:
                field.help_text = self.hints[name]
            elif isinstance(field.help_text, str) and "<" in field.help_text:
                field.help_text = ""  # allauth's HTML help (a list of password rules) has no place in a hint
            if name in self.required:
                field.error_messages["required"] = self.required[name]
            if isinstance(field, forms.EmailField):
                field.widget = forms.EmailInput(attrs={"autocomplete": field.widget.attrs.get("autocomplete", "email")})
                field.error_messages["invalid"] = "Enter an email address in the correct format, like name@example.org."


def _code_widget() -> forms.TextInput:
    return forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "govuk-input--width-10"}
    )


class LoginForm(GovukFormMixin, account_forms.LoginForm):
    labels = {"login": "Email address", "password": "Password"}
    hints = {"password": ""}
    required = {"login": "Enter your email address.", "password": "Enter your password."}

    def clean(self):
        """Wrong details and the lockout are shown against the email address, so that the error
        summary links to the form (GOV.UK's pattern) rather than to nothing."""
        try:
            return super().clean()
        except ValidationError as error:
            self.add_error("login", error)
            return self.cleaned_data


class ResetPasswordForm(GovukFormMixin, account_forms.ResetPasswordForm):
    labels = {"email": "Email address"}
    hints = {"email": "The address you sign in to Cadre with."}
    required = {"email": "Enter your email address."}


class ResetPasswordKeyForm(GovukFormMixin, account_forms.ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "Type the new password again"}
    required = {"password1": "Enter a new password.", "password2": "Type the new password again."}

    def __init__(self, *args, **kwargs) -> None:
        self.hints = {"password1": _password_hint()}
        super().__init__(*args, **kwargs)


class ChangePasswordForm(GovukFormMixin, account_forms.ChangePasswordForm):
    labels = {
        "oldpassword": "Current password",
        "password1": "New password",
        "password2": "Type the new password again",
    }
    required = {
        "oldpassword": "Enter your current password.",
        "password1": "Enter a new password.",
        "password2": "Type the new password again.",
    }

    def __init__(self, *args, **kwargs) -> None:
        self.hints = {"oldpassword": "", "password1": _password_hint()}
        super().__init__(*args, **kwargs)


class SetPasswordForm(GovukFormMixin, account_forms.SetPasswordForm):
    labels = {"password1": "Password", "password2": "Type the password again"}
    required = {"password1": "Enter a password.", "password2": "Type the password again."}

    def __init__(self, *args, **kwargs) -> None:
        self.hints = {"password1": _password_hint()}
        super().__init__(*args, **kwargs)


class AddEmailForm(GovukFormMixin, account_forms.AddEmailForm):
    labels = {"email": "Email address"}
    required = {"email": "Enter an email address."}


class ReauthenticateForm(GovukFormMixin, account_forms.ReauthenticateForm):
    labels = {"password": "Password"}
    hints = {"password": ""}
    required = {"password": "Enter your password."}


class _CodeFormMixin(GovukFormMixin):
    labels = {"code": "Code"}
    hints = {"code": "The 6-digit code your authenticator app shows for Cadre, or one of your recovery codes."}
    required = {"code": "Enter the code from your authenticator app, or a recovery code."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget = _code_widget()


class AuthenticateForm(_CodeFormMixin, mfa_forms.AuthenticateForm):
    pass


class MFAReauthenticateForm(_CodeFormMixin, mfa_forms.ReauthenticateForm):
    pass


class ActivateTOTPForm(GovukFormMixin, totp_forms.ActivateTOTPForm):
    labels = {"code": "Code from your authenticator app"}
    hints = {"code": "After you add Cadre to the app, it shows a 6-digit code that changes every 30 seconds."}
    required = {"code": "Enter the 6-digit code from your authenticator app."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget = _code_widget()


# Single sign-on.


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """A person signs in through an identity provider only if the email it vouches for is that of
    an active person imported into an organisation the provider serves. The first time, the
    provider account is linked to that person's login (created if they have none yet)."""

    error_messages = {
        **DefaultSocialAccountAdapter.error_messages,
        "no_password": "This account is your only way to sign in. Set a password before you disconnect it.",
        "no_verified_email": "Confirm your email address before you disconnect this account.",
        "disconnect_last": "This account is your only way to sign in, so you cannot disconnect it.",
        "connected_other": "This account is already connected to a different Cadre login.",
    }

    @staticmethod
    def _email(sociallogin: SocialLogin) -> str:
        """The address the provider vouches for (not that of a login the account is linked to)."""
        addresses = sociallogin.email_addresses
        chosen = next((a for a in addresses if a.primary), addresses[0] if addresses else None)
        if chosen is not None:
            email = chosen.email
        elif sociallogin.user is not None and not sociallogin.is_existing:
            email = sociallogin.user.email
        else:
            email = ""
        return (email or "").strip().lower()

    @staticmethod
    def organisations_served(sociallogin: SocialLogin) -> list[str]:
        """The organisation slugs this provider may sign people in to (["*"] for all of them)."""
        provider = sociallogin.provider or sociallogin.account.get_provider()
        return list(provider.app.settings.get("organisations") or [])

    def person_for(self, sociallogin: SocialLogin) -> Person | None:
        from cadre.people.models import Person

        email = self._email(sociallogin)
        served = self.organisations_served(sociallogin)
        if not email or not served:
            return None
        people = Person.objects.filter(email__iexact=email, status=Person.Status.ACTIVE)
        if ALL_ORGANISATIONS not in served:
            people = people.filter(organisation__slug__in=served)
        # The same address may be on records in two organisations (a shared post): a record that
        # already has a login wins, then the oldest.
        return (
            people.select_related("organisation", "user")
            .order_by(F("user").asc(nulls_last=True), "created_at", "pk")
            .first()
        )

    def _refuse(self, request, sociallogin: SocialLogin) -> ImmediateHttpResponse:
        response = render(
            request,
            "socialaccount/refused.html",
            {"provider": sociallogin.provider, "email": self._email(sociallogin)},
            status=403,
        )
        return ImmediateHttpResponse(response)

    def authenticate_by_email(self, sociallogin: SocialLogin):
        """Cadre matches people itself (`pre_social_login`); allauth's own matching of any login
        with the same address, which would also wipe that login's password, is not used."""
        return None

    def pre_social_login(self, request, sociallogin: SocialLogin) -> None:
        """Decide which Cadre login this sign-in is for, or refuse it."""
        from cadre.core.models import User

        person = self.person_for(sociallogin)
        if person is None:
            raise self._refuse(request, sociallogin)
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            # Connecting an account to the signed-in login: it must be this person's login.
            if not self._belongs_to(person=person, user=request.user):
                raise self._refuse(request, sociallogin)
            return
        if sociallogin.is_existing:
            # The provider account was linked before: it must still be this person's login.
            if not self._belongs_to(person=person, user=sociallogin.user):
                raise self._refuse(request, sociallogin)
            return
        # First sign-in with this provider account: the person's login, or a login made earlier for
        # the same address (by invitation), or, failing both, a new one (`save_user`).
        user = person.user or User.objects.filter(email__iexact=self._email(sociallogin)).first()
        if user is not None:
            if not self._belongs_to(person=person, user=user):
                raise self._refuse(request, sociallogin)
            sociallogin.connect(request, user)

    def _belongs_to(self, *, person: Person, user) -> bool:
        """Whether `user` is the person's login, linking them if neither has the other yet."""
        if person.user_id is not None:
            return person.user_id == user.pk
        if type(person).objects.filter(user=user).exists():
            return False
        # A login with no staff record yet is linked only if nothing about it reaches beyond the
        # person's organisation: never an administrator of Cadre, and never someone holding roles
        # elsewhere (an imported record with their address must not let a provider sign in as them).
        if user.is_superuser or user.is_staff:
            return False
        if user.memberships.exclude(organisation_id=person.organisation_id).exists():
            return False
        self._link(person=person, user=user)
        return True

    def is_open_for_signup(self, request, sociallogin) -> bool:
        """Single sign-on may create a login only for an active person Cadre already knows."""
        person = self.person_for(sociallogin)
        return person is not None and person.user_id is None

    def save_user(self, request, sociallogin, form=None):
        from allauth.account.models import EmailAddress

        person = self.person_for(sociallogin)
        with transaction.atomic():
            user = super().save_user(request, sociallogin, form)
            # The provider vouched for the address (as an invitation would), so it counts as
            # confirmed: the person can then turn on two-factor authentication.
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
            if person is not None and person.user_id is None:
                self._link(person=person, user=user)
        return user

    @staticmethod
    def _link(*, person: Person, user) -> None:
        from cadre.core.audit import acting_as
        from cadre.core.models import Membership, Role

        with acting_as(user):
            if not user.full_name:
                user.full_name = person.full_name
                user.save(update_fields=["full_name"])
            person.user = user
            person.save(update_fields=["user"])
            Membership.objects.get_or_create(user=user, organisation=person.organisation, role=Role.MEMBER)
