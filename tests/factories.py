import factory
from factory.django import DjangoModelFactory

from cadre.core.models import Department, Membership, Network, Organisation, Role, User
from cadre.frameworks.models import GradeMapping, Tier
from cadre.people.models import Person


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Borough Council {n}")
    type = Organisation.Type.COUNCIL


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network

    slug = factory.Sequence(lambda n: f"network-{n}")
    name = factory.Sequence(lambda n: f"Regional network {n}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


class TierFactory(DjangoModelFactory):
    class Meta:
        model = Tier

    organisation = factory.SubFactory(OrganisationFactory)
    rank = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Tier {n + 1}")


class GradeMappingFactory(DjangoModelFactory):
    class Meta:
        model = GradeMapping

    organisation = factory.SelfAttribute("tier.organisation")
    tier = factory.SubFactory(TierFactory)
    grade = factory.Sequence(lambda n: f"G{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    employee_number = factory.Sequence(lambda n: f"E{n:05d}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda p: f"{p.employee_number.lower()}@{p.organisation.slug}.example.org")
    job_title = "Officer"


def user_with_role(organisation, role: str, **person_fields) -> User:
    """A login with a role in the organisation and a linked staff record there."""
    user = UserFactory()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    if role != Role.MEMBER:
        Membership.objects.create(user=user, organisation=organisation, role=Role.MEMBER)
    PersonFactory(organisation=organisation, user=user, email=user.email, **person_fields)
    return user
