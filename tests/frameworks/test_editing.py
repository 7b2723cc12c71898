"""The framework editing pages: who may use them, what each form refuses and keeps, that a
published version never changes, publishing (refused with what is missing, then done) and
starting a new draft with its attribute mappings."""

import html
import re

import pytest
from django.utils.html import escape

from cadre.core.models import AuditEntry, Role
from cadre.frameworks.models import (
    Attribute,
    AttributeMapping,
    BehaviourIndicator,
    Channel,
    Definition,
    Framework,
    FrameworkVersion,
    GradeMapping,
    Tier,
    Value,
)
from cadre.frameworks.services import framework_create, version_new_draft, version_publish
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db

MANAGE = "/frameworks/manage/"


@pytest.fixture
def org():
    return OrganisationFactory(name="North Borough Council")


@pytest.fixture
def ld_admin(org):
    return user_with_role(org, Role.LD_ADMIN)


@pytest.fixture
def admin_client(client, ld_admin):
    client.force_login(ld_admin)
    return client


@pytest.fixture
def framework(org):
    return framework_create(name="Officers' framework", organisation=org, actor=None)


def draft_of(framework) -> FrameworkVersion:
    return framework.versions.get(status=FrameworkVersion.Status.DRAFT)


def build_complete(framework, *, attributes=2, tiers=2) -> FrameworkVersion:
    """Fill the framework's draft: attributes × tiers with an indicator in every cell, one value."""
    draft = draft_of(framework)
    tier_rows = [
        Tier.objects.create(
            version=draft, organisation=framework.owner_organisation, key=f"tier-{r}", name=f"Tier {r}", rank=r
        )
        for r in range(1, tiers + 1)
    ]
    attribute_rows = [
        Attribute.objects.create(version=draft, key=f"attr-{n}", name=f"Attribute {n}", statement="I do.", order=n)
        for n in range(1, attributes + 1)
    ]
    for a in attribute_rows:
        for t in tier_rows:
            BehaviourIndicator.objects.create(version=draft, attribute=a, tier=t, key=f"{a.key}-{t.key}", text="Well.")
    value = Value.objects.create(version=draft, key="together", name="Together")
    value.attributes.set(attribute_rows)
    return draft


def page(response) -> str:
    return response.content.decode()


def assert_error_summary(response, *messages):
    assert response.status_code == 200
    body = page(response)
    assert 'class="govuk-error-summary"' in body
    assert "<title>Error: " in body
    text = html.unescape(body)
    for message in messages:
        assert message in text, message


# -- who may use the pages --------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.LD_ADMIN, Role.ORG_ADMIN])
def test_ld_and_organisation_administrators_manage_their_organisations_frameworks(client, org, framework, role):
    client.force_login(user_with_role(org, role))
    assert escape(framework.name) in page(client.get(MANAGE))
    assert client.get(f"{MANAGE}{framework.pk}/").status_code == 200
    assert client.get(f"{MANAGE}{framework.pk}/attributes/new/").status_code == 200


def test_anyone_else_gets_a_404_even_for_a_framework_that_exists(client, org, framework):
    attribute = Attribute.objects.create(version=draft_of(framework), key="a", name="A", statement="I.")
    other_org = OrganisationFactory()
    outsiders = [
        user_with_role(org, Role.MEMBER),
        user_with_role(org, Role.EXECUTIVE_VIEWER),
        user_with_role(other_org, Role.LD_ADMIN),
        user_with_role(other_org, Role.ORG_ADMIN),
    ]
    paths = [
        f"{MANAGE}{framework.pk}/",
        f"{MANAGE}{framework.pk}/attributes/new/",
        f"{MANAGE}{framework.pk}/attributes/{attribute.pk}/",
        f"{MANAGE}{framework.pk}/attributes/{attribute.pk}/edit/",
        f"{MANAGE}{framework.pk}/publish/",
        f"{MANAGE}{framework.pk}/versions/",
    ]
    for outsider in outsiders:
        client.force_login(outsider)
        for path in paths:
            assert client.get(path).status_code == 404, (outsider, path)
        response = client.post(f"{MANAGE}{framework.pk}/attributes/{attribute.pk}/edit/", {"name": "Taken over"})
        assert response.status_code == 404
    # Only the members and viewers of the owning organisation, who edit nothing, see no list either.
    client.force_login(outsiders[0])
    assert client.get(MANAGE).status_code == 404
    attribute.refresh_from_db()
    assert attribute.name == "A"


def test_an_attribute_of_another_framework_is_a_404_through_this_one(admin_client, org, framework):
    other = framework_create(name="Members' framework", organisation=OrganisationFactory(), actor=None)
    theirs = Attribute.objects.create(version=draft_of(other), key="a", name="A", statement="I.")
    assert admin_client.get(f"{MANAGE}{framework.pk}/attributes/{theirs.pk}/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, framework):
    response = client.get(f"{MANAGE}{framework.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# -- creating a framework ---------------------------------------------------------------------


def test_creating_a_framework_starts_an_empty_draft(admin_client, org, ld_admin):
    response = admin_client.post(
        f"{MANAGE}new/",
        {"name": "Members' framework", "audience": "Elected members", "role_types": ["elected_member"]},
    )
    framework = Framework.objects.get(name="Members' framework")
    assert response.status_code == 302 and response["Location"] == f"{MANAGE}{framework.pk}/"
    assert framework.owner_organisation == org and framework.role_types == ["elected_member"]
    assert "Elected member" in page(admin_client.get(response["Location"]))
    assert framework.versions.get().status == FrameworkVersion.Status.DRAFT
    assert AuditEntry.objects.filter(event="framework.created", actor=ld_admin).exists()


def test_creating_a_framework_with_bad_input_keeps_what_was_typed(admin_client, framework):
    response = admin_client.post(f"{MANAGE}new/", {"name": "", "audience": "Officers in Adult Social Care"})
    assert_error_summary(response, "Enter the framework's name.", "Choose at least one role type it applies to.")
    assert 'value="Officers in Adult Social Care"' in page(response)
    response = admin_client.post(f"{MANAGE}new/", {"name": "Officers' framework", "role_types": ["officer"]})
    assert_error_summary(response, "A framework called Officers' framework already exists here.")
    assert Framework.objects.count() == 1


# -- attributes -------------------------------------------------------------------------------


def test_adding_and_changing_an_attribute_is_audited_with_the_fields_changed(admin_client, framework, ld_admin):
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/attributes/new/",
        {"name": "Strategic and visionary", "statement": "I see the long view.", "status": "current", "order": "1"},
    )
    attribute = Attribute.objects.get(version=draft_of(framework))
    assert response.status_code == 302
    assert response["Location"] == f"{MANAGE}{framework.pk}/attributes/{attribute.pk}/"  # to add its indicators
    assert attribute.key == "strategic-and-visionary" and not attribute.is_focus
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/attributes/{attribute.pk}/edit/",
        {
            "name": "Strategic and visionary",
            "key": "strategic-and-visionary",
            "statement": "I see the long view and share it.",
            "status": "in_development",
            "order": "1",
            "is_focus": "on",
        },
    )
    assert response.status_code == 302
    attribute.refresh_from_db()
    assert attribute.status == "in_development" and attribute.is_focus
    entry = AuditEntry.objects.get(event="framework.attribute_changed")
    assert entry.actor == ld_admin and entry.organisation_id == framework.owner_organisation_id
    assert entry.changes["statement"] == ["I see the long view.", "I see the long view and share it."]
    assert entry.changes["is_focus"] == [False, True]
    assert "name" not in entry.changes


def test_an_attribute_form_with_bad_input_shows_the_errors_and_keeps_what_was_typed(admin_client, framework):
    Attribute.objects.create(version=draft_of(framework), key="agile", name="Agile", statement="I adapt.")
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/attributes/new/",
        {"name": "Collaborative", "statement": "", "status": "current", "order": "first"},
    )
    assert_error_summary(
        response, "Enter the attribute's statement, in the first person.", "Enter the order as a whole number."
    )
    assert 'value="Collaborative"' in page(response) and 'value="first"' in page(response)
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/attributes/new/",
        {"name": "Agile", "statement": "I bend and do not break.", "status": "current", "order": "2"},
    )
    assert_error_summary(response, "There is already an attribute called Agile in this draft.")
    assert "I bend and do not break." in page(response)
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/attributes/new/",
        {"name": "Agile too", "key": "agile", "statement": "I bend.", "status": "current", "order": "2"},
    )
    assert_error_summary(response, "There is already an attribute with the key agile in this draft.")
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/attributes/new/",
        {"name": "Bold", "key": "Bold Moves!", "statement": "I dare.", "status": "current", "order": "3"},
    )
    assert_error_summary(
        response, "Use only lower-case letters, numbers and single hyphens in a key, such as bold-moves."
    )
    assert 'value="Bold Moves!"' in page(response)
    assert Attribute.objects.count() == 1


def test_deleting_an_attribute_asks_first_and_takes_its_indicators(admin_client, framework):
    draft = build_complete(framework)
    attribute = draft.attributes.first()
    response = admin_client.get(f"{MANAGE}{framework.pk}/attributes/{attribute.pk}/delete/")
    assert "Are you sure you want to delete the attribute Attribute 1?" in page(response)
    assert Attribute.objects.filter(pk=attribute.pk).exists()
    response = admin_client.post(f"{MANAGE}{framework.pk}/attributes/{attribute.pk}/delete/")
    assert response.status_code == 302
    assert not Attribute.objects.filter(pk=attribute.pk).exists()
    assert not BehaviourIndicator.objects.filter(attribute_id=attribute.pk).exists()
    assert AuditEntry.objects.filter(event="framework.attribute_removed").exists()


# -- tiers ------------------------------------------------------------------------------------


def test_a_tier_takes_its_hr_grades_as_a_list(admin_client, framework):
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/tiers/new/",
        {"name": "Aspiring manager", "rank": "1", "audience": "Team leaders", "grades": "SO1, SO2\nPO1\n\nSO1"},
    )
    assert response.status_code == 302
    tier = Tier.objects.get(version=draft_of(framework))
    assert tier.key == "aspiring-manager" and tier.organisation == framework.owner_organisation
    assert sorted(tier.grade_mappings.values_list("grade", flat=True)) == ["PO1", "SO1", "SO2"]
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/tiers/{tier.pk}/",
        {"name": "Aspiring manager", "key": "aspiring-manager", "rank": "1", "grades": "SO2, PO2"},
    )
    assert response.status_code == 302
    assert sorted(tier.grade_mappings.values_list("grade", flat=True)) == ["PO2", "SO2"]
    entry = AuditEntry.objects.get(event="framework.tier_changed")
    assert entry.changes["grades"] == [["SO1", "SO2", "PO1"], ["SO2", "PO2"]]


def test_a_tier_form_refuses_a_rank_name_or_grade_already_taken(admin_client, framework):
    draft = draft_of(framework)
    tier = Tier.objects.create(version=draft, key="core", name="Core manager", rank=2)
    GradeMapping.objects.create(tier=tier, grade="PO3")
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/tiers/new/", {"name": "Core manager", "rank": "2", "grades": "PO3, PO4"}
    )
    assert_error_summary(
        response,
        "There is already a tier called Core manager in this draft.",
        "There is already a tier ranked 2 in this draft.",
        "Grade PO3 already puts people in Core manager.",
    )
    assert "PO3, PO4" in page(response)
    response = admin_client.post(f"{MANAGE}{framework.pk}/tiers/new/", {"name": "Senior", "rank": "0"})
    assert_error_summary(response)
    assert 'value="Senior"' in page(response)
    assert Tier.objects.filter(version=draft).count() == 1


# -- behaviour indicators ---------------------------------------------------------------------


def test_indicators_are_added_changed_and_deleted_cell_by_cell(admin_client, framework):
    draft = draft_of(framework)
    tier = Tier.objects.create(version=draft, key="core", name="Core manager", rank=1)
    attribute = Attribute.objects.create(version=draft, key="agile", name="Agile", statement="I adapt.")
    url = f"{MANAGE}{framework.pk}/attributes/{attribute.pk}/indicators/new/"
    assert admin_client.post(url, {"tier": tier.pk, "kind": "positive", "text": "I try new ways."}).status_code == 302
    assert admin_client.post(url, {"tier": tier.pk, "kind": "negative", "text": "I cling on."}).status_code == 302
    positive, negative = attribute.indicators.order_by("kind").reverse()
    assert (positive.kind, negative.kind) == ("positive", "negative")
    assert positive.key == "agile-core-positive-1"
    body = page(admin_client.get(f"{MANAGE}{framework.pk}/attributes/{attribute.pk}/"))
    assert "I try new ways." in body and "I cling on." in body and "Core manager" in body
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/indicators/{positive.pk}/", {"tier": tier.pk, "kind": "positive", "text": "I adapt."}
    )
    assert response.status_code == 302
    positive.refresh_from_db()
    assert positive.text == "I adapt."
    assert admin_client.post(f"{MANAGE}{framework.pk}/indicators/{negative.pk}/delete/").status_code == 302
    assert list(attribute.indicators.values_list("text", flat=True)) == ["I adapt."]
    assert AuditEntry.objects.filter(event__startswith="framework.indicator_").count() == 4


def test_an_indicator_form_with_bad_input_keeps_what_was_typed(admin_client, framework):
    draft = draft_of(framework)
    attribute = Attribute.objects.create(version=draft, key="agile", name="Agile", statement="I adapt.")
    other = framework_create(name="Elsewhere", organisation=framework.owner_organisation, actor=None)
    foreign_tier = Tier.objects.create(version=draft_of(other), key="t", name="Their tier", rank=1)
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/attributes/{attribute.pk}/indicators/new/",
        {"tier": foreign_tier.pk, "kind": "positive", "text": "I bend."},
    )
    assert_error_summary(response)
    assert "I bend." in page(response)
    assert not BehaviourIndicator.objects.exists()


# -- values, channels, definitions ------------------------------------------------------------


def test_values_channels_and_definitions(admin_client, framework):
    draft = build_complete(framework)
    first, second = draft.attributes.all()
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/values/new/",
        {"name": "Respect", "description": "For everyone.", "attributes": [first.pk], "order": "2"},
    )
    assert response.status_code == 302
    value = Value.objects.get(version=draft, name="Respect")
    assert list(value.attributes.all()) == [first]
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/values/{value.pk}/",
        {"name": "Respect", "attributes": [first.pk, second.pk], "order": "2"},
    )
    assert response.status_code == 302 and value.attributes.count() == 2
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/values/new/", {"name": "Together", "order": "3", "attributes": [second.pk]}
    )
    assert_error_summary(response, "There is already a value called Together in this draft.")
    boxes = re.findall(r"<input[^>]*type=\"checkbox\"[^>]*>", page(response))
    assert len(boxes) == 2 and ["checked" in box for box in boxes] == [False, True]

    response = admin_client.post(
        f"{MANAGE}{framework.pk}/channels/new/", {"kind": "mechanisms", "name": "Annual reviews", "order": "1"}
    )
    assert response.status_code == 302
    assert Channel.objects.get(version=draft).get_kind_display() == "Organisational mechanisms"
    response = admin_client.post(f"{MANAGE}{framework.pk}/channels/new/", {"kind": "gossip", "name": "Rumour"})
    assert_error_summary(response, "Enter a number for the order.")
    assert 'value="Rumour"' in page(response)

    response = admin_client.post(
        f"{MANAGE}{framework.pk}/definitions/new/", {"term": "Leader", "meaning": "Anyone who leads."}
    )
    assert response.status_code == 302
    response = admin_client.post(
        f"{MANAGE}{framework.pk}/definitions/new/", {"term": "Leader", "meaning": "Someone in charge."}
    )
    assert_error_summary(response, "Leader is already defined in this draft.")
    assert "Someone in charge." in page(response)
    definition = Definition.objects.get(version=draft)
    assert admin_client.post(f"{MANAGE}{framework.pk}/definitions/{definition.pk}/delete/").status_code == 302
    assert not Definition.objects.filter(version=draft).exists()
    events = set(AuditEntry.objects.values_list("event", flat=True))
    assert {"framework.value_added", "framework.value_changed", "framework.channel_added"} <= events
    assert {"framework.definition_added", "framework.definition_removed"} <= events


# -- a published version never changes -------------------------------------------------------


def test_edits_to_a_published_version_are_refused_and_nothing_is_written(admin_client, framework):
    draft = build_complete(framework)
    version_publish(version=draft, actor=None)
    attribute = draft.attributes.first()
    tier = draft.tiers.first()
    indicator = draft.indicators.first()
    value = draft.values.first()
    before = AuditEntry.objects.count()
    refusal = f"Version {draft.number} is published and cannot change. Start a new draft to make changes."
    posts = [
        (
            f"attributes/{attribute.pk}/edit/",
            {"name": "Renamed", "statement": "I.", "status": "current", "order": "1"},
        ),
        ("attributes/new/", {"name": "Extra", "statement": "I.", "status": "current", "order": "9"}),
        (f"tiers/{tier.pk}/", {"name": "Renamed tier", "rank": "7"}),
        ("tiers/new/", {"name": "Extra tier", "rank": "9"}),
        (f"indicators/{indicator.pk}/", {"tier": tier.pk, "kind": "positive", "text": "Changed."}),
        (f"values/{value.pk}/", {"name": "Changed", "order": "1"}),
        ("definitions/new/", {"term": "Extra", "meaning": "More."}),
    ]
    for path, data in posts:
        response = admin_client.post(f"{MANAGE}{framework.pk}/{path}", data)
        assert_error_summary(response, refusal)
    for path in [
        f"attributes/{attribute.pk}/delete/",
        f"tiers/{tier.pk}/delete/",
        f"indicators/{indicator.pk}/delete/",
    ]:
        response = admin_client.post(f"{MANAGE}{framework.pk}/{path}")
        assert response.status_code == 200 and escape(refusal) in page(response)
    assert AuditEntry.objects.count() == before
    attribute.refresh_from_db()
    tier.refresh_from_db()
    indicator.refresh_from_db()
    assert (attribute.name, tier.name, indicator.text) == ("Attribute 1", "Tier 1", "Well.")
    assert draft.attributes.count() == 2 and draft.tiers.count() == 2 and draft.indicators.count() == 4
    assert not Definition.objects.exists()
    # And the pages offer nothing to change.
    body = page(admin_client.get(f"{MANAGE}{framework.pk}/"))
    assert "Add an attribute" not in body and "Start a new draft" in body


def test_the_services_refuse_a_published_version_even_when_called_directly(framework):
    from cadre.core.errors import ValidationError
    from cadre.frameworks.editing import services

    draft = build_complete(framework)
    version_publish(version=draft, actor=None)
    with pytest.raises(ValidationError, match="is published and cannot change"):
        services.attribute_save(version=draft, actor=None, name="New", statement="I.")
    with pytest.raises(ValidationError, match="is published and cannot change"):
        services.tier_delete(tier=draft.tiers.first(), actor=None)
    assert draft.attributes.count() == 2 and draft.tiers.count() == 2


# -- publishing and new drafts ----------------------------------------------------------------


def test_publishing_too_early_lists_what_is_missing_and_publishes_nothing(admin_client, framework):
    draft = draft_of(framework)
    Tier.objects.create(version=draft, key="core", name="Core manager", rank=1)
    agile = Attribute.objects.create(version=draft, key="agile", name="Agile", statement="I adapt.")
    response = admin_client.get(f"{MANAGE}{framework.pk}/publish/")
    assert_error_summary(response, "Agile has no indicator of what it looks like for: Core manager.")
    # The problem links to the attribute's own page, where its indicators are added.
    assert f'href="{MANAGE}{framework.pk}/attributes/{agile.pk}/"' in page(response)
    assert "Publish version 1</button>" not in page(response)
    response = admin_client.post(f"{MANAGE}{framework.pk}/publish/")
    assert_error_summary(response, "Agile has no indicator of what it looks like for: Core manager.")
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.DRAFT


def test_publishing_a_complete_draft(admin_client, framework, ld_admin):
    draft = build_complete(framework)
    response = admin_client.get(f"{MANAGE}{framework.pk}/publish/")
    assert "Publish version 1</button>" in page(response)
    response = admin_client.post(f"{MANAGE}{framework.pk}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.PUBLISHED and draft.published_at is not None
    assert AuditEntry.objects.filter(event="framework.version_published", actor=ld_admin).exists()
    # Publishing again is refused: there is no draft.
    response = admin_client.post(f"{MANAGE}{framework.pk}/publish/")
    assert_error_summary(response, "Version 1 is published and cannot change. Start a new draft to make changes.")


def test_a_new_draft_maps_its_attributes_and_the_mappings_can_change(admin_client, framework):
    draft = build_complete(framework)
    version_publish(version=draft, actor=None)
    assert "Start version 2" in page(admin_client.get(f"{MANAGE}{framework.pk}/new-draft/"))
    response = admin_client.post(f"{MANAGE}{framework.pk}/new-draft/")
    assert response.status_code == 302
    second = draft_of(framework)
    assert second.number == 2 and second.attributes.count() == 2
    body = page(admin_client.get(f"{MANAGE}{framework.pk}/"))
    assert "In version 1" in body and "The same attribute: Attribute 1" in body

    # Attribute 2 becomes a merger of both old attributes; attribute 1 is deleted.
    old_1, old_2 = draft.attributes.all()
    new_1, new_2 = second.attributes.all()
    url = f"{MANAGE}{framework.pk}/attributes/{new_2.pk}/mapping/"
    response = admin_client.post(url, {"previous_attributes": [old_1.pk, old_2.pk], "relation": "same"})
    assert_error_summary(response, "Choose merged for several.")
    assert (
        admin_client.post(url, {"previous_attributes": [old_1.pk, old_2.pk], "relation": "merged"}).status_code == 302
    )
    assert set(AttributeMapping.objects.filter(attribute=new_2).values_list("previous_attribute", "relation")) == {
        (old_1.pk, "merged"),
        (old_2.pk, "merged"),
    }
    entry = AuditEntry.objects.get(event="framework.attribute_mapping_changed")
    assert entry.changes["maps_to"][1] == ["Attribute 1 (merged)", "Attribute 2 (merged)"]
    # Only the previous version's attributes may be chosen.
    response = admin_client.post(url, {"previous_attributes": [new_1.pk], "relation": "renamed"})
    assert_error_summary(response)
    # Starting yet another draft is refused.
    response = admin_client.post(f"{MANAGE}{framework.pk}/new-draft/")
    assert_error_summary(response, "This framework already has a draft. Edit that one.")


def test_the_versions_page_lists_every_version_with_its_status(admin_client, framework):
    draft = build_complete(framework)
    version_publish(version=draft, actor=None)
    second = version_new_draft(framework=framework, actor=None)
    version_publish(version=second, actor=None)
    version_new_draft(framework=framework, actor=None)
    body = page(admin_client.get(f"{MANAGE}{framework.pk}/versions/"))
    rows = re.findall(
        r'href="/frameworks/(\d+)/versions/(\d)/">Version \d</a></th>\s*<td[^>]*><strong[^>]*>(\w+)<', body
    )
    assert rows == [
        (str(framework.pk), "3", "Draft"),
        (str(framework.pk), "2", "Published"),
        (str(framework.pk), "1", "Archived"),
    ]


# -- query counts -----------------------------------------------------------------------------

# The session, the user and their roles, then the page's own: the framework list in one query;
# the framework page ten: the framework, its versions, attributes (with indicator counts) and
# their mappings, tiers and their grades, values and their attributes, channels, definitions.
QUERIES = {"list": 4, "framework": 13}


@pytest.mark.parametrize("size", [2, 8])
def test_the_management_pages_use_a_fixed_number_of_queries(admin_client, org, size, django_assert_num_queries):
    frameworks = [framework_create(name=f"Framework {n}", organisation=org, actor=None) for n in range(size)]
    framework = frameworks[0]
    draft = build_complete(framework, attributes=size, tiers=size)
    version_publish(version=draft, actor=None)
    second = version_new_draft(framework=framework, actor=None)
    for tier in second.tiers.all():
        GradeMapping.objects.create(tier=tier, grade=f"G{tier.rank}")
    Channel.objects.bulk_create(Channel(version=second, kind="narrative", name=f"C{n}") for n in range(size))
    Definition.objects.bulk_create(Definition(version=second, term=f"T{n}", meaning="M") for n in range(size))
    with django_assert_num_queries(QUERIES["list"]):
        response = admin_client.get(MANAGE)
    assert page(response).count("/frameworks/manage/") >= size
    with django_assert_num_queries(QUERIES["framework"]):
        response = admin_client.get(f"{MANAGE}{framework.pk}/")
    body = page(response)
    assert body.count("The same attribute:") == size and f"G{size}" in body and f"T{size - 1}" in body
