from django import forms

NO_TIER = "none"


class PersonTierForm(forms.Form):
    """Set a person's tier by hand, from the tiers of the published frameworks their organisation uses."""

    tier = forms.ChoiceField(
        label="Development tier",
        widget=forms.RadioSelect,
        help_text="Setting it here keeps it as it is when tiers are next assigned from role type and grade.",
        error_messages={
            "required": "Choose a tier, or choose no tier.",
            "invalid_choice": "Choose one of the tiers listed.",
        },
    )

    def __init__(self, *args, tiers=(), initial_tier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tiers = {str(t.pk): t for t in tiers}
        several = len({t.version.framework_id for t in tiers}) > 1
        self.fields["tier"].choices = [
            (str(t.pk), f"{t.name} (tier {t.rank})" + (f", {t.version.framework.name}" if several else ""))
            for t in tiers
        ] + [(NO_TIER, "No tier")]
        if initial_tier is not None and str(initial_tier) in self.tiers:
            self.fields["tier"].initial = str(initial_tier)

    def chosen_tier(self):
        """The tier chosen, or None for no tier."""
        return self.tiers.get(self.cleaned_data["tier"])
