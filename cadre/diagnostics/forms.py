from django import forms
from django.utils import timezone

from cadre.core.forms import GovukForm, short_number_input
from cadre.diagnostics.models import RaterGroup

DATE_HINT = "For example, 27 3 2027. Type it as day month year."


def _date_field(label: str, *, required: bool = True, required_message: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=DATE_HINT,
        input_formats=["%d %m %Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "required": required_message or f"Enter the {label.lower()}.",
            "invalid": "Enter a real date, such as 27 3 2027.",
        },
    )


class CampaignForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter a name for the campaign."})
    version = forms.TypedChoiceField(
        label="Framework",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the framework to ask about."},
    )
    people = forms.CharField(
        label="Who it asks about",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Email addresses or employee numbers of the people asked about, one per line or separated "
        "by commas. A campaign may ask about one person or a whole cohort.",
        error_messages={"required": "Enter at least one person."},
    )
    closes_on = _date_field("Closing date")
    threshold = forms.IntegerField(
        label="Fewest raters in a group for its figures to show",
        initial=3,
        min_value=2,
        max_value=20,
        help_text="At least 2. Fewer than this and the group's ratings are withheld from every figure.",
        widget=short_number_input(),
        error_messages={
            "required": "Enter the fewest raters in a group.",
            "invalid": "Enter a whole number.",
            "min_value": "The threshold must be at least 2, so no one's answers stand alone.",
            "max_value": "A threshold above 20 would withhold almost every group.",
        },
    )
    line_manager_threshold = forms.IntegerField(
        label="The same for the line manager",
        initial=3,
        min_value=1,
        max_value=20,
        help_text="May be 1: the line manager's ratings are then shown on their own, labelled as one person's "
        "view, and the line manager is told so before answering.",
        widget=short_number_input(),
        error_messages={
            "required": "Enter the line manager's threshold.",
            "invalid": "Enter a whole number.",
            "min_value": "The line manager's threshold must be at least 1.",
        },
    )
    needs_approval = forms.BooleanField(
        label="Line managers approve the raters nominated before invitations go", required=False
    )
    debrief_first = forms.BooleanField(
        label="Each report reaches its subject only after a debrief with a named coach", required=False
    )

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {v.pk: v for v in versions}
        self.fields["version"].choices = [(v.pk, f"{v.name}, version {v.number}") for v in versions]

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise forms.ValidationError("The closing date must be today or later.")
        return closes_on


class NominateForm(GovukForm):
    group = forms.ChoiceField(
        label="Group", widget=forms.RadioSelect, error_messages={"required": "Choose the rater's group."}
    )
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the rater's name."})
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Their personal link goes here. People outside the organisation need no account.",
        error_messages={
            "required": "Enter the rater's email address.",
            "invalid": "Enter an email address in the right form, such as name@example.org.",
            "max_length": "An email address can be at most 254 characters.",
        },
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g, RaterGroup(g).label) for g in groups]


class ExtendForm(GovukForm):
    closes_on = _date_field("New closing date")


class DebriefForm(GovukForm):
    held_on = _date_field("Date of the debrief")


class SendBackForm(GovukForm):
    reason = forms.CharField(
        label="What needs changing",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the nominations need changing."},
    )


class CycleForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter a name for the recurring round."}
    )
    kind = forms.ChoiceField(
        label="What it asks for",
        choices=[("self", "A self-assessment"), ("360", "360 feedback (people choose their raters)")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a self-assessment or 360 feedback."},
    )
    framework = forms.TypedChoiceField(
        label="Framework", coerce=int, widget=forms.RadioSelect, error_messages={"required": "Choose the framework."}
    )
    tier_key = forms.ChoiceField(label="Who it is for", required=False)
    every_months = forms.IntegerField(
        label="Repeat every (months)",
        initial=12,
        min_value=1,
        max_value=36,
        widget=short_number_input(),
        error_messages={
            "required": "Enter how many months between rounds.",
            "invalid": "Enter a whole number of months.",
            "min_value": "Repeat it every 1 to 36 months.",
            "max_value": "Repeat it every 1 to 36 months.",
        },
    )
    first_on = _date_field("First round starts on", required_message="Enter the date the first round starts.")
    open_days = forms.IntegerField(
        label="Each round stays open for (days)",
        initial=21,
        min_value=1,
        max_value=180,
        widget=short_number_input(),
        error_messages={
            "required": "Enter how many days each round stays open.",
            "invalid": "Enter a whole number of days.",
            "min_value": "Keep each round open for 1 to 180 days.",
            "max_value": "Keep each round open for 1 to 180 days.",
        },
    )

    def __init__(self, *args, frameworks=(), tiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.frameworks = {f.pk: f for f in frameworks}
        self.fields["framework"].choices = [(f.pk, f.name) for f in frameworks]
        self.fields["tier_key"].choices = [("", "Everyone with a tier")] + [
            (key, name) for key, name in dict.fromkeys(tiers)
        ]


class TeamDiagnosticForm(GovukForm):
    name = forms.CharField(label="Team", max_length=200, error_messages={"required": "Enter the team's name."})
    tier = forms.TypedChoiceField(
        label="Behaviours to rate the team against",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the tier whose behaviours the team is rated against."},
    )
    members = forms.CharField(
        label="Members",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Email addresses or employee numbers, one per line or separated by commas. Councillors and "
        "officers may be members of one team.",
        error_messages={"required": "Enter the team's members."},
    )
    closes_on = _date_field("Closing date")
    threshold = forms.IntegerField(
        label="Fewest members behind each figure",
        initial=3,
        min_value=3,
        max_value=20,
        widget=short_number_input(),
        error_messages={
            "required": "Enter the fewest members behind each figure.",
            "invalid": "Enter a whole number.",
            "min_value": "The threshold must be at least 3, as members read the profile.",
            "max_value": "A threshold above 20 would hide almost every figure.",
        },
    )

    def __init__(self, *args, tiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tiers = {t.pk: t for t in tiers}
        self.fields["tier"].choices = [(t.pk, f"{t.name} ({t.version.name})") for t in tiers]
