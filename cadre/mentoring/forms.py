"""Mentoring forms, rendered as GOV.UK components (`form.rendered_fields`)."""

import datetime

from django import forms
from django.utils.safestring import SafeString

from cadre.core import govuk
from cadre.core.forms import GovukForm, short_number_input
from cadre.mentoring.models import LEVEL_MAX, MentoringRequest, Scheme

MAX_TEXT = 2000


def _level_field(label: str, hint: str, what: str) -> forms.IntegerField:
    message = f"Enter a {what} for {label} from 0 to {LEVEL_MAX}, as a whole number."
    return forms.IntegerField(
        label=label,
        help_text=hint,
        min_value=0,
        max_value=LEVEL_MAX,
        widget=short_number_input(),
        error_messages={"required": message, "invalid": message, "min_value": message, "max_value": message},
    )


class ProfileForm(GovukForm):
    capacity = forms.IntegerField(
        label="How many mentees can you take at once?",
        min_value=0,
        max_value=20,
        widget=short_number_input(),
        error_messages={
            "required": "Enter how many mentees you can take at once.",
            "invalid": "Enter how many mentees you can take as a whole number, such as 2.",
            "min_value": "Enter a number of mentees from 0 to 20.",
            "max_value": "Enter a number of mentees from 0 to 20.",
        },
    )
    availability = forms.CharField(
        label="When are you available? (optional)",
        help_text="Such as: an hour a month, online or in person in Riverside.",
        max_length=300,
        required=False,
        error_messages={"max_length": "Keep your availability to 300 characters or fewer."},
    )
    offered_to_partners = forms.BooleanField(
        label="I will also mentor people from partner organisations in our networks", required=False
    )
    is_coach = forms.BooleanField(label="I am an accredited coach and offer coaching", required=False)
    accreditation = forms.CharField(
        label="Coaching accreditation (for coaches)",
        help_text="Such as: ILM Level 7 Certificate in Executive Coaching.",
        max_length=200,
        required=False,
        error_messages={"max_length": "Keep your accreditation to 200 characters or fewer."},
    )
    is_available = forms.BooleanField(label="Include me in matching rounds now", required=False)

    def __init__(self, *args, attributes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.attribute_keys = []
        for key, name in attributes:
            self.fields[f"strength_{key}"] = _level_field(
                name, "0 means not a strength of yours, 4 a particular strength.", "strength"
            )
            self.attribute_keys.append(key)
        # Strengths first, then the rest.
        order = [f"strength_{k}" for k in self.attribute_keys]
        self.order_fields(order + [n for n in self.fields if n not in order])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_coach") and not (cleaned.get("accreditation") or "").strip():
            self.add_error("accreditation", "Enter your coaching accreditation, such as ILM Level 7.")
        return cleaned

    def strengths(self) -> dict[str, int]:
        return {k: self.cleaned_data[f"strength_{k}"] for k in self.attribute_keys}


class SchemeForm(GovukForm):
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={
            "required": "Enter the scheme's name.",
            "max_length": "Keep the scheme's name to 200 characters or fewer.",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of scheme",
        choices=Scheme.Kind.choices,
        initial=Scheme.Kind.MENTORING,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is a mentoring or a coaching scheme."},
    )
    framework = forms.TypedChoiceField(
        label="Framework",
        help_text="Mentees' needs and mentors' strengths are given for its attributes.",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the framework whose attributes mentees grow in.",
            "invalid_choice": "Choose the framework whose attributes mentees grow in.",
        },
    )
    network = forms.TypedChoiceField(
        label="Open to a network's organisations too?",
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a network your organisation belongs to."},
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"Keep the description to {MAX_TEXT:,} characters or fewer."},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Scheme.Status.choices,
        initial=Scheme.Status.OPEN,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the scheme is open."},
    )

    def __init__(self, *args, frameworks=(), networks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [(f.pk, f.name) for f in frameworks]
        self.fields["network"].choices = [("", "No: our organisation only")] + [(n.pk, n.name) for n in networks]


class RequestForm(GovukForm):
    organisation_preference = forms.ChoiceField(
        label="Who would you like as a mentor?",
        choices=MentoringRequest.OrganisationPreference.choices,
        initial=MentoringRequest.OrganisationPreference.ANY,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether your mentor should be from another organisation."},
    )
    notes = forms.CharField(
        label="Anything else the scheme should know? (optional)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Keep this to {MAX_TEXT:,} characters or fewer."},
    )

    def __init__(self, *args, needs=(), **kwargs):
        """`needs`: (key, name, where the prefilled need came from) per attribute."""
        super().__init__(*args, **kwargs)
        self.attribute_keys = []
        for key, name, source in needs:
            self.fields[f"need_{key}"] = _level_field(
                name, f"{source}. 0 means no need, 4 the most you want to grow.", "need"
            )
            self.attribute_keys.append(key)
        order = [f"need_{k}" for k in self.attribute_keys]
        self.order_fields(order + [n for n in self.fields if n not in order])

    def needs(self) -> dict[str, int]:
        return {k: self.cleaned_data[f"need_{k}"] for k in self.attribute_keys}


class AnswerForm(GovukForm):
    answer = forms.ChoiceField(
        label="Your answer",
        choices=[("accept", "Accept"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether you accept or decline.",
            "invalid_choice": "Choose accept or decline.",
        },
    )


class SessionForm(GovukForm):
    """A session log. The date is the GOV.UK date input (day, month, year), rendered by `date_input`."""

    day = forms.CharField(required=False, max_length=2)
    month = forms.CharField(required=False, max_length=2)
    year = forms.CharField(required=False, max_length=4)
    topic = forms.CharField(
        label="What was it about?",
        max_length=200,
        error_messages={
            "required": "Enter what the session was about.",
            "max_length": "Keep the topic to 200 characters or fewer.",
        },
    )
    attributes = forms.MultipleChoiceField(
        label="Attributes you worked on (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose attributes of the scheme's framework."},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        help_text="Only the two of you can read the log.",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Keep the notes to {MAX_TEXT:,} characters or fewer."},
    )

    def __init__(self, *args, attributes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attributes"].choices = list(attributes)
        self.date_error = ""

    def clean(self):
        cleaned = super().clean()
        parts = [(cleaned.get(p) or "").strip() for p in ("day", "month", "year")]
        if not any(parts):
            self.date_error = "Enter the date of the session."
        elif not all(parts):
            missing = [name for name, value in zip(("a day", "a month", "a year"), parts, strict=True) if not value]
            self.date_error = f"The date of the session must include {' and '.join(missing)}."
        elif not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
            self.date_error = "The date of the session must be a real date, such as 27 3 2026."
        else:
            try:
                cleaned["held_on"] = datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                self.date_error = "The date of the session must be a real date, such as 27 3 2026."
        if self.date_error:
            self.add_error("day", self.date_error)
        return cleaned

    def rendered_fields(self) -> list[SafeString]:
        return [self.date_input()] + [
            f for name, f in zip(self.fields, super().rendered_fields(), strict=True) if name not in DATE_PARTS
        ]

    def date_input(self) -> SafeString:
        def item(name: str, label: str, width: int) -> dict:
            return {
                "name": name,
                "label": label,
                "value": self[name].value() or "",
                "classes": f"govuk-input--width-{width}" + (" govuk-input--error" if self.date_error else ""),
                "id": f"id_{name}",
            }

        return govuk.render_component(
            "date-input",
            {
                "id": "held_on",
                "namePrefix": "",
                "fieldset": {"legend": {"text": "When was the session?", "classes": "govuk-fieldset__legend--s"}},
                "hint": {"text": "For example, 27 3 2026"},
                "errorMessage": {"text": self.date_error} if self.date_error else None,
                "items": [item("day", "Day", 2), item("month", "Month", 2), item("year", "Year", 4)],
            },
        )


DATE_PARTS = {"day", "month", "year"}


class ReviewForm(GovukForm):
    usefulness = forms.TypedChoiceField(
        label="How useful was the mentoring?",
        coerce=int,
        choices=[(5, "5: very useful"), (4, "4"), (3, "3"), (2, "2"), (1, "1: not useful")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how useful the mentoring was, from 1 to 5.",
            "invalid_choice": "Choose how useful the mentoring was, from 1 to 5.",
        },
    )
    what_worked = forms.CharField(
        label="What worked? (optional)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Keep this to {MAX_TEXT:,} characters or fewer."},
    )
    feedback = forms.CharField(
        label="Feedback to the scheme (optional)",
        help_text="The scheme's administrators see feedback only all together, without names.",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Keep this to {MAX_TEXT:,} characters or fewer."},
    )
