"""Forms for portfolios: adding evidence, and an assessor's decision on it. The services check
everything again (the file's contents above all); these give each field its GOV.UK shape and
first messages."""

from django import forms

from cadre.core.forms import GovukForm
from cadre.programmes.services.portfolio import ACCEPT, MAX_NOTE, MAX_TEXT, MAX_TITLE


class EvidenceForm(GovukForm):
    key = forms.ChoiceField(
        label="Which attribute does it show?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the attribute this evidence shows.",
            "invalid_choice": "Choose the attribute this evidence shows.",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=MAX_TITLE,
        help_text="Such as: Leading the rota review with two teams.",
        error_messages={
            "required": "Enter a title for the evidence.",
            "max_length": f"The title must be {MAX_TITLE} characters or fewer.",
        },
    )
    text = forms.CharField(
        label="Describe your evidence",
        required=False,
        max_length=MAX_TEXT,
        help_text="What you did, what happened and what it shows. Optional if you attach a file.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": f"The description must be {MAX_TEXT:,} characters or fewer."},
    )
    file = forms.FileField(
        label="Attach a file (optional)",
        required=False,
        help_text="A PDF, Word document (.docx), PNG or JPEG image, or plain text file, smaller than 10 MB.",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "invalid": "The selected file could not be read. Choose it again.",
            "missing": "The selected file could not be read. Choose it again.",
            "empty": "The selected file is empty.",
        },
    )

    def __init__(self, *args, attributes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = list(attributes)


class AssessForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("signed_off", "Sign it off"), ("more_needed", "Ask for more")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to sign the evidence off or ask for more.",
            "invalid_choice": "Choose whether to sign the evidence off or ask for more.",
        },
    )
    note = forms.CharField(
        label="Note for the participant",
        required=False,
        max_length=MAX_NOTE,
        help_text="Needed when you ask for more: say what would show the attribute.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"The note must be {MAX_NOTE:,} characters or fewer."},
    )
