"""Assigning people to tiers: from role type and grade, or by hand, audited."""

import pytest

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.models import AuditEntry, NetworkMembership, Role
from cadre.frameworks.assignment import assign_tiers, automatic_tier, person_reset_tier, person_set_tier
from cadre.frameworks.models import FrameworkVersion, GradeMapping
from cadre.people.models import Person, RoleType
from tests.factories import NetworkFactory, OrganisationFactory, PersonFactory, user_with_role
from tests.frameworks import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    """An officers' framework (grades G1A, G1B -> tier 1; G2A, G2B -> tier 2; G3A, G3B -> tier 3)
    and an elected members' framework whose tier 1 takes the grade "Member"."""
    org = OrganisationFactory()
    officers = builders.version(builders.framework(organisation=org, name="Officers"), tiers=3)
    members = builders.version(
        builders.framework(organisation=org, name="Members", role_types=["elected_member"]), tiers=1, grades=False
    )
    GradeMapping.objects.create(tier=members.tiers.get(), grade="Member")
    return {
        "org": org,
        "officers": {t.rank: t for t in officers.tiers.all()},
        "members": members.tiers.get(),
        "admin": user_with_role(org, Role.LD_ADMIN),
    }


def test_tiers_come_from_role_type_and_grade_and_are_cleared_where_no_grade_maps(council):
    org, officers = council["org"], council["officers"]
    graded = PersonFactory(organisation=org, grade="G2B")
    spaced = PersonFactory(organisation=org, grade=" g3a ")  # as HR systems sometimes spell it
    councillor = PersonFactory(organisation=org, role_type=RoleType.ELECTED_MEMBER, grade="Member")
    officer_with_member_grade = PersonFactory(organisation=org, grade="Member")
    ungraded = PersonFactory(organisation=org, grade="", tier=officers[1])
    unmapped = PersonFactory(organisation=org, grade="Z9", tier=officers[2])
    already = PersonFactory(organisation=org, grade="G1A", tier=officers[1])
    by_hand = PersonFactory(organisation=org, grade="G1A", tier=officers[3], tier_set_by_hand=True)
    leaver = PersonFactory(organisation=org, grade="G1A", status=Person.Status.LEFT)
    elsewhere = PersonFactory(grade="G1A")

    result = assign_tiers(organisation=org, actor=council["admin"])

    def tier_of(person):
        return Person.objects.get(pk=person.pk).tier

    assert tier_of(graded) == officers[2]
    assert tier_of(spaced) == officers[3]
    assert tier_of(councillor) == council["members"]
    assert tier_of(officer_with_member_grade) is None  # "Member" maps only in the members' framework
    assert tier_of(ungraded) is None and tier_of(unmapped) is None
    assert tier_of(already) == officers[1]
    assert tier_of(by_hand) == officers[3]
    assert tier_of(leaver) is None and tier_of(elsewhere) is None
    # the administrator counts too: their staff record has no grade
    assert (result.changed, result.cleared, result.unchanged, result.set_by_hand) == (3, 2, 3, 1)
    assert result.summary_line() == "changed=3 cleared=2 unchanged=3 by_hand=1"

    entries = AuditEntry.objects.filter(event="people.tiers_assigned", organisation=org)
    assert entries.count() == 5
    entry = entries.get(object_id=unmapped.pk)
    assert entry.changes == {"tier": [officers[2].name, None]} and entry.actor == council["admin"]
    assert entries.get(object_id=graded.pk).changes == {"tier": [None, officers[2].name]}

    # A second run changes nothing and writes no entries.
    again = assign_tiers(organisation=org, actor=council["admin"])
    assert again.changed == again.cleared == 0
    assert AuditEntry.objects.filter(event="people.tiers_assigned").count() == 5


def test_only_published_versions_assign_tiers(council):
    org = council["org"]
    draft = builders.version(
        builders.framework(organisation=org, name="Draft one"), status=FrameworkVersion.Status.DRAFT, tiers=1
    )
    GradeMapping.objects.create(tier=draft.tiers.get(), grade="D1")
    person = PersonFactory(organisation=org, grade="D1")
    assign_tiers(organisation=org, actor=None)
    assert Person.objects.get(pk=person.pk).tier is None
    assert automatic_tier(Person.objects.get(pk=person.pk)) is None


def test_setting_a_tier_by_hand_is_kept_audited_and_undone_by_going_back_to_automatic(council):
    org, officers, admin = council["org"], council["officers"], council["admin"]
    person = PersonFactory(organisation=org, grade="G1A")
    person_set_tier(person=person, tier=officers[3], actor=admin)
    person.refresh_from_db()
    assert person.tier == officers[3] and person.tier_set_by_hand
    entry = AuditEntry.objects.filter(object_id=person.pk, content_type__model="person").latest("timestamp")
    assert entry.actor == admin and "tier" in entry.changes and "tier_set_by_hand" in entry.changes

    assign_tiers(organisation=org, actor=admin)
    assert Person.objects.get(pk=person.pk).tier == officers[3]

    person_set_tier(person=person, tier=None, actor=admin)  # no tier, by hand
    assign_tiers(organisation=org, actor=admin)
    assert Person.objects.get(pk=person.pk).tier is None

    person_reset_tier(person=person, actor=admin)
    person.refresh_from_db()
    assert person.tier == officers[1] and not person.tier_set_by_hand


def test_a_tier_from_a_network_or_national_framework_may_be_set_by_hand(council):
    org = council["org"]
    network = NetworkFactory()
    NetworkMembership.objects.create(network=network, organisation=org)
    shared = builders.version(builders.framework(network=network, name="Regional"))
    national = builders.version(builders.framework(national=True, name="National"))
    person = PersonFactory(organisation=org)
    for version in (shared, national):
        tier = version.tiers.first()
        person_set_tier(person=person, tier=tier, actor=council["admin"])
        assert Person.objects.get(pk=person.pk).tier == tier


def test_a_tier_the_organisation_cannot_use_is_refused_with_a_clear_message(council):
    org, admin = council["org"], council["admin"]
    person = PersonFactory(organisation=org)
    other = builders.version(builders.framework(organisation=OrganisationFactory(), name="Another council's"))
    draft = builders.version(
        builders.framework(organisation=org, name="Unfinished"), status=FrameworkVersion.Status.DRAFT
    )
    archived = builders.version(
        builders.framework(organisation=org, name="Old"), status=FrameworkVersion.Status.ARCHIVED
    )
    for version in (other, draft, archived):
        tier = version.tiers.first()
        with pytest.raises(ValidationError) as refused:
            person_set_tier(person=person, tier=tier, actor=admin)
        assert refused.value.problems[0].field == "tier"
        assert f"{tier.name} is not in a published framework that {org.name} uses" in str(refused.value)
    person.refresh_from_db()
    assert person.tier is None and not person.tier_set_by_hand


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXECUTIVE_VIEWER])
def test_only_ld_and_organisation_administrators_set_tiers(council, role):
    person = PersonFactory(organisation=council["org"])
    user = user_with_role(council["org"], role)
    with pytest.raises(PermissionDenied):
        person_set_tier(person=person, tier=council["officers"][1], actor=user)
    with pytest.raises(PermissionDenied):
        person_reset_tier(person=person, actor=user)
    outside_admin = user_with_role(OrganisationFactory(), Role.ORG_ADMIN)
    with pytest.raises(PermissionDenied):
        person_set_tier(person=person, tier=council["officers"][1], actor=outside_admin)
    assert Person.objects.get(pk=person.pk).tier is None
