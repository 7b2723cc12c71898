"""Loading the demo: every record from `generate_demo()`, written in bulk inside one transaction,
once. Loading again finds the demo there and changes nothing."""

from dataclasses import dataclass, field
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.core.audit import audit_event, disable_auditlog
from cadre.core.errors import Problem, ValidationError
from cadre.core.models import Department, Membership, Network, NetworkMembership, Organisation, Role, User
from cadre.demo import data
from cadre.demo.catalogue import demo_catalogue_load
from cadre.demo.data import DEMO_PASSWORD
from cadre.demo.diagnostics import demo_diagnostics_load
from cadre.demo.generate import DemoData, generate_demo
from cadre.demo.groups import demo_groups_load
from cadre.demo.mentoring import demo_mentoring_load
from cadre.demo.programmes import demo_programmes_load
from cadre.demo.selectors import demo_is_loaded
from cadre.frameworks.models import Framework
from cadre.people.models import Person

BATCH = 1000


@dataclass
class DemoLoad:
    """What `demo_load` did: `loaded` is False when the demo was already there."""

    loaded: bool
    people: dict[str, int] = field(default_factory=dict)  # organisation name -> people written


def demo_load(*, demo: DemoData | None = None) -> DemoLoad:
    """Write the demo organisations, their network, departments, tiers, people and demo sign-ins,
    all or nothing. The audit log gets one `demo.loaded` event per organisation."""
    if demo_is_loaded():
        demo_frameworks_load()  # a demo loaded before the example frameworks existed gets them now
        demo_diagnostics_load()  # and before diagnostics existed
        demo_catalogue_load()  # and before its catalogue existed
        demo_programmes_load()  # and before programmes existed
        demo_mentoring_load()  # and before mentoring existed
        demo_groups_load()  # and before action learning sets existed
        return DemoLoad(loaded=False)
    demo = demo or generate_demo()
    _refuse_clashes(demo)
    # Every demo login shares the published demo password, so one hash serves them all and
    # loading does not spend seconds hashing the same words ten times.
    password = make_password(DEMO_PASSWORD)
    try:
        with transaction.atomic(durable=True), disable_auditlog():
            if demo_is_loaded():  # another `cadre demo` finished first
                return DemoLoad(loaded=False)
            loaded = _write(demo, password)
    except IntegrityError:
        if demo_is_loaded():
            return DemoLoad(loaded=False)
        raise
    demo_frameworks_load()
    demo_diagnostics_load()
    demo_catalogue_load()
    demo_programmes_load()
    demo_mentoring_load()
    demo_groups_load()
    return loaded


EXAMPLES = Path(__file__).resolve().parent.parent / "frameworks" / "examples"


def demo_frameworks_load() -> int:
    """Give the borough Cadre's two example frameworks, published, and place its people in tiers by
    role type and grade. Does nothing if the borough has frameworks already. Returns how many loaded."""
    from cadre.frameworks.interchange import framework_import, plan_import

    borough = Organisation.objects.filter(slug=data.BOROUGH.slug).first()
    if borough is None or Framework.objects.filter(owner_organisation=borough).exists():
        return 0
    for name in ("officers.yaml", "political.yaml"):
        path = EXAMPLES / name
        plan = plan_import(data=path.read_bytes(), filename=name, organisation=borough)
        framework_import(plan=plan, organisation=borough, actor=None)  # places people by grade too
    return 2


def _refuse_clashes(demo: DemoData) -> None:
    problems = [
        Problem(f"An organisation with the slug {slug} already exists, so the demo cannot be loaded beside it.")
        for slug in Organisation.objects.filter(slug__in=[o.slug for o in demo.organisations]).values_list(
            "slug", flat=True
        )
    ]
    problems += [
        Problem(f"A login for {email} already exists, so the demo cannot be loaded beside it.")
        for email in User.objects.filter(email__in=[s.email for s in demo.sign_ins]).values_list("email", flat=True)
    ]
    if problems:
        raise ValidationError(problems)


def _write(demo: DemoData, password: str) -> DemoLoad:
    now = timezone.now()
    organisations = Organisation.objects.bulk_create(
        [Organisation(slug=o.slug, name=o.name, type=o.type, created_at=now) for o in demo.organisations]
    )
    org_id = {o.slug: o.pk for o in organisations}

    networks = Network.objects.bulk_create([Network(slug=n.slug, name=n.name, kind=n.kind) for n in demo.networks])
    NetworkMembership.objects.bulk_create(
        [
            NetworkMembership(network_id=network.pk, organisation_id=org_id[slug], joined_on=record.joined_on)
            for network, record in zip(networks, demo.networks, strict=True)
            for slug in record.members
        ]
    )

    department_id: dict[tuple[str, str], int] = {}
    for top_level in (True, False):
        rows = [d for d in demo.departments if (d.parent is None) == top_level]
        created = Department.objects.bulk_create(
            [
                Department(
                    organisation_id=org_id[d.organisation],
                    name=d.name,
                    parent_id=department_id[(d.organisation, d.parent)] if d.parent else None,
                )
                for d in rows
            ]
        )
        department_id.update({(d.organisation, d.name): c.pk for d, c in zip(rows, created, strict=True)})

    users = User.objects.bulk_create(
        [
            User(
                email=s.email,
                full_name=s.full_name,
                password=password,
                is_superuser=s.platform_admin,
                is_staff=s.platform_admin,
                date_joined=now,
            )
            for s in demo.sign_ins
        ]
    )
    user_of_person = {s.person: u.pk for s, u in zip(demo.sign_ins, users, strict=True)}
    EmailAddress.objects.bulk_create(
        [EmailAddress(user_id=u.pk, email=u.email, verified=True, primary=True) for u in users]
    )
    Membership.objects.bulk_create(
        [
            Membership(user_id=user.pk, organisation_id=org_id[s.organisation], role=Role(role), granted_at=now)
            for s, user in zip(demo.sign_ins, users, strict=True)
            for role in s.roles
        ]
    )

    # People level by level, so that everyone's line manager and endorser already has an id.
    person_id: dict[int, int] = {}
    for level in range(max(p.level for p in demo.people) + 1):
        rows = [p for p in demo.people if p.level == level]
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            created = Person.objects.bulk_create(
                [
                    Person(
                        organisation_id=org_id[p.organisation],
                        employee_number=p.employee_number,
                        first_name=p.first_name,
                        last_name=p.last_name,
                        email=p.email,
                        job_title=p.job_title,
                        grade=p.grade,
                        department_id=department_id[(p.organisation, p.department)] if p.department else None,
                        line_manager_id=person_id[p.line_manager] if p.line_manager is not None else None,
                        endorser_id=person_id[p.endorser] if p.endorser is not None else None,
                        tier_id=None,  # placed by grade once the frameworks are published (demo_frameworks_load)
                        role_type=p.role_type,
                        start_date=p.start_date,
                        status=p.status,
                        left_on=p.left_on,
                        user_id=user_of_person.get(p.key),
                        created_at=now,
                        updated_at=now,
                    )
                    for p in batch
                ]
            )
            person_id.update({p.key: c.pk for p, c in zip(batch, created, strict=True)})

    result = DemoLoad(loaded=True)
    for organisation, record in zip(organisations, demo.organisations, strict=True):
        people = demo.people_of(record.slug)
        result.people[organisation.name] = len(people)
        audit_event(
            actor=None,
            event="demo.loaded",
            target=organisation,
            data={
                "people": len(people),
                "active_people": sum(p.status == "active" for p in people),
                "departments": sum(d.organisation == record.slug for d in demo.departments),
                "tiers": sum(t.organisation == record.slug for t in demo.tiers),
                "demo_sign_ins": sum(s.organisation == record.slug for s in demo.sign_ins),
                "networks": [n.name for n in demo.networks if record.slug in n.members],
            },
        )
    return result
