import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from cadre.core.models import Department, Membership, Network, Organisation, Role, User
from cadre.frameworks.models import Framework, FrameworkVersion, GradeMapping, Tier
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


class FrameworkFactory(DjangoModelFactory):
    class Meta:
        model = Framework

    owner_organisation = factory.SubFactory(OrganisationFactory)
    sharing = Framework.Sharing.ORGANISATION
    slug = factory.Sequence(lambda n: f"framework-{n}")
    name = factory.Sequence(lambda n: f"Leadership framework {n}")
    role_types = ["officer"]


class FrameworkVersionFactory(DjangoModelFactory):
    class Meta:
        model = FrameworkVersion

    framework = factory.SubFactory(FrameworkFactory)
    number = 1
    status = FrameworkVersion.Status.PUBLISHED


def published_version_for(organisation) -> FrameworkVersion:
    """The organisation's officers' framework, published (made on first use)."""
    version = FrameworkVersion.objects.filter(
        framework__owner_organisation=organisation, framework__slug="officers", status="published"
    ).first()
    if version is None:
        framework = FrameworkFactory(owner_organisation=organisation, slug="officers", name="Officers' framework")
        version = FrameworkVersionFactory(framework=framework)
    return version


class TierFactory(DjangoModelFactory):
    """A tier of `organisation`'s published framework, unless a version is given."""

    class Meta:
        model = Tier

    organisation = factory.SubFactory(OrganisationFactory)
    version = factory.LazyAttribute(lambda tier: published_version_for(tier.organisation))
    rank = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Tier {n + 1}")
    key = factory.LazyAttribute(lambda tier: slugify(tier.name))


class GradeMappingFactory(DjangoModelFactory):
    class Meta:
        model = GradeMapping

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
