"""Who sees which framework version: `frameworks_visible_to`, `versions_visible_to` and the
versions and tiers an organisation may use for its people."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cadre.core.models import NetworkMembership, Role
from cadre.frameworks.models import FrameworkVersion
from cadre.frameworks.selectors import (
    expected_of,
    framework_list,
    frameworks_visible_to,
    tiers_available_to,
    version_for,
    versions_available_to,
    versions_visible_to,
)
from tests.factories import NetworkFactory, OrganisationFactory, PersonFactory, UserFactory, user_with_role
from tests.frameworks import builders

pytestmark = pytest.mark.django_db

DRAFT, PUBLISHED, ARCHIVED = (FrameworkVersion.Status.DRAFT, FrameworkVersion.Status.PUBLISHED, "archived")


@pytest.fixture
def world():
    """Two organisations in a network and a third outside it, each with its own framework (an
    archived version 1, a published version 2 and a draft version 3); a network framework
    (published, with a draft); a national one (published, with a draft)."""
    ours, partner, outsider = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    network = NetworkFactory()
    for organisation in (ours, partner):
        NetworkMembership.objects.create(network=network, organisation=organisation)
    versions = {}
    for label, owner in [
        ("ours", builders.framework(organisation=ours, name="Ours")),
        ("partner", builders.framework(organisation=partner, name="Partner's")),
        ("outsider", builders.framework(organisation=outsider, name="Outsider's")),
    ]:
        first = builders.version(owner, status=ARCHIVED, attributes=1, tiers=1)
        second = builders.version(owner, number=2, previous=first, attributes=1, tiers=1)
        third = builders.version(owner, number=3, status=DRAFT, previous=second, attributes=1, tiers=1)
        versions[label] = (first, second, third)
    regional = builders.framework(network=network, name="Regional")
    versions["network"] = (builders.version(regional), builders.version(regional, number=2, status=DRAFT))
    national = builders.framework(national=True, name="National")
    versions["national"] = (builders.version(national), builders.version(national, number=2, status=DRAFT))
    return {"ours": ours, "partner": partner, "outsider": outsider, "network": network, "versions": versions}


def readable(world, *labels):
    """Published and archived versions of the frameworks named."""
    return {v for label in labels for v in world["versions"][label] if v.status != DRAFT}


def test_a_member_reads_published_and_archived_versions_of_their_own_shared_and_national_frameworks(world):
    member = user_with_role(world["ours"], Role.MEMBER)
    assert set(versions_visible_to(member)) == readable(world, "ours", "network", "national")
    assert {f.name for f in frameworks_visible_to(member)} == {"Ours", "Regional", "National"}


@pytest.mark.parametrize("role", [Role.LD_ADMIN, Role.ORG_ADMIN])
def test_administrators_also_read_their_own_organisations_drafts_but_no_one_elses(world, role):
    admin = user_with_role(world["ours"], role)
    expected = readable(world, "ours", "network", "national") | {world["versions"]["ours"][2]}
    assert set(versions_visible_to(admin)) == expected


@pytest.mark.parametrize("role", [Role.EXECUTIVE_VIEWER, Role.EQUALITY_OFFICER, Role.MEMBER])
def test_other_roles_do_not_read_drafts(world, role):
    user = user_with_role(world["ours"], role)
    assert not [v for v in versions_visible_to(user) if v.status == DRAFT]


def test_an_organisation_outside_the_network_sees_national_frameworks_only_besides_its_own(world):
    admin = user_with_role(world["outsider"], Role.ORG_ADMIN)
    names = {f.name for f in frameworks_visible_to(admin)}
    assert names == {"Outsider's", "National"}


def test_a_staff_record_makes_someone_a_member_without_a_membership_row(world):
    user = UserFactory()
    PersonFactory(organisation=world["partner"], user=user)
    assert {f.name for f in frameworks_visible_to(user)} == {"Partner's", "Regional", "National"}


def test_someone_signed_in_with_no_organisation_reads_national_frameworks_only(world):
    assert {f.name for f in frameworks_visible_to(UserFactory())} == {"National"}
    assert not versions_visible_to(AnonymousUser()).exists()


def test_a_platform_administrator_reads_everything(world):
    assert versions_visible_to(UserFactory(is_superuser=True)).count() == FrameworkVersion.objects.count()


def test_the_current_version_is_the_published_one_and_numbers_open_others(world):
    member = user_with_role(world["ours"], Role.MEMBER)
    archived, published, draft = world["versions"]["ours"]
    framework_id = published.framework_id
    assert version_for(member, framework_id) == published
    assert version_for(member, framework_id, 1) == archived
    assert version_for(member, framework_id, 3) is None
    outsider = world["versions"]["outsider"][1]
    assert version_for(member, outsider.framework_id) is None
    rows = {row.framework.name: row for row in framework_list(member)}
    assert [v.number for v in rows["Ours"].versions] == [2, 1]
    assert rows["Ours"].current == published and rows["Ours"].draft is None
    admin = user_with_role(world["ours"], Role.LD_ADMIN)
    assert {row.framework.name: row for row in framework_list(admin)}["Ours"].draft == draft


def test_an_organisation_may_place_people_in_tiers_of_its_own_networks_and_national_published_versions(world):
    available = set(versions_available_to(world["ours"]))
    assert available == {
        world["versions"]["ours"][1],
        world["versions"]["network"][0],
        world["versions"]["national"][0],
    }
    tiers = list(tiers_available_to(world["ours"]))
    assert {t.version for t in tiers} == available


def test_what_is_expected_of_me_is_the_persons_tier_in_its_version(world):
    tier = world["versions"]["ours"][1].tiers.get()
    user = user_with_role(world["ours"], Role.MEMBER, tier=tier)
    page = expected_of(user)
    assert page.tier == tier and page.tier.version == world["versions"]["ours"][1]
    assert [a.attribute.key for a in page.attributes] == ["collaborative"]
    assert [i.text for i in page.attributes[0].positive] == [
        "Collaborative at Aspiring manager: does 1",
        "Collaborative at Aspiring manager: does 2",
    ]
    assert [i.text for i in page.attributes[0].negative] == ["Collaborative at Aspiring manager: does not 1"]
    assert expected_of(user_with_role(world["ours"], Role.MEMBER)) is None
