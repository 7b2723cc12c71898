from datetime import date

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from cadre.core.models import Organisation
from cadre.core.selectors import roles_by_organisation
from cadre.people.selectors import people_list, person_detail

router = Router(tags=["people"])


class ProblemOut(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str | None = None


ERRORS = {401: ProblemOut, 422: ProblemOut}
MAX_ID = 2**63 - 1  # the largest id a database column holds


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=500)
        offset: int = Field(0, ge=0, le=10_000_000)


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    type: str


class PersonOut(Schema):
    id: int
    organisation_id: int
    employee_number: str | None
    first_name: str
    last_name: str
    email: str
    job_title: str
    grade: str
    department: str | None
    tier: str | None
    tier_rank: int | None
    role_type: str
    line_manager_id: int | None
    endorser_id: int | None
    start_date: date | None
    status: str
    left_on: date | None

    @staticmethod
    def resolve_department(person) -> str | None:
        return person.department.name if person.department_id else None

    @staticmethod
    def resolve_tier(person) -> str | None:
        return person.tier.name if person.tier_id else None

    @staticmethod
    def resolve_tier_rank(person) -> int | None:
        return person.tier.rank if person.tier_id else None


@router.get(
    "/organisations", response={200: list[OrganisationOut], **ERRORS}, summary="Organisations where you hold a role"
)
def list_organisations(request):
    ids = roles_by_organisation(request.user).keys()
    if request.user.is_superuser:
        return list(Organisation.objects.all())
    return list(Organisation.objects.filter(pk__in=ids))


@router.get("/people", response={200: list[PersonOut], **ERRORS}, summary="People you may see")
@paginate(Pagination)
def list_people(
    request,
    q: str = Query("", max_length=100),
    status: str = Query("active", pattern="^(active|left|all)$"),
    organisation_id: int | None = Query(None, ge=1, le=MAX_ID),
):
    return people_list(request.user, search=q, status=status, organisation_id=organisation_id)


@router.get("/people/{person_id}", response={200: PersonOut, 404: ProblemOut, **ERRORS}, summary="One person")
def get_person(request, person_id: int = Path(..., ge=1, le=MAX_ID)):
    person = person_detail(request.user, person_id)
    if person is None:
        raise Http404
    return person
