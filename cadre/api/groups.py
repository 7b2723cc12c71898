"""Groups over the API: forming groups from cohorts (preview, then save), the groups the caller
may see, and a group's private log, which only its members and facilitator can read or add to
(an administrator who may see the group gets a 403 for its log). A refusal about the state of
things is a 409; a problem with what was sent names its field in a 422."""

from datetime import date, datetime
from typing import Annotated

from django.http import Http404
from ninja import Field, Path, Router, Schema, Status
from pydantic import StringConstraints

from cadre.api.diagnostics import session_auth
from cadre.api.people import ERRORS, MAX_ID, ProblemOut
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.groups import selectors, services
from cadre.groups.models import Forming, LearningSet

router = Router(tags=["groups"])

Name = Annotated[str, StringConstraints(max_length=200)]
Text = Annotated[str, StringConstraints(max_length=5_000)]


class FormingIn(Schema):
    name: Name
    kind: str = Field("support_and_challenge", description="support_and_challenge or action_learning")
    cohort_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(..., max_length=100)
    size: int = Field(..., ge=2, le=30)
    seed: int = Field(0, ge=0, le=2**31 - 1)


class FormingOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    size: int
    seed: int
    cohort_ids: list[int]
    objective: float | None
    random_objective: float | None = Field(description="The mean diversity of random groupings keeping the rules.")
    gain: float | None = Field(description="objective / random_objective - 1")
    groups: list[list[int]] = Field(description="Person ids in each group of the preview.")
    problems: list[str]

    @staticmethod
    def resolve_cohort_ids(forming) -> list[int]:
        return [c.pk for c in forming.cohorts.all()]

    @staticmethod
    def resolve_groups(forming) -> list[list[int]]:
        groups: dict[int, list[int]] = {}
        for person, label in zip(forming.people, forming.labels, strict=False):
            groups.setdefault(label, []).append(person)
        return [groups[g] for g in sorted(groups)]


class MemberOut(Schema):
    id: int
    person_id: int
    name: str
    organisation: str

    @staticmethod
    def resolve_name(member) -> str:
        return member.person.full_name

    @staticmethod
    def resolve_organisation(member) -> str:
        return member.person.organisation.name


class MeetingOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    venue: str
    online_link: str
    cancelled: bool
    bringing_an_issue: list[int] = Field(description="Member ids on the rota for this meeting.")

    @staticmethod
    def resolve_bringing_an_issue(meeting) -> list[int]:
        return [t.member_id for t in meeting.rota.all()]


class SetOut(Schema):
    id: int
    name: str
    kind: str
    organisation_id: int
    forming_id: int | None
    facilitator_email: str | None
    members: list[MemberOut]
    meetings: list[MeetingOut]

    @staticmethod
    def resolve_facilitator_email(learning_set) -> str | None:
        return learning_set.facilitator.email if learning_set.facilitator_id else None


class SetSummaryOut(Schema):
    id: int
    name: str
    kind: str
    organisation_id: int


class LogIn(Schema):
    kind: str = Field(..., description="issue or action")
    text: Text
    meeting_id: int | None = Field(None, ge=1, le=MAX_ID)
    owner_member_id: int | None = Field(None, ge=1, le=MAX_ID)
    due_on: date | None = None


class LogOut(Schema):
    id: int
    kind: str
    text: str
    meeting_id: int | None
    owner_id: int | None = Field(description="The person whose action it is.")
    due_on: date | None
    created_at: datetime


def _clean(value: str) -> str:
    return value.replace("\x00", "")


def _refused(request, error: ValidationError):
    from cadre.api.urls import refused  # imported here: cadre.api.urls imports this router

    return refused(request, error)


def _forming(request, forming_id: int) -> Forming:
    found = selectors.formings_visible_to(request.user).prefetch_related("cohorts").filter(pk=forming_id).first()
    if found is None:
        raise Http404("No such forming.")
    return found


def _set(request, set_id: int) -> LearningSet:
    found = selectors.set_detail(request.user, set_id)
    if found is None:
        raise Http404("No such group.")
    return found


@router.post(
    "/groups/formings",
    auth=session_auth,
    response={201: FormingOut, 403: ProblemOut, **ERRORS},
    summary="Form groups from cohorts (a preview until saved)",
    description="For learning and development administrators. Up to 500 people are grouped at once (status "
    "ready or failed); more are grouped in the background (status queued): read the forming again.",
)
def start_forming(request, body: FormingIn):
    if not selectors.administered(request.user):
        raise PermissionDenied("Only learning and development administrators form groups.")
    forming = services.forming_start(
        actor=request.user,
        cohort_ids=body.cohort_ids,
        size=body.size,
        seed=body.seed,
        name=_clean(body.name),
        kind=body.kind,
    )
    return Status(201, _forming(request, forming.pk))


@router.get(
    "/groups/formings/{forming_id}",
    response={200: FormingOut, 404: ProblemOut, **ERRORS},
    summary="One forming: its status, diversity and groups",
)
def get_forming(request, forming_id: int = Path(..., ge=1, le=MAX_ID)):
    return _forming(request, forming_id)


@router.post(
    "/groups/formings/{forming_id}/save",
    auth=session_auth,
    response={200: list[SetSummaryOut], 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, **ERRORS},
    summary="Save a forming's groups",
    description="A forming saved already, not ready, or whose groups would now break a rule is a 409.",
)
def save_forming(request, forming_id: int = Path(..., ge=1, le=MAX_ID)):
    found = _forming(request, forming_id)
    try:
        return services.forming_save(forming=found, actor=request.user)
    except ValidationError as error:
        return _refused(request, error)


@router.get("/groups/mine", response={200: list[SetSummaryOut], **ERRORS}, summary="Groups you belong to or facilitate")
def my_groups(request):
    return selectors.my_sets(request.user)


@router.get(
    "/groups/sets/{set_id}",
    response={200: SetOut, 404: ProblemOut, **ERRORS},
    summary="One group: members, facilitator, meetings and rota",
)
def get_set(request, set_id: int = Path(..., ge=1, le=MAX_ID)):
    return _set(request, set_id)


@router.get(
    "/groups/sets/{set_id}/log",
    response={200: list[LogOut], 403: ProblemOut, 404: ProblemOut, **ERRORS},
    summary="A group's private log",
    description="Only the group's members and facilitator read it; anyone else who may see the group gets a 403.",
)
def get_log(request, set_id: int = Path(..., ge=1, le=MAX_ID)):
    found = _set(request, set_id)
    entries = selectors.log_for(request.user, found)
    if entries is None:
        raise PermissionDenied("Only the group's members and facilitator read its log.")
    return entries


@router.post(
    "/groups/sets/{set_id}/log",
    auth=session_auth,
    response={201: LogOut, 403: ProblemOut, 404: ProblemOut, **ERRORS},
    summary="Add an issue or action to a group's private log",
)
def add_log(request, body: LogIn, set_id: int = Path(..., ge=1, le=MAX_ID)):
    found = _set(request, set_id)
    meeting = found.meetings.filter(pk=body.meeting_id).first() if body.meeting_id else None
    owner = found.members.filter(pk=body.owner_member_id).first() if body.owner_member_id else None
    problems = []
    if body.meeting_id and meeting is None:
        problems.append(Problem("Choose one of this group's meetings.", field="meeting_id"))
    if body.owner_member_id and owner is None:
        problems.append(Problem("Choose a member of this group.", field="owner_member_id"))
    if problems:
        raise ValidationError(problems)
    entry = services.log_add(
        learning_set=found,
        actor=request.user,
        kind=body.kind,
        text=_clean(body.text),
        meeting=meeting,
        owner=owner,
        due_on=body.due_on,
    )
    return Status(201, entry)
