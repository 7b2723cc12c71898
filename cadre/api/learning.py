"""Learning requests and records over the API, under the same rules as the pages.

- Your own requests, and asking for an offering you can see in the catalogue.
- Requests waiting for your decision (as line manager, endorser or learning and development
  administrator), and deciding one: a decline needs a reason, and nobody decides their own.
- Recording completion (the person, with evidence; or an administrator), as a multipart form so
  that a file can come with it.
- A person's learning record, for the person, their line-management chain and the administrators
  of their organisation.

Anything outside the caller's scope is a 404. A request in the wrong state for what was asked (decided
already, cancelled, asked for twice) is a 409; a problem with what was sent names its field in a 422."""

from datetime import date, datetime
from typing import Literal

from django.http import Http404
from ninja import Field, File, Form, Path, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cadre.api.diagnostics import session_auth
from cadre.api.people import ERRORS, MAX_ID, Pagination, ProblemOut
from cadre.catalogue.selectors import offerings_visible_to
from cadre.core.errors import ValidationError
from cadre.learning import selectors, services
from cadre.learning.models import LearningRequest
from cadre.learning.record import record_for, summary_of

router = Router(tags=["learning"])


# -- schemas --------------------------------------------------------------------------------------


class AttributeOut(Schema):
    key: str
    name: str


class OfferingRefOut(Schema):
    id: int
    organisation_id: int
    title: str
    kind: str
    provider: str
    duration: str


class LearningRequestOut(Schema):
    id: int
    organisation_id: int
    person_id: int
    person_name: str
    offering: OfferingRefOut
    reason: str
    attributes: list[AttributeOut]
    preferred_start: str
    status: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str
    cancelled_at: datetime | None
    completed_on: date | None
    recorded_by: str | None = Field(None, description="person, administrator or provider")
    recorded_by_name: str
    evidence: str
    has_evidence_file: bool

    @staticmethod
    def resolve_person_name(item) -> str:
        return item.person.full_name

    @staticmethod
    def resolve_attributes(item) -> list[dict]:
        return [{"key": str(a.get("key", "")), "name": str(a.get("name") or a.get("key", ""))} for a in item.attributes]

    @staticmethod
    def resolve_requested_at(item) -> datetime:
        return item.created_at

    @staticmethod
    def resolve_decided_by(item) -> str | None:
        return item.decided_by_name or None

    @staticmethod
    def resolve_recorded_by(item) -> str | None:
        return item.recorded_by or None

    @staticmethod
    def resolve_has_evidence_file(item) -> bool:
        return bool(item.evidence_file)


class LearningRequestIn(Schema):
    offering_id: int = Field(..., ge=1, le=MAX_ID)
    reason: str = Field(..., max_length=10_000, description="Why the person wants it (up to 2,000 characters).")
    attributes: list[str] = Field(
        default_factory=list, max_length=100, description="Keys of framework attributes it should build."
    )
    preferred_start: str = Field("", max_length=1000, description="A date or dates, in words (up to 200 characters).")


class DecisionIn(Schema):
    decision: Literal["approve", "decline"]
    reason: str = Field("", max_length=10_000, description="Needed to decline; a note when approving.")


class CompletionIn(Schema):
    completed_on: date
    evidence: str = Field("", max_length=20_000, description="The evidence, or an administrator's note.")


class RecordEntryOut(Schema):
    source: str
    title: str
    kind: str
    provider: str
    status: str
    status_label: str
    requested_on: date | None
    approved_on: date | None
    completed_on: date | None
    attributes: list[str]
    duration: str
    recorded_by: str
    has_evidence_file: bool

    @staticmethod
    def resolve_status_label(entry) -> str:
        return entry.label

    @staticmethod
    def resolve_attributes(entry) -> list[str]:
        return list(entry.attributes)


class SummaryOut(Schema):
    year: int
    completed_this_year: int
    completed: int
    approved: int
    waiting: int
    days_this_year: float
    hours_this_year: float
    unknown_length_this_year: int


class RecordOut(Schema):
    person_id: int
    name: str
    organisation_id: int
    summary: SummaryOut
    entries: list[RecordEntryOut]


WRITE_RESPONSES = {200: LearningRequestOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, **ERRORS}


# -- helpers --------------------------------------------------------------------------------------


def _refused(request, error: ValidationError):
    from cadre.api.urls import refused  # imported here: cadre.api.urls imports this router

    return refused(request, error)


def _visible(request, request_id: int) -> LearningRequest:
    found = selectors.requests_visible_to(request.user).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


# -- endpoints ------------------------------------------------------------------------------------


@router.get(
    "/learning/requests/mine",
    response={200: list[LearningRequestOut], **ERRORS},
    summary="Your own learning requests, newest first",
)
@paginate(Pagination)
def list_my_requests(request):
    return selectors.my_requests(request.user)


@router.post(
    "/learning/requests",
    auth=session_auth,
    response={201: LearningRequestOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, **ERRORS},
    summary="Ask for an offering",
    description="For yourself, an offering you can see in the catalogue (otherwise a 404). Asking again while "
    "a request for the same offering is waiting or approved is a 409.",
)
def create_request(request, body: LearningRequestIn):
    offering = offerings_visible_to(request.user).filter(pk=body.offering_id).first()
    if offering is None:
        raise Http404
    try:
        made = services.request_create(
            actor=request.user,
            offering=offering,
            details=services.RequestDetails(
                reason=body.reason, attributes=body.attributes, preferred_start=body.preferred_start
            ),
        )
    except ValidationError as error:
        return _refused(request, error)
    return Status(201, _visible(request, made.pk))


@router.get(
    "/learning/requests/to-decide",
    response={200: list[LearningRequestOut], **ERRORS},
    summary="Requests waiting for your decision, oldest first",
    description="Those you are named to decide (as line manager, or an elected member's endorser) and, for "
    "learning and development administrators, those in their organisations with nobody named able to decide.",
)
@paginate(Pagination)
def list_to_decide(request):
    return selectors.requests_to_decide(request.user)


@router.get(
    "/learning/requests/{request_id}",
    response={200: LearningRequestOut, 404: ProblemOut, **ERRORS},
    summary="One learning request",
)
def get_request(request, request_id: int = Path(..., ge=1, le=MAX_ID)):
    return _visible(request, request_id)


@router.post(
    "/learning/requests/{request_id}/decision",
    auth=session_auth,
    response=WRITE_RESPONSES,
    summary="Approve or decline a request",
    description="A decline needs a reason (422 naming reason). Deciding your own request, or one you are not "
    "named to decide, is a 403; one already decided or cancelled is a 409.",
)
def decide_request(request, body: DecisionIn, request_id: int = Path(..., ge=1, le=MAX_ID)):
    found = _visible(request, request_id)
    try:
        services.request_decide(
            learning_request=found, actor=request.user, approve=body.decision == "approve", reason=body.reason
        )
    except ValidationError as error:
        return _refused(request, error)
    return _visible(request, request_id)


@router.post(
    "/learning/requests/{request_id}/cancel",
    auth=session_auth,
    response=WRITE_RESPONSES,
    summary="Cancel your own request",
    description="While it is waiting or approved; otherwise a 409.",
)
def cancel_request(request, request_id: int = Path(..., ge=1, le=MAX_ID)):
    found = _visible(request, request_id)
    try:
        services.request_cancel(learning_request=found, actor=request.user)
    except ValidationError as error:
        return _refused(request, error)
    return _visible(request, request_id)


@router.post(
    "/learning/requests/{request_id}/completion",
    auth=session_auth,
    response=WRITE_RESPONSES,
    summary="Record completion of an approved request",
    description="A multipart form. The person gives evidence (text, a file or both); an administrator may "
    "add a note. Files: PDF, Word, images or text, smaller than 5 MB (otherwise a 422 naming evidence_file, "
    "and nothing is stored). A request not approved, or already completed, is a 409.",
)
def record_completion(
    request,
    body: Form[CompletionIn],
    evidence_file: File[UploadedFile] = None,
    request_id: int = Path(..., ge=1, le=MAX_ID),
):
    found = _visible(request, request_id)
    try:
        services.completion_record(
            learning_request=found,
            actor=request.user,
            completed_on=body.completed_on,
            evidence=body.evidence,
            evidence_file=evidence_file,
        )
    except ValidationError as error:
        return _refused(request, error)
    return _visible(request, request_id)


@router.get(
    "/learning/people/{person_id}/record",
    response={200: RecordOut, 404: ProblemOut, **ERRORS},
    summary="A person's learning record",
    description="For the person, everyone above them in the line-management chain, and the learning and "
    "development or organisation administrators of their organisation; a 404 for anyone else.",
)
def get_record(request, person_id: int = Path(..., ge=1, le=MAX_ID)):
    person = selectors.record_person_for(request.user, person_id)
    if person is None:
        raise Http404
    entries = record_for(person)
    return {
        "person_id": person.pk,
        "name": person.full_name,
        "organisation_id": person.organisation_id,
        "summary": summary_of(entries).__dict__,
        "entries": entries,
    }
