"""The pages everyone opens use a fixed number of queries, however large the organisation.

Each page is fetched at two sizes of organisation, by an organisation administrator (who sees
everyone) and by a line manager (who sees their chain below them), and must use exactly the
number of queries pinned here. The queries are: the session, the user, their roles, their
staff record, then the page's own (home: the organisations they hold roles in, a count of
direct reports, whether two-factor authentication is on, and 360s waiting for their raters;
people list: a count and one page; person: the person and their direct reports)."""

from dataclasses import dataclass

import pytest
from django.utils.html import escape

from cadre.core.models import Role
from cadre.people.models import Person
from tests.factories import DepartmentFactory, OrganisationFactory, PersonFactory, TierFactory, user_with_role

pytestmark = pytest.mark.django_db

QUERIES = {"home": 8, "people list": 6, "people list, page 2": 6, "person": 6}
SIZES = (5, 60)


@dataclass
class Organisation:
    viewers: dict
    manager: Person
    visible: dict[str, int]  # viewer -> active people they see
    direct_reports: list[Person]  # the manager's, active


def build(size: int) -> Organisation:
    """A chief executive (the administrator) and a line manager under them, then `size` more
    staff in departments and tiers: some report to the chief, some to the manager, the rest to
    the person created before them, so the manager's chain deepens as the organisation grows."""
    organisation = OrganisationFactory()
    tiers = [TierFactory(organisation=organisation, rank=rank, name=f"Tier {rank}") for rank in (1, 2, 3)]
    directorates = [DepartmentFactory(organisation=organisation) for _ in range(3)]
    services = [DepartmentFactory(organisation=organisation, parent=d) for d in directorates for _ in range(2)]
    admin = user_with_role(organisation, Role.ORG_ADMIN, tier=tiers[2], department=directorates[0])
    chief = admin.person
    line_manager = user_with_role(organisation, Role.MEMBER, line_manager=chief, tier=tiers[1], department=services[0])
    manager = line_manager.person
    people = [chief, manager]
    for i in range(size):
        boss = chief if i % 5 == 4 else manager if i % 5 in (0, 1) else people[-1]
        people.append(
            PersonFactory(
                organisation=organisation,
                line_manager=boss,
                department=services[i % len(services)],
                tier=tiers[i % len(tiers)],
                status=Person.Status.LEFT if i % 7 == 6 else Person.Status.ACTIVE,
            )
        )
    below: set[int] = {manager.pk}
    for person in people[2:]:  # everyone is created after their manager
        if person.line_manager_id in below:
            below.add(person.pk)
    active = [p for p in people if p.status == Person.Status.ACTIVE]
    return Organisation(
        viewers={"organisation administrator": admin, "line manager": line_manager},
        manager=manager,
        visible={
            "organisation administrator": len(active),
            "line manager": sum(1 for p in active if p.pk in below),
        },
        direct_reports=[p for p in active if p.line_manager_id == manager.pk],
    )


@pytest.fixture(params=SIZES, ids=[f"{size} staff" for size in SIZES])
def organisation(request):
    return build(request.param)


@pytest.mark.parametrize("viewer", ["organisation administrator", "line manager"])
def test_home_page(organisation, viewer, client, django_assert_num_queries):
    user = organisation.viewers[viewer]
    client.force_login(user)
    with django_assert_num_queries(QUERIES["home"]):
        response = client.get("/")
    assert response.status_code == 200
    assert f"Hello, {escape(user.person.first_name)}" in response.content.decode()


@pytest.mark.parametrize("viewer", ["organisation administrator", "line manager"])
def test_people_list(organisation, viewer, client, django_assert_num_queries):
    client.force_login(organisation.viewers[viewer])
    with django_assert_num_queries(QUERIES["people list"]):
        response = client.get("/people/")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == organisation.visible[viewer]
    assert len(page.object_list) == min(organisation.visible[viewer], 50)
    if page.has_next():
        with django_assert_num_queries(QUERIES["people list, page 2"]):
            response = client.get("/people/?page=2")
        assert response.context["page"].number == 2


@pytest.mark.parametrize("viewer", ["organisation administrator", "line manager"])
def test_person_page(organisation, viewer, client, django_assert_num_queries):
    client.force_login(organisation.viewers[viewer])
    with django_assert_num_queries(QUERIES["person"]):
        response = client.get(f"/people/{organisation.manager.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert escape(organisation.manager.line_manager.full_name) in content  # names such as O'Brien
    for report in organisation.direct_reports:
        assert f"/people/{report.pk}/" in content
