"""Forms for sessions: a session's details (GOV.UK date input and times, in UK time), the register,
the follow-up of an absence and the reaction survey."""

import re
from datetime import date, datetime, time

from django import forms
from django.utils import timezone
from django.utils.safestring import SafeString

from cadre.core import govuk
from cadre.core.errors import Problem, ValidationError
from cadre.core.forms import GovukForm, add_problems
from cadre.programmes.models import Attendance
from cadre.programmes.services.sessions import MAX_COMMENT, MAX_TEXT, REACTION_QUESTIONS, SessionDetails

_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s*m\.?$|^(\d{1,2})[:.](\d{2})$")


class DatePartsWidget(forms.MultiWidget):
    """Day, month and year boxes, named `<name>_day`, `<name>_month` and `<name>_year`."""

    def __init__(self, attrs=None):
        super().__init__({"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class DateInputField(forms.MultiValueField):
    """A date typed into the GOV.UK date input, with its error messages."""

    widget = DatePartsWidget

    def __init__(self, *, name: str, required_message: str, example: str = "27 3 2027", **kwargs):
        self.noun = name
        self.example = example
        parts = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(
            fields=parts,
            require_all_fields=False,
            error_messages={"required": required_message, "incomplete": required_message},
            **kwargs,
        )

    def compress(self, data_list):
        if not data_list:
            return None
        day, month, year = ((value or "").strip() for value in data_list)
        if not (day or month or year):
            return None
        missing = [word for word, value in (("a day", day), ("a month", month), ("a year", year)) if not value]
        if missing:
            raise forms.ValidationError(f"{self.noun} must include {' and '.join(missing)}.")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(f"{self.noun} must be a real date, such as {self.example}.")
        if len(year) != 4:
            raise forms.ValidationError(f"The year must have 4 numbers, such as {self.example[-4:]}.")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{self.noun} must be a real date, such as {self.example}.") from None


def render_date(bound: forms.BoundField) -> SafeString:
    """The GOV.UK date input. The day box takes the field's id, so the error summary links to it."""
    value = bound.value()
    if isinstance(value, date):
        parts = bound.field.widget.decompress(value)
    elif isinstance(value, list | tuple):
        parts = [*value, None, None, None][:3]
    else:
        parts = [None, None, None]
    field_id = bound.auto_id or f"id_{bound.html_name}"
    error = " govuk-input--error" if bound.errors else ""
    boxes = (("day", "Day", "govuk-input--width-2"), ("month", "Month", "govuk-input--width-2"))
    boxes += (("year", "Year", "govuk-input--width-4"),)
    return govuk.render_component(
        "date-input",
        {
            "id": f"{field_id}-input",
            "fieldset": {"legend": {"text": str(bound.label), "classes": "govuk-fieldset__legend--s"}},
            "hint": {"text": str(bound.help_text)} if bound.help_text else None,
            "errorMessage": {"text": " ".join(str(e) for e in bound.errors)} if bound.errors else None,
            "items": [
                {
                    "id": field_id if number == 0 else f"{field_id}-{part}",
                    "name": f"{bound.html_name}_{part}",
                    "label": label,
                    "value": "" if parts[number] is None else str(parts[number]),
                    "classes": classes + error,
                }
                for number, (part, label, classes) in enumerate(boxes)
            ],
        },
    )


class ClockField(forms.Field):
    """A time of day as people type it: 9am, 9:30am, 2.15pm, 14:00, midday."""

    def __init__(self, *, name: str, **kwargs):
        self.noun = name
        kwargs.setdefault("help_text", "For example, 9:30am or 14:00.")
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}))
        kwargs.setdefault("error_messages", {"required": f"Enter the {name}."})
        super().__init__(**kwargs)

    def _invalid(self) -> str:
        return f"Enter the {self.noun} as a time, such as 9:30am or 14:00."

    def to_python(self, value):
        text = "" if value is None else str(value).strip().lower()
        if not text:
            return None
        if len(text) > 20:
            raise forms.ValidationError(self._invalid())
        if text in {"midday", "noon", "12 noon"}:
            return time(12, 0)
        if text == "midnight":
            return time(0, 0)
        match = _CLOCK.match(text)
        if match is None:
            raise forms.ValidationError(self._invalid())
        if match.group(1) is not None:
            hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
            if not 1 <= hour <= 12:
                raise forms.ValidationError(self._invalid())
            hour = hour % 12 + (12 if half == "p" else 0)
        else:
            hour, minute = int(match.group(4)), int(match.group(5))
        if hour > 23 or minute > 59:
            raise forms.ValidationError(self._invalid())
        return time(hour, minute)

    def prepare_value(self, value):
        if isinstance(value, time):
            return f"{value:%H:%M}"
        return value


class _Form(GovukForm):
    def rendered_fields(self) -> list[SafeString]:
        return [
            render_date(self[name]) if isinstance(field, DateInputField) else govuk.render_field(self[name])
            for name, field in self.fields.items()
        ]


class SessionForm(_Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="Such as: Development day one, or Closing forum.",
        error_messages={
            "required": "Enter the session's title, such as: Development day one.",
            "max_length": "The title must be 200 characters or fewer.",
        },
    )
    stage = forms.TypedChoiceField(
        label="Stage of the programme (optional)",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose one of this programme's stages."},
    )
    date = DateInputField(
        label="Date",
        name="The date of the session",
        required_message="Enter the date of the session.",
        help_text="For example, 9 3 2027.",
    )
    start_time = ClockField(label="Start time", name="start time")
    end_time = ClockField(label="End time", name="end time")
    end_date = DateInputField(
        label="Last day (only if the session runs over more than one day)",
        name="The last day",
        required_message="Enter the last day of the session.",
        required=False,
        help_text="For example, 10 3 2027. Leave empty for a session on one day.",
    )
    venue = forms.CharField(
        label="Venue",
        required=False,
        help_text="The building and room, with the address. Leave empty if the session is only online.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    online_link = forms.CharField(
        label="Online meeting link",
        required=False,
        help_text="The full web address, starting with https://. Leave empty if the session is only in person.",
        widget=forms.URLInput(attrs={"autocomplete": "off"}),
    )
    facilitator = forms.CharField(label="Facilitator (optional)", required=False)
    description = forms.CharField(
        label="What the session covers (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Anything participants should read or bring.",
    )

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.stages = {stage.pk: stage for stage in stages}
        self.fields["stage"].choices = [("", "Not part of a particular stage")] + [
            (stage.pk, f"{stage.position}. {stage.title}") for stage in stages
        ]

    @staticmethod
    def initial_for(session) -> dict:
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        return {
            "title": session.title,
            "stage": session.stage_id,
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "end_date": end.date() if end.date() != start.date() else None,
            "venue": session.venue,
            "online_link": session.online_link,
            "facilitator": session.facilitator,
            "description": session.description,
        }

    def details(self) -> SessionDetails:
        """What was typed, for `session_save`: times are UK time (Europe/London)."""
        data = self.cleaned_data
        zone = timezone.get_default_timezone()
        starts_at = datetime.combine(data["date"], data["start_time"], tzinfo=zone)
        ends_at = datetime.combine(data["end_date"] or data["date"], data["end_time"], tzinfo=zone)
        return SessionDetails(
            title=data["title"],
            stage=self.stages.get(data["stage"]),
            starts_at=starts_at,
            ends_at=ends_at,
            venue=data["venue"],
            online_link=data["online_link"],
            facilitator=data["facilitator"],
            description=data["description"],
        )

    def add_service_problems(self, error: ValidationError) -> None:
        """The service speaks of when the session starts and ends; the form of dates and times."""
        ends = "end_date" if self.cleaned_data.get("end_date") else "end_time"
        where = {"starts_at": "date", "ends_at": ends}
        add_problems(
            self, ValidationError([Problem(p.message, field=where.get(p.field, p.field)) for p in error.problems])
        )


class AttendanceForm(GovukForm):
    """One question per participant: attended, sent apologies or absent."""

    def __init__(self, *args, participants=(), recorded=None, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = recorded or {}
        self.participants = list(participants)
        for application in self.participants:
            self.fields[f"status-{application.pk}"] = forms.ChoiceField(
                label=application.person.full_name,
                choices=Attendance.Status.choices,
                required=False,
                initial=recorded.get(application.pk),
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose attended, sent apologies or absent."},
            )

    def rendered_fields(self) -> list[SafeString]:
        return [
            govuk.render_field(self[name], classes="govuk-radios--inline govuk-radios--small") for name in self.fields
        ]

    def statuses(self) -> dict[int, str]:
        return {
            application.pk: self.cleaned_data.get(f"status-{application.pk}") or "" for application in self.participants
        }


class FollowUpForm(_Form):
    note = forms.CharField(
        label="What was done or agreed",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        help_text="Such as: spoke by phone; they will catch up with the facilitator's notes.",
        error_messages={
            "required": "Write what was done or agreed when you followed up the absence.",
            "max_length": f"The note must be {MAX_TEXT:,} characters or fewer.",
        },
    )
    followed_up_on = DateInputField(
        label="Date of the follow-up",
        name="The date of the follow-up",
        required_message="Enter the date of the follow-up.",
        help_text="For example, 9 3 2027.",
    )


def _scale(low: str, high: str) -> list[tuple[int, str]]:
    return [(1, f"1 – {low}"), (2, "2"), (3, "3"), (4, "4"), (5, f"5 – {high}")]


def _score(name: str, low: str, high: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=REACTION_QUESTIONS[name],
        coerce=int,
        choices=_scale(low, high),
        widget=forms.RadioSelect,
        error_messages={
            "required": f"{REACTION_QUESTIONS[name]} Choose a number from 1 to 5.",
            "invalid_choice": f"{REACTION_QUESTIONS[name]} Choose a number from 1 to 5.",
        },
    )


class ReactionForm(GovukForm):
    useful = _score("useful", "not at all useful", "very useful")
    will_use = _score("will_use", "not at all likely", "very likely")
    recommend = _score("recommend", "not at all likely", "very likely")
    comment = forms.CharField(
        label="Anything else you would like to tell us? (optional)",
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"The comment must be {MAX_COMMENT:,} characters or fewer."},
    )

    def rendered_fields(self) -> list[SafeString]:
        return [
            govuk.render_field(self[name], classes="govuk-radios--inline")
            if name != "comment"
            else govuk.render_field(self[name])
            for name in self.fields
        ]
