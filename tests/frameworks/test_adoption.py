"""Adopting a shared framework: as is (published, people placed by grade) or extended (a draft to
add to), refused where it may not be adopted; the adopted copy stays the organisation's own; the
pages that offer and show adoption; starting a network's or a national framework."""

import html

import pytest
from django.utils.html import strip_tags

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.models import AuditEntry, Membership, NetworkMembership, Role
from cadre.frameworks.adoption import framework_adopt, shared_framework_start
from cadre.frameworks.editing.services import attribute_save, indicator_save
from cadre.frameworks.models import Attribute, Framework, FrameworkVersion, Tier
from cadre.frameworks.selectors import frameworks_visible_to, versions_visible_to
from cadre.frameworks.services import version_publish
from cadre.people.models import Person
from tests.factories import NetworkFactory, OrganisationFactory, PersonFactory, UserFactory, user_with_role
from tests.frameworks import builders

pytestmark = pytest.mark.django_db

ADOPTED_FROM = "Adopted from Network leadership framework, version 1, shared by London Councils Network"


@pytest.fixture
def network():
    return NetworkFactory(name="London Councils Network")


@pytest.fixture
def org(network):
    organisation = OrganisationFactory(name="North Borough Council")
    NetworkMembership.objects.create(network=network, organisation=organisation)
    return organisation


@pytest.fixture
def ld_admin(org):
    return user_with_role(org, Role.LD_ADMIN)


@pytest.fixture
def shared(network):
    """The network's framework, published, with two attributes and two tiers."""
    return builders.version(builders.framework(network=network, name="Network leadership framework"))


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def words_of(response) -> str:
    """The page's text without its markup, spaces run together."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_adopting_as_is_publishes_the_copy_and_places_people_by_grade(org, ld_admin, shared):
    on_tier_1 = PersonFactory(organisation=org, grade="SO1")
    on_tier_2 = PersonFactory(organisation=org, grade="PO3")
    ungraded = PersonFactory(organisation=org, grade="Apprentice")

    framework = framework_adopt(
        source=shared, organisation=org, actor=ld_admin, extend=False, grades={"tier-1": ["SO1"], "tier-2": ["PO3"]}
    )

    assert framework.owner_organisation == org and framework.sharing == Framework.Sharing.ORGANISATION
    assert framework.adopted_from == shared
    assert (framework.name, framework.audience, framework.role_types) == (
        "Network leadership framework",
        "officers",
        ["officer"],
    )
    version = framework.versions.get()
    assert version.number == 1 and version.status == FrameworkVersion.Status.PUBLISHED
    shared_attributes = {a.key: a for a in shared.attributes.all()}
    copied = list(version.attributes.all())
    assert [a.key for a in copied] == list(shared_attributes)
    assert all(a.extends == shared_attributes[a.key] for a in copied)
    assert {t.organisation_id for t in version.tiers.all()} == {org.pk}
    assert version.indicators.count() == shared.indicators.count()
    assert Person.objects.get(pk=on_tier_1.pk).tier == version.tiers.get(key="tier-1")
    assert Person.objects.get(pk=on_tier_2.pk).tier == version.tiers.get(key="tier-2")
    assert Person.objects.get(pk=ungraded.pk).tier is None
    entry = AuditEntry.objects.get(event="framework.adopted")
    assert entry.organisation_id == org.pk and entry.changes["how"] == "as is" and entry.changes["version"] == 1
    # The shared framework itself is untouched.
    assert shared.attributes.count() == 2 and not Tier.objects.filter(version=shared, organisation__isnull=False)


def test_adopting_to_extend_leaves_a_draft_to_add_our_own_attribute_and_publish(org, ld_admin, shared):
    person = PersonFactory(organisation=org, grade="SO1")
    framework = framework_adopt(
        source=shared, organisation=org, actor=ld_admin, extend=True, grades={"tier-1": ["SO1"]}
    )

    draft = framework.versions.get()
    assert draft.status == FrameworkVersion.Status.DRAFT
    assert Person.objects.get(pk=person.pk).tier is None  # nobody is placed until it is published
    own = attribute_save(
        version=draft, actor=ld_admin, name="Community minded", statement="I serve residents.", order=9
    )
    for tier in draft.tiers.all():
        indicator_save(attribute=own, tier=tier, kind="positive", text="Listens to residents.", actor=ld_admin)
    version_publish(version=draft, actor=ld_admin)

    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.PUBLISHED
    assert Attribute.objects.get(pk=own.pk).extends is None
    assert draft.attributes.filter(extends__version=shared).count() == 2
    assert Person.objects.get(pk=person.pk).tier == draft.tiers.get(key="tier-1")
    assert AuditEntry.objects.get(event="framework.adopted").changes["how"] == "extended"


def test_a_second_adoption_gets_a_slug_that_does_not_clash(org, ld_admin, shared):
    first = framework_adopt(source=shared, organisation=org, actor=ld_admin, extend=True)
    second = framework_adopt(source=shared, organisation=org, actor=ld_admin, extend=True)
    assert first.slug == "network-leadership-framework"
    assert second.slug == "network-leadership-framework-2"


def test_a_national_framework_may_be_adopted_by_any_organisation():
    organisation = OrganisationFactory()  # in no network
    admin = user_with_role(organisation, Role.ORG_ADMIN)
    national = builders.version(builders.framework(national=True, name="National political framework"))
    framework = framework_adopt(source=national, organisation=organisation, actor=admin, extend=True)
    assert framework.adopted_from == national and framework.owner_organisation == organisation


def _refusal(**kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        framework_adopt(**kwargs)
    return " ".join(p.message for p in caught.value.problems)


def test_refused_for_a_network_the_organisation_is_not_in(org, ld_admin):
    elsewhere = builders.version(builders.framework(network=NetworkFactory(name="Northern network")))
    message = _refusal(source=elsewhere, organisation=org, actor=ld_admin, extend=False)
    assert message == "North Borough Council is not in Northern network, which shares Officers' framework."
    assert not Framework.objects.filter(owner_organisation=org).exists()


def test_refused_for_a_draft_or_archived_source(org, ld_admin, network):
    for status in (FrameworkVersion.Status.DRAFT, FrameworkVersion.Status.ARCHIVED):
        source = builders.version(builders.framework(network=network, name=f"Framework {status}"), status=status)
        message = _refusal(source=source, organisation=org, actor=ld_admin, extend=True)
        assert f"is {status}. Only its published version can be adopted." in message
    assert not Framework.objects.filter(owner_organisation=org).exists()


def test_refused_for_another_organisations_framework(org, ld_admin):
    theirs = builders.version(builders.framework(organisation=OrganisationFactory(name="South Borough Council")))
    message = _refusal(source=theirs, organisation=org, actor=ld_admin, extend=False)
    assert "belongs to one organisation" in message
    assert not Framework.objects.filter(owner_organisation=org).exists()


def test_refused_to_someone_who_does_not_administer_the_organisation(org, shared):
    member = user_with_role(org, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        framework_adopt(source=shared, organisation=org, actor=member, extend=False)
    assert not Framework.objects.filter(owner_organisation=org).exists()


def test_a_grade_given_for_two_tiers_is_refused(org, ld_admin, shared):
    message = _refusal(
        source=shared, organisation=org, actor=ld_admin, extend=False, grades={"tier-1": ["SO1"], "tier-2": ["SO1"]}
    )
    assert message == "Grade SO1 is given for two tiers. Give each grade once."
    assert not Framework.objects.filter(owner_organisation=org).exists()


def test_the_adopted_copy_is_invisible_to_other_organisations(org, ld_admin, network, shared):
    framework = framework_adopt(source=shared, organisation=org, actor=ld_admin, extend=False)
    neighbour = OrganisationFactory(name="East Borough Council")
    NetworkMembership.objects.create(network=network, organisation=neighbour)
    for role in (Role.MEMBER, Role.LD_ADMIN):
        user = user_with_role(neighbour, role)
        assert framework not in frameworks_visible_to(user)
        assert shared.framework in frameworks_visible_to(user)  # the shared one stays visible
    assert framework in frameworks_visible_to(user_with_role(org, Role.MEMBER))
    draft = framework_adopt(source=shared, organisation=org, actor=ld_admin, extend=True)
    assert not versions_visible_to(user_with_role(neighbour, Role.LD_ADMIN)).filter(framework=draft).exists()


# --- pages ---------------------------------------------------------------------------------------


def test_the_adopt_button_shows_only_to_administrators_who_may_adopt(client, org, ld_admin, network, shared):
    url = f"/frameworks/{shared.framework_id}/"
    adopt = f"/frameworks/{shared.framework_id}/adopt/"
    client.force_login(ld_admin)
    body = text_of(client.get(url))
    assert "Adopt this framework" in body and adopt in body

    client.force_login(user_with_role(org, Role.MEMBER))
    assert "Adopt this framework" not in text_of(client.get(url))
    assert client.get(adopt).status_code == 404

    # An administrator of an organisation in another network cannot even read it.
    client.force_login(user_with_role(OrganisationFactory(), Role.LD_ADMIN))
    assert client.get(url).status_code == 404 and client.get(adopt).status_code == 404

    # An organisation's own framework is never offered for adoption.
    own = builders.version(builders.framework(organisation=org, name="Our framework"))
    client.force_login(ld_admin)
    assert "Adopt this framework" not in text_of(client.get(f"/frameworks/{own.framework_id}/"))
    assert client.get(f"/frameworks/{own.framework_id}/adopt/").status_code == 404


def test_adopting_from_the_page_as_is_goes_to_the_new_framework_with_marks(client, org, ld_admin, shared):
    client.force_login(ld_admin)
    response = client.post(
        f"/frameworks/{shared.framework_id}/adopt/", {"how": "as_is", "grades_tier-1": "SO1, SO2"}, follow=True
    )
    framework = Framework.objects.get(owner_organisation=org)
    assert response.redirect_chain[-1][0] == f"/frameworks/manage/{framework.pk}/"
    body = text_of(response)
    assert "North Borough Council adopted Network leadership framework as it is. It is published." in body
    assert ADOPTED_FROM in words_of(response)
    assert body.count("From London Councils Network") == 2 and "Our own" not in body
    assert "SO1, SO2" in body
    assert framework.versions.get().status == FrameworkVersion.Status.PUBLISHED


def test_adopting_from_the_page_to_extend_then_the_marks_on_the_reading_page(client, org, ld_admin, shared):
    client.force_login(ld_admin)
    response = client.post(f"/frameworks/{shared.framework_id}/adopt/", {"how": "extend"}, follow=True)
    framework = Framework.objects.get(owner_organisation=org)
    assert "Add your own attributes, then publish it." in text_of(response)
    draft = framework.versions.get()
    assert draft.status == FrameworkVersion.Status.DRAFT
    own = attribute_save(version=draft, actor=ld_admin, name="Community minded", statement="I serve residents.")
    for tier in draft.tiers.all():
        indicator_save(attribute=own, tier=tier, kind="positive", text="Listens to residents.", actor=ld_admin)
    body = text_of(client.get(f"/frameworks/manage/{framework.pk}/"))
    assert body.count("From London Councils Network") == 2 and body.count("Our own") == 1
    version_publish(version=draft, actor=ld_admin)

    client.force_login(user_with_role(org, Role.MEMBER))
    response = client.get(f"/frameworks/{framework.pk}/")
    body = text_of(response)
    assert f"{ADOPTED_FROM}." in words_of(response)
    assert body.count("From London Councils Network") == 2 and body.count(">Our own<") == 1


def test_the_adopt_page_shows_the_problems_and_writes_nothing(client, org, ld_admin, shared):
    client.force_login(ld_admin)
    response = client.post(
        f"/frameworks/{shared.framework_id}/adopt/", {"grades_tier-1": "SO1", "grades_tier-2": "SO1"}
    )
    body = text_of(response)
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert "Choose whether to adopt it as it is or extend it." in body
    response = client.post(
        f"/frameworks/{shared.framework_id}/adopt/", {"how": "as_is", "grades_tier-1": "SO1", "grades_tier-2": "SO1"}
    )
    assert "Grade SO1 is given for two tiers. Give each grade once." in text_of(response)
    assert not Framework.objects.filter(owner_organisation=org).exists()


def test_an_administrator_of_two_organisations_chooses_which_adopts(client, org, network, shared):
    other = OrganisationFactory(name="West Borough Council")
    NetworkMembership.objects.create(network=network, organisation=other)
    admin = user_with_role(org, Role.LD_ADMIN)
    Membership.objects.create(user=admin, organisation=other, role=Role.ORG_ADMIN)
    client.force_login(admin)
    body = text_of(client.get(f"/frameworks/{shared.framework_id}/adopt/"))
    assert "Which organisation adopts it" in body and "West Borough Council" in body
    client.post(f"/frameworks/{shared.framework_id}/adopt/", {"how": "extend", "organisation": str(other.pk)})
    assert Framework.objects.get(adopted_from=shared).owner_organisation == other


@pytest.mark.parametrize("size", [2, 6])
def test_the_adopt_page_uses_a_fixed_number_of_queries(client, org, ld_admin, network, size, django_assert_num_queries):
    # The session, the user, their roles and staff record; the version; the organisations that may
    # adopt it; its tiers; its attribute count.
    shared = builders.version(builders.framework(network=network, name="Sized"), attributes=size, tiers=min(size, 5))
    for _ in range(size):
        NetworkMembership.objects.create(network=network, organisation=OrganisationFactory())
    client.force_login(ld_admin)
    with django_assert_num_queries(8):
        response = client.get(f"/frameworks/{shared.framework_id}/adopt/")
    assert response.status_code == 200
    assert text_of(response).count("HR grades for tier") == min(size, 5)


# --- starting a shared framework -------------------------------------------------------------------


def test_a_platform_administrator_starts_a_network_or_a_national_framework(network):
    superuser = UserFactory(is_superuser=True)
    for_network = shared_framework_start(actor=superuser, name="Regional framework", network=network)
    national = shared_framework_start(actor=superuser, name="National framework", national=True)
    assert (for_network.sharing, for_network.owner_network) == (Framework.Sharing.NETWORK, network)
    assert (national.sharing, national.owner_network, national.owner_organisation) == ("national", None, None)
    assert for_network.versions.get().status == FrameworkVersion.Status.DRAFT
    with pytest.raises(ValidationError):
        shared_framework_start(actor=superuser, name="Both", network=network, national=True)


def test_only_a_platform_administrator_starts_a_shared_framework(org, ld_admin, network):
    with pytest.raises(PermissionDenied):
        shared_framework_start(actor=ld_admin, name="Regional framework", network=network)
    assert not Framework.objects.filter(owner_network=network).exists()
