"""Forms for the editing pages. They check what a form can; the services check the rest (names,
keys and ranks already taken in the draft) and their problems come back onto these fields."""

from django import forms

from cadre.core.forms import GovukForm, add_problems, short_number_input  # noqa: F401 (used by the editing views)
from cadre.frameworks.editing.services import CHANGE_NOTE_MAX_LENGTH
from cadre.frameworks.models import Attribute, AttributeMapping, BehaviourIndicator, Channel
from cadre.people.models import RoleType

ORDER_MAX = 10_000


class FrameworkDetailsForm(GovukForm):
    """A framework's own details, which belong to it rather than to one of its versions."""

    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="For example, Officers' leadership framework.",
        error_messages={"required": "Enter the framework's name."},
    )
    audience = forms.CharField(
        label="Who it is for (optional)", max_length=200, required=False, help_text="For example, officers."
    )
    description = forms.CharField(label="Description (optional)", required=False, widget=forms.Textarea)
    role_types = forms.MultipleChoiceField(
        label="Which role types it applies to",
        choices=RoleType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one role type it applies to."},
    )


NATIONAL = "national"


class FrameworkForm(FrameworkDetailsForm):
    """A new framework. An administrator of several organisations chooses which one owns it; a
    platform administrator chooses among every organisation, every network, or national."""

    organisation = forms.TypedChoiceField(label="Organisation", coerce=int, widget=forms.RadioSelect)
    owner = forms.ChoiceField(
        label="Who it belongs to",
        help_text="A network's framework is shared with the organisations in the network; a national one "
        "with every organisation. Organisations add their HR grades when they adopt it.",
        error_messages={"required": "Choose who the framework belongs to."},
    )
    field_order = ["organisation", "owner", "name", "audience", "description", "role_types"]

    def __init__(self, *args, organisations, networks=(), platform_admin=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._organisations = {o.pk: o for o in organisations}
        self._networks = {n.pk: n for n in networks}
        self.organisation = None
        if platform_admin:
            del self.fields["organisation"]
            self.fields["owner"].choices = (
                [("", "Choose who it belongs to")]
                + [(f"organisation-{o.pk}", o.name) for o in organisations]
                + [(f"network-{n.pk}", f"{n.name} (a network's framework)") for n in networks]
                + [(NATIONAL, "National (every organisation)")]
            )
            return
        del self.fields["owner"]
        if len(organisations) == 1:
            del self.fields["organisation"]
            self.organisation = organisations[0]
        else:
            self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
            self.fields["organisation"].error_messages["required"] = "Choose the organisation it belongs to."

    def chosen_owner(self) -> dict:
        """The owner as `framework_start` takes it: organisation=, network= or national=True."""
        if "owner" not in self.fields:
            return {"organisation": self.organisation or self._organisations[self.cleaned_data["organisation"]]}
        owner = self.cleaned_data["owner"]
        if owner == NATIONAL:
            return {"national": True}
        kind, _, pk = owner.partition("-")
        if kind == "network":
            return {"network": self._networks[int(pk)]}
        return {"organisation": self._organisations[int(pk)]}


class ChangeNoteForm(GovukForm):
    change_note = forms.CharField(
        label="What changed from the previous version (optional)",
        required=False,
        max_length=CHANGE_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="People reading the framework see it with this version.",
        error_messages={
            "max_length": f"The change note can be at most {CHANGE_NOTE_MAX_LENGTH:,} characters.",
        },
    )


class AttributeForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the attribute's name."})
    key = forms.CharField(
        label="Key (optional)",
        max_length=80,
        required=False,
        help_text="Stays the same from version to version. Left empty, it is made from the name.",
    )
    statement = forms.CharField(
        label="Statement",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What it means, in the first person: I ...",
        error_messages={"required": "Enter the attribute's statement, in the first person."},
    )
    diversity_and_inclusion = forms.CharField(
        label="How diversity and inclusion show in it (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Attribute.Status.choices,
        initial=Attribute.Status.CURRENT,
        widget=forms.RadioSelect,
        help_text="An attribute in development may be published before it has indicators at every tier.",
        error_messages={"required": "Choose the attribute's status."},
    )
    order = forms.IntegerField(
        label="Order",
        min_value=0,
        max_value=ORDER_MAX,
        help_text="Attributes are listed from the lowest number.",
        widget=short_number_input(),
        error_messages={"required": "Enter a number for the order.", "invalid": "Enter the order as a whole number."},
    )
    is_focus = forms.BooleanField(
        label="A current focus",
        required=False,
        help_text="One of the few attributes the organisation is concentrating on now.",
    )


class TierForm(GovukForm):
    name = forms.CharField(label="Name", max_length=120, error_messages={"required": "Enter the tier's name."})
    key = forms.CharField(
        label="Key (optional)",
        max_length=80,
        required=False,
        help_text="Stays the same from version to version. Left empty, it is made from the name.",
    )
    rank = forms.IntegerField(
        label="Rank",
        min_value=1,
        max_value=100,
        help_text="1 is the first rung, such as aspiring manager.",
        widget=short_number_input(),
        error_messages={"required": "Enter the tier's rank.", "invalid": "Enter the rank as a whole number."},
    )
    audience = forms.CharField(label="Who it is for (optional)", max_length=300, required=False)
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    grades = forms.CharField(
        label="HR grades (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The grades, as the HR system spells them, that put people in this tier. "
        "Separate them with commas or put each on its own line.",
    )

    def __init__(self, *args, with_grades: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_grades:  # a shared framework's tiers: each organisation adds grades when it adopts
            del self.fields["grades"]


class IndicatorForm(GovukForm):
    tier = forms.TypedChoiceField(label="Tier", coerce=int, error_messages={"required": "Choose the tier."})
    kind = forms.ChoiceField(
        label="Kind of indicator",
        choices=BehaviourIndicator.Kind.choices,
        initial=BehaviourIndicator.Kind.POSITIVE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is what the attribute looks like or does not."},
    )
    text = forms.CharField(
        label="Behaviour",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Written as the person at this tier would say it, for example: I ask for views I may not share.",
        error_messages={"required": "Enter the behaviour."},
    )

    def __init__(self, *args, tiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [("", "Choose a tier")] + [(t.pk, str(t)) for t in tiers]


class ValueForm(GovukForm):
    name = forms.CharField(label="Name", max_length=120, error_messages={"required": "Enter the value's name."})
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attributes = forms.TypedMultipleChoiceField(
        label="Attributes that support it",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    order = forms.IntegerField(
        label="Order",
        min_value=0,
        max_value=ORDER_MAX,
        widget=short_number_input(),
        error_messages={"required": "Enter a number for the order.", "invalid": "Enter the order as a whole number."},
    )

    def __init__(self, *args, attributes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attributes"].choices = [(a.pk, a.name) for a in attributes]


class ChannelForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of channel",
        choices=Channel.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of channel."},
    )
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="For example, annual reviews, 1-2-1s, recruitment or 360 feedback.",
        error_messages={"required": "Enter the channel's name."},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    order = forms.IntegerField(
        label="Order",
        min_value=0,
        max_value=ORDER_MAX,
        widget=short_number_input(),
        error_messages={"required": "Enter a number for the order.", "invalid": "Enter the order as a whole number."},
    )


class DefinitionForm(GovukForm):
    term = forms.CharField(label="Term", max_length=120, error_messages={"required": "Enter the term."})
    meaning = forms.CharField(
        label="What it means",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what it means."},
    )


class MappingForm(GovukForm):
    previous_attributes = forms.TypedMultipleChoiceField(
        label="Attributes of the previous version it comes from",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unticked for an attribute that is new in this version.",
    )
    relation = forms.ChoiceField(
        label="How it relates to them",
        choices=AttributeMapping.Relation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it relates to the previous version."},
    )

    def __init__(self, *args, previous_attributes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["previous_attributes"].choices = [(a.pk, a.name) for a in previous_attributes]
