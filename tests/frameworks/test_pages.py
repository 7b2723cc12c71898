"""The framework pages: the list, a version's page, the matrix, a page per attribute and per tier,
"What is expected of me", older versions, tenancy, and setting a person's tier by hand."""

import re

import pytest
from django.utils.html import escape

from cadre.core.models import NetworkMembership, Role
from cadre.frameworks.models import FrameworkVersion
from cadre.people.models import Person
from tests.factories import NetworkFactory, OrganisationFactory, PersonFactory, user_with_role
from tests.frameworks import builders

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


def h1s(response) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", text_of(response), flags=re.S)


def test_a_member_reads_their_organisations_framework(client):
    org = OrganisationFactory()
    framework = builders.framework(organisation=org)
    version = builders.version(framework, attributes=2, tiers=2)
    client.force_login(user_with_role(org, Role.MEMBER))

    listing = client.get("/frameworks/")
    assert listing.status_code == 200
    assert escape(framework.name) in text_of(listing)
    assert h1s(listing) == ["Frameworks"]

    page = client.get(f"/frameworks/{framework.pk}/")
    assert page.status_code == 200 and page.context["version"] == version
    body = text_of(page)
    assert len(h1s(page)) == 1
    for expected in ["Collaborative", "Agile", "Tier 1: Aspiring manager", "Together", "We work as one."]:
        assert expected in body
    assert "Annual reviews" in body and "Organisational mechanisms" in body  # channels, by kind
    assert "Leader" in body and "Anyone who leads others." in body  # key definitions
    assert f"/frameworks/{framework.pk}/versions/1/matrix/" in body


def test_the_matrix_has_every_indicator_under_accessible_headers_with_tags(client):
    org = OrganisationFactory()
    framework = builders.framework(organisation=org)
    version = builders.version(framework, attributes=2, tiers=3)
    agile = version.attributes.get(key="agile")
    agile.status = "in_development"
    agile.save()
    client.force_login(user_with_role(org, Role.MEMBER))
    response = client.get(f"/frameworks/{framework.pk}/versions/1/matrix/")
    assert response.status_code == 200
    body = text_of(response)
    assert h1s(response) == ["Attributes by tier"]
    assert body.count('<th scope="col"') == 1 + 3  # the attribute column and one per tier
    assert body.count('<th scope="row"') == 2
    for indicator in version.indicators.all():
        assert escape(indicator.text) in body
    assert "<caption" in body
    assert 'govuk-tag govuk-tag--turquoise">Focus</strong>' in body  # Collaborative is a focus attribute
    assert 'govuk-tag govuk-tag--yellow">In development</strong>' in body


def test_an_attribute_page_shows_each_tier_what_it_is_not_diversity_and_values(client):
    org = OrganisationFactory()
    framework = builders.framework(organisation=org)
    builders.version(framework, attributes=2, tiers=2)
    client.force_login(user_with_role(org, Role.MEMBER))
    response = client.get(f"/frameworks/{framework.pk}/versions/1/attributes/collaborative/")
    assert response.status_code == 200
    body = text_of(response)
    assert h1s(response) == ["Collaborative"]
    assert "I am collaborative in all I do." in body
    assert "What it looks like at each tier" in body and "What it does not look like" in body
    assert "Collaborative at Aspiring manager: does 1" in body
    assert "Collaborative at Core manager: does not 1" in body
    assert "Agile at" not in body  # only this attribute's indicators
    assert "Diversity and inclusion" in body and "Being collaborative means including everyone." in body
    assert "Values it supports" in body and "Together" in body
    assert "Development that builds it" in body and "Nothing in the development catalogue yet." in body
    assert "coming soon" not in body.lower()


def test_a_tier_page_shows_who_it_is_for_its_grades_and_every_attribute_at_it(client):
    org = OrganisationFactory()
    framework = builders.framework(organisation=org)
    builders.version(framework, attributes=3, tiers=2)
    client.force_login(user_with_role(org, Role.MEMBER))
    response = client.get(f"/frameworks/{framework.pk}/versions/1/tiers/tier-2/")
    assert response.status_code == 200
    body = text_of(response)
    assert h1s(response) == ["Core manager"]
    assert "People at rank 2" in body and "The description of tier 2." in body
    assert "G2A, G2B" in body
    for name in ["Collaborative", "Agile", "Accountable"]:
        assert f"{name} at Core manager: does 1" in body
        assert f"{name} at Aspiring manager" not in body


def test_unknown_attributes_tiers_and_versions_are_404(client):
    org = OrganisationFactory()
    framework = builders.framework(organisation=org)
    builders.version(framework)
    client.force_login(user_with_role(org, Role.MEMBER))
    base = f"/frameworks/{framework.pk}/versions"
    assert client.get(f"{base}/1/attributes/no-such/").status_code == 404
    assert client.get(f"{base}/1/tiers/no-such/").status_code == 404
    assert client.get(f"{base}/2/").status_code == 404
    assert client.get("/frameworks/999999/").status_code == 404


def test_tenancy_another_organisations_draft_is_invisible_and_its_shared_framework_visible(client):
    ours, theirs = OrganisationFactory(), OrganisationFactory()
    network = NetworkFactory()
    NetworkMembership.objects.create(network=network, organisation=ours)
    NetworkMembership.objects.create(network=network, organisation=theirs)
    their_draft = builders.framework(organisation=theirs, name="Their draft framework")
    builders.version(their_draft, status=FrameworkVersion.Status.DRAFT)
    their_own = builders.framework(organisation=theirs, name="Their own framework")
    builders.version(their_own)
    shared = builders.framework(network=network, name="Regional framework")
    builders.version(shared)
    shared_draft = builders.version(shared, number=2, status=FrameworkVersion.Status.DRAFT, previous=None)
    national = builders.framework(national=True, name="National framework for members")
    builders.version(national)

    # An administrator of ours: administering our organisation gives no sight of theirs.
    client.force_login(user_with_role(ours, Role.ORG_ADMIN))
    listing = text_of(client.get("/frameworks/"))
    assert "Regional framework" in listing and "National framework for members" in listing
    assert "Their draft framework" not in listing and "Their own framework" not in listing
    assert f"/versions/{shared_draft.number}/" not in listing
    for framework, number in [(their_draft, 1), (their_own, 1), (shared, 2)]:
        assert client.get(f"/frameworks/{framework.pk}/versions/{number}/").status_code == 404
        assert client.get(f"/frameworks/{framework.pk}/versions/{number}/matrix/").status_code == 404
        assert client.get(f"/frameworks/{framework.pk}/versions/{number}/tiers/tier-1/").status_code == 404
        assert client.get(f"/frameworks/{framework.pk}/versions/{number}/attributes/agile/").status_code == 404
    assert client.get(f"/frameworks/{their_draft.pk}/").status_code == 404
    assert client.get(f"/frameworks/{their_own.pk}/").status_code == 404
    shared_page = client.get(f"/frameworks/{shared.pk}/")
    assert shared_page.status_code == 200 and shared_page.context["version"].number == 1
    assert f"Shared by {network.name}" in text_of(shared_page)
    assert client.get(f"/frameworks/{shared.pk}/versions/1/matrix/").status_code == 200

    # Their administrator sees their draft.
    client.force_login(user_with_role(theirs, Role.LD_ADMIN))
    draft_page = client.get(f"/frameworks/{their_draft.pk}/versions/1/")
    assert draft_page.status_code == 200
    assert "administrators can see it until it is published" in text_of(draft_page)


def test_a_member_who_is_not_an_administrator_does_not_see_their_own_organisations_draft(client):
    org = OrganisationFactory()
    framework = builders.framework(organisation=org)
    builders.version(framework)
    builders.version(framework, number=2, status=FrameworkVersion.Status.DRAFT)
    client.force_login(user_with_role(org, Role.MEMBER))
    assert client.get(f"/frameworks/{framework.pk}/versions/2/").status_code == 404
    assert client.get(f"/frameworks/{framework.pk}/versions/1/").status_code == 200


def test_an_older_version_is_readable_marked_archived_with_how_attributes_map(client):
    org = OrganisationFactory()
    framework = builders.framework(organisation=org)
    first = builders.version(framework, status=FrameworkVersion.Status.ARCHIVED, attributes=2)
    second = builders.version(framework, number=2, previous=first, attributes=3)
    client.force_login(user_with_role(org, Role.MEMBER))

    old = client.get(f"/frameworks/{framework.pk}/versions/1/")
    assert old.status_code == 200
    body = text_of(old)
    assert "You are reading version 1 (archived)." in body
    assert f'href="/frameworks/{framework.pk}/versions/2/"' in body
    old_matrix = text_of(client.get(f"/frameworks/{framework.pk}/versions/1/matrix/"))
    assert "version 1 (archived)" in old_matrix

    current = text_of(client.get(f"/frameworks/{framework.pk}/"))
    assert "Changes from version 1" in current
    assert "How each attribute maps to version 1" in current
    assert "New in version 2: Accountable." in current
    assert second.attribute_mappings.count() == 2
    mapped = text_of(client.get(f"/frameworks/{framework.pk}/versions/2/attributes/agile/"))
    assert "In version 1" in mapped and "The same attribute" in mapped
    assert f"/frameworks/{framework.pk}/versions/1/attributes/agile/" in mapped
    new = text_of(client.get(f"/frameworks/{framework.pk}/versions/2/attributes/accountable/"))
    assert "Accountable is new in version 2." in new


def test_what_is_expected_of_me_is_my_own_tier_page(client):
    org = OrganisationFactory()
    framework = builders.framework(organisation=org)
    version = builders.version(framework, attributes=2, tiers=3)
    tier = version.tiers.get(rank=2)
    user = user_with_role(org, Role.MEMBER, tier=tier)
    client.force_login(user)

    home = text_of(client.get("/"))
    assert 'href="/frameworks/expected/">What is expected of me</a>' in home
    assert 'href="/frameworks/"' in home  # "Frameworks" in the navigation

    response = client.get("/frameworks/expected/")
    assert response.status_code == 200
    assert h1s(response) == ["What is expected of me"]
    body = text_of(response)
    assert "You are in tier 2, Core manager" in body
    assert "Collaborative at Core manager: does 1" in body and "Agile at Core manager: does 2" in body
    assert "Aspiring manager: does" not in body
    assert f"/frameworks/{framework.pk}/versions/1/matrix/" in body


def test_what_is_expected_of_me_without_a_tier_says_what_happens_next(client):
    org = OrganisationFactory()
    client.force_login(user_with_role(org, Role.MEMBER))
    response = client.get("/frameworks/expected/")
    assert response.status_code == 200
    assert h1s(response) == ["What is expected of me"]
    assert "Your development tier has not been set yet" in text_of(response)


def test_a_persons_tier_links_to_its_page(client):
    org = OrganisationFactory()
    version = builders.version(builders.framework(organisation=org))
    tier = version.tiers.get(rank=1)
    user = user_with_role(org, Role.MEMBER, tier=tier)
    client.force_login(user)
    assert f"/frameworks/tiers/{tier.pk}/" in text_of(client.get(f"/people/{user.person.pk}/"))
    response = client.get(f"/frameworks/tiers/{tier.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/frameworks/{version.framework_id}/versions/1/tiers/tier-1/"
    other = builders.version(builders.framework(organisation=OrganisationFactory()))
    assert client.get(f"/frameworks/tiers/{other.tiers.first().pk}/").status_code == 404


# --- setting a person's tier by hand ------------------------------------------------------------


def test_an_ld_administrator_sets_a_persons_tier_by_hand_and_back_to_automatic(client):
    org = OrganisationFactory()
    version = builders.version(builders.framework(organisation=org), tiers=3)
    tiers = {t.rank: t for t in version.tiers.all()}
    person = PersonFactory(organisation=org, grade="G1A", tier=tiers[1])
    admin = user_with_role(org, Role.LD_ADMIN)
    client.force_login(admin)

    detail = text_of(client.get(f"/people/{person.pk}/"))
    assert f'href="/frameworks/people/{person.pk}/tier/"' in detail
    form_page = client.get(f"/frameworks/people/{person.pk}/tier/")
    assert form_page.status_code == 200 and h1s(form_page) == ["Development tier"]
    assert "Developing manager (tier 3)" in text_of(form_page)

    response = client.post(f"/frameworks/people/{person.pk}/tier/", {"tier": str(tiers[3].pk), "action": "set"})
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    person.refresh_from_db()
    assert person.tier == tiers[3] and person.tier_set_by_hand
    assert ", set by hand" in text_of(client.get(f"/people/{person.pk}/"))

    response = client.post(f"/frameworks/people/{person.pk}/tier/", {"tier": "none", "action": "set"})
    person.refresh_from_db()
    assert person.tier is None and person.tier_set_by_hand

    response = client.post(f"/frameworks/people/{person.pk}/tier/", {"action": "automatic"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.tier == tiers[1] and not person.tier_set_by_hand


def test_only_the_tiers_of_frameworks_for_the_persons_role_type_are_offered(client):
    org = OrganisationFactory()
    builders.version(builders.framework(organisation=org, name="Officers' framework"), tiers=2)
    political = builders.framework(organisation=org, name="Political leadership", role_types=["elected_member"])
    political_tier = builders.version(political, tiers=1).tiers.get()
    political_tier.name = "Cabinet member"
    political_tier.save()
    officer = PersonFactory(organisation=org, role_type="officer")
    councillor = PersonFactory(organisation=org, role_type="elected_member")
    client.force_login(user_with_role(org, Role.LD_ADMIN))
    officers_page = text_of(client.get(f"/frameworks/people/{officer.pk}/tier/"))
    assert "Aspiring manager (tier 1)" in officers_page and "Cabinet member" not in officers_page
    councillors_page = text_of(client.get(f"/frameworks/people/{councillor.pk}/tier/"))
    assert "Cabinet member (tier 1)" in councillors_page and "Aspiring manager" not in councillors_page


def test_a_tier_outside_the_organisations_frameworks_is_refused_with_an_error_summary(client):
    org = OrganisationFactory()
    builders.version(builders.framework(organisation=org))
    elsewhere = builders.version(builders.framework(organisation=OrganisationFactory()))
    person = PersonFactory(organisation=org)
    client.force_login(user_with_role(org, Role.ORG_ADMIN))
    response = client.post(
        f"/frameworks/people/{person.pk}/tier/", {"tier": str(elsewhere.tiers.first().pk), "action": "set"}
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "govuk-error-summary" in body and "Choose one of the tiers listed." in body
    assert "<title>Error: " in body
    person.refresh_from_db()
    assert person.tier is None and not person.tier_set_by_hand


def test_only_administrators_may_set_a_tier(client):
    org = OrganisationFactory()
    version = builders.version(builders.framework(organisation=org))
    manager = user_with_role(org, Role.MEMBER)
    report = PersonFactory(organisation=org, line_manager=manager.person)
    client.force_login(manager)
    assert f"/frameworks/people/{report.pk}/tier/" not in text_of(client.get(f"/people/{report.pk}/"))
    assert client.get(f"/frameworks/people/{report.pk}/tier/").status_code == 404
    response = client.post(f"/frameworks/people/{report.pk}/tier/", {"tier": str(version.tiers.first().pk)})
    assert response.status_code == 404
    assert Person.objects.get(pk=report.pk).tier is None
    other_admin = user_with_role(OrganisationFactory(), Role.ORG_ADMIN)
    client.force_login(other_admin)
    assert client.get(f"/frameworks/people/{report.pk}/tier/").status_code == 404


# --- query counts --------------------------------------------------------------------------------

# The session, the user, their roles and their staff record, then the page's own: the version (with
# its framework), then for the matrix its attributes, tiers and indicators; for the version's page
# its attributes, tiers, values with their attributes, channels, definitions, mappings and versions;
# for an attribute or a tier its row, the other axis, its indicators and values or grades, and the
# catalogue's offerings that build it or are for it (none here; with some, two more for their tags).
QUERIES = {
    "list": 6,
    "version": 13,
    "matrix": 8,
    "attribute": 11,
    "tier": 10,
    "what is expected of me": 9,
}
SIZES = {"small": (2, 2), "large": (7, 5)}


@pytest.fixture(params=list(SIZES), ids=[f"{a} attributes × {t} tiers" for a, t in SIZES.values()])
def sized(request):
    attributes, tiers = SIZES[request.param]
    org = OrganisationFactory()
    frameworks = [
        builders.framework(organisation=org, name=f"Framework {n}") for n in range(1 if attributes < 5 else 4)
    ]
    for framework in frameworks:
        first = builders.version(framework, attributes=attributes, tiers=tiers, status=FrameworkVersion.Status.ARCHIVED)
        builders.version(framework, number=2, attributes=attributes, tiers=tiers, previous=first)
    framework = frameworks[0]
    version = framework.versions.get(number=2)
    tier = version.tiers.get(rank=2)
    return {"org": org, "framework": framework, "version": version, "tier": tier, "size": (attributes, tiers)}


@pytest.mark.parametrize("page", list(QUERIES))
def test_framework_pages_use_a_fixed_number_of_queries(sized, page, client, django_assert_num_queries):
    user = user_with_role(sized["org"], Role.MEMBER, tier=sized["tier"])
    client.force_login(user)
    pk = sized["framework"].pk
    paths = {
        "list": "/frameworks/",
        "version": f"/frameworks/{pk}/",
        "matrix": f"/frameworks/{pk}/versions/2/matrix/",
        "attribute": f"/frameworks/{pk}/versions/2/attributes/agile/",
        "tier": f"/frameworks/{pk}/versions/2/tiers/tier-2/",
        "what is expected of me": "/frameworks/expected/",
    }
    with django_assert_num_queries(QUERIES[page]):
        response = client.get(paths[page])
    assert response.status_code == 200
    attributes, tiers = sized["size"]
    if page == "matrix":
        assert response.content.decode().count('<th scope="row"') == attributes
        assert response.content.decode().count('<th scope="col"') == tiers + 1
