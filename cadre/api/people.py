from datetime import date

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from cadre.core.models import Organisation
from cadre.core.selectors import roles_by_organisation
from cadre.people.selectors import people_list, person_detail

router = Router(tags=["people"])


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


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations where you hold a role")
def list_organisations(request):
    ids = roles_by_organisation(request.user).keys()
    if request.user.is_superuser:
        return list(Organisation.objects.all())
    return list(Organisation.objects.filter(pk__in=ids))


@router.get("/people", response=list[PersonOut], summary="People you may see")
@paginate(LimitOffsetPagination)
def list_people(request, q: str = "", status: str = "active", organisation_id: int | None = None):
    return people_list(request.user, search=q[:100], status=status, organisation_id=organisation_id)


@router.get("/people/{person_id}", response=PersonOut, summary="One person")
def get_person(request, person_id: int):
    person = person_detail(request.user, person_id)
    if person is None:
        raise Http404
    return person
