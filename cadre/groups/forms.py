"""Forms for groups. Meeting dates and times use the programme sessions' GOV.UK date input and
time fields, so people type them the same way everywhere."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.safestring import SafeString

from cadre.core import govuk
from cadre.core.forms import GovukForm
from cadre.groups.models import Kind, LogEntry, MeetingAttendance
from cadre.groups.services import MAX_REASON, MAX_SEED, MAX_SIZE, MAX_TEXT, MIN_SIZE, MeetingDetails
from cadre.programmes.forms_sessions import ClockField, DateInputField, render_date


def _number(label: str, *, low: int, high: int, message: str, help_text: str = "", **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        **kwargs,
    )


class _Form(GovukForm):
    def rendered_fields(self) -> list[SafeString]:
        return [
            render_date(self[name]) if isinstance(field, DateInputField) else govuk.render_field(self[name])
            for name, field in self.fields.items()
        ]


class FormingForm(GovukForm):
    name = forms.CharField(
        label="Name for these groups",
        max_length=200,
        help_text="Such as: Support and challenge groups, spring 2026.",
        error_messages={
            "required": "Enter a name for these groups, such as: Support and challenge groups 2026.",
            "max_length": "The name must be 200 characters or fewer.",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of group",
        choices=Kind.choices,
        initial=Kind.SUPPORT_AND_CHALLENGE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of group.", "invalid_choice": "Choose the kind of group."},
    )
    cohorts = forms.TypedMultipleChoiceField(
        label="Cohorts to form groups from",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Everyone taking part in the cohorts you choose is grouped together.",
        error_messages={
            "required": "Choose at least one cohort to form groups from.",
            "invalid_choice": "Choose cohorts from the list.",
        },
    )
    size = _number(
        "Group size",
        low=MIN_SIZE,
        high=MAX_SIZE,
        message=f"Enter a group size between {MIN_SIZE} and {MAX_SIZE}, such as 6.",
        help_text="Groups will be this size or one either side, as evenly as the numbers allow.",
        initial=6,
    )
    seed = _number(
        "Seed",
        low=0,
        high=MAX_SEED,
        message=f"Enter the seed as a whole number from 0 to {MAX_SEED}.",
        help_text="The same cohorts, size and seed give the same groups. Try another seed for different groups.",
        initial=1,
    )

    def __init__(self, *args, cohorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohorts"].choices = [
            (c.pk, f"{c.programme.title}: {c.name} ({c.taking_part} taking part)") for c in cohorts
        ]


class MoveForm(GovukForm):
    to_set = forms.TypedChoiceField(
        label="Move them to",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the group to move them to.",
            "invalid_choice": "Choose a group from the list.",
        },
    )
    exchange_with = forms.TypedChoiceField(
        label="Exchange them with (optional)",
        coerce=int,
        required=False,
        empty_value=0,
        widget=forms.RadioSelect,
        help_text=(
            "When the groups would otherwise differ in size by more than one, choose someone in that group "
            "to take their place."
        ),
        error_messages={"invalid_choice": "Choose someone from the list, or no one."},
    )

    def __init__(self, *args, sets=(), others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_set"].choices = [(s.pk, s.name) for s in sets]
        self.fields["exchange_with"].choices = [(0, "No one: just move them")] + [
            (m.pk, f"{m.person.full_name} ({m.learning_set.name})") for m in others
        ]


class FacilitatorForm(GovukForm):
    email = forms.EmailField(
        label="Facilitator's email address",
        required=False,
        max_length=254,
        help_text="They need a login. Leave empty to have no facilitator.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": "Enter an email address in the right format, like name@example.org."},
    )


class MeetingForm(_Form):
    date = DateInputField(
        label="Date",
        name="The date of the meeting",
        required_message="Enter the date of the meeting.",
        help_text="For example, 9 3 2027.",
    )
    start_time = ClockField(label="Start time", name="start time")
    end_time = ClockField(label="End time", name="end time")
    venue = forms.CharField(
        label="Venue",
        required=False,
        help_text="The building and room. Leave empty if the group meets only online.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    online_link = forms.CharField(
        label="Online meeting link",
        required=False,
        help_text="The full web address, starting with https://. Leave empty if the group meets only in person.",
        widget=forms.URLInput(attrs={"autocomplete": "off"}),
    )

    @staticmethod
    def initial_for(meeting) -> dict:
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "venue": meeting.venue,
            "online_link": meeting.online_link,
        }

    def details(self) -> MeetingDetails:
        data = self.cleaned_data
        zone = timezone.get_default_timezone()
        return MeetingDetails(
            starts_at=datetime.combine(data["date"], data["start_time"], tzinfo=zone),
            ends_at=datetime.combine(data["date"], data["end_time"], tzinfo=zone),
            venue=data["venue"],
            online_link=data["online_link"],
        )


class RotaForm(GovukForm):
    per_meeting = _number(
        "How many people bring an issue to each meeting",
        low=1,
        high=MAX_SIZE,
        message="Enter how many people bring an issue to each meeting, such as 2.",
        initial=2,
    )


class RotaSetForm(GovukForm):
    members = forms.TypedMultipleChoiceField(
        label="Who brings an issue to this meeting",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose members of this group."},
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(m.pk, m.person.full_name) for m in members]


class RegisterForm(GovukForm):
    """One radio question a member: attended, sent apologies or absent."""

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=member.person.full_name,
                choices=MeetingAttendance.Status.choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": f"Choose attended, sent apologies or absent for {member.person.full_name}."
                },
            )

    def statuses(self) -> dict[int, str]:
        return {
            m.pk: self.cleaned_data[f"member_{m.pk}"] for m in self.members if self.cleaned_data.get(f"member_{m.pk}")
        }


class LogForm(_Form):
    kind = forms.ChoiceField(
        label="Is this an issue or an action?",
        choices=LogEntry.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether this is an issue or an action.",
            "invalid_choice": "Choose whether this is an issue or an action.",
        },
    )
    text = forms.CharField(
        label="What it is",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the issue or action.",
            "max_length": f"The entry must be {MAX_TEXT:,} characters or fewer.",
        },
    )
    owner = forms.TypedChoiceField(
        label="Whose action it is (optional)",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a member of this group."},
    )
    due_on = DateInputField(
        label="Due by (optional)",
        name="The due date",
        required_message="Enter the due date.",
        required=False,
        help_text="For example, 9 3 2027.",
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Nobody in particular")] + [(m.pk, m.person.full_name) for m in members]


class ConflictForm(GovukForm):
    person = forms.TypedChoiceField(
        label="Person",
        coerce=int,
        error_messages={"required": "Choose the person.", "invalid_choice": "Choose someone from the list."},
    )
    other = forms.TypedChoiceField(
        label="Should not be in a group with",
        coerce=int,
        error_messages={
            "required": "Choose the person to be kept apart from.",
            "invalid_choice": "Choose someone from the list.",
        },
    )
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Private: only learning and development administrators see it.",
        error_messages={"max_length": f"The reason must be {MAX_REASON:,} characters or fewer."},
    )

    def __init__(self, *args, people=(), others=None, myself=None, **kwargs):
        super().__init__(*args, **kwargs)
        if myself is not None:
            del self.fields["person"]
            self.fields["other"].label = "I should not be in a group with"
        else:
            self.fields["person"].choices = [("", "Choose a person")] + [(p.pk, _label(p)) for p in people]
        self.fields["other"].choices = [("", "Choose a person")] + [(p.pk, _label(p)) for p in (others or people)]


def _label(person) -> str:
    return f"{person.full_name}, {person.organisation.name}"
