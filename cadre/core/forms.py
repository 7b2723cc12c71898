"""Forms shared across Cadre, and GOV.UK form helpers: fields rendered as GOV.UK components, and a
service's problems put on them."""

from django import forms
from django.utils.safestring import SafeString

from cadre.core import govuk
from cadre.core.errors import ValidationError


def short_number_input() -> forms.NumberInput:
    """A narrow GOV.UK input for a small whole number (a threshold, an order, a rank)."""
    return forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"})


def add_problems(form: forms.Form, error: ValidationError) -> None:
    """Put a service's problems on the form's fields (or above the form), for the error summary."""
    for problem in error.problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)


def _checkboxes(bound: forms.BoundField) -> SafeString:
    """A multiple choice as GOV.UK checkboxes. (`govuk.render_field` takes CheckboxSelectMultiple,
    a subclass of RadioSelect in Django, for radios, so one answer could be chosen where several
    may be: see the report on cadre/core/govuk.py.)"""
    field_id = bound.auto_id or f"id_{bound.html_name}"
    selected = {str(v) for v in (bound.value() or [])}
    return govuk.render_component(
        "checkboxes",
        {
            "idPrefix": field_id,
            "name": bound.html_name,
            "fieldset": {"legend": {"text": str(bound.label), "classes": "govuk-fieldset__legend--s"}},
            "hint": {"text": str(bound.help_text)} if bound.help_text else None,
            "errorMessage": {"text": " ".join(str(e) for e in bound.errors)} if bound.errors else None,
            "items": [
                {"value": str(value), "text": str(label), "checked": str(value) in selected}
                for value, label in bound.field.choices
            ],
            "classes": "govuk-checkboxes--small",
        },
    )


class GovukForm(forms.Form):
    """A form whose fields render as GOV.UK components, in order: `{% for f in form.rendered_fields %}`."""

    def rendered_fields(self) -> list[SafeString]:
        return [
            _checkboxes(self[name])
            if isinstance(field.widget, forms.CheckboxSelectMultiple)
            else govuk.render_field(self[name])
            for name, field in self.fields.items()
        ]


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label="Your full name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label="Choose a password",
        help_text="At least 10 characters. A few unrelated words make a strong password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="Type the password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("password")
            and cleaned.get("password_again")
            and cleaned["password"] != cleaned["password_again"]
        ):
            self.add_error("password_again", "The two passwords do not match.")
        return cleaned


class GrantRoleForm(forms.Form):
    email = forms.EmailField(
        label="Email address of the person",
        help_text="They need a login: invite them from their page in People first.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        from cadre.core.models import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r != Role.MEMBER]
