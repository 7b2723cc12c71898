"""Managing shared frameworks from the same pages as an organisation's own: a platform
administrator creates a network's or a national framework, builds and publishes it, with no HR
grades on its tiers; everyone else gets a 404. A framework's own details change whatever state
its versions are in; a draft's change note changes, a published version's is refused."""

import html

import pytest
from django.utils.html import strip_tags

from cadre.core.errors import ValidationError
from cadre.core.models import AuditEntry, NetworkMembership, Role
from cadre.frameworks.adoption import shared_framework_start
from cadre.frameworks.editing.services import tier_save
from cadre.frameworks.interchange import plan_import
from cadre.frameworks.interchange.cadre_format import dump, export_framework
from cadre.frameworks.interchange.services import framework_import
from cadre.frameworks.models import Framework, FrameworkVersion, GradeMapping
from cadre.frameworks.services import framework_create, version_new_draft, version_publish
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory, user_with_role
from tests.frameworks import builders

pytestmark = pytest.mark.django_db

MANAGE = "/frameworks/manage/"
REFUSAL = "Version 1 is published and cannot change. Start a new draft to make changes."


@pytest.fixture
def network():
    return NetworkFactory(name="London Councils Network")


@pytest.fixture
def org(network):
    organisation = OrganisationFactory(name="North Borough Council")
    NetworkMembership.objects.create(network=network, organisation=organisation)
    return organisation


@pytest.fixture
def platform_admin():
    return UserFactory(is_superuser=True)


@pytest.fixture
def platform_client(client, platform_admin):
    client.force_login(platform_admin)
    return client


def words_of(response) -> str:
    """The page's text without its markup, spaces run together."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def assert_error_summary(response, *messages):
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert 'class="govuk-error-summary"' in body and "<title>Error: " in body
    for message in messages:
        assert message in body, message


def build_and_publish_from_the_pages(client, framework):
    """Add a tier, an attribute and its indicator through the forms, then publish."""
    base = f"{MANAGE}{framework.pk}/"
    tier_page = client.get(f"{base}tiers/new/")
    assert tier_page.status_code == 200 and "HR grades" not in words_of(tier_page)
    response = client.post(f"{base}tiers/new/", {"name": "Core manager", "rank": "1", "grades": "SO1"})
    assert response.status_code == 302
    response = client.post(
        f"{base}attributes/new/",
        {"name": "Collaborative", "statement": "I work with others.", "status": "current", "order": "1"},
    )
    assert response.status_code == 302
    draft = framework.versions.get()
    tier, attribute = draft.tiers.get(), draft.attributes.get()
    assert tier.organisation_id is None and not GradeMapping.objects.filter(tier=tier).exists()
    response = client.post(
        f"{base}attributes/{attribute.pk}/indicators/new/",
        {"tier": tier.pk, "kind": "positive", "text": "I ask for views I may not share."},
    )
    assert response.status_code == 302
    response = client.post(f"{base}publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.PUBLISHED


# -- a platform administrator's shared frameworks ---------------------------------------------


def test_a_platform_administrator_creates_builds_and_publishes_a_network_framework(
    platform_client, platform_admin, network, org
):
    form = words_of(platform_client.get(f"{MANAGE}new/"))
    assert "North Borough Council" in form and "London Councils Network (a network's framework)" in form
    assert "National (every organisation)" in form

    response = platform_client.post(
        f"{MANAGE}new/",
        {"owner": f"network-{network.pk}", "name": "Regional framework", "role_types": ["officer"]},
    )
    framework = Framework.objects.get(name="Regional framework")
    assert response.status_code == 302 and response["Location"] == f"{MANAGE}{framework.pk}/"
    assert (framework.sharing, framework.owner_network, framework.owner_organisation) == ("network", network, None)
    assert AuditEntry.objects.filter(event="framework.created", actor=platform_admin).exists()

    overview = words_of(platform_client.get(response["Location"]))
    assert "London Councils Network Regional framework" in overview
    assert "The organisations in London Councils Network, once published" in overview
    assert "HR grades" not in overview.replace("have no HR grades", "")

    build_and_publish_from_the_pages(platform_client, framework)

    listing = words_of(platform_client.get(MANAGE))
    assert "Regional framework London Councils Network" in listing


def test_a_platform_administrator_creates_and_publishes_a_national_framework(platform_client, org):
    response = platform_client.post(
        f"{MANAGE}new/",
        {"owner": "national", "name": "National framework", "audience": "Officers", "role_types": ["officer"]},
    )
    framework = Framework.objects.get(name="National framework")
    assert response.status_code == 302
    assert (framework.sharing, framework.owner_network, framework.owner_organisation) == ("national", None, None)
    overview = words_of(platform_client.get(response["Location"]))
    assert "National National framework" in overview and "Every organisation, once published" in overview

    build_and_publish_from_the_pages(platform_client, framework)

    assert "National framework National Officers" in words_of(platform_client.get(MANAGE))


def test_a_platform_administrator_may_still_create_an_organisations_framework(platform_client, org):
    response = platform_client.post(
        f"{MANAGE}new/", {"owner": f"organisation-{org.pk}", "name": "Officers' framework", "role_types": ["officer"]}
    )
    assert response.status_code == 302
    framework = Framework.objects.get(name="Officers' framework")
    assert (framework.sharing, framework.owner_organisation) == ("organisation", org)
    assert "HR grades" in words_of(platform_client.get(f"{MANAGE}{framework.pk}/tiers/new/"))


def test_creating_without_an_owner_shows_the_error_and_keeps_what_was_typed(platform_client, network):
    response = platform_client.post(
        f"{MANAGE}new/", {"owner": "", "name": "Regional framework", "audience": "Officers in social care"}
    )
    assert_error_summary(
        response, "Choose who the framework belongs to.", "Choose at least one role type it applies to."
    )
    body = response.content.decode()
    assert 'value="Regional framework"' in body and 'value="Officers in social care"' in body
    response = platform_client.post(
        f"{MANAGE}new/", {"owner": "network-999999", "name": "Regional framework", "role_types": ["officer"]}
    )
    assert_error_summary(response)
    assert not Framework.objects.exists()


def test_a_second_shared_framework_with_the_same_name_is_refused_on_the_name(platform_client, network):
    data = {"owner": f"network-{network.pk}", "name": "Regional framework", "role_types": ["officer"]}
    assert platform_client.post(f"{MANAGE}new/", data).status_code == 302
    response = platform_client.post(f"{MANAGE}new/", data)
    assert_error_summary(response, "A framework called Regional framework already exists here.")
    assert Framework.objects.filter(owner_network=network).count() == 1


def test_a_shared_frameworks_tiers_take_no_grades_even_from_the_service(platform_admin, network):
    framework = shared_framework_start(actor=platform_admin, name="Regional framework", network=network)
    draft = framework.versions.get()
    with pytest.raises(ValidationError) as refused:
        tier_save(version=draft, actor=platform_admin, name="Core manager", rank=1, grades=["SO1"])
    assert "have no HR grades" in refused.value.problems[0].message
    assert not draft.tiers.exists()


# -- everyone else ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.LD_ADMIN])
def test_an_organisation_administrator_gets_a_404_for_shared_frameworks(client, org, network, role):
    regional = builders.framework(network=network, name="Regional framework")
    national = builders.framework(national=True, name="National framework")
    client.force_login(user_with_role(org, role))
    for shared in (regional, national):
        version = builders.version(shared, status=FrameworkVersion.Status.DRAFT)
        attribute = version.attributes.first()
        tier = version.tiers.first()
        base = f"{MANAGE}{shared.pk}/"
        for path in [
            "",
            "details/",
            "versions/",
            f"versions/{version.pk}/change-note/",
            "publish/",
            "tiers/new/",
            f"tiers/{tier.pk}/",
            f"attributes/{attribute.pk}/",
            f"attributes/{attribute.pk}/edit/",
        ]:
            assert client.get(base + path).status_code == 404, path
        response = client.post(base + "details/", {"name": "Taken over", "role_types": ["officer"]})
        assert response.status_code == 404
        shared.refresh_from_db()
        assert shared.name in ("Regional framework", "National framework")
    listing = words_of(client.get(MANAGE))
    assert "Regional framework" not in listing and "National framework" not in listing
    # Nor does their create page offer a network or national owner.
    form = words_of(client.get(f"{MANAGE}new/"))
    assert "National (every organisation)" not in form and "London Councils Network" not in form
    client.post(f"{MANAGE}new/", {"owner": "national", "name": "Sneaky national", "role_types": ["officer"]})
    assert not Framework.objects.filter(sharing=Framework.Sharing.NATIONAL, name="Sneaky national").exists()


# -- a framework's own details ----------------------------------------------------------------


@pytest.fixture
def ld_admin(org):
    return user_with_role(org, Role.LD_ADMIN)


@pytest.fixture
def published(org):
    framework = builders.framework(organisation=org, name="Officers' framework")
    builders.version(framework)
    return framework


def test_a_frameworks_details_change_while_it_has_only_a_draft_and_are_audited(client, ld_admin, published):
    published.versions.update(status=FrameworkVersion.Status.DRAFT)
    client.force_login(ld_admin)
    form = client.get(f"{MANAGE}{published.pk}/details/")
    assert form.status_code == 200 and 'value="Officers\' framework"' in html.unescape(form.content.decode())
    response = client.post(
        f"{MANAGE}{published.pk}/details/",
        {
            "name": "Leadership framework for officers",
            "audience": "Officers and managers",
            "description": "What good looks like.",
            "role_types": ["officer", "elected_member"],
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{MANAGE}{published.pk}/"
    published.refresh_from_db()
    assert (published.name, published.audience, published.role_types, published.slug) == (
        "Leadership framework for officers",
        "Officers and managers",
        ["officer", "elected_member"],
        "officers-framework",
    )
    entry = AuditEntry.objects.get(event="framework.details_changed", actor=ld_admin)
    assert entry.changes["name"] == ["Officers' framework", "Leadership framework for officers"]
    assert entry.changes["role_types"] == [["officer"], ["officer", "elected_member"]]
    # Saving the same details again writes no second entry.
    client.post(
        f"{MANAGE}{published.pk}/details/",
        {
            "name": "Leadership framework for officers",
            "audience": "Officers and managers",
            "description": "What good looks like.",
            "role_types": ["officer", "elected_member"],
        },
    )
    assert AuditEntry.objects.filter(event="framework.details_changed").count() == 1


def test_a_published_versions_details_never_change_and_a_new_draft_renames_the_framework(client, ld_admin, published):
    client.force_login(ld_admin)
    details = {"name": "Renamed after publishing", "audience": "Everyone who manages", "role_types": ["officer"]}
    response = client.post(f"{MANAGE}{published.pk}/details/", details)
    assert response.status_code == 200
    assert "Start a new draft to change its details." in html.unescape(response.content.decode())
    assert not AuditEntry.objects.filter(event="framework.details_changed").exists()

    draft = version_new_draft(framework=published, actor=ld_admin)
    assert draft.name == "Officers' framework"
    response = client.post(f"{MANAGE}{published.pk}/details/", details)
    assert response.status_code == 302
    draft.refresh_from_db()
    published.refresh_from_db()
    first = published.versions.get(number=1)
    assert (draft.name, draft.audience) == ("Renamed after publishing", "Everyone who manages")
    # The published version and the framework everyone sees keep the published details.
    assert first.name == published.name == "Officers' framework"
    page = html.unescape(client.get(f"/frameworks/{published.pk}/versions/1/").content.decode())
    assert "Officers' framework" in page and "Renamed after publishing" not in page

    version_publish(version=draft, actor=ld_admin)
    published.refresh_from_db()
    assert (published.name, published.audience) == ("Renamed after publishing", "Everyone who manages")
    first.refresh_from_db()
    assert first.name == "Officers' framework"
    archived = html.unescape(client.get(f"/frameworks/{published.pk}/versions/1/").content.decode())
    assert '<h1 class="govuk-heading-xl">Officers\' framework</h1>' in archived
    current = html.unescape(client.get(f"/frameworks/{published.pk}/versions/2/").content.decode())
    assert '<h1 class="govuk-heading-xl">Renamed after publishing</h1>' in current

    # Cadre's own format carries each version's details: the round trip keeps both names.
    document = export_framework(published)
    assert document["framework"]["name"] == "Renamed after publishing"
    assert document["versions"][0]["name"] == "Officers' framework"
    assert "name" not in document["versions"][1]
    other = OrganisationFactory()
    plan = plan_import(data=dump(document).encode(), filename="f.yaml", organisation=other)
    copy = framework_import(plan=plan, organisation=other, actor=None)
    assert [v.name for v in copy.versions.order_by("number")] == ["Officers' framework", "Renamed after publishing"]
    assert export_framework(copy) == document


def test_framework_details_with_bad_input_show_the_errors_and_keep_what_was_typed(client, ld_admin, published):
    client.force_login(ld_admin)
    response = client.post(
        f"{MANAGE}{published.pk}/details/", {"name": "", "audience": "Officers in adult social care"}
    )
    assert_error_summary(response, "Enter the framework's name.", "Choose at least one role type it applies to.")
    assert 'value="Officers in adult social care"' in response.content.decode()
    response = client.post(
        f"{MANAGE}{published.pk}/details/",
        {"name": "!!!", "description": "Kept as typed.", "role_types": ["officer"]},
    )
    assert_error_summary(response, "Enter a name with letters or numbers in it.")
    assert "Kept as typed." in response.content.decode()
    published.refresh_from_db()
    assert published.name == "Officers' framework"
    assert not AuditEntry.objects.filter(event="framework.details_changed").exists()


def test_a_platform_administrator_changes_a_shared_frameworks_details(platform_client, network):
    shared = builders.framework(network=network, name="Regional framework")
    builders.version(shared, status=FrameworkVersion.Status.DRAFT)
    response = platform_client.post(
        f"{MANAGE}{shared.pk}/details/", {"name": "Regional leadership framework", "role_types": ["officer"]}
    )
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.name == "Regional leadership framework" and shared.owner_network == network


# -- a version's change note ------------------------------------------------------------------


def test_a_drafts_change_note_changes_and_is_audited(client, ld_admin, org):
    client.force_login(ld_admin)
    framework = framework_create(name="Officers' framework", organisation=org, actor=None)
    draft = framework.versions.get()
    url = f"{MANAGE}{framework.pk}/versions/{draft.pk}/change-note/"
    assert "Change note for version 1" in words_of(client.get(url))
    response = client.post(url, {"change_note": "  First version, agreed by the leadership team.  "})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.change_note == "First version, agreed by the leadership team."
    entry = AuditEntry.objects.get(event="framework.change_note_changed", actor=ld_admin)
    assert entry.changes == {"version": 1, "change_note": ["", "First version, agreed by the leadership team."]}
    assert "First version, agreed by the leadership team." in words_of(client.get(f"{MANAGE}{framework.pk}/"))
    assert "First version, agreed by the leadership team." in words_of(client.get(f"{MANAGE}{framework.pk}/versions/"))


def test_a_change_note_that_is_too_long_shows_the_error_and_keeps_what_was_typed(client, ld_admin, org):
    client.force_login(ld_admin)
    framework = framework_create(name="Officers' framework", organisation=org, actor=None)
    draft = framework.versions.get()
    typed = "Renamed two attributes. " + "x" * 2000
    response = client.post(f"{MANAGE}{framework.pk}/versions/{draft.pk}/change-note/", {"change_note": typed})
    assert_error_summary(response, "The change note can be at most 2,000 characters.")
    assert typed in response.content.decode()
    draft.refresh_from_db()
    assert draft.change_note == ""


def test_a_published_versions_change_note_is_refused_and_nothing_is_written(client, ld_admin, published):
    client.force_login(ld_admin)
    version = published.versions.get()
    version.change_note = "As published."
    version.save(update_fields=["change_note"])
    url = f"{MANAGE}{published.pk}/versions/{version.pk}/change-note/"
    assert REFUSAL in words_of(client.get(url))
    before = AuditEntry.objects.count()
    response = client.post(url, {"change_note": "Rewritten history."})
    assert_error_summary(response, REFUSAL)
    version.refresh_from_db()
    assert version.change_note == "As published." and AuditEntry.objects.count() == before
    overview = client.get(f"{MANAGE}{published.pk}/").content.decode()
    assert "change-note/" not in overview


def test_a_change_note_of_another_frameworks_version_is_a_404(client, ld_admin, org, published):
    client.force_login(ld_admin)
    other = framework_create(name="Members' framework", organisation=org, actor=None)
    version = published.versions.get()
    response = client.get(f"{MANAGE}{other.pk}/versions/{version.pk}/change-note/")
    assert response.status_code == 404


def test_a_shared_framework_published_from_the_service_refuses_its_change_note(platform_client, platform_admin):
    shared = builders.framework(national=True, name="National framework")
    version = builders.version(shared, status=FrameworkVersion.Status.DRAFT)
    version_publish(version=version, actor=platform_admin)
    response = platform_client.post(
        f"{MANAGE}{shared.pk}/versions/{version.pk}/change-note/", {"change_note": "Changed after publishing."}
    )
    assert_error_summary(response, REFUSAL)
