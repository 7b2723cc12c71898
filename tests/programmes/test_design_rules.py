"""Rules of the design services that hold whatever calls them (pages, the API, a command)."""

import pytest

from cadre.core.errors import ValidationError
from cadre.core.models import Role
from cadre.programmes.models import Programme, SteeringMember
from cadre.programmes.services.design import ProgrammeDetails, cohort_set_people, programme_save
from tests.factories import OrganisationFactory, user_with_role
from tests.frameworks import builders

pytestmark = pytest.mark.django_db


def test_a_programme_uses_only_a_framework_its_organisation_may_use(org, admin):
    elsewhere = builders.framework(organisation=OrganisationFactory(), name="Someone else's")
    builders.version(elsewhere)
    with pytest.raises(ValidationError, match="framework your organisation uses"):
        programme_save(
            organisation=org,
            actor=admin,
            details=ProgrammeDetails(
                title="Borrowed", summary="Uses another council's framework.", framework=elsewhere
            ),
        )
    assert not Programme.objects.filter(title="Borrowed").exists()


def test_only_people_of_the_organisation_are_named_to_a_cohort(cohort, admin, org):
    colleague = user_with_role(org, Role.MEMBER)
    stranger = user_with_role(OrganisationFactory(), Role.LD_ADMIN)
    with pytest.raises(ValidationError, match="cannot be named"):
        cohort_set_people(cohort=cohort, actor=admin, panel=[colleague, stranger], assessors=[], steering=[])
    assert not cohort.panel.exists()
    cohort_set_people(cohort=cohort, actor=admin, panel=[colleague], assessors=[], steering=[(colleague, "Chair")])
    assert list(cohort.panel.all()) == [colleague]
    assert SteeringMember.objects.get(cohort=cohort).role == "Chair"


def test_partner_administrators_may_be_named_on_a_shared_programme(cohort, admin, partner_org):
    partner_admin = user_with_role(partner_org, Role.LD_ADMIN)
    partner_member = user_with_role(partner_org, Role.MEMBER)
    cohort_set_people(cohort=cohort, actor=admin, panel=[partner_admin], assessors=[], steering=[])
    with pytest.raises(ValidationError):
        cohort_set_people(cohort=cohort, actor=admin, panel=[partner_member], assessors=[], steering=[])
