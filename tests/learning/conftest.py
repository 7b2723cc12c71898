"""A small organisation for the learning tests: a director, a line manager under them, Sam Smith
under the manager, a colleague of the manager's (unrelated to Sam), a learning and development
administrator, someone in another organisation, and a published course in the catalogue."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from cadre.catalogue import services as catalogue
from cadre.catalogue.models import Offering
from cadre.core.models import Organisation, Role, User
from cadre.frameworks.models import FrameworkVersion
from cadre.learning import services
from tests.factories import OrganisationFactory, user_with_role
from tests.frameworks import builders


@dataclass
class World:
    org: Organisation
    version: FrameworkVersion
    offering: Offering
    admin: User
    director: User
    manager: User
    person: User
    colleague: User
    outsider: User


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def offering_in(org, admin, version, title, **more) -> Offering:
    attributes = [a.key for a in version.attributes.order_by("order")][:2]
    fields = {
        "kind": "course",
        "summary": f"About {title.lower()}",
        "mode": "in_person",
        "provider": "Skills Academy",
        "duration": "2 days",
        "cost": Decimal("300"),
        "framework": version.framework,
        "attributes": attributes,
        **more,
    }
    return catalogue.offering_save(
        organisation=org, actor=admin, details=catalogue.OfferingDetails(title=title, **fields)
    )


@pytest.fixture
def world(db) -> World:
    org = OrganisationFactory(name="North Borough Council")
    version = builders.version(builders.framework(organisation=org), attributes=3, tiers=2)
    admin = user_with_role(org, Role.LD_ADMIN, first_name="Lee", last_name="Admin")
    director = user_with_role(org, Role.MEMBER, first_name="Dana", last_name="Director")
    manager = user_with_role(org, Role.MEMBER, first_name="Max", last_name="Manager", line_manager=director.person)
    person = user_with_role(
        org,
        Role.MEMBER,
        first_name="Sam",
        last_name="Smith",
        line_manager=manager.person,
        tier=version.tiers.get(rank=1),
    )
    colleague = user_with_role(org, Role.MEMBER, first_name="Cal", last_name="Colleague", line_manager=director.person)
    outsider = user_with_role(OrganisationFactory(name="South District Council"), Role.LD_ADMIN)
    offering = offering_in(org, admin, version, "Leading through change")
    return World(org, version, offering, admin, director, manager, person, colleague, outsider)


def ask(user, offering, *, reason="To lead my team through the restructure.", attributes=(), preferred_start=""):
    return services.request_create(
        actor=user,
        offering=offering,
        details=services.RequestDetails(reason=reason, attributes=list(attributes), preferred_start=preferred_start),
    )


def fresh(user):
    """The user again, without the roles and staff record cached on the object."""
    return User.objects.get(pk=user.pk)
