"""Forms of the evaluation pages: a steering group's decision, and where a recorded outcome stands."""

from django import forms

from cadre.core.forms import GovukForm
from cadre.programmes.models import OutcomeStatus

DATE_HINT = "For example, 27 3 2027. Type it as day month year."


class DecisionForm(GovukForm):
    decided_on = forms.DateField(
        label="Date of the decision",
        help_text=DATE_HINT,
        input_formats=["%d %m %Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "required": "Enter the date of the decision.",
            "invalid": "Enter a real date, such as 27 3 2027.",
        },
    )
    text = forms.CharField(
        label="The decision",
        help_text="What the group decided and why, as it should stand in the record. Name no participant.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the decision."},
    )


class OutcomeStatusForm(GovukForm):
    status = forms.ChoiceField(
        label="Where it stands",
        choices=OutcomeStatus.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the outcome stands.", "invalid_choice": "Choose one of the options."},
    )
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        help_text="What shows it: a survey, a measure, a document, with dates. Needed once you judge whether "
        "it was achieved.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, outcome, **kwargs):
        super().__init__(*args, prefix=f"outcome-{outcome.pk}", **kwargs)
        self.outcome = outcome
        self.fields["status"].label = f"Where it stands: {outcome.title}"
        self.fields["evidence"].label = f"Evidence for: {outcome.title}"
