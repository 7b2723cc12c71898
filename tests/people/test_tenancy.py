import pytest

from cadre.core.models import Role
from cadre.people.selectors import people_visible_to
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_orgs():
    a, b = OrganisationFactory(), OrganisationFactory()
    return a, b, PersonFactory(organisation=a), PersonFactory(organisation=b, last_name="Outsiderwick")


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.LD_ADMIN, Role.EXECUTIVE_VIEWER])
def test_administrators_see_their_whole_organisation_and_nothing_else(two_orgs, role, client):
    a, _, person_a, person_b = two_orgs
    user = user_with_role(a, role)
    visible = set(people_visible_to(user))
    assert person_a in visible and person_b not in visible
    client.force_login(user)
    assert client.get(f"/people/{person_a.pk}/").status_code == 200
    assert client.get(f"/people/{person_b.pk}/").status_code == 404
    assert client.get(f"/api/people/{person_b.pk}").status_code == 404
    assert person_b.last_name not in client.get("/people/").content.decode()


def test_a_line_manager_sees_their_chain_below_them_only(client):
    org = OrganisationFactory()
    boss = user_with_role(org, Role.MEMBER)
    me = boss.person
    report = PersonFactory(organisation=org, line_manager=me)
    reports_report = PersonFactory(organisation=org, line_manager=report)
    peer = PersonFactory(organisation=org)
    visible = set(people_visible_to(boss))
    assert visible == {me, report, reports_report}
    client.force_login(boss)
    assert client.get(f"/people/{reports_report.pk}/").status_code == 200
    assert client.get(f"/people/{peer.pk}/").status_code == 404


def test_a_member_sees_only_themself():
    org = OrganisationFactory()
    user = user_with_role(org, Role.MEMBER)
    PersonFactory(organisation=org)
    assert list(people_visible_to(user)) == [user.person]


def test_a_login_without_a_person_or_roles_sees_no_one(client):
    user = UserFactory()
    PersonFactory()
    assert list(people_visible_to(user)) == []
    client.force_login(user)
    assert client.get("/").status_code == 200
    assert client.get("/api/people").json()["count"] == 0


def test_anonymous_visitors_are_sent_to_sign_in(client):
    person = PersonFactory()
    assert client.get("/people/")["Location"].startswith("/accounts/login/")
    assert client.get(f"/people/{person.pk}/").status_code == 302
    response = client.get("/api/people")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_the_view_permission_and_the_people_list_agree():
    """rules' `people.view_person` and the tenancy-scoped selector give the same answer for everyone."""
    org, other = OrganisationFactory(), OrganisationFactory()
    viewers = [user_with_role(org, role) for role in (Role.ORG_ADMIN, Role.LD_ADMIN, Role.EXECUTIVE_VIEWER)]
    boss = user_with_role(org, Role.MEMBER)
    report = PersonFactory(organisation=org, line_manager=boss.person)
    below = PersonFactory(organisation=org, line_manager=report)
    peer = user_with_role(org, Role.MEMBER)
    outsider = user_with_role(other, Role.ORG_ADMIN)
    people = [report, below, peer.person, boss.person, PersonFactory(organisation=other)]
    for user in [*viewers, boss, peer, outsider]:
        visible = set(people_visible_to(user))
        for person in people:
            assert user.has_perm("people.view_person", person) == (person in visible), (user, person)


def test_only_organisation_admins_manage_personal_data_and_ld_admins_invite():
    org = OrganisationFactory()
    person = PersonFactory(organisation=org)
    assert user_with_role(org, Role.ORG_ADMIN).has_perm("people.manage_personal_data", person)
    assert not user_with_role(org, Role.LD_ADMIN).has_perm("people.manage_personal_data", person)
    assert user_with_role(org, Role.LD_ADMIN).has_perm("people.invite_person", person)
    assert not user_with_role(org, Role.EXECUTIVE_VIEWER).has_perm("people.invite_person", person)
    assert not user_with_role(OrganisationFactory(), Role.ORG_ADMIN).has_perm("people.manage_personal_data", person)


def test_your_team_lists_only_the_people_you_line_manage(client):
    org = OrganisationFactory()
    boss = user_with_role(org, Role.ORG_ADMIN)  # sees everyone, but their team is their reports
    report = PersonFactory(organisation=org, line_manager=boss.person, last_name="Reportington")
    PersonFactory(organisation=org, last_name="Elsewhereson")
    client.force_login(boss)
    page = client.get("/people/?team=1").content.decode()
    assert "Your team" in page and report.last_name in page and "Elsewhereson" not in page
    assert "Elsewhereson" in client.get("/people/").content.decode()
