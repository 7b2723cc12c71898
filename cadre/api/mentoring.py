"""Mentoring over the API: the schemes you run or may join, your mentor profile, your requests,
a round's proposals (the scheme's administrators only), and answering a proposal. The same
services as the pages: every rule holds here too."""

from django.db.models import Q
from django.http import Http404
from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate

from cadre.api.diagnostics import session_auth
from cadre.api.people import ERRORS, MAX_ID, Pagination, ProblemOut
from cadre.core.errors import ValidationError
from cadre.mentoring import selectors, services
from cadre.mentoring.models import MentoringRequest, MentorProfile, Proposal, Scheme
from cadre.people.selectors import person_of

router = Router(tags=["mentoring"])


class SchemeOut(Schema):
    id: int
    organisation_id: int
    network_id: int | None
    framework_id: int
    kind: str
    name: str
    description: str
    status: str
    administered: bool = Field(description="Whether you are one of its administrators.")


class ProfileOut(Schema):
    id: int
    person_id: int
    organisation_id: int
    strengths: dict[str, int]
    capacity: int
    availability: str
    offered_to_partners: bool
    is_coach: bool
    accreditation: str
    is_available: bool


class ProfileIn(Schema):
    strengths: dict[str, int] = Field(default_factory=dict, description="Attribute key to strength, 0 to 4.")
    capacity: int = Field(1, ge=0, le=services.MAX_CAPACITY)
    availability: str = Field("", max_length=300)
    offered_to_partners: bool = False
    is_coach: bool = False
    accreditation: str = Field("", max_length=200)
    is_available: bool = True


class RequestOut(Schema):
    id: int
    scheme_id: int
    needs: dict[str, int]
    organisation_preference: str
    notes: str
    status: str


class ProposalOut(Schema):
    id: int
    round_id: int
    request_id: int
    mentee_person_id: int
    mentor_profile_id: int
    mentor_person_id: int
    score: int
    reason: str
    pinned: bool
    status: str
    mentee_answer: str
    mentor_answer: str

    @staticmethod
    def resolve_mentee_person_id(proposal) -> int:
        return proposal.request.person_id

    @staticmethod
    def resolve_mentor_profile_id(proposal) -> int:
        return proposal.mentor_id

    @staticmethod
    def resolve_mentor_person_id(proposal) -> int:
        return proposal.mentor.person_id


WRITE_RESPONSES = {200: ProposalOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, **ERRORS}


def _problem(request, status: int, error: ValidationError):
    from cadre.api.urls import _problem as problem_details  # the API's one way to write problem details

    return problem_details(
        request,
        status,
        "The request could not be carried out",
        str(error),
        errors=[{"field": p.field, "row": p.row, "message": p.message} for p in error.problems],
    )


@router.get("/mentoring/schemes", response={200: list[SchemeOut], **ERRORS}, summary="Schemes you run or may join")
@paginate(Pagination)
def list_schemes(request):
    administered = set(selectors.schemes_administered_by(request.user).values_list("pk", flat=True))
    open_to_me = selectors.schemes_open_to(person_of(request.user)).values("pk")
    schemes = list(Scheme.objects.filter(Q(pk__in=administered) | Q(pk__in=open_to_me)).order_by("name", "pk"))
    for scheme in schemes:
        scheme.administered = scheme.pk in administered
    return schemes


@router.get("/mentoring/profile", response={200: ProfileOut, 404: ProblemOut, **ERRORS}, summary="Your mentor profile")
def get_profile(request):
    person = person_of(request.user)
    profile = MentorProfile.objects.filter(person=person).first() if person else None
    if profile is None:
        raise Http404
    return profile


@router.put(
    "/mentoring/profile",
    auth=session_auth,
    response={200: ProfileOut, 403: ProblemOut, **ERRORS},
    summary="Create or change your mentor profile",
    description="Strengths are given per attribute key of the frameworks your organisation uses, 0 to 4; a coach "
    "needs an accreditation. Every problem is a 422 naming its field.",
)
def put_profile(request, body: ProfileIn):
    return services.profile_save(actor=request.user, details=services.ProfileDetails(**body.model_dump()))


@router.get(
    "/mentoring/requests",
    response={200: list[RequestOut], **ERRORS},
    summary="Your requests for a mentor, newest first",
)
@paginate(Pagination)
def list_my_requests(request):
    person = person_of(request.user)
    if person is None:
        return MentoringRequest.objects.none()
    return MentoringRequest.objects.filter(person=person).order_by("-created_at", "-id")


@router.get(
    "/mentoring/rounds/{round_id}/proposals",
    response={200: list[ProposalOut], 404: ProblemOut, **ERRORS},
    summary="A matching round's proposed pairs (the scheme's administrators)",
)
@paginate(Pagination)
def list_round_proposals(request, round_id: int = Path(..., ge=1, le=MAX_ID)):
    found = selectors.round_for_admin(request.user, round_id)
    if found is None:
        raise Http404
    return found.proposals.select_related("request", "mentor").order_by("pk")


def _answer(request, proposal_id: int, accept: bool):
    found = selectors.proposal_for(request.user, proposal_id)
    if found is None:
        raise Http404
    try:
        answered = services.proposal_answer(proposal=found, actor=request.user, accept=accept)
    except ValidationError as error:
        return _problem(request, 409, error)
    return Proposal.objects.select_related("request", "mentor").get(pk=answered.pk)


@router.post(
    "/mentoring/proposals/{proposal_id}/accept",
    auth=session_auth,
    response=WRITE_RESPONSES,
    summary="Accept a proposal (its mentee or mentor)",
    description="When both have accepted the relationship is agreed. A proposal already answered, or a mentor "
    "whose last place has gone, is a 409 saying so.",
)
def accept_proposal(request, proposal_id: int = Path(..., ge=1, le=MAX_ID)):
    return _answer(request, proposal_id, True)


@router.post(
    "/mentoring/proposals/{proposal_id}/decline",
    auth=session_auth,
    response=WRITE_RESPONSES,
    summary="Decline a proposal (its mentee or mentor)",
    description="The mentee goes back into the scheme's next round, and the pair is not proposed again.",
)
def decline_proposal(request, proposal_id: int = Path(..., ge=1, le=MAX_ID)):
    return _answer(request, proposal_id, False)
