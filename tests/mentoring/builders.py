"""A small mentoring world for tests: a council and a partner in one network, a framework with
three attributes (collaborative, agile, accountable) and four tiers, and helpers to add people,
mentor profiles and requests straight in the database."""

from dataclasses import dataclass

from cadre.core.models import Membership, NetworkMembership, Organisation, Role
from cadre.frameworks.models import FrameworkVersion
from cadre.mentoring.models import MentoringRequest, MentorProfile, Scheme
from cadre.people.models import Person
from tests.factories import NetworkFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.frameworks import builders

PASSWORD = "correct horse battery"
KEYS = ["collaborative", "agile", "accountable"]


@dataclass
class World:
    council: Organisation
    partner: Organisation
    version: FrameworkVersion
    scheme: Scheme
    admin: object  # the council's learning and development administrator (a User)

    def tier(self, rank: int):
        return self.version.tiers.get(rank=rank)


def make_world(*, kind: str = Scheme.Kind.MENTORING) -> World:
    council = OrganisationFactory(name="Riverside Council")
    partner = OrganisationFactory(name="Kingsmere Trust")
    network = NetworkFactory(name="East Thames network")
    NetworkMembership.objects.create(network=network, organisation=council)
    NetworkMembership.objects.create(network=network, organisation=partner)
    framework = builders.framework(organisation=council)
    version = builders.version(framework, attributes=3, tiers=4)
    admin = UserFactory(full_name="Lee Admin")
    Membership.objects.create(user=admin, organisation=council, role=Role.LD_ADMIN)
    Membership.objects.create(user=admin, organisation=council, role=Role.MEMBER)
    PersonFactory(organisation=council, user=admin, email=admin.email, first_name="Lee", last_name="Admin")
    scheme = Scheme.objects.create(
        organisation=council, network=network, framework=framework, name="Leaders mentoring leaders", kind=kind
    )
    return World(council=council, partner=partner, version=version, scheme=scheme, admin=admin)


def person(world: World, first: str, last: str, *, rank: int | None, organisation=None, manager=None) -> Person:
    """A person with a login (password PASSWORD) in the tier of that rank (or none)."""
    organisation = organisation or world.council
    user = UserFactory(full_name=f"{first} {last}")
    Membership.objects.create(user=user, organisation=organisation, role=Role.MEMBER)
    return PersonFactory(
        organisation=organisation,
        user=user,
        email=user.email,
        first_name=first,
        last_name=last,
        tier=world.tier(rank) if rank else None,
        line_manager=manager,
    )


def mentor(who: Person, *, capacity: int = 1, strengths=(4, 4, 4), offered: bool = True, coach: bool = False):
    return MentorProfile.objects.create(
        person=who,
        organisation=who.organisation,
        strengths=dict(zip(KEYS, strengths, strict=True)),
        capacity=capacity,
        offered_to_partners=offered,
        is_coach=coach,
        accreditation="ILM Level 7" if coach else "",
    )


def ask(world: World, who: Person, *, needs=(3, 3, 3), preference: str = "any") -> MentoringRequest:
    return MentoringRequest.objects.create(
        scheme=world.scheme,
        person=who,
        organisation=who.organisation,
        needs=dict(zip(KEYS, needs, strict=True)),
        organisation_preference=preference,
    )
