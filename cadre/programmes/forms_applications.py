"""Forms for applying to a cohort, nominating, endorsing, scoring, deciding, answering an offer and
withdrawing. They parse what was typed and keep it; the rules live in
`cadre.programmes.services.applications`, whose problems name these forms' fields (`statement`,
`attributes`, `attribute-<key>`, `employer`, `score-<key>`, `note-<key>`, `reason` ...) so that each
message in the error summary links to its field."""

from dataclasses import dataclass

from django import forms
from django.utils.safestring import SafeString, mark_safe

from cadre.core import govuk
from cadre.programmes.services.applications import MAX_STATEMENT

# What each panel score means, shown beside its radio.
SCORE_LABELS = [
    ("0", "0: no evidence"),
    ("1", "1: limited evidence"),
    ("2", "2: some evidence"),
    ("3", "3: good evidence"),
    ("4", "4: strong evidence"),
]


@dataclass(frozen=True)
class Criterion:
    """A selection criterion: a framework attribute's key, with its name and meaning for display."""

    key: str
    name: str
    statement: str = ""


def _errors(bound: forms.BoundField) -> dict | None:
    return {"text": " ".join(str(e) for e in bound.errors)} if bound.errors else None


def _textarea(bound: forms.BoundField, *, rows: int = 5, label_classes: str = "govuk-label--s") -> SafeString:
    value = bound.value()
    return govuk.render_component(
        "textarea",
        {
            "id": bound.auto_id,
            "name": bound.html_name,
            "label": {"text": str(bound.label), "classes": label_classes},
            "hint": {"text": str(bound.help_text)} if bound.help_text else None,
            "value": "" if value is None else str(value),
            "rows": rows,
            "errorMessage": _errors(bound),
        },
    )


class StatementForm(forms.Form):
    """The application: a statement, the criteria chosen with an example for each, and (for someone
    from outside the public sector) their employer."""

    statement = forms.CharField(
        label="Your statement",
        help_text="Why you want a place, and what you will bring to the programme and take back to your work.",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    attributes = forms.MultipleChoiceField(
        label="Which of the selection criteria will you give examples of?",
        help_text="Choose at least one, and describe something you did that shows it.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose attributes from the programme's selection criteria."},
    )
    employer = forms.CharField(
        label="Who do you work for?",
        help_text="The name of your employer or organisation.",
        required=False,
    )

    def __init__(self, *args, criteria: list[Criterion] = (), external: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.fields["attributes"].choices = [(c.key, c.name) for c in self.criteria]
        for criterion in self.criteria:
            self.fields[f"attribute-{criterion.key}"] = forms.CharField(
                label=f"Your example for {criterion.name}",
                help_text="What you did, how you did it and what difference it made.",
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        if not self.criteria:
            del self.fields["attributes"]
        self.external = external
        if not external:
            del self.fields["employer"]

    def examples(self) -> dict[str, str]:
        """The example written for each chosen criterion (only the chosen ones count)."""
        chosen = self.cleaned_data.get("attributes", [])
        return {key: self.cleaned_data.get(f"attribute-{key}", "") for key in chosen}

    def rendered(self) -> SafeString:
        parts = [
            govuk.render_component(
                "character-count",
                {
                    "id": self["statement"].auto_id,
                    "name": "statement",
                    "label": {"text": "Your statement", "classes": "govuk-label--m"},
                    "hint": {"text": str(self.fields["statement"].help_text)},
                    "value": self["statement"].value() or "",
                    "rows": 8,
                    "maxlength": MAX_STATEMENT,
                    "errorMessage": _errors(self["statement"]),
                },
            )
        ]
        if self.criteria:
            bound = self["attributes"]
            chosen = {str(v) for v in (bound.value() or [])}
            parts.append(
                govuk.render_component(
                    "checkboxes",
                    {
                        "idPrefix": bound.auto_id,
                        "name": "attributes",
                        "fieldset": {"legend": {"text": str(bound.label), "classes": "govuk-fieldset__legend--m"}},
                        "hint": {"text": str(bound.help_text)},
                        "errorMessage": _errors(bound),
                        "items": [
                            {
                                "value": criterion.key,
                                "text": criterion.name,
                                "hint": {"text": criterion.statement} if criterion.statement else None,
                                "checked": criterion.key in chosen,
                                "conditional": {"html": _textarea(self[f"attribute-{criterion.key}"])},
                            }
                            for criterion in self.criteria
                        ],
                    },
                )
            )
        if self.external:
            parts.append(govuk.render_field(self["employer"]))
        return mark_safe("".join(parts))  # noqa: S308 (each part is rendered by a GOV.UK macro, which escapes)


class NominateForm(forms.Form):
    person = forms.TypedChoiceField(
        label="Who are you nominating?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the person you are nominating.",
            "invalid_choice": "Choose someone from the list.",
        },
    )
    reason = forms.CharField(
        label="Why are you nominating them?",
        help_text="They and the selection panel will see this.",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, _person_label(p)) for p in people]

    def rendered(self) -> SafeString:
        return mark_safe(govuk.render_field(self["person"]) + _textarea(self["reason"]))  # noqa: S308


def _person_label(person) -> str:
    extra = ", ".join(x for x in (person.job_title, person.email) if x)
    return f"{person.full_name} ({extra})" if extra else person.full_name


class EndorseForm(forms.Form):
    endorse = forms.ChoiceField(
        label="Do you endorse this application?",
        choices=[("yes", "Yes, I endorse it"), ("no", "No, I do not endorse it")],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose whether you endorse the application."},
    )
    note = forms.CharField(
        label="Anything the selection panel should know? (optional)",
        help_text="The applicant sees this too.",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = forms.CharField(
        label="Why do you not endorse it?",
        help_text="The applicant sees this.",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def choice(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("endorse"))

    def text(self) -> str:
        return self.cleaned_data["reason" if self.choice() is False else "note"]

    def rendered(self) -> SafeString:
        return _revealing_radios(self, "endorse", {"yes": "note", "no": "reason"})


class DecideForm(forms.Form):
    selected = forms.ChoiceField(
        label="Is the applicant selected?",
        choices=[("yes", "Selected: they join the waiting list in order of their score"), ("no", "Not selected")],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose whether the applicant is selected."},
    )
    reason = forms.CharField(
        label="Reasons for the decision",
        help_text="The applicant sees these.",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def choice(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("selected"))

    def rendered(self) -> SafeString:
        bound = self["selected"]
        radios = govuk.render_field(bound)
        return mark_safe(radios + _textarea(self["reason"], label_classes="govuk-label--m"))  # noqa: S308


class RespondForm(forms.Form):
    accept = forms.ChoiceField(
        label="Will you take the place?",
        choices=[("yes", "Yes, I accept the place"), ("no", "No, I decline it")],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose whether you accept the place."},
    )

    def choice(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("accept"))

    def rendered(self) -> SafeString:
        return govuk.render_field(self["accept"], classes="govuk-radios")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing? (optional)",
        help_text="This helps the programme team plan future cohorts.",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def rendered(self) -> SafeString:
        return _textarea(self["reason"])


class ScoreForm(forms.Form):
    """A score from 0 to 4 for each selection criterion, each with an optional note."""

    def __init__(self, *args, criteria: list[Criterion] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score-{criterion.key}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=SCORE_LABELS,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": f"Score {criterion.name} from 0 to 4."},
            )
            self.fields[f"note-{criterion.key}"] = forms.CharField(
                label=f"Notes on {criterion.name} (optional)",
                help_text="Only the panel and the programme's administrators see these.",
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def scores(self) -> dict[str, int | None]:
        return {c.key: self.cleaned_data.get(f"score-{c.key}") for c in self.criteria}

    def notes(self) -> dict[str, str]:
        return {c.key: self.cleaned_data.get(f"note-{c.key}", "") for c in self.criteria}

    def rendered(self) -> SafeString:
        parts = []
        for criterion in self.criteria:
            bound = self[f"score-{criterion.key}"]
            value = bound.value()
            chosen = "" if value in (None, "") else str(value)
            parts.append(
                govuk.render_component(
                    "radios",
                    {
                        "idPrefix": bound.auto_id,
                        "name": bound.html_name,
                        "fieldset": {"legend": {"text": criterion.name, "classes": "govuk-fieldset__legend--m"}},
                        "hint": {"text": criterion.statement} if criterion.statement else None,
                        "errorMessage": _errors(bound),
                        "items": [{"value": v, "text": label, "checked": v == chosen} for v, label in SCORE_LABELS],
                    },
                )
            )
            parts.append(_textarea(self[f"note-{criterion.key}"], rows=3))
        return mark_safe("".join(parts))  # noqa: S308 (rendered by GOV.UK macros, which escape)


def _revealing_radios(form: forms.Form, name: str, reveals: dict[str, str]) -> SafeString:
    """GOV.UK radios, each answer revealing its own text box (shown anyway without JavaScript)."""
    bound = form[name]
    chosen = bound.value()
    return govuk.render_component(
        "radios",
        {
            "idPrefix": bound.auto_id,
            "name": name,
            "fieldset": {"legend": {"text": str(bound.label), "classes": "govuk-fieldset__legend--m"}},
            "errorMessage": _errors(bound),
            "items": [
                {
                    "value": value,
                    "text": str(label),
                    "checked": chosen == value,
                    "conditional": {"html": _textarea(form[reveals[value]], rows=4)} if value in reveals else None,
                }
                for value, label in bound.field.choices
            ],
        },
    )
