"""Forms for designing programmes and cohorts: the programme's whole design on one page (with
repeated rows of stages and outcomes), a cohort's dates and places, naming a cohort's people, and
inviting an external participant.

Fields render as GOV.UK components. Two things here are not in cadre/core/forms.py: the GOV.UK
date input (day, month and year boxes) and radios with more questions beneath a choice (the
framework's attributes under the framework, the network under a shared audience), always shown, as
GOV.UK Frontend shows them without JavaScript."""

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django import forms
from django.utils.safestring import SafeString, mark_safe

from cadre.core import govuk
from cadre.core.errors import ValidationError
from cadre.core.forms import GovukForm, short_number_input
from cadre.programmes.models import Cohort, Outcome, Programme, Stage
from cadre.programmes.services.design import MAX_TEXT, OutcomeDetails, ProgrammeDetails, StageDetails

EXTRA_ROWS = 3
MAX_ROWS = 60
NO_FRAMEWORK = "none"


# --- the GOV.UK date input -------------------------------------------------------------------------

DATE_PARTS = ("day", "month", "year")


class DatePartsWidget(forms.Widget):
    """Three boxes named `<name>-day`, `<name>-month` and `<name>-year`; the value is what was typed."""

    def value_from_datadict(self, data, files, name):
        return tuple(str(data.get(f"{name}-{part}", ""))[:10] for part in DATE_PARTS)

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}-{part}" not in data for part in DATE_PARTS)


class GovukDateField(forms.Field):
    """A date typed as day, month and year, checked with the GOV.UK pattern's messages."""

    widget = DatePartsWidget

    def __init__(self, *, label: str, called: str, required_message: str = "", **kwargs):
        self.called = called
        kwargs.setdefault("help_text", "For example, 27 3 2027")
        super().__init__(label=label, error_messages={"required": required_message or f"Enter {called}."}, **kwargs)

    def to_python(self, value):
        if value is None or isinstance(value, date):
            return value
        parts = [str(part).strip() for part in value]
        if not any(parts):
            return None
        missing = [name for name, part in zip(DATE_PARTS, parts, strict=True) if not part]
        if missing:
            raise forms.ValidationError(f"{self.called.capitalize()} must include a {' and a '.join(missing)}.")
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(f"{self.called.capitalize()} must be a real date, in numbers.")
        day, month, year = (int(part) for part in parts)
        if len(parts[2]) != 4:
            raise forms.ValidationError(f"The year of {self.called} must include 4 numbers, such as 2027.")
        try:
            return date(year, month, day)
        except ValueError as error:
            raise forms.ValidationError(f"{self.called.capitalize()} must be a real date.") from error


def render_date(bound: forms.BoundField) -> SafeString:
    """The GOV.UK date input for a GovukDateField, keeping what was typed. The day box carries the
    field's id, so the error summary's link lands on it."""
    value = bound.value()
    if isinstance(value, date):
        parts = (str(value.day), str(value.month), str(value.year))
    elif isinstance(value, list | tuple) and len(value) == 3:
        parts = tuple(str(part) for part in value)
    else:
        parts = ("", "", "")
    field_id = bound.auto_id or f"id_{bound.html_name}"
    error = " govuk-input--error" if bound.errors else ""
    widths = {"day": "govuk-input--width-2", "month": "govuk-input--width-2", "year": "govuk-input--width-4"}
    return govuk.render_component(
        "date-input",
        {
            "id": f"{field_id}-date",
            "namePrefix": bound.html_name,
            "fieldset": {"legend": {"text": str(bound.label), "classes": "govuk-fieldset__legend--s"}},
            "hint": {"text": str(bound.help_text)} if bound.help_text else None,
            "errorMessage": {"text": " ".join(str(e) for e in bound.errors)} if bound.errors else None,
            "items": [
                {
                    "name": part,
                    "id": field_id if part == "day" else f"{field_id}-{part}",
                    "value": typed,
                    "classes": widths[part] + error,
                }
                for part, typed in zip(DATE_PARTS, parts, strict=True)
            ],
        },
    )


# --- rendering ---------------------------------------------------------------------------------------


def render(bound: forms.BoundField) -> SafeString:
    if isinstance(bound.field, GovukDateField):
        return render_date(bound)
    if isinstance(bound.field.widget, forms.CheckboxSelectMultiple):
        return checkboxes(bound)
    return govuk.render_field(bound)


def checkboxes(bound: forms.BoundField, *, legend_classes: str = "govuk-fieldset__legend--s") -> SafeString:
    field_id = bound.auto_id or f"id_{bound.html_name}"
    selected = {str(v) for v in (bound.value() or [])}
    return govuk.render_component(
        "checkboxes",
        {
            "idPrefix": field_id,
            "name": bound.html_name,
            "fieldset": {"legend": {"text": str(bound.label), "classes": legend_classes}},
            "hint": {"text": str(bound.help_text)} if bound.help_text else None,
            "errorMessage": {"text": " ".join(str(e) for e in bound.errors)} if bound.errors else None,
            "items": [
                {"value": str(value), "text": str(label), "checked": str(value) in selected}
                for value, label in bound.field.choices
            ],
            "classes": "govuk-checkboxes--small",
        },
    )


def radios(bound: forms.BoundField, *, conditionals=None, hints=None, classes: str = "") -> SafeString:
    """GOV.UK radios, each choice optionally with more questions beneath it (`conditionals`: value → html)."""
    conditionals, hints = conditionals or {}, hints or {}
    field_id = bound.auto_id or f"id_{bound.html_name}"
    chosen = "" if bound.value() is None else str(bound.value())
    items = []
    for value, label in bound.field.choices:
        item = {"value": str(value), "text": str(label), "checked": str(value) == chosen}
        if conditionals.get(str(value)):
            item["conditional"] = {"html": conditionals[str(value)]}
        if hints.get(str(value)):
            item["hint"] = {"text": hints[str(value)]}
        items.append(item)
    markup = govuk.render_component(
        "radios",
        {
            "idPrefix": field_id,
            "name": bound.html_name,
            "fieldset": {"legend": {"text": str(bound.label), "classes": "govuk-fieldset__legend--s"}},
            "hint": {"text": str(bound.help_text)} if bound.help_text else None,
            "errorMessage": {"text": " ".join(str(e) for e in bound.errors)} if bound.errors else None,
            "items": items,
            "classes": classes or None,
        },
    )
    if conditionals:
        # As cadre/learning/forms.py does: the questions under each choice stay shown, as GOV.UK
        # Frontend shows them without JavaScript. Its script would hide them, but it marks the radios
        # aria-expanded, which ARIA does not allow on a radio (alphagov/govuk-frontend#979).
        markup = markup.replace(' data-module="govuk-radios"', "").replace(" govuk-radios__conditional--hidden", "")
    return mark_safe(markup)  # noqa: S308 (rendered by the GOV.UK macro, which escapes)


class _Rendered:
    """A form's fields as GOV.UK components, each rendered when a template asks for it."""

    def __init__(self, form: forms.Form):
        self.form = form

    def __getitem__(self, name: str) -> SafeString:
        if name not in self.form.fields:
            raise KeyError(name)
        return render(self.form[name])


class DesignForm(GovukForm):
    """A GOV.UK form whose fields can also be placed one by one: `{{ form.html.title }}`."""

    def rendered_fields(self) -> list[SafeString]:
        return [render(self[name]) for name in self.fields]

    @cached_property
    def html(self) -> _Rendered:
        return _Rendered(self)

    def typed(self) -> dict:
        """What was sent, field by field, unchecked: to show again as the initial values of a new form."""
        return {name: self[name].data for name in self.fields}


def _text(label: str, *, required: str = "", max_length: int = 200, long: bool = False, **kwargs) -> forms.CharField:
    messages = {"max_length": f"{label.removesuffix(' (optional)')} must be {max_length:,} characters or fewer."}
    if required:
        messages["required"] = required
    return forms.CharField(
        label=label,
        required=bool(required),
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": kwargs.pop("rows", 4)}) if long else forms.TextInput,
        error_messages=messages,
        **kwargs,
    )


def _whole_number(label: str, *, lowest: int, highest: int, what: str, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=lowest,
        max_value=highest,
        widget=short_number_input(),
        error_messages={
            "required": f"Enter {what}.",
            "invalid": f"Enter {what} as a whole number, such as {max(lowest, min(highest, 12))}.",
            "min_value": f"{what.capitalize()} must be {lowest} or more.",
            "max_value": f"{what.capitalize()} must be {highest:,} or fewer.",
        },
        **kwargs,
    )


# --- the programme's design --------------------------------------------------------------------------


@dataclass
class FrameworkChoice:
    """A published framework version the organisation may use, with its attributes and tiers."""

    pk: int
    name: str
    owner: str
    attributes: list[tuple[str, str]]
    tiers: list[tuple[str, str]]


def framework_choices(versions) -> list[FrameworkChoice]:
    """From published versions with `framework`, `framework__owner_network`, attributes and tiers loaded."""
    choices = []
    for version in versions:
        framework = version.framework
        if framework.owner_organisation_id:
            owner = "Your organisation's framework"
        elif framework.owner_network_id:
            owner = f"Shared by {framework.owner_network.name}"
        else:
            owner = "A national framework"
        choices.append(
            FrameworkChoice(
                pk=framework.pk,
                name=version.name or framework.name,
                owner=owner,
                attributes=[(a.key, a.name) for a in version.attributes.all()],
                tiers=[(t.key, t.name) for t in sorted(version.tiers.all(), key=lambda t: t.rank)],
            )
        )
    return sorted(choices, key=lambda c: (c.name.lower(), c.pk))


KIND_CHOICES = [("", "Choose the kind of stage"), *Stage.Kind.choices]
SHARED = (Programme.Audience.NETWORK, Programme.Audience.OPEN)


class ProgrammeForm(DesignForm):
    title = _text("Title", required="Enter the programme's title.")
    summary = _text(
        "Summary", required="Enter a one-line summary.", max_length=300, help_text="One line, shown in the list."
    )
    description = _text("Description (optional)", max_length=MAX_TEXT, long=True, rows=6)
    framework = forms.ChoiceField(
        label="Framework",
        widget=forms.RadioSelect,
        help_text="The framework whose attributes the programme selects on and builds.",
        error_messages={
            "required": "Choose the framework the programme uses, or no framework.",
            "invalid_choice": "Choose one of the frameworks listed.",
        },
    )
    audience = forms.ChoiceField(
        label="Who may take places",
        choices=Programme.Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who may take places.", "invalid_choice": "Choose who may take places."},
    )
    needs_endorsement = forms.BooleanField(
        label="Each application needs endorsing by the applicant's line manager (or an elected member's endorser)",
        required=False,
    )
    attendance = _whole_number(
        "Attendance needed to complete, in per cent",
        lowest=0,
        highest=100,
        what="the attendance needed to complete",
        help_text="The share of a cohort's sessions a participant attends to complete the programme.",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Programme.Status.choices,
        widget=forms.RadioSelect,
        help_text="People can see and apply to a published programme. A draft is seen by its administrators only.",
        error_messages={
            "required": "Choose whether the programme is published.",
            "invalid_choice": "Choose whether the programme is published.",
        },
    )

    def __init__(self, *args, frameworks=(), networks=(), stage_rows=EXTRA_ROWS, outcome_rows=EXTRA_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.frameworks = list(frameworks)
        self.fields["framework"].choices = [(str(f.pk), f.name) for f in self.frameworks] + [
            (NO_FRAMEWORK, "No framework")
        ]
        network_choices = [("", "Choose a network"), *((str(n.pk), n.name) for n in networks)]
        for audience in SHARED:
            self.fields[f"network_{audience}"] = forms.ChoiceField(
                label="Network",
                choices=network_choices,
                required=False,
                help_text="Its member organisations may take places."
                if network_choices[1:]
                else "Your organisation is not in a network yet.",
                error_messages={"invalid_choice": "Choose one of your organisation's networks."},
            )
        for framework in self.frameworks:
            for name, label, hint, choices, wrong in (
                (
                    "selection",
                    "Selection criteria",
                    "Applicants write about these, and the selection panel scores them.",
                    framework.attributes,
                    "Choose selection criteria from the framework's attributes.",
                ),
                (
                    "evidence",
                    "Evidence needed to complete",
                    "Each participant needs signed-off portfolio evidence for these.",
                    framework.attributes,
                    "Choose evidence attributes from the framework's attributes.",
                ),
                (
                    "tiers",
                    "Tiers that may apply",
                    "Leave empty for anyone.",
                    framework.tiers,
                    "Choose tiers of the framework.",
                ),
            ):
                if choices:
                    self.fields[f"{name}-{framework.pk}"] = forms.MultipleChoiceField(
                        label=label,
                        help_text=hint,
                        choices=choices,
                        required=False,
                        widget=forms.CheckboxSelectMultiple,
                        error_messages={"invalid_choice": wrong},
                    )
        self.stage_numbers = range(1, max(1, min(stage_rows, MAX_ROWS)) + 1)
        self.outcome_numbers = range(1, max(1, min(outcome_rows, MAX_ROWS)) + 1)
        for n in self.stage_numbers:
            self.fields[f"stage-{n}-kind"] = forms.ChoiceField(
                label="Kind",
                choices=KIND_CHOICES,
                required=False,
                error_messages={"invalid_choice": f"Choose the kind of stage {n} from the list."},
            )
            self.fields[f"stage-{n}-title"] = forms.CharField(
                label="Title",
                max_length=200,
                required=False,
                error_messages={"max_length": f"The title of stage {n} must be 200 characters or fewer."},
            )
            self.fields[f"stage-{n}-description"] = forms.CharField(
                label="Description (optional)",
                max_length=MAX_TEXT,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": f"The description of stage {n} must be {MAX_TEXT:,} characters or fewer."
                },
            )
        for n in self.outcome_numbers:
            self.fields[f"outcome-{n}-title"] = forms.CharField(
                label="Outcome",
                max_length=200,
                required=False,
                help_text="Such as: more internal candidates for first-line manager posts." if n == 1 else "",
                error_messages={"max_length": f"Outcome {n} must be 200 characters or fewer."},
            )
            self.fields[f"outcome-{n}-measure"] = forms.ChoiceField(
                label="How it is measured",
                choices=Outcome.Measure.choices,
                initial=Outcome.Measure.RECORDED,
                required=False,
                error_messages={"invalid_choice": f"Choose how outcome {n} is measured from the list."},
            )
            self.fields[f"outcome-{n}-how_measured"] = forms.CharField(
                label="The measure and its evidence (optional)",
                max_length=MAX_TEXT,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": f"How outcome {n} is measured must be {MAX_TEXT:,} characters or fewer."},
            )
            self.fields[f"outcome-{n}-target"] = forms.CharField(
                label="Target (optional)",
                max_length=200,
                required=False,
                error_messages={"max_length": f"The target of outcome {n} must be 200 characters or fewer."},
            )

    # -- rows ------------------------------------------------------------------------------------

    def _row(self, prefix: str, n: int, names) -> dict:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {name: (data.get(f"{prefix}-{n}-{name}") or "").strip() for name in names}

    @staticmethod
    def _stage_is_blank(row: dict) -> bool:
        return not (row["kind"] or row["title"] or row["description"])

    @staticmethod
    def _outcome_is_blank(row: dict) -> bool:
        texts = row["title"] or row["how_measured"] or row["target"]
        return not texts and row["measure"] in ("", Outcome.Measure.RECORDED)

    def filled_stages(self) -> list[tuple[int, dict]]:
        rows = [(n, self._row("stage", n, ("kind", "title", "description"))) for n in self.stage_numbers]
        return [(n, row) for n, row in rows if not self._stage_is_blank(row)]

    def filled_outcomes(self) -> list[tuple[int, dict]]:
        names = ("title", "measure", "how_measured", "target")
        rows = [(n, self._row("outcome", n, names)) for n in self.outcome_numbers]
        return [(n, row) for n, row in rows if not self._outcome_is_blank(row)]

    def clean(self):
        cleaned = super().clean()
        for n, row in self.filled_stages():
            if not row["kind"] and f"stage-{n}-kind" not in self.errors:
                self.add_error(f"stage-{n}-kind", f"Choose the kind of stage {n}.")
            if not row["title"] and f"stage-{n}-title" not in self.errors:
                self.add_error(f"stage-{n}-title", f"Enter a title for stage {n}.")
        for n, row in self.filled_outcomes():
            if not row["title"] and f"outcome-{n}-title" not in self.errors:
                self.add_error(f"outcome-{n}-title", f"Enter outcome {n}: the result the programme promises.")
        audience = cleaned.get("audience")
        if audience in SHARED and not cleaned.get(f"network_{audience}") and f"network_{audience}" not in self.errors:
            self.add_error(f"network_{audience}", "Choose the network whose organisations may take places.")
        return cleaned

    # -- to and from the service ----------------------------------------------------------------

    def chosen_framework(self) -> FrameworkChoice | None:
        value = str(self.cleaned_data.get("framework") or "")
        return next((f for f in self.frameworks if str(f.pk) == value), None)

    def details(self, *, framework, network) -> ProgrammeDetails:
        """The design as typed, for `programme_save`; `framework` and `network` are the chosen rows."""
        data = self.cleaned_data
        chosen = self.chosen_framework()
        keyed = {
            name: list(data.get(f"{name}-{chosen.pk}", [])) if chosen else []
            for name in ("selection", "evidence", "tiers")
        }
        return ProgrammeDetails(
            title=data["title"],
            summary=data["summary"],
            description=data.get("description", ""),
            framework=framework,
            selection_attributes=keyed["selection"],
            evidence_attributes=keyed["evidence"],
            eligible_tiers=keyed["tiers"],
            audience=data["audience"],
            network=network,
            needs_endorsement=data["needs_endorsement"],
            min_attendance_percent=data["attendance"],
            status=data["status"],
            stages=[
                StageDetails(kind=r["kind"], title=r["title"], description=r["description"])
                for _n, r in self.filled_stages()
            ],
            outcomes=[
                OutcomeDetails(
                    title=r["title"],
                    measure=r["measure"] or Outcome.Measure.RECORDED,
                    how_measured=r["how_measured"],
                    target=r["target"],
                )
                for _n, r in self.filled_outcomes()
            ],
        )

    def add_problems(self, error: ValidationError) -> None:
        """Put the service's problems on the fields they name, as this page numbers its rows."""
        stages = [n for n, _row in self.filled_stages()]
        outcomes = [n for n, _row in self.filled_outcomes()]
        chosen = self.chosen_framework()
        audience = self.cleaned_data.get("audience")
        for problem in error.problems:
            name = problem.field or ""
            row = re.fullmatch(r"(stage|outcome)-(\d+)-(\w+)", name)
            if name in ("selection", "evidence", "tiers"):
                name = f"{name}-{chosen.pk}" if chosen else "framework"
            elif name == "network":
                name = f"network_{audience}" if audience in SHARED else "audience"
            elif name == "stages":
                name = "stage-1-kind"
            elif row:
                numbers = stages if row[1] == "stage" else outcomes
                index = int(row[2]) - 1
                name = f"{row[1]}-{numbers[index]}-{row[3]}" if 0 <= index < len(numbers) else None
            self.add_error(name if name in self.fields else None, problem.message)

    @classmethod
    def initial_for(cls, programme: Programme | None, *, frameworks, networks) -> tuple[dict, int, int]:
        """Initial values from a saved programme (or the defaults for a new one), and its row counts."""
        if programme is None:
            initial = {
                "audience": Programme.Audience.OWN,
                "needs_endorsement": True,
                "attendance": 80,
                "status": Programme.Status.DRAFT,
            }
            if len(frameworks) == 1:
                initial["framework"] = str(frameworks[0].pk)
            if len(networks) == 1:
                initial.update({f"network_{a}": str(networks[0].pk) for a in SHARED})
            return initial, EXTRA_ROWS, EXTRA_ROWS
        initial = {
            "title": programme.title,
            "summary": programme.summary,
            "description": programme.description,
            "framework": str(programme.framework_id) if programme.framework_id else NO_FRAMEWORK,
            "audience": programme.audience,
            "needs_endorsement": programme.needs_endorsement,
            "attendance": programme.min_attendance_percent,
            "status": programme.status,
        }
        if programme.network_id:
            initial.update({f"network_{a}": str(programme.network_id) for a in SHARED})
        if programme.framework_id:
            initial[f"selection-{programme.framework_id}"] = list(programme.selection_attributes)
            initial[f"evidence-{programme.framework_id}"] = list(programme.evidence_attributes)
            initial[f"tiers-{programme.framework_id}"] = list(programme.eligible_tiers)
        stages = list(programme.stages.all())
        outcomes = list(programme.outcomes.all())
        for n, stage in enumerate(stages, start=1):
            initial.update(
                {
                    f"stage-{n}-kind": stage.kind,
                    f"stage-{n}-title": stage.title,
                    f"stage-{n}-description": stage.description,
                }
            )
        for n, outcome in enumerate(outcomes, start=1):
            initial.update(
                {
                    f"outcome-{n}-title": outcome.title,
                    f"outcome-{n}-measure": outcome.measure,
                    f"outcome-{n}-how_measured": outcome.how_measured,
                    f"outcome-{n}-target": outcome.target,
                }
            )
        return initial, len(stages) + EXTRA_ROWS, len(outcomes) + EXTRA_ROWS

    # -- the page's parts -------------------------------------------------------------------------

    def framework_html(self) -> SafeString:
        conditionals = {}
        for framework in self.frameworks:
            parts = [
                checkboxes(self[f"{name}-{framework.pk}"])
                for name in ("selection", "evidence", "tiers")
                if f"{name}-{framework.pk}" in self.fields
            ]
            conditionals[str(framework.pk)] = mark_safe("".join(parts)) if parts else ""  # noqa: S308 (rendered by the macros)
        hints = {str(f.pk): f.owner for f in self.frameworks}
        hints[NO_FRAMEWORK] = "The programme has no selection criteria, evidence or tiers."
        return radios(self["framework"], conditionals=conditionals, hints=hints)

    def audience_html(self) -> SafeString:
        conditionals = {a: govuk.render_field(self[f"network_{a}"]) for a in SHARED}
        return radios(self["audience"], conditionals=conditionals)

    def stage_rows(self) -> list[dict]:
        return [
            {
                "number": n,
                "kind": govuk.render_field(self[f"stage-{n}-kind"]),
                "title": govuk.render_field(self[f"stage-{n}-title"]),
                "description": govuk.render_field(self[f"stage-{n}-description"]),
            }
            for n in self.stage_numbers
        ]

    def outcome_rows(self) -> list[dict]:
        return [
            {
                "number": n,
                "title": govuk.render_field(self[f"outcome-{n}-title"]),
                "measure": govuk.render_field(self[f"outcome-{n}-measure"]),
                "how_measured": govuk.render_field(self[f"outcome-{n}-how_measured"]),
                "target": govuk.render_field(self[f"outcome-{n}-target"]),
            }
            for n in self.outcome_numbers
        ]


# --- a cohort ------------------------------------------------------------------------------------------


class CohortForm(DesignForm):
    name = _text("Name", required="Enter the cohort's name, such as: Spring 2027.", help_text="Such as: Spring 2027.")
    starts_on = GovukDateField(
        label="Start date", called="the start date", required_message="Enter the date the cohort starts."
    )
    ends_on = GovukDateField(
        label="End date", called="the end date", required_message="Enter the date the cohort ends."
    )
    applications_open_on = GovukDateField(
        label="Applications open (optional)",
        called="the date applications open",
        required=False,
        help_text="Leave empty to take applications as soon as the cohort is open. For example, 27 3 2027",
    )
    applications_close_on = GovukDateField(
        label="Closing date for applications (optional)",
        called="the closing date",
        required=False,
        help_text="On or before the start date. For example, 27 3 2027",
    )
    capacity = _whole_number("Places", lowest=1, highest=10_000, what="the number of places")
    partner_places = _whole_number(
        "Places kept for partners",
        lowest=0,
        highest=10_000,
        what="the places kept for partners",
        help_text="Part of the places above, kept for people from partner organisations in the network "
        "(and, on an open programme, from outside the public sector).",
    )
    offer_days = _whole_number(
        "Days to accept an offer",
        lowest=1,
        highest=60,
        what="the days to accept an offer",
        help_text="After this, an offer lapses and the place goes to the next person on the waiting list.",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Cohort.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the cohort's status.", "invalid_choice": "Choose the cohort's status."},
    )

    def __init__(self, *args, shared: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not shared:
            # A programme for the organisation's own people keeps no places for partners.
            del self.fields["partner_places"]

    @staticmethod
    def initial_for(cohort: Cohort | None) -> dict:
        if cohort is None:
            return {"partner_places": 0, "offer_days": 7, "status": Cohort.Status.PLANNED}
        return {
            name: getattr(cohort, name)
            for name in (
                "name",
                "starts_on",
                "ends_on",
                "applications_open_on",
                "applications_close_on",
                "capacity",
                "partner_places",
                "offer_days",
                "status",
            )
        }


# --- a cohort's people ------------------------------------------------------------------------------


class CohortPeopleForm(DesignForm):
    panel = forms.CharField(
        label="Selection panel",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="Their email addresses, one per line. The panel scores applications.",
        error_messages={"max_length": "That is too many addresses for one panel."},
    )
    assessors = forms.CharField(
        label="Assessors",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="Their email addresses, one per line. Assessors sign off portfolio evidence, "
        "as your learning and development administrators can.",
        error_messages={"max_length": "That is too many addresses."},
    )
    steering = forms.CharField(
        label="Steering group",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="One person a line: their email address, a comma, then their role, "
        "such as: sam.jones@example.org, chair. The role may be left out.",
        error_messages={"max_length": "That is too many lines for one steering group."},
    )


# --- an external participant ----------------------------------------------------------------------


class ExternalParticipantForm(DesignForm):
    first_name = _text("First name", required="Enter their first name.", max_length=100)
    last_name = _text("Last name", required="Enter their last name.", max_length=100)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send their invitation here. It becomes their login.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter their email address.",
            "invalid": "Enter an email address in the correct format, like name@example.com.",
            "max_length": "The email address must be 254 characters or fewer.",
        },
    )
    employer = _text(
        "Who they work for",
        required="Enter who they work for.",
        help_text="Their employer or organisation, such as a local business or charity.",
    )
