from decimal import Decimal

from django import forms

from cadre.catalogue.models import Offering
from cadre.core.forms import GovukForm


class OfferingForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter the offering's title."})
    kind = forms.ChoiceField(
        label="Kind",
        choices=Offering.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of offering."},
    )
    summary = forms.CharField(
        label="Summary",
        max_length=300,
        help_text="One line, shown in the list.",
        error_messages={"required": "Enter a one-line summary."},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    provider = forms.CharField(label="Provider (optional)", max_length=200, required=False)
    mode = forms.ChoiceField(
        label="How it is delivered",
        choices=Offering.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it is delivered."},
    )
    location = forms.CharField(label="Where (optional)", max_length=200, required=False)
    duration = forms.CharField(
        label="How long (optional)", max_length=100, required=False, help_text="Such as: 2 days."
    )
    cost = forms.DecimalField(
        label="Cost per place in pounds (optional)",
        required=False,
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter the cost as a number of pounds, such as 450 or 450.00.",
            "min_value": "The cost cannot be below nothing.",
            "max_digits": "Enter a cost below £10,000,000.",
            "max_decimal_places": "Enter the cost to the penny at most, such as 450.50.",
            "max_whole_digits": "Enter a cost below £10,000,000.",
        },
    )
    accreditation = forms.CharField(label="Accreditation (optional)", max_length=200, required=False)
    eligibility = forms.CharField(
        label="Who may take it (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    partners_may_book = forms.BooleanField(
        label="Partner organisations in our networks may take places", required=False
    )
    framework = forms.TypedChoiceField(label="Framework", coerce=int, required=False, widget=forms.RadioSelect)
    attributes = forms.MultipleChoiceField(
        label="Attributes it builds", required=False, widget=forms.CheckboxSelectMultiple
    )
    tiers = forms.MultipleChoiceField(label="Tiers it is for", required=False, widget=forms.CheckboxSelectMultiple)
    status = forms.ChoiceField(
        label="Status",
        choices=Offering.Status.choices,
        initial=Offering.Status.PUBLISHED,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is published."},
    )

    def __init__(self, *args, frameworks=(), attributes=(), tiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.frameworks = {f.pk: f for f in frameworks}
        self.fields["framework"].choices = [(f.pk, f.name) for f in frameworks]
        self.fields["attributes"].choices = list(attributes)
        self.fields["tiers"].choices = list(tiers)
