"""Reads of learning requests and records, scoped to who asks.

- A person's learning record is seen by the person, everyone above them in the line-management
  chain, and the learning and development (or organisation) administrators of their organisation.
- A request is seen by those, and by whoever is named to decide it (an elected member's endorser,
  who is not in a line-management chain).
- Who decides: the line manager (for an elected member, the named endorser), when they have an
  active login; otherwise the organisation's learning and development administrators. Those
  administrators may always decide. Nobody decides their own request."""

from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from cadre.core.models import Role
from cadre.core.selectors import organisations_where
from cadre.learning.models import LearningRequest
from cadre.people.models import Person, RoleType
from cadre.people.selectors import managers_above, person_of

ADMIN_ROLES = (Role.LD_ADMIN, Role.ORG_ADMIN)

# The person and everyone below them in the line-management chain, as a subquery (the same query
# as cadre.people.selectors uses for people_visible_to).
_ME_AND_BELOW = """
WITH RECURSIVE chain(id, depth) AS (
    SELECT id, 0 FROM people_person WHERE id = %s
    UNION ALL
    SELECT p.id, chain.depth + 1
    FROM people_person p JOIN chain ON p.line_manager_id = chain.id
    WHERE chain.depth < 100
)
SELECT id FROM chain
"""


def administered_organisations(user) -> list[int]:
    """Organisations whose learning the user runs (learning and development or organisation administrator)."""
    return organisations_where(user, *ADMIN_ROLES)


def may_view_record(user, person: Person) -> bool:
    if not getattr(user, "is_authenticated", False) or person is None:
        return False
    if person.organisation_id in administered_organisations(user):
        return True
    me = person_of(user)
    if me is None:
        return False
    if me.pk == person.pk:
        return True
    return me.organisation_id == person.organisation_id and me.pk in managers_above(person.pk)


def record_person_for(user, person_id: int) -> Person | None:
    """The person whose record the user asks for, if they may see it."""
    person = Person.objects.select_related("organisation").filter(pk=person_id).first()
    return person if person is not None and may_view_record(user, person) else None


def named_approver(person: Person) -> Person | None:
    """The person named to decide: the line manager, or an elected member's endorser, when they are
    active and have an active login. None means the administrators decide."""
    candidate = person.endorser if person.role_type == RoleType.ELECTED_MEMBER else person.line_manager
    if (
        candidate is None
        or candidate.pk == person.pk
        or candidate.status != Person.Status.ACTIVE
        or candidate.user_id is None
        or not candidate.user.is_active
    ):
        return None
    return candidate


def _no_named_approver() -> Q:
    """Requests whose person has no named approver able to decide (as `named_approver`, in SQL)."""
    elected = Q(person__role_type=RoleType.ELECTED_MEMBER)
    missing_endorser = (
        Q(person__endorser__isnull=True)
        | Q(person__endorser__user__isnull=True)
        | Q(person__endorser__user__is_active=False)
        | ~Q(person__endorser__status=Person.Status.ACTIVE)
        | Q(person__endorser=F("person"))
    )
    missing_manager = (
        Q(person__line_manager__isnull=True)
        | Q(person__line_manager__user__isnull=True)
        | Q(person__line_manager__user__is_active=False)
        | ~Q(person__line_manager__status=Person.Status.ACTIVE)
    )
    return (elected & missing_endorser) | (~elected & missing_manager)


def _named_as_approver(user) -> Q:
    """Requests whose named approver is the user."""
    elected = Q(person__role_type=RoleType.ELECTED_MEMBER)
    return (
        (elected & Q(person__endorser__user=user) & ~Q(person__endorser=F("person")))
        | (~elected & Q(person__line_manager__user=user))
    ) & Q(person__status=Person.Status.ACTIVE)


def may_decide(user, learning_request: LearningRequest) -> bool:
    """Whether the user may approve or decline the request (whatever its status)."""
    if not getattr(user, "is_authenticated", False):
        return False
    person = learning_request.person
    if person.user_id == user.pk:
        return False  # nobody decides their own request
    if learning_request.organisation_id in organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN):
        return True
    approver = named_approver(person)
    return approver is not None and approver.user_id == user.pk


def may_record_completion(user, learning_request: LearningRequest) -> bool:
    """The person themself, or an administrator of their organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    if learning_request.person.user_id == user.pk:
        return True
    return learning_request.organisation_id in administered_organisations(user)


def _base() -> QuerySet[LearningRequest]:
    return LearningRequest.objects.select_related(
        "offering__organisation",
        "person__organisation",
        "person__line_manager__user",
        "person__endorser__user",
        "person__user",
    )


def requests_visible_to(user) -> QuerySet[LearningRequest]:
    """Requests the user may open: their own, those of people below them in the line-management
    chain, those they are named to decide, and every one in organisations whose learning they run."""
    if not getattr(user, "is_authenticated", False):
        return LearningRequest.objects.none()
    # Someone named to decide (an elected member's endorser, say) sees a request while it waits for
    # them; afterwards, what the person did is for their record's readers only.
    waiting = Q(status=LearningRequest.Status.REQUESTED) & _named_as_approver(user)
    condition = Q(organisation_id__in=administered_organisations(user)) | waiting
    me = person_of(user)
    if me is not None:
        condition |= Q(person_id__in=RawSQL(_ME_AND_BELOW, [me.pk]), organisation_id=me.organisation_id)  # noqa: S611
    return _base().filter(condition)


def my_requests(user) -> list[LearningRequest]:
    me = person_of(user)
    if me is None:
        return []
    return list(_base().filter(person=me).order_by("-created_at", "-id"))


def requests_to_decide(user) -> QuerySet[LearningRequest]:
    """Requests waiting for this user's decision: those they are named to decide and, for
    administrators, those in their organisations with nobody named able to decide. Never their own."""
    condition = _named_as_approver(user)
    administered = administered_organisations(user)
    if administered:
        condition |= Q(organisation_id__in=administered) & _no_named_approver()
    return (
        _base()
        .filter(condition, status=LearningRequest.Status.REQUESTED)
        .exclude(person__user=user)
        .order_by("created_at", "id")
    )


def requests_waiting_for_others(user) -> QuerySet[LearningRequest]:
    """For administrators: requests in their organisations waiting for a named approver (they may
    still decide them)."""
    administered = administered_organisations(user)
    if not administered:
        return LearningRequest.objects.none()
    return (
        _base()
        .filter(organisation_id__in=administered, status=LearningRequest.Status.REQUESTED)
        .exclude(_no_named_approver())
        .exclude(person__user=user)
        .exclude(_named_as_approver(user))
        .order_by("created_at", "id")
    )


def requests_awaiting_completion(user) -> QuerySet[LearningRequest]:
    """For administrators: approved requests in their organisations not yet completed."""
    administered = administered_organisations(user)
    if not administered:
        return LearningRequest.objects.none()
    return (
        _base()
        .filter(organisation_id__in=administered, status=LearningRequest.Status.APPROVED)
        .order_by("decided_at", "id")
    )


def administrators_of(organisation_id: int) -> list:
    """The learning and development administrators' logins (organisation administrators when there
    are none), to ask for a decision when nobody is named."""
    from cadre.core.models import User

    for role in ADMIN_ROLES:
        users = list(
            User.objects.filter(
                is_active=True, memberships__organisation_id=organisation_id, memberships__role=role
            ).distinct()
        )
        if users:
            return users
    return []


def attribute_choices(person: Person, offering) -> list[tuple[str, str]]:
    """The framework attributes a person may say an offering should build: those the offering is
    tagged with; otherwise those of its framework; otherwise those of the person's tier's framework.
    As (key, name), in the framework's order."""
    from cadre.frameworks.models import Attribute, FrameworkVersion

    tagged = [t.key for t in offering.attribute_tags.all()]
    if offering.framework_id:
        versions = FrameworkVersion.objects.filter(
            framework_id=offering.framework_id, status=FrameworkVersion.Status.PUBLISHED
        )
    elif person.tier_id:
        versions = FrameworkVersion.objects.filter(pk=person.tier.version_id)
    else:
        versions = FrameworkVersion.objects.none()
    named = {a.key: a.name for a in Attribute.objects.filter(version__in=versions).order_by("order", "id")}
    position = {key: n for n, key in enumerate(named)}
    if tagged:
        ordered = sorted(tagged, key=lambda key: (position.get(key, len(position)), key))
        return [(key, named.get(key, key)) for key in ordered]
    return list(named.items())
