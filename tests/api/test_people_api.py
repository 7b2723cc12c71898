import pytest

from cadre.core.models import Role
from tests.factories import OrganisationFactory, PersonFactory, TierFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_people_are_listed_with_pagination_and_scoped(client):
    org, other = OrganisationFactory(), OrganisationFactory()
    tier = TierFactory(organisation=org, rank=3, name="Developing manager")
    admin = user_with_role(org, Role.ORG_ADMIN)
    for _ in range(5):
        PersonFactory(organisation=org, tier=tier)
    PersonFactory(organisation=other)
    client.force_login(admin)
    body = client.get("/api/people?limit=2").json()
    assert body["count"] == 6  # five plus the administrator
    assert len(body["items"]) == 2
    assert {p["organisation_id"] for p in client.get("/api/people?limit=100").json()["items"]} == {org.pk}
    with_tier = next(p for p in client.get("/api/people?limit=100").json()["items"] if p["tier"])
    assert with_tier["tier"] == "Developing manager" and with_tier["tier_rank"] == 3


def test_organisations_are_those_where_the_user_holds_a_role(client):
    org, other = OrganisationFactory(), OrganisationFactory()
    client.force_login(user_with_role(org, Role.MEMBER))
    assert [o["slug"] for o in client.get("/api/organisations").json()] == [org.slug]
    assert other.slug not in client.get("/api/organisations").content.decode()


def test_bad_parameters_get_problem_details(client):
    org = OrganisationFactory()
    client.force_login(user_with_role(org, Role.ORG_ADMIN))
    response = client.get("/api/people?limit=abc")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "The request is not valid"
    missing = client.get("/api/people/999999")
    assert missing.status_code == 404 and missing.json()["status"] == 404


def test_the_openapi_document_describes_the_api(client):
    org = OrganisationFactory()
    client.force_login(user_with_role(org, Role.MEMBER))
    schema = client.get("/api/openapi.json").json()
    assert "/api/people" in schema["paths"] and "/api/people/{person_id}" in schema["paths"]


def test_the_api_docs_load_nothing_from_outside(client):
    org = OrganisationFactory()
    client.force_login(user_with_role(org, Role.MEMBER))
    page = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "https://" not in page and "http://" not in page
