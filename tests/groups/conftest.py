"""Fixtures for the groups tests: a generated cohort of people from several organisations,
departments and tiers, some line-managing others, all taking part in one running cohort."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.core.models import Department, Membership, NetworkMembership, Role
from cadre.frameworks.models import Framework
from cadre.people.models import Person
from cadre.programmes.models import Application, Cohort
from tests.factories import OrganisationFactory, PersonFactory, UserFactory


def make_cohort(programme, *, name="Running cohort", people=24, seed=1, organisations=None, managers=True):
    """A running cohort of `programme` with `people` participants (accepted applications), spread
    over the organisations given (default: the programme's own), 3 departments each and the
    framework's tiers; in each organisation the first participants line-manage some of the rest."""
    rng = random.Random(seed)
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        programme=programme,
        organisation=programme.organisation,
        name=name,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=300),
        capacity=max(people, 1),
        status=Cohort.Status.RUNNING,
    )
    organisations = organisations or [programme.organisation]
    version = Framework.objects.get(pk=programme.framework_id).versions.get(status="published")
    tiers = list(version.tiers.order_by("rank"))
    departments = {
        org.pk: [Department.objects.get_or_create(organisation=org, name=f"Service {k}")[0] for k in range(3)]
        for org in organisations
    }
    made: list[Person] = []
    for n in range(people):
        org = organisations[n % len(organisations)]
        user = UserFactory()
        Membership.objects.create(user=user, organisation=org, role=Role.MEMBER)
        peers = [p for p in made if p.organisation_id == org.pk]
        person = PersonFactory(
            organisation=org,
            user=user,
            email=user.email,
            first_name=f"P{n:03d}",
            last_name=f"Person{n:03d}",
            department=rng.choice(departments[org.pk]),
            tier=rng.choice(tiers),
            line_manager=rng.choice(peers[:4]) if managers and peers and rng.random() < 0.6 else None,
        )
        made.append(person)
        Application.objects.create(
            cohort=cohort, organisation=programme.organisation, person=person, status=Application.Status.ACCEPTED
        )
    return cohort, made


@pytest.fixture
def partner(network):
    org = OrganisationFactory(name="Partner Trust")
    NetworkMembership.objects.create(network=network, organisation=org)
    return org


@pytest.fixture
def big_cohort(programme, org, partner):
    return make_cohort(programme, people=24, organisations=[org, partner])


@pytest.fixture
def saved_sets(admin, programme):
    """Nine people from one cohort in three saved groups of three."""
    from cadre.groups import services

    cohort, _people = make_cohort(programme, people=9, managers=False)
    forming = services.forming_start(
        actor=admin, cohort_ids=[cohort.pk], size=3, seed=1, name="Spring groups", kind="support_and_challenge"
    )
    return services.forming_save(forming=forming, actor=admin)


@pytest.fixture
def group(saved_sets, org):
    """The first saved group, with a facilitator from the organisation."""
    from cadre.groups.models import LearningSet

    facilitator = UserFactory(full_name="Fran Facilitator")
    Membership.objects.create(user=facilitator, organisation=org, role=Role.MEMBER)
    learning_set = LearningSet.objects.get(pk=saved_sets[0].pk)
    learning_set.facilitator = facilitator
    learning_set.save()
    return learning_set


def members_of(learning_set):
    return list(learning_set.members.select_related("person__user").order_by("id"))
