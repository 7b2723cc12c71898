from django import forms
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cadre.core import govuk
from cadre.core.forms import GovukForm
from cadre.learning.evidence import ACCEPT
from cadre.learning.services import MAX_EVIDENCE, MAX_REASON

DATE_HINT = "For example, 27 3 2026. Type it as day month year."


def _date_field(label: str, *, required_message: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=DATE_HINT,
        input_formats=["%d %m %Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"required": required_message, "invalid": "Enter a real date, such as 27 3 2026."},
    )


class RequestForm(GovukForm):
    reason = forms.CharField(
        label="Why do you want to do this?",
        help_text="What you hope to learn, and how it will help in your role. Your approver reads this.",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Say why you want to do this and what you hope to get from it.",
            "max_length": f"Keep your reason to {MAX_REASON:,} characters or fewer.",
        },
    )
    attributes = forms.MultipleChoiceField(
        label="Which parts of the framework should it build? (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose attributes from the list."},
    )
    preferred_start = forms.CharField(
        label="When would you like to start? (optional)",
        help_text="A course date, or a month, such as: the 12 May course, or autumn 2026.",
        max_length=200,
        required=False,
        error_messages={"max_length": "Keep the preferred start to 200 characters or fewer."},
    )

    def __init__(self, *args, attribute_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        if attribute_choices:
            self.fields["attributes"].choices = list(attribute_choices)
        else:
            del self.fields["attributes"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or decline the request."},
    )
    reason = forms.CharField(
        label="Why are you declining it?",
        help_text="The person sees this.",
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"Keep the reason to {MAX_REASON:,} characters or fewer."},
    )
    note = forms.CharField(
        label="Anything to add? (optional)",
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Keep the note to {MAX_REASON:,} characters or fewer."},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why the request is declined.")
        return cleaned

    def rendered(self) -> SafeString:
        """GOV.UK radios with each answer's text box beneath it, as GOV.UK Frontend shows them without
        JavaScript. Its script would hide the boxes until an answer is chosen, but it marks the radios
        aria-expanded, which ARIA does not allow on a radio (axe-core fails the page as critical:
        alphagov/govuk-frontend#979), so the radios are left to work without it."""
        bound = self["decision"]
        chosen = bound.value()
        markup = govuk.render_component(
            "radios",
            {
                "idPrefix": "id_decision",
                "name": "decision",
                "fieldset": {"legend": {"text": "Your decision", "classes": "govuk-fieldset__legend--m"}},
                "errorMessage": {"text": " ".join(bound.errors)} if bound.errors else None,
                "items": [
                    {
                        "value": "approve",
                        "text": "Approve",
                        "checked": chosen == "approve",
                        "conditional": {"html": govuk.render_field(self["note"])},
                    },
                    {
                        "value": "decline",
                        "text": "Decline",
                        "checked": chosen == "decline",
                        "conditional": {"html": govuk.render_field(self["reason"])},
                    },
                ],
            },
        )
        markup = markup.replace(' data-module="govuk-radios"', "").replace(" govuk-radios__conditional--hidden", "")
        return mark_safe(markup)  # noqa: S308 (rendered by the GOV.UK macro, which escapes)


class CompletionForm(GovukForm):
    completed_on = _date_field("Date completed", required_message="Enter the date it was completed.")
    evidence = forms.CharField(
        label="Evidence",
        help_text="What you did and what you learned, or where the certificate is. Or attach a file, or both.",
        required=False,
        max_length=MAX_EVIDENCE,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"Keep the evidence to {MAX_EVIDENCE:,} characters or fewer."},
    )
    evidence_file = forms.FileField(
        label="Upload a file (optional)",
        help_text="A certificate or other proof: a PDF, Word document, image or text file, smaller than 5 MB.",
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "invalid": "The selected file could not be read. Choose it again.",
            "empty": "The selected file is empty.",
            "max_length": "The selected file's name must be 200 characters or fewer.",
        },
    )

    def __init__(self, *args, for_person: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_person:
            self.fields["evidence"].label = "Note (optional)"
            self.fields["evidence"].help_text = "How you know it was completed, such as the provider's register."

    def clean_completed_on(self):
        day = self.cleaned_data["completed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date it was completed must be today or in the past.")
        return day


class ProviderLinkForm(GovukForm):
    name = forms.CharField(
        label="Provider's contact name (optional)",
        max_length=200,
        required=False,
        error_messages={"max_length": "Keep the name to 200 characters or fewer."},
    )
    email = forms.EmailField(
        label="Provider's email address",
        help_text="They get a personal link to confirm completion. No account is needed.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Enter the provider's email address.",
            "invalid": "Enter the provider's email address in the right format, like name@example.org.",
        },
    )


class ProviderConfirmForm(GovukForm):
    completed_on = _date_field("Date completed", required_message="Enter the date it was completed.")
    name = forms.CharField(
        label="Your name (optional)",
        max_length=200,
        required=False,
        error_messages={"max_length": "Keep your name to 200 characters or fewer."},
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text="Such as the result, or the certificate number.",
        required=False,
        max_length=MAX_EVIDENCE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"Keep the note to {MAX_EVIDENCE:,} characters or fewer."},
    )

    def clean_completed_on(self):
        day = self.cleaned_data["completed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date it was completed must be today or in the past.")
        return day
