from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.db.models import F

from cadre.core.errors import ValidationError
from cadre.core.models import AuditEntry, Department, Membership, Network, Organisation, Role, User
from cadre.demo.data import BOROUGH, CHARITY, DEMO_PASSWORD, TRUST
from cadre.demo.generate import generate_demo
from cadre.demo.services import demo_load
from cadre.frameworks.models import GradeMapping, Tier
from cadre.kernels.hierarchy import depths, find_cycles
from cadre.people.models import Person, RoleType
from tests.factories import OrganisationFactory, UserFactory

# --- the generator alone ----------------------------------------------------------------------


def test_the_generator_gives_the_same_records_every_time():
    first, second = generate_demo(), generate_demo()
    assert first == second
    assert [p.email for p in first.people] == [p.email for p in second.people]
    # The comparison can fail: another seed gives other people.
    other = generate_demo(seed=7)
    assert [p.first_name for p in other.people] != [p.first_name for p in first.people]


def test_the_generated_hierarchy_has_no_cycles_and_loads_managers_first():
    demo = generate_demo()
    parent = [-1 if p.line_manager is None else p.line_manager for p in demo.people]
    assert find_cycles(parent) == []
    for person in demo.people:
        for ref in (person.line_manager, person.endorser):
            if ref is not None:
                assert demo.people[ref].level < person.level


def test_generated_emails_are_unique_and_plain():
    demo = generate_demo()
    emails = [p.email for p in demo.people]
    assert len(set(emails)) == len(emails)
    assert all(e == e.lower() and " " not in e and "'" not in e and e.endswith(".example") for e in emails)
    borough_staff = [p for p in demo.people_of(BOROUGH.slug) if p.role_type == "officer"]
    assert all(p.email.endswith("@kingsmere.example") for p in borough_staff)
    # Demo sign-ins get the plain firstname.lastname form, never a number on the end.
    for sign_in in demo.sign_ins:
        person = demo.people[sign_in.person]
        local = sign_in.email.split("@")[0].removeprefix("cllr.")
        assert local == f"{person.first_name}.{person.last_name}".lower()


# --- the loaded demo --------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    result = demo_load()
    assert result.loaded
    return generate_demo()


@pytest.fixture
def borough(demo):
    return Organisation.objects.get(slug=BOROUGH.slug)


def test_the_borough_has_over_two_thousand_active_staff(borough):
    active_staff = Person.objects.filter(
        organisation=borough, role_type=RoleType.OFFICER, status=Person.Status.ACTIVE
    ).count()
    assert active_staff >= 2000
    assert borough.type == Organisation.Type.COUNCIL


def test_partners_have_a_few_hundred_staff_and_share_the_networks(demo):
    trust = Organisation.objects.get(slug=TRUST.slug)
    charity = Organisation.objects.get(slug=CHARITY.slug)
    assert trust.type == Organisation.Type.NHS and charity.type == Organisation.Type.VOLUNTARY
    for partner in (trust, charity):
        assert 100 <= Person.objects.filter(organisation=partner, status=Person.Status.ACTIVE).count() <= 600
    region = Network.objects.get(kind=Network.Kind.REGION)
    partnership = Network.objects.get(kind=Network.Kind.PARTNERSHIP)
    everyone = {BOROUGH.slug, TRUST.slug, CHARITY.slug}
    assert set(region.organisations.values_list("slug", flat=True)) == everyone
    assert set(partnership.organisations.values_list("slug", flat=True)) == everyone


def test_exactly_one_chief_executive_at_the_top_of_each_organisation(demo):
    for organisation in Organisation.objects.all():
        tops = Person.objects.filter(organisation=organisation, role_type=RoleType.OFFICER, line_manager__isnull=True)
        assert tops.count() == 1
        assert tops.get().job_title == "Chief Executive"
    chief = Person.objects.get(organisation__slug=BOROUGH.slug, grade="CE")
    directors = Person.objects.filter(line_manager=chief, grade="D1")
    assert 4 <= directors.count() <= 6
    assert all(d.job_title.startswith(("Corporate Director", "Director")) for d in directors)


def test_every_officer_reports_up_to_the_chief_executive_with_no_cycles(demo):
    rows = list(Person.objects.values_list("id", "line_manager_id", "organisation_id", "role_type", "grade"))
    index = {pk: i for i, (pk, *_rest) in enumerate(rows)}
    parent = [index[manager] if manager else -1 for _, manager, *_rest in rows]
    assert find_cycles(parent) == []
    depth = depths(parent)
    for i, (_, _, _, role_type, _) in enumerate(rows):
        if role_type != RoleType.OFFICER:
            continue
        top = i
        while parent[top] != -1:
            top = parent[top]
        assert rows[top][4] in {BOROUGH.chief_grade, TRUST.chief_grade, CHARITY.chief_grade}
        assert depth[i] <= 6


def test_every_manager_and_endorser_is_in_the_same_organisation(demo):
    assert Person.objects.filter(line_manager__isnull=False).count() > 2500
    assert not Person.objects.filter(line_manager__isnull=False).exclude(line_manager__organisation=F("organisation"))
    assert not Person.objects.filter(endorser__isnull=False).exclude(endorser__organisation=F("organisation"))


def test_a_believable_borough_structure(borough):
    people = Person.objects.filter(organisation=borough, role_type=RoleType.OFFICER)
    grades = Counter(people.values_list("grade", flat=True))
    assert grades["CE"] == 1
    assert grades["HoS"] >= 20
    assert grades["M3"] > grades["M2"] + grades["M1"] > grades["HoS"]
    assert sum(grades[f"G{n}"] for n in range(5, 11)) > 1500
    services = Department.objects.filter(organisation=borough, parent__isnull=False)
    assert services.count() >= 25
    assert Department.objects.filter(organisation=borough, parent__isnull=True, name="Children's Services").exists()
    assert not people.filter(department__isnull=True).exists()
    numbers = list(people.values_list("employee_number", flat=True))
    assert None not in numbers and len(set(numbers)) == len(numbers)
    assert not people.filter(start_date__isnull=True).exists()
    leavers = people.filter(status=Person.Status.LEFT)
    assert leavers.exists() and not leavers.filter(left_on__isnull=True).exists()
    assert not leavers.filter(direct_reports__isnull=False).exists()


def test_tiers_follow_grades_and_frontline_staff_may_have_none(borough):
    tiers = list(Tier.objects.filter(organisation=borough, version__framework__slug="officers").order_by("rank"))
    assert [(t.rank, t.name) for t in tiers] == [
        (1, "Aspiring manager"),
        (2, "Core manager"),
        (3, "Developing manager"),
        (4, "Aspiring leader"),
        (5, "Senior leader"),
    ]
    assert all(t.audience and t.description for t in tiers)
    tier_of_grade = dict(GradeMapping.objects.filter(tier__organisation=borough).values_list("grade", "tier__rank"))
    assert tier_of_grade["CE"] == 5 and tier_of_grade["M3"] == 2 and "G5" not in tier_of_grade
    officers = Person.objects.filter(organisation=borough, role_type=RoleType.OFFICER, status=Person.Status.ACTIVE)
    for grade, rank in officers.values_list("grade", "tier__rank"):
        assert rank == tier_of_grade.get(grade)
    assert Person.objects.filter(organisation=borough, grade="G5", tier__isnull=True).exists()
    # Every manager has a tier.
    assert not Person.objects.filter(organisation=borough, direct_reports__isnull=False, tier__isnull=True).exists()


def test_councillors_have_no_line_manager_and_are_endorsed(borough):
    members = Person.objects.filter(organisation=borough, role_type=RoleType.ELECTED_MEMBER)
    assert 45 <= members.count() <= 60
    assert not members.filter(line_manager__isnull=False).exists()
    assert not members.filter(endorser__isnull=True).exists()
    officer = Person.objects.get(organisation=borough, job_title="Member Development Officer")
    group_leaders = set(members.filter(endorser=officer).values_list("id", flat=True))
    assert len(group_leaders) == 3
    for endorser_id in members.values_list("endorser_id", flat=True):
        assert endorser_id == officer.pk or endorser_id in group_leaders
    assert members.get(endorser=officer, job_title="Leader of the Council")


def test_partner_staff_external_participants_and_service_users_are_there(borough):
    counts = Counter(
        Person.objects.filter(organisation=borough)
        .exclude(role_type__in=[RoleType.OFFICER, RoleType.ELECTED_MEMBER])
        .values_list("role_type", flat=True)
    )
    assert counts[RoleType.PARTNER_STAFF] >= 3
    assert counts[RoleType.EXTERNAL_PARTICIPANT] >= 3
    assert counts[RoleType.SERVICE_USER_OR_CARER] >= 3


def test_every_demo_sign_in_authenticates_and_holds_its_roles(demo):
    assert len(demo.sign_ins) == 10
    for sign_in in demo.sign_ins:
        user = authenticate(email=sign_in.email, password=DEMO_PASSWORD)
        assert user is not None, sign_in.kind
        assert authenticate(email=sign_in.email, password="not the password") is None
        held = set(Membership.objects.filter(user=user).values_list("organisation__slug", "role"))
        assert held == {(sign_in.organisation, role) for role in sign_in.roles}
        assert all(role in Role.values for role in sign_in.roles)
        assert user.is_superuser == sign_in.platform_admin == user.is_staff
        person = Person.objects.get(user=user)
        assert person.email == user.email and person.status == Person.Status.ACTIVE
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True).exists()


def test_the_demo_sign_ins_cover_every_kind_of_user(demo):
    by_kind = {s.kind: Person.objects.select_related("user").get(user__email=s.email) for s in demo.sign_ins}
    staff = by_kind["Member of staff (aspiring manager)"]
    manager = by_kind["Line manager"]
    assert staff.line_manager == manager
    assert staff.tier.name == "Aspiring manager"
    assert manager.direct_reports.count() >= 5
    assert by_kind["Elected member (councillor)"].role_type == RoleType.ELECTED_MEMBER
    assert by_kind["External participant"].role_type == RoleType.EXTERNAL_PARTICIPANT
    assert by_kind["Partner organisation staff member"].organisation.slug == TRUST.slug
    assert by_kind["Senior leadership (executive viewer)"].grade == "D1"
    roles = {s.kind: set(s.roles) for s in demo.sign_ins}
    assert Role.LD_ADMIN in roles["Learning and development administrator"]
    assert Role.EXECUTIVE_VIEWER in roles["Senior leadership (executive viewer)"]
    assert Role.EQUALITY_OFFICER in roles["Equality officer"]
    assert Role.ORG_ADMIN in roles["Organisation administrator"]
    assert User.objects.filter(is_superuser=True).get().email == by_kind["Platform administrator"].email


def test_loading_writes_one_audit_event_per_organisation(demo):
    """The bulk load is one event per organisation; then the two example frameworks arrive and
    people are placed in tiers, each recorded as those services always record them."""
    entries = AuditEntry.objects.filter(event="demo.loaded")
    assert entries.count() == 3
    assert set(AuditEntry.objects.values_list("event", flat=True)) <= {
        "demo.loaded",
        "framework.imported",
        "framework.created",
        "people.tiers_assigned",
        "credentials.key_created",  # the demo programmes' certificates
        "credentials.issued",
        "groups.forming_started",  # the demo's support and challenge groups, formed as an administrator would
        "groups.formed",
        "groups.facilitator_set",
    }
    assert not AuditEntry.objects.filter(event="").exists()  # no row-by-row saves from the bulk load
    borough_entry = entries.get(organisation__slug=BOROUGH.slug)
    assert borough_entry.changes["people"] == len(demo.people_of(BOROUGH.slug))


def test_loading_in_bulk_takes_few_queries(db, django_assert_max_num_queries):
    # About 130 for the people and frameworks and 140 for the diagnostics' 23,000 ratings and
    # 1,200 responses, in batches as large as SQLite allows: never a query per row.
    # The programmes, cohorts, their applications, sessions and evidence, and the credentials of the
    # people who completed (signed one by one, as they would be) add about 180 more; the mentoring
    # scheme's round and the support and challenge groups, made through their services, about 540.
    with django_assert_max_num_queries(1100):
        assert demo_load().loaded
    assert Person.objects.count() == len(generate_demo().people)


def test_loading_again_changes_nothing(demo):
    counts = (Person.objects.count(), User.objects.count(), Membership.objects.count(), AuditEntry.objects.count())
    again = demo_load()
    assert not again.loaded
    assert counts == (
        Person.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.django_db
def test_loading_beside_a_clashing_organisation_is_refused_and_writes_nothing():
    OrganisationFactory(slug=TRUST.slug, name="Someone else's trust")
    UserFactory(email="amara.okafor@kingsmere.example")
    with pytest.raises(ValidationError) as caught:
        demo_load()
    messages = " ".join(str(p) for p in caught.value.problems)
    assert TRUST.slug in messages and "amara.okafor@kingsmere.example" in messages
    assert Organisation.objects.count() == 1 and Person.objects.count() == 0
