"""Programme fixtures shared by the programme, API and browser tests (loaded by tests/conftest.py).

`programme` belongs to `org` (from tests/diagnostics/fixtures.py), uses its two-by-two framework
(attributes "collaborative" and "agile", tiers "tier-1" and "tier-2"), scores both attributes at
selection and asks for evidence of both; `cohort` is open for applications with 3 places, 1 kept
for partners in `network` (which `org` and `partner_org` belong to)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.core.models import NetworkMembership, Role
from cadre.frameworks.models import Framework
from cadre.programmes.models import Application, Cohort, Programme
from cadre.programmes.services.applications import Statement
from cadre.programmes.services.design import CohortDetails, ProgrammeDetails, StageDetails, cohort_save, programme_save
from tests.factories import NetworkFactory, OrganisationFactory, user_with_role


@pytest.fixture
def network(org):
    network = NetworkFactory()
    NetworkMembership.objects.create(network=network, organisation=org)
    return network


@pytest.fixture
def partner_org(network):
    partner = OrganisationFactory()
    NetworkMembership.objects.create(network=network, organisation=partner)
    return partner


@pytest.fixture
def programme_framework(org, subject_user):
    # subject_user makes the organisation's two-by-two framework.
    return Framework.objects.get(owner_organisation=org)


@pytest.fixture
def programme(org, admin, network, programme_framework):
    return programme_save(
        organisation=org,
        actor=admin,
        details=ProgrammeDetails(
            title="Aspiring managers programme",
            summary="A year of development for people ready to manage.",
            framework=programme_framework,
            selection_attributes=["collaborative", "agile"],
            evidence_attributes=["collaborative", "agile"],
            eligible_tiers=["tier-1", "tier-2"],
            audience=Programme.Audience.NETWORK,
            network=network,
            min_attendance_percent=50,
            status=Programme.Status.PUBLISHED,
            stages=[
                StageDetails(kind="pre_reading", title="Reading before you start"),
                StageDetails(kind="development_day", title="Development day one"),
                StageDetails(kind="forum", title="Closing forum"),
            ],
        ),
    )


@pytest.fixture
def cohort(programme, admin):
    today = timezone.localdate()
    return cohort_save(
        programme=programme,
        actor=admin,
        details=CohortDetails(
            name="Spring cohort",
            starts_on=today + timedelta(days=30),
            ends_on=today + timedelta(days=300),
            capacity=3,
            partner_places=1,
            applications_open_on=today - timedelta(days=1),
            applications_close_on=today + timedelta(days=20),
            status=Cohort.Status.OPEN,
        ),
    )


def statement(**extra) -> Statement:
    return Statement(
        text="I lead a team informally and want to learn to manage well.",
        attributes={"collaborative": "I brought two teams together on a shared rota."},
        **extra,
    )


def applicant(org, manager, tier_rank: int = 1, **fields):
    """A member of staff in tier `tier_rank` of the organisation's framework, line-managed by `manager`."""
    user = user_with_role(org, Role.MEMBER, **fields)
    framework = Framework.objects.filter(owner_organisation=org).first()
    if framework is not None:
        user.person.tier = framework.versions.get(status="published").tiers.get(rank=tier_rank)
    user.person.line_manager = manager.person if manager else None
    user.person.save()
    return user


@pytest.fixture
def participants(cohort, admin, manager, org):
    """Ada, Ben and Cal apply, are endorsed and selected with equal scores; Ada and Ben (first to
    apply) take the two home places and accept; Cal waits."""
    from cadre.programmes.services.applications import (
        application_decide,
        application_endorse,
        application_submit,
        offer_respond,
        offers_start,
    )

    users = [applicant(org, manager, first_name=name, last_name="Participant") for name in ("Ada", "Ben", "Cal")]
    applications = []
    for user in users:
        application = application_submit(cohort=cohort, actor=user, statement=statement())
        application_endorse(application=application, actor=manager, endorse=True, note="")
        application_decide(application=application, actor=admin, selected=True, reason="Strong statement.")
        applications.append(application)
    offers_start(cohort=cohort, actor=admin)
    for application in Application.objects.filter(cohort=cohort, status=Application.Status.OFFERED):
        offer_respond(application=application, actor=application.person.user, accept=True)
    return [Application.objects.get(pk=a.pk) for a in applications]
