"""The frameworks API: what the user may read, a version in full, problem details on errors."""

import pytest

from cadre.core.models import NetworkMembership, Role
from cadre.frameworks.models import FrameworkVersion
from tests.factories import NetworkFactory, OrganisationFactory, user_with_role
from tests.frameworks import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenancy():
    ours, theirs = OrganisationFactory(), OrganisationFactory()
    network = NetworkFactory()
    for organisation in (ours, theirs):
        NetworkMembership.objects.create(network=network, organisation=organisation)
    own = builders.framework(organisation=ours, name="Ours")
    first = builders.version(own, status=FrameworkVersion.Status.ARCHIVED)
    builders.version(own, number=2, previous=first, attributes=3, tiers=2)
    their_draft = builders.framework(organisation=theirs, name="Their draft")
    builders.version(their_draft, status=FrameworkVersion.Status.DRAFT)
    their_published = builders.framework(organisation=theirs, name="Their own")
    builders.version(their_published)
    shared = builders.framework(network=network, name="Shared by the network")
    builders.version(shared)
    return {
        "ours": ours,
        "theirs": theirs,
        "own": own,
        "their_draft": their_draft,
        "their_published": their_published,
        "shared": shared,
    }


def test_the_list_holds_the_frameworks_the_user_may_read_with_their_versions(client, tenancy):
    client.force_login(user_with_role(tenancy["ours"], Role.ORG_ADMIN))
    body = client.get("/api/frameworks").json()
    names = {item["name"] for item in body["items"]}
    assert names == {"Ours", "Shared by the network"}
    assert body["count"] == 2
    ours = next(item for item in body["items"] if item["name"] == "Ours")
    assert [(v["number"], v["status"]) for v in ours["versions"]] == [(2, "published"), (1, "archived")]
    assert ours["owner_organisation_id"] == tenancy["ours"].pk and ours["sharing"] == "organisation"
    assert ours["role_types"] == ["officer"]
    assert client.get("/api/frameworks?limit=1").json()["count"] == 2
    assert len(client.get("/api/frameworks?limit=1").json()["items"]) == 1


def test_a_version_reads_in_full(client, tenancy):
    client.force_login(user_with_role(tenancy["ours"], Role.MEMBER))
    own = tenancy["own"]
    current = client.get(f"/api/frameworks/{own.pk}").json()
    assert current["number"] == 2 and current["status"] == "published" and current["previous_number"] == 1
    assert [a["key"] for a in current["attributes"]] == ["collaborative", "agile", "accountable"]
    assert current["attributes"][0]["is_focus"] is True
    assert [(t["key"], t["rank"], t["grades"]) for t in current["tiers"]] == [
        ("tier-1", 1, ["G1A", "G1B"]),
        ("tier-2", 2, ["G2A", "G2B"]),
    ]
    assert len(current["indicators"]) == 3 * 2 * 3
    indicator = next(i for i in current["indicators"] if i["key"] == "agile-tier-2-negative-1")
    assert indicator == {
        "id": indicator["id"],
        "key": "agile-tier-2-negative-1",
        "attribute": "agile",
        "tier": "tier-2",
        "kind": "negative",
        "text": "Agile at Core manager: does not 1",
        "order": 1,
    }
    assert current["values"] == [
        {
            "key": "together",
            "name": "Together",
            "description": "We work as one.",
            "attributes": ["collaborative", "agile", "accountable"],
        }
    ]
    assert current["channels"][0]["name"] == "Annual reviews"
    assert current["definitions"] == [{"term": "Leader", "meaning": "Anyone who leads others."}]
    assert {(m["attribute"], m["previous_attribute"], m["relation"]) for m in current["attribute_mappings"]} == {
        ("collaborative", "collaborative", "same"),
        ("agile", "agile", "same"),
    }
    archived = client.get(f"/api/frameworks/{own.pk}/versions/1").json()
    assert archived["status"] == "archived" and archived["number"] == 1


def test_another_organisations_draft_is_not_found_and_its_shared_framework_is_readable(client, tenancy):
    client.force_login(user_with_role(tenancy["ours"], Role.ORG_ADMIN))
    for framework in (tenancy["their_draft"], tenancy["their_published"]):
        for path in (f"/api/frameworks/{framework.pk}", f"/api/frameworks/{framework.pk}/versions/1"):
            response = client.get(path)
            assert response.status_code == 404
            assert response["Content-Type"] == "application/problem+json"
            assert response.json() == {"type": "about:blank", "title": "Not found", "status": 404}
    shared = client.get(f"/api/frameworks/{tenancy['shared'].pk}")
    assert shared.status_code == 200 and shared.json()["framework"] == "Shared by the network"
    # Their own administrator reads their draft.
    client.force_login(user_with_role(tenancy["theirs"], Role.LD_ADMIN))
    draft = client.get(f"/api/frameworks/{tenancy['their_draft'].pk}")
    assert draft.status_code == 200 and draft.json()["status"] == "draft"


@pytest.mark.parametrize(
    "path",
    [
        "/api/frameworks/0",
        "/api/frameworks/-1",
        f"/api/frameworks/{2**63}",
        "/api/frameworks/abc",
        "/api/frameworks/1/versions/0",
        f"/api/frameworks/1/versions/{2**31}",
        "/api/frameworks?limit=0",
        "/api/frameworks?limit=501",
    ],
)
def test_ids_out_of_range_get_problem_details(client, tenancy, path):
    client.force_login(user_with_role(tenancy["ours"], Role.MEMBER))
    response = client.get(path)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "The request is not valid"


def test_signing_in_is_required(client, tenancy):
    response = client.get("/api/frameworks")
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"


def test_the_openapi_document_describes_the_frameworks_api(client, tenancy):
    client.force_login(user_with_role(tenancy["ours"], Role.MEMBER))
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/frameworks",
        "/api/frameworks/{framework_id}",
        "/api/frameworks/{framework_id}/versions/{number}",
    } <= set(paths)


def test_reading_a_version_takes_the_same_queries_whatever_its_size(client, django_assert_num_queries):
    org = OrganisationFactory()
    small = builders.version(builders.framework(organisation=org, name="Small"), attributes=1, tiers=1)
    large = builders.version(builders.framework(organisation=org, name="Large"), attributes=7, tiers=5)
    client.force_login(user_with_role(org, Role.MEMBER))
    # The session, the user, their roles and staff record; the version; then one query each for
    # attributes, tiers, their grades, indicators, values, the values' attributes, channels,
    # definitions and attribute mappings.
    for version in (small, large):
        with django_assert_num_queries(14):
            response = client.get(f"/api/frameworks/{version.framework_id}")
        assert response.status_code == 200
        assert len(response.json()["indicators"]) == version.indicators.count()


def test_attributes_tiers_and_indicators_are_listed_and_read_on_their_own(client, tenancy):
    client.force_login(user_with_role(tenancy["ours"], Role.MEMBER))
    own = tenancy["own"]
    base = f"/api/frameworks/{own.pk}/versions"
    attributes = client.get(f"{base}/current/attributes").json()
    assert [a["key"] for a in attributes] == ["collaborative", "agile", "accountable"]
    assert client.get(f"{base}/2/attributes/agile").json()["name"] == attributes[1]["name"]
    assert [t["rank"] for t in client.get(f"{base}/2/tiers").json()] == [1, 2]
    everything = client.get(f"{base}/current/indicators").json()
    for_agile = client.get(f"{base}/current/indicators?attribute=agile&tier=tier-1").json()
    assert for_agile and {(i["attribute"], i["tier"]) for i in for_agile} == {("agile", "tier-1")}
    assert len(for_agile) < len(everything)
    for missing in (f"{base}/current/attributes/no-such-key", f"{base}/99/tiers", f"{base}/two/tiers"):
        response = client.get(missing)
        assert response.status_code == 404 and response["Content-Type"] == "application/problem+json", missing


def test_another_organisations_draft_attributes_are_not_found(client, tenancy):
    client.force_login(user_with_role(tenancy["ours"], Role.ORG_ADMIN))
    draft = tenancy["their_draft"]
    for kind in ("attributes", "tiers", "indicators"):
        assert client.get(f"/api/frameworks/{draft.pk}/versions/1/{kind}").status_code == 404
