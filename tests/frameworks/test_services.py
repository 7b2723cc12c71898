import pytest

from cadre.core.errors import ValidationError
from cadre.frameworks.models import Attribute, AttributeMapping, BehaviourIndicator, FrameworkVersion, Tier, Value
from cadre.frameworks.services import framework_create, require_draft, version_new_draft, version_publish
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def small_draft(organisation):
    """A draft with two attributes, two tiers and an indicator in every cell."""
    framework = framework_create(name="Officers' framework", organisation=organisation, actor=None)
    draft = framework.versions.get()
    tiers = [
        Tier.objects.create(version=draft, organisation=organisation, key=k, name=n, rank=r)
        for k, n, r in [("aspiring", "Aspiring manager", 1), ("core", "Core manager", 2)]
    ]
    attributes = [
        Attribute.objects.create(version=draft, key=k, name=n, statement=f"I am {n.lower()}.", order=i)
        for i, (k, n) in enumerate([("agile", "Agile"), ("collaborative", "Collaborative")])
    ]
    for attribute in attributes:
        for tier in tiers:
            BehaviourIndicator.objects.create(
                version=draft, attribute=attribute, tier=tier, key=f"{attribute.key}-{tier.key}", text="Does it well."
            )
    value = Value.objects.create(version=draft, key="together", name="Together")
    value.attributes.set(attributes)
    return framework, draft, tiers, attributes


def test_an_incomplete_draft_is_refused_with_everything_missing():
    org = OrganisationFactory()
    _framework, draft, tiers, attributes = small_draft(org)
    BehaviourIndicator.objects.filter(attribute=attributes[0], tier=tiers[1]).delete()
    Attribute.objects.create(version=draft, key="courageous", name="Courageous", statement="")
    with pytest.raises(ValidationError) as refused:
        version_publish(version=draft, actor=None)
    messages = [p.message for p in refused.value.problems]
    assert "Agile has no indicator of what it looks like for: Core manager." in messages
    assert "Courageous has no statement." in messages
    assert "Courageous has no indicator of what it looks like for: Aspiring manager, Core manager." in messages
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.DRAFT


def test_an_attribute_in_development_may_be_published_without_indicators():
    org = OrganisationFactory()
    _framework, draft, *_ = small_draft(org)
    Attribute.objects.create(
        version=draft, key="commercial", name="Commercial", statement="I spend wisely.", status="in_development"
    )
    assert version_publish(version=draft, actor=None).status == FrameworkVersion.Status.PUBLISHED


def test_a_published_version_never_changes_and_a_new_draft_copies_it():
    org = OrganisationFactory()
    framework, draft, _tiers, _attributes = small_draft(org)
    version_publish(version=draft, actor=None)
    with pytest.raises(ValidationError, match="cannot change"):
        require_draft(draft)
    second = version_new_draft(framework=framework, actor=None)
    assert second.number == 2 and second.previous == draft
    assert list(second.attributes.values_list("key", flat=True)) == ["agile", "collaborative"]
    assert second.indicators.count() == 4 and second.tiers.count() == 2
    assert set(second.values.get().attributes.values_list("key", flat=True)) == {"agile", "collaborative"}
    mappings = AttributeMapping.objects.filter(version=second)
    assert {(m.previous_attribute.key, m.attribute.key) for m in mappings} == {
        ("agile", "agile"),
        ("collaborative", "collaborative"),
    }
    with pytest.raises(ValidationError, match="already has a draft"):
        version_new_draft(framework=framework, actor=None)


def test_publishing_a_new_version_archives_the_old_and_moves_people_across():
    org = OrganisationFactory()
    framework, draft, tiers, _ = small_draft(org)
    from cadre.frameworks.models import GradeMapping

    GradeMapping.objects.create(tier=tiers[1], grade="M3")
    version_publish(version=draft, actor=None)
    person = PersonFactory(organisation=org, tier=tiers[1], grade="M3")
    second = version_new_draft(framework=framework, actor=None)
    version_publish(version=second, actor=None)
    draft.refresh_from_db()
    person.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.ARCHIVED
    assert person.tier.version == second and person.tier.key == "core"
    # What used the first version still points at it.
    assert Tier.objects.filter(version=draft).count() == 2


def test_a_framework_has_exactly_one_kind_of_owner():
    with pytest.raises(ValidationError, match="one organisation, one network, or is national"):
        framework_create(name="Nobody's", actor=None)


def test_publishing_places_people_by_role_type_and_grade():
    from cadre.frameworks.models import GradeMapping

    org = OrganisationFactory()
    _, draft, tiers, _ = small_draft(org)
    GradeMapping.objects.create(tier=tiers[1], grade="M3")
    manager = PersonFactory(organisation=org, grade="M3")
    councillor = PersonFactory(organisation=org, grade="M3", role_type="elected_member")
    version_publish(version=draft, actor=None)
    manager.refresh_from_db()
    councillor.refresh_from_db()
    assert manager.tier == tiers[1]
    assert councillor.tier is None  # the officers' framework is not for elected members


def test_a_tier_chosen_by_hand_that_no_longer_exists_goes_back_to_placement_by_grade():
    org = OrganisationFactory()
    framework, draft, tiers, _ = small_draft(org)
    version_publish(version=draft, actor=None)
    person = PersonFactory(organisation=org, tier=tiers[1], grade="")
    person.tier_set_by_hand = True
    person.save()
    second = version_new_draft(framework=framework, actor=None)
    Tier.objects.filter(version=second, key="core").update(key="renamed", rank=9)
    version_publish(version=second, actor=None)
    person.refresh_from_db()
    assert person.tier is None and not person.tier_set_by_hand


def test_the_admin_site_cannot_change_frameworks(admin_client):
    org = OrganisationFactory()
    _, draft, tiers, attributes = small_draft(org)
    version_publish(version=draft, actor=None)
    for url in (
        f"/admin/frameworks/attribute/{attributes[0].pk}/change/",
        f"/admin/frameworks/tier/{tiers[0].pk}/change/",
        f"/admin/frameworks/frameworkversion/{draft.pk}/delete/",
        "/admin/frameworks/frameworkversion/add/",
    ):
        response = admin_client.post(url, {"name": "Changed", "post": "yes"})
        assert response.status_code == 403, url
    attributes[0].refresh_from_db()
    assert attributes[0].name == "Agile"
    assert FrameworkVersion.objects.filter(pk=draft.pk).exists()
