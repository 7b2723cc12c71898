"""Programmes and cohorts as their administrators set them up: the programme's stages, outcomes,
selection criteria and completion rules, and each cohort's dates, places and people."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cadre.core.audit import audit_event
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.core.models import Network, Organisation
from cadre.frameworks.models import Framework, FrameworkVersion
from cadre.frameworks.selectors import versions_available_to
from cadre.programmes.models import Application, Cohort, Outcome, Programme, Stage, SteeringDecision, SteeringMember
from cadre.programmes.rules import is_programme_administrator, is_steering_member_of
from cadre.programmes.selectors import may_be_named_to

MAX_TEXT = 10_000


@dataclass
class StageDetails:
    kind: str
    title: str
    description: str = ""


@dataclass
class OutcomeDetails:
    title: str
    measure: str = Outcome.Measure.RECORDED
    how_measured: str = ""
    target: str = ""


@dataclass
class ProgrammeDetails:
    title: str
    summary: str
    description: str = ""
    framework: Framework | None = None
    selection_attributes: list[str] = field(default_factory=list)
    eligible_tiers: list[str] = field(default_factory=list)
    evidence_attributes: list[str] = field(default_factory=list)
    audience: str = Programme.Audience.OWN
    network: Network | None = None
    needs_endorsement: bool = True
    min_attendance_percent: int = 80
    status: str = Programme.Status.DRAFT
    stages: list[StageDetails] = field(default_factory=list)
    outcomes: list[OutcomeDetails] = field(default_factory=list)


def _framework_keys(framework: Framework | None) -> tuple[set[str], set[str]]:
    if framework is None:
        return set(), set()
    version = framework.versions.filter(status=FrameworkVersion.Status.PUBLISHED).first()
    if version is None:
        return set(), set()
    return set(version.attributes.values_list("key", flat=True)), set(version.tiers.values_list("key", flat=True))


def _programme_problems(organisation: Organisation, details: ProgrammeDetails, programme) -> list[Problem]:
    problems = []
    title = details.title.strip()
    if not title:
        problems.append(Problem("Enter the programme's title.", field="title"))
    elif len(title) > 200:
        problems.append(Problem("The title must be 200 characters or fewer.", field="title"))
    elif (
        Programme.objects.filter(organisation=organisation, title__iexact=title)
        .exclude(pk=getattr(programme, "pk", None))
        .exists()
    ):
        problems.append(Problem("There is already a programme with this title.", field="title"))
    if not details.summary.strip():
        problems.append(Problem("Enter a one-line summary.", field="summary"))
    elif len(details.summary.strip()) > 300:
        problems.append(Problem("The summary must be 300 characters or fewer.", field="summary"))
    if len(details.description) > MAX_TEXT:
        problems.append(Problem(f"The description must be {MAX_TEXT:,} characters or fewer.", field="description"))
    if details.audience not in Programme.Audience.values:
        problems.append(Problem("Choose who may take places.", field="audience"))
    elif details.audience != Programme.Audience.OWN:
        if details.network is None:
            problems.append(Problem("Choose the network whose organisations may take places.", field="network"))
        elif not details.network.organisations.filter(pk=organisation.pk).exists():
            problems.append(Problem("Choose a network your organisation belongs to.", field="network"))
    if details.status not in Programme.Status.values:
        problems.append(Problem("Choose whether the programme is published.", field="status"))
    if not 0 <= details.min_attendance_percent <= 100:
        problems.append(Problem("Attendance to complete must be between 0 and 100 per cent.", field="attendance"))
    if details.framework is not None and not (
        versions_available_to(organisation).filter(framework=details.framework).exists()
    ):
        problems.append(Problem("Choose a framework your organisation uses.", field="framework"))
    attributes, tiers = _framework_keys(details.framework)
    keyed = details.selection_attributes or details.eligible_tiers or details.evidence_attributes
    if details.framework is None and keyed:
        problems.append(Problem("Choose the framework the attributes and tiers belong to.", field="framework"))
    elif details.framework is not None and not attributes:
        problems.append(Problem("Choose a framework with a published version.", field="framework"))
    else:
        if set(details.selection_attributes) - attributes:
            problems.append(Problem("Choose selection criteria from the framework's attributes.", field="selection"))
        if set(details.evidence_attributes) - attributes:
            problems.append(Problem("Choose evidence attributes from the framework's attributes.", field="evidence"))
        if set(details.eligible_tiers) - tiers:
            problems.append(Problem("Choose tiers of the framework's published version.", field="tiers"))
    for number, stage in enumerate(details.stages, start=1):
        if stage.kind not in Stage.Kind.values:
            problems.append(Problem(f"Choose the kind of stage {number}.", field=f"stage-{number}-kind"))
        if not stage.title.strip():
            problems.append(Problem(f"Enter a title for stage {number}.", field=f"stage-{number}-title"))
        elif len(stage.title.strip()) > 200:
            problems.append(Problem(f"Stage {number}'s title is too long.", field=f"stage-{number}-title"))
    for number, outcome in enumerate(details.outcomes, start=1):
        if not outcome.title.strip():
            problems.append(Problem(f"Enter outcome {number}.", field=f"outcome-{number}-title"))
        elif len(outcome.title.strip()) > 200:
            problems.append(Problem(f"Outcome {number} is too long.", field=f"outcome-{number}-title"))
        if outcome.measure not in Outcome.Measure.values:
            problems.append(Problem(f"Choose how outcome {number} is measured.", field=f"outcome-{number}-measure"))
    if details.status == Programme.Status.PUBLISHED and not details.stages:
        problems.append(Problem("Add at least one stage before publishing.", field="stages"))
    return problems


def programme_save(
    *, organisation: Organisation, actor, details: ProgrammeDetails, programme: Programme | None = None
) -> Programme:
    """Create a programme or replace its design. Stages and outcomes are written in the order given."""
    if not is_programme_administrator(actor, organisation.pk):
        raise PermissionDenied("Only the organisation's learning and development administrators run programmes.")
    if programme is not None and programme.organisation_id != organisation.pk:
        raise PermissionDenied("That programme belongs to another organisation.")
    creating = programme is None
    try:
        with transaction.atomic(durable=True):
            programme = programme_write(organisation=organisation, details=details, programme=programme)
            audit_event(actor=actor, event="programme.created" if creating else "programme.changed", target=programme)
    except IntegrityError as error:
        raise ValidationError(Problem("There is already a programme with this title.", field="title")) from error
    return programme


def programme_write(*, organisation: Organisation, details: ProgrammeDetails, programme: Programme | None = None):
    """The checks and writes of `programme_save`, inside the caller's transaction (the demo's load)."""
    problems = _programme_problems(organisation, details, programme)
    if problems:
        raise ValidationError(problems)
    programme = programme or Programme(organisation=organisation)
    programme.title = details.title.strip()
    programme.summary = details.summary.strip()
    programme.description = details.description.strip()
    programme.framework = details.framework
    programme.selection_attributes = list(dict.fromkeys(details.selection_attributes))
    programme.eligible_tiers = list(dict.fromkeys(details.eligible_tiers))
    programme.evidence_attributes = list(dict.fromkeys(details.evidence_attributes))
    programme.audience = details.audience
    programme.network = details.network if details.audience != Programme.Audience.OWN else None
    programme.needs_endorsement = details.needs_endorsement
    programme.min_attendance_percent = details.min_attendance_percent
    programme.status = details.status
    programme.updated_at = timezone.now()
    with transaction.atomic():
        programme.save()
        _replace_stages(programme, details.stages)
        _replace_outcomes(programme, details.outcomes)
    return programme


def _replace_stages(programme: Programme, stages: list[StageDetails]) -> None:
    existing = list(programme.stages.order_by("position"))
    # Sessions point at stages: keep the rows (and so the links) where a position survives.
    for position, stage in enumerate(stages, start=1):
        row = existing[position - 1] if position <= len(existing) else Stage(programme=programme, position=position)
        row.kind, row.title, row.description = stage.kind, stage.title.strip(), stage.description.strip()
        row.save()
    programme.stages.filter(position__gt=len(stages)).delete()


def _replace_outcomes(programme: Programme, outcomes: list[OutcomeDetails]) -> None:
    existing = list(programme.outcomes.order_by("position"))
    for position, outcome in enumerate(outcomes, start=1):
        row = existing[position - 1] if position <= len(existing) else Outcome(programme=programme, position=position)
        row.title, row.measure = outcome.title.strip(), outcome.measure
        row.how_measured, row.target = outcome.how_measured.strip(), outcome.target.strip()
        row.save()
    programme.outcomes.filter(position__gt=len(outcomes)).delete()


@dataclass
class CohortDetails:
    name: str
    starts_on: date | None
    ends_on: date | None
    capacity: int | None
    partner_places: int = 0
    applications_open_on: date | None = None
    applications_close_on: date | None = None
    offer_days: int = 7
    status: str = Cohort.Status.PLANNED


def _cohort_problems(programme: Programme, details: CohortDetails, cohort: Cohort | None) -> list[Problem]:
    problems = []
    name = details.name.strip()
    if not name:
        problems.append(Problem("Enter the cohort's name, such as: Spring 2027.", field="name"))
    elif len(name) > 200:
        problems.append(Problem("The name must be 200 characters or fewer.", field="name"))
    elif programme.cohorts.filter(name__iexact=name).exclude(pk=getattr(cohort, "pk", None)).exists():
        problems.append(Problem("This programme already has a cohort with this name.", field="name"))
    if details.starts_on is None:
        problems.append(Problem("Enter the date the cohort starts.", field="starts_on"))
    if details.ends_on is None:
        problems.append(Problem("Enter the date the cohort ends.", field="ends_on"))
    if details.starts_on and details.ends_on and details.ends_on < details.starts_on:
        problems.append(Problem("The cohort must end on or after the day it starts.", field="ends_on"))
    if details.capacity is None or details.capacity < 1:
        problems.append(Problem("Enter how many places the cohort has: at least 1.", field="capacity"))
    elif details.capacity > 10_000:
        problems.append(Problem("A cohort can have at most 10,000 places.", field="capacity"))
    if details.partner_places < 0:
        problems.append(Problem("Places kept for partners cannot be below 0.", field="partner_places"))
    elif details.capacity and details.partner_places > details.capacity:
        problems.append(Problem("Places kept for partners cannot be more than the places.", field="partner_places"))
    elif details.partner_places and programme.audience == Programme.Audience.OWN:
        problems.append(
            Problem(
                "The programme is for your own organisation only, so it keeps no places for partners.",
                field="partner_places",
            )
        )
    opens, closes = details.applications_open_on, details.applications_close_on
    if opens and closes and closes < opens:
        problems.append(
            Problem("Applications must close on or after the day they open.", field="applications_close_on")
        )
    if closes and details.starts_on and closes > details.starts_on:
        problems.append(
            Problem("Applications must close on or before the day the cohort starts.", field="applications_close_on")
        )
    if not 1 <= details.offer_days <= 60:
        problems.append(Problem("Give people between 1 and 60 days to accept an offer.", field="offer_days"))
    if details.status not in Cohort.Status.values:
        problems.append(Problem("Choose the cohort's status.", field="status"))
    if cohort is not None and details.capacity and not problems:
        held = cohort.applications.filter(status__in=Application.HOLDS_A_PLACE)
        partner_held = held.filter(pool=Application.Pool.PARTNER).count()
        home_held = held.filter(pool=Application.Pool.HOME).count()
        if details.capacity - details.partner_places < home_held:
            problems.append(
                Problem(
                    f"{home_held} of the organisation's own people already hold places: keep at least that many.",
                    field="capacity",
                )
            )
        if details.partner_places < partner_held:
            problems.append(
                Problem(
                    f"{partner_held} partner places are already held: keep at least that many.", field="partner_places"
                )
            )
    sessions = cohort.sessions.filter(cancelled=False) if cohort is not None else None
    if sessions is not None and details.starts_on and details.ends_on:
        outside = sessions.filter(
            Q(starts_at__date__lt=details.starts_on) | Q(ends_at__date__gt=details.ends_on)
        ).count()
        if outside:
            problems.append(
                Problem(
                    f"{outside} of the cohort's sessions would fall outside these dates: move them first.",
                    field="starts_on",
                )
            )
    return problems


def cohort_save(*, programme: Programme, actor, details: CohortDetails, cohort: Cohort | None = None) -> Cohort:
    """Create a cohort or change it. Capacity never drops below the places already held."""
    if not is_programme_administrator(actor, programme.organisation_id):
        raise PermissionDenied("Only the programme's administrators change its cohorts.")
    creating = cohort is None
    with transaction.atomic(durable=True):
        cohort = cohort_write(programme=programme, details=details, cohort=cohort)
        audit_event(actor=actor, event="cohort.created" if creating else "cohort.changed", target=cohort)
    return cohort


def cohort_write(*, programme: Programme, details: CohortDetails, cohort: Cohort | None = None) -> Cohort:
    """The checks and writes of `cohort_save`, inside the caller's transaction (the demo's load)."""
    if cohort is not None:
        # Held places are counted under the same lock that offers and acceptances take.
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk, programme=programme)
    problems = _cohort_problems(programme, details, cohort)
    if problems:
        raise ValidationError(problems)
    creating = cohort is None
    cohort = cohort or Cohort(programme=programme, organisation_id=programme.organisation_id)
    cohort.name = details.name.strip()
    cohort.starts_on, cohort.ends_on = details.starts_on, details.ends_on
    cohort.capacity, cohort.partner_places = details.capacity, details.partner_places
    cohort.applications_open_on = details.applications_open_on
    cohort.applications_close_on = details.applications_close_on
    cohort.offer_days, cohort.status = details.offer_days, details.status
    try:
        with transaction.atomic():
            cohort.save()
    except IntegrityError as error:
        raise ValidationError(Problem("This programme already has a cohort with this name.", field="name")) from error
    if not creating:
        from cadre.programmes.services.applications import fill_places

        if cohort.status == Cohort.Status.CANCELLED:
            # Open offers end with the cohort; nobody can take a place in it now.
            cohort.applications.filter(status=Application.Status.OFFERED).update(
                status=Application.Status.LAPSED, updated_at=timezone.now()
            )
        fill_places(cohort)
    return cohort


def cohort_set_people(*, cohort: Cohort, actor, panel: list, assessors: list, steering: list[tuple]) -> Cohort:
    """Name the selection panel, the assessors and the steering group (users with their role)."""
    if not is_programme_administrator(actor, cohort.organisation_id):
        raise PermissionDenied("Only the programme's administrators name its panel and steering group.")
    problems = []
    named = {user.pk for user in [*panel, *assessors, *(user for user, _role in steering)]}
    allowed = set(
        get_user_model()
        .objects.filter(pk__in=named, is_active=True)
        .filter(may_be_named_to(cohort))
        .values_list("pk", flat=True)
    )
    for user in sorted(named - allowed):
        problems.append(
            Problem(
                f"User {user} has no login at {cohort.organisation.name} (or a partner's administration), "
                "so cannot be named.",
                field="people",
            )
        )
    for user, role in steering:
        if len(role) > 120:
            problems.append(Problem(f"{user}'s role must be 120 characters or fewer.", field="steering"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        cohort.panel.set(panel)
        cohort.assessors.set(assessors)
        cohort.steering_members.exclude(user__in=[user for user, _ in steering]).delete()
        for user, role in steering:
            SteeringMember.objects.update_or_create(cohort=cohort, user=user, defaults={"role": role.strip()})
        audit_event(actor=actor, event="cohort.people_named", target=cohort)
    return cohort


def steering_decision_record(*, cohort: Cohort, actor, decided_on: date | None, text: str) -> SteeringDecision:
    if not (is_steering_member_of(actor, cohort) or is_programme_administrator(actor, cohort.organisation_id)):
        raise PermissionDenied("Only the cohort's steering group records its decisions.")
    problems = []
    if not text.strip():
        problems.append(Problem("Enter the decision.", field="text"))
    elif len(text) > MAX_TEXT:
        problems.append(Problem(f"The decision must be {MAX_TEXT:,} characters or fewer.", field="text"))
    if decided_on is None:
        problems.append(Problem("Enter the date of the decision.", field="decided_on"))
    elif decided_on > timezone.localdate():
        problems.append(Problem("The date of a decision cannot be in the future.", field="decided_on"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        decision = SteeringDecision.objects.create(
            cohort=cohort, decided_on=decided_on, text=text.strip(), recorded_by=actor
        )
        audit_event(actor=actor, event="cohort.decision_recorded", target=cohort)
    return decision
