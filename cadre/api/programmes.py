"""Programmes, cohorts and applications over the API, under the same rules as the pages.

- Programmes and cohorts the caller may see (`selectors.programmes_visible_to`, `cohorts_visible_to`),
  with a cohort's places held in each pool and the length of its waiting list.
- A cohort's applications, for its administrators and selection panel only.
- Applying, endorsing, scoring, deciding, answering an offer and withdrawing: each calls the same
  service as the page (`cadre.programmes.services.applications`).
- An application shows the applicant their own status, endorsement and decision, never the panel's
  scores or notes; panel members see their own scores and the mean, administrators every score.

Anything outside the caller's scope is a 404. A refusal about the state of things (applied already,
the cohort not open, the offer lapsed) is a 409; a problem with what was sent names its field in a 422."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import Http404
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StringConstraints

from cadre.api.diagnostics import session_auth
from cadre.api.people import ERRORS, MAX_ID, Pagination, ProblemOut
from cadre.core.errors import PermissionDenied, ValidationError
from cadre.programmes import selectors
from cadre.programmes.models import Application, Cohort
from cadre.programmes.rules import is_on_panel_of, is_programme_administrator
from cadre.programmes.services import applications as services

router = Router(tags=["programmes"])

Key = Annotated[str, StringConstraints(max_length=80)]
Text = Annotated[str, StringConstraints(max_length=20_000)]


# -- schemas --------------------------------------------------------------------------------------


class ProgrammeOut(Schema):
    id: int
    organisation_id: int
    title: str
    summary: str
    description: str
    status: str
    audience: str
    network_id: int | None
    framework_id: int | None
    selection_attributes: list[str]
    eligible_tiers: list[str]
    evidence_attributes: list[str]
    needs_endorsement: bool
    min_attendance_percent: int


class StageOut(Schema):
    position: int
    kind: str
    title: str
    description: str


class OutcomeOut(Schema):
    position: int
    title: str
    measure: str
    how_measured: str
    target: str


class CohortRefOut(Schema):
    id: int
    name: str
    starts_on: date
    ends_on: date
    status: str


class ProgrammeDetailOut(ProgrammeOut):
    stages: list[StageOut]
    outcomes: list[OutcomeOut]
    cohorts: list[CohortRefOut]

    @staticmethod
    def resolve_stages(programme) -> list:
        return list(programme.stages.all())

    @staticmethod
    def resolve_outcomes(programme) -> list:
        return list(programme.outcomes.all())

    @staticmethod
    def resolve_cohorts(programme) -> list:
        return list(programme.cohorts.all())


class PoolOut(Schema):
    places: int
    held: int = Field(..., description="Places offered, accepted or completed.")


class CohortOut(Schema):
    id: int
    programme_id: int
    organisation_id: int
    name: str
    starts_on: date
    ends_on: date
    applications_open_on: date | None
    applications_close_on: date | None
    capacity: int
    partner_places: int
    offer_days: int
    status: str
    home: PoolOut
    partner: PoolOut
    waiting: int = Field(..., description="People selected and waiting for a place.")
    applied: int = Field(..., description="Applications sent (nominations waiting for a statement are not counted).")

    @staticmethod
    def resolve_home(cohort) -> dict:
        return {"places": cohort.home_places, "held": cohort.home_held}

    @staticmethod
    def resolve_partner(cohort) -> dict:
        return {"places": cohort.partner_places, "held": cohort.partner_held}


class AttributeTextOut(Schema):
    key: str
    text: str


class ScoreOut(Schema):
    panel_member_id: int
    key: str
    score: int
    note: str


class ApplicationOut(Schema):
    id: int
    cohort_id: int
    organisation_id: int
    person_id: int
    person_name: str
    kind: str
    pool: str
    status: str
    status_label: str
    statement: str
    attributes: list[AttributeTextOut]
    employer: str
    submitted_at: datetime | None
    endorsed_at: datetime | None
    endorsement_note: str
    decided_at: datetime | None
    decision_reason: str
    offered_at: datetime | None
    offer_expires_at: datetime | None
    responded_at: datetime | None
    panel_score: Decimal | None = Field(None, description="The panel's mean; not shown to the applicant.")
    scores: list[ScoreOut] = Field(
        default_factory=list,
        description="Administrators see every panel member's scores, a panel member their own; the applicant none.",
    )


class ApplyIn(Schema):
    statement: Text = Field(..., description="Why you want a place (up to 5,000 characters).")
    attributes: dict[Key, Text] = Field(
        default_factory=dict,
        max_length=50,
        description="The selection criteria you address (attribute keys), each with your example.",
    )
    employer: Annotated[str, StringConstraints(max_length=1000)] = Field(
        "", description="Who you work for: needed from external participants."
    )


class EndorsementIn(Schema):
    endorse: bool
    note: Text = Field("", description="Needed when not endorsing: the applicant sees it.")


class ScoreIn(Schema):
    scores: dict[Key, int] = Field(..., max_length=50, description="0 to 4 for each selection criterion.")
    notes: dict[Key, Text] = Field(default_factory=dict, max_length=50)


class DecisionIn(Schema):
    selected: bool
    reason: Text = Field(..., description="The reasons, which the applicant sees.")


class ResponseIn(Schema):
    accept: bool


class WithdrawalIn(Schema):
    reason: Text = ""


WRITE_RESPONSES = {200: ApplicationOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, **ERRORS}


# -- helpers --------------------------------------------------------------------------------------


def _clean(value: str) -> str:
    return value.replace("\x00", "")


def _refused(request, error: ValidationError):
    from cadre.api.urls import refused  # imported here: cadre.api.urls imports this router

    return refused(request, error)


def _visible_application(request, application_id: int) -> Application:
    found = (
        selectors.applications_visible_to(request.user)
        .prefetch_related("attributes", "scores")
        .filter(pk=application_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _visible_cohort(request, cohort_id: int) -> Cohort:
    found = selectors.cohorts_visible_to(request.user).filter(pk=cohort_id).first()
    if found is None:
        raise Http404
    return found


def _out(application: Application, user, *, is_admin: bool, is_panel: bool) -> dict:
    """The application as this caller may read it: no scores for the applicant, only their own for a panel member."""
    is_applicant = application.person.user_id == user.pk
    staff = not is_applicant and (is_admin or is_panel)
    scores = []
    if staff:
        scores = [
            {"panel_member_id": s.panel_member_id, "key": s.key, "score": s.score, "note": s.note}
            for s in sorted(application.scores.all(), key=lambda s: (s.panel_member_id, s.key))
            if is_admin or s.panel_member_id == user.pk
        ]
    return {
        "id": application.pk,
        "cohort_id": application.cohort_id,
        "organisation_id": application.organisation_id,
        "person_id": application.person_id,
        "person_name": application.person.full_name,
        "kind": application.kind,
        "pool": application.pool,
        "status": application.status,
        "status_label": application.get_status_display(),
        "statement": application.statement,
        "attributes": [{"key": a.key, "text": a.text} for a in application.attributes.all()],
        "employer": application.employer,
        "submitted_at": application.submitted_at,
        "endorsed_at": application.endorsed_at,
        "endorsement_note": application.endorsement_note,
        "decided_at": application.decided_at,
        "decision_reason": application.decision_reason,
        "offered_at": application.offered_at,
        "offer_expires_at": application.offer_expires_at,
        "responded_at": application.responded_at,
        "panel_score": application.panel_score if staff else None,
        "scores": scores,
    }


def _read(request, application_id: int) -> dict:
    found = _visible_application(request, application_id)
    cohort = found.cohort
    return _out(
        found,
        request.user,
        is_admin=is_programme_administrator(request.user, found.organisation_id),
        is_panel=is_on_panel_of(request.user, cohort),
    )


# -- programmes and cohorts -----------------------------------------------------------------------


@router.get("/programmes", response={200: list[ProgrammeOut], **ERRORS}, summary="Programmes you may see")
@paginate(Pagination)
def list_programmes(request):
    return selectors.programmes_visible_to(request.user).order_by("title", "id")


@router.get(
    "/programmes/{programme_id}",
    response={200: ProgrammeDetailOut, 404: ProblemOut, **ERRORS},
    summary="One programme, with its stages, outcomes and cohorts",
)
def get_programme(request, programme_id: int = Path(..., ge=1, le=MAX_ID)):
    programme = selectors.programme_detail(request.user, programme_id)
    if programme is None:
        raise Http404
    return programme


@router.get(
    "/cohorts/{cohort_id}",
    response={200: CohortOut, 404: ProblemOut, **ERRORS},
    summary="One cohort, with the places held in each pool and the waiting list's length",
)
def get_cohort(request, cohort_id: int = Path(..., ge=1, le=MAX_ID)):
    cohort = selectors.cohort_with_counts(cohort_id, request.user)
    if cohort is None:
        raise Http404
    return cohort


@router.get(
    "/cohorts/{cohort_id}/applications",
    response={200: list[ApplicationOut], 403: ProblemOut, 404: ProblemOut, **ERRORS},
    summary="A cohort's applications, for its administrators and selection panel",
    description="Everyone else who can see the cohort gets a 403.",
)
@paginate(Pagination)
def list_applications(request, cohort_id: int = Path(..., ge=1, le=MAX_ID)):
    cohort = _visible_cohort(request, cohort_id)
    is_admin = is_programme_administrator(request.user, cohort.organisation_id)
    is_panel = is_on_panel_of(request.user, cohort)
    if not (is_admin or is_panel):
        raise PermissionDenied("Only the cohort's administrators and selection panel read its applications.")
    found = (
        cohort.applications.select_related("person")
        .prefetch_related("attributes", "scores")
        .order_by("submitted_at", "id")
    )
    return [_out(a, request.user, is_admin=is_admin, is_panel=is_panel) for a in found]


@router.post(
    "/cohorts/{cohort_id}/applications",
    auth=session_auth,
    response={201: ApplicationOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, **ERRORS},
    summary="Apply for a place on a cohort",
    description="For yourself. A cohort you may not apply to (not open, not for your organisation or tier) and "
    "applying twice are 409s; a problem with the statement names its field in a 422.",
)
def apply(request, body: ApplyIn, cohort_id: int = Path(..., ge=1, le=MAX_ID)):
    cohort = _visible_cohort(request, cohort_id)
    statement = services.Statement(
        text=_clean(body.statement),
        attributes={_clean(k): _clean(v) for k, v in body.attributes.items()},
        employer=_clean(body.employer),
    )
    try:
        made = services.application_submit(cohort=cohort, actor=request.user, statement=statement)
    except ValidationError as error:
        return _refused(request, error)
    return Status(201, _read(request, made.pk))


# -- one application ------------------------------------------------------------------------------


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, 404: ProblemOut, **ERRORS},
    summary="One application",
    description="For the applicant, their endorser, the cohort's administrators and selection panel.",
)
def get_application(request, application_id: int = Path(..., ge=1, le=MAX_ID)):
    return _read(request, application_id)


@router.post(
    "/applications/{application_id}/endorsement",
    auth=session_auth,
    response=WRITE_RESPONSES,
    summary="Endorse an application, or not",
    description="By the applicant's line manager (or an elected member's endorser) or an administrator. Not "
    "endorsing needs a note (422 naming note). An application not waiting for endorsement is a 409.",
)
def endorse(request, body: EndorsementIn, application_id: int = Path(..., ge=1, le=MAX_ID)):
    found = _visible_application(request, application_id)
    try:
        services.application_endorse(
            application=found, actor=request.user, endorse=body.endorse, note=_clean(body.note)
        )
    except ValidationError as error:
        return _refused(request, error)
    return _read(request, application_id)


@router.post(
    "/applications/{application_id}/score",
    auth=session_auth,
    response=WRITE_RESPONSES,
    summary="Score an application against each selection criterion, 0 to 4",
    description="By a member of the selection panel or an administrator; scoring again replaces your scores. "
    "A missing or out-of-range score names its criterion in a 422.",
)
def score(request, body: ScoreIn, application_id: int = Path(..., ge=1, le=MAX_ID)):
    found = _visible_application(request, application_id)
    try:
        services.application_score(
            application=found,
            actor=request.user,
            scores=dict(body.scores),
            notes={k: _clean(v) for k, v in body.notes.items()},
        )
    except ValidationError as error:
        return _refused(request, error)
    return _read(request, application_id)


@router.post(
    "/applications/{application_id}/decision",
    auth=session_auth,
    response=WRITE_RESPONSES,
    summary="Record the selection decision, with its reasons",
    description="By an administrator. Someone selected joins the waiting list in order of their score.",
)
def decide(request, body: DecisionIn, application_id: int = Path(..., ge=1, le=MAX_ID)):
    found = _visible_application(request, application_id)
    try:
        services.application_decide(
            application=found, actor=request.user, selected=body.selected, reason=_clean(body.reason)
        )
    except ValidationError as error:
        return _refused(request, error)
    return _read(request, application_id)


@router.post(
    "/applications/{application_id}/response",
    auth=session_auth,
    response=WRITE_RESPONSES,
    summary="Accept or decline an offer of a place",
    description="By the applicant. An offer that lapsed or was answered, or a place taken meanwhile, is a 409.",
)
def respond(request, body: ResponseIn, application_id: int = Path(..., ge=1, le=MAX_ID)):
    found = _visible_application(request, application_id)
    try:
        services.offer_respond(application=found, actor=request.user, accept=body.accept)
    except ValidationError as error:
        return _refused(request, error)
    return _read(request, application_id)


@router.post(
    "/applications/{application_id}/withdrawal",
    auth=session_auth,
    response=WRITE_RESPONSES,
    summary="Withdraw an application",
    description="By the applicant or an administrator. A place held passes to the next in line; an application "
    "that has already ended is a 409.",
)
def withdraw(request, body: WithdrawalIn, application_id: int = Path(..., ge=1, le=MAX_ID)):
    found = _visible_application(request, application_id)
    try:
        services.application_withdraw(application=found, actor=request.user, reason=_clean(body.reason))
    except ValidationError as error:
        return _refused(request, error)
    return _read(request, application_id)


# -- sessions and attendance ----------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    cohort_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    online_link: str
    facilitator: str
    cancelled: bool


class AttendanceRowOut(Schema):
    application_id: int
    name: str
    status: str | None = Field(None, description="present, apologies or absent; null when not yet recorded")


class AttendanceIn(Schema):
    statuses: dict[int, Annotated[str, StringConstraints(max_length=20)]] = Field(
        ..., description="Every participant's application id with present, apologies or absent"
    )


def _register_session(request, session_id: int):
    from cadre.programmes.models import Session
    from cadre.programmes.services.sessions import may_take_register

    session = Session.objects.select_related("cohort").filter(pk=session_id).first()
    if session is None or not selectors.cohorts_visible_to(request.user).filter(pk=session.cohort_id).exists():
        raise Http404
    if not may_take_register(request.user, session.cohort):
        raise PermissionDenied("Only the programme's administrators and the cohort's assessors read the register.")
    return session


@router.get(
    "/cohorts/{cohort_id}/sessions",
    response={200: list[SessionOut], 404: ProblemOut, **ERRORS},
    summary="A cohort's sessions, in date order",
)
@paginate(Pagination)
def list_sessions(request, cohort_id: int = Path(..., ge=1, le=MAX_ID)):
    return _visible_cohort(request, cohort_id).sessions.order_by("starts_at", "id")


@router.get(
    "/sessions/{session_id}/attendance",
    response={200: list[AttendanceRowOut], 403: ProblemOut, 404: ProblemOut, **ERRORS},
    summary="A session's register, for the cohort's administrators and assessors",
)
def read_attendance(request, session_id: int = Path(..., ge=1, le=MAX_ID)):
    from cadre.programmes.services.sessions import participants_of

    session = _register_session(request, session_id)
    recorded = dict(session.attendance.values_list("application_id", "status"))
    return [
        {"application_id": a.pk, "name": a.person.full_name, "status": recorded.get(a.pk)}
        for a in participants_of(session.cohort).select_related("person")
    ]


@router.post(
    "/sessions/{session_id}/attendance",
    auth=session_auth,
    response={200: list[AttendanceRowOut], 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, **ERRORS},
    summary="Take a session's register",
    description="The same rules as the register page: once the session has started, for every participant. "
    "A cancelled or future session is a 409; a participant left out or an unknown status names its field in a 422.",
)
def record_attendance(request, body: AttendanceIn, session_id: int = Path(..., ge=1, le=MAX_ID)):
    from cadre.programmes.services.sessions import attendance_record

    session = _register_session(request, session_id)
    try:
        attendance_record(session=session, actor=request.user, statuses=dict(body.statuses))
    except ValidationError as error:
        return _refused(request, error)
    return read_attendance(request, session_id)
