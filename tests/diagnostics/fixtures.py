"""Fixtures (loaded for every test by tests/conftest.py; a test module's own of the same name wins)
that the diagnostics and API tests share: an organisation, its learning and development administrator,
a line manager, and the person asked about (Sam Smith, in tier 1 of a two-by-two framework)."""

import pytest

from cadre.core.models import Role
from tests.factories import OrganisationFactory, user_with_role
from tests.frameworks import builders


@pytest.fixture
def org():
    return OrganisationFactory()


@pytest.fixture
def admin(org):
    return user_with_role(org, Role.LD_ADMIN)


@pytest.fixture
def manager(org):
    return user_with_role(org, Role.MEMBER)


@pytest.fixture
def subject_user(org, manager):
    version = builders.version(builders.framework(organisation=org), attributes=2, tiers=2)
    user = user_with_role(org, Role.MEMBER, first_name="Sam", last_name="Smith")
    user.person.tier = version.tiers.get(rank=1)
    user.person.line_manager = manager.person
    user.person.save()
    return user
