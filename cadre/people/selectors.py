"""Reads about people, scoped to who asks. Line-management questions are answered with one
recursive query each, on SQLite and PostgreSQL alike."""

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from cadre.core.models import Role
from cadre.core.selectors import organisations_where
from cadre.people.models import Person

_CHAIN_UP = """
WITH RECURSIVE chain(id, manager_id, depth) AS (
    SELECT id, line_manager_id, 0 FROM people_person WHERE id = %s
    UNION ALL
    SELECT p.id, p.line_manager_id, chain.depth + 1
    FROM people_person p JOIN chain ON p.id = chain.manager_id
    WHERE chain.depth < 100
)
SELECT id FROM chain WHERE depth > 0 ORDER BY depth
"""

_CHAIN_DOWN = """
WITH RECURSIVE reports(id, depth) AS (
    SELECT id, 1 FROM people_person WHERE line_manager_id = %s
    UNION ALL
    SELECT p.id, reports.depth + 1
    FROM people_person p JOIN reports ON p.line_manager_id = reports.id
    WHERE reports.depth < 100
)
SELECT id FROM reports
"""

# The person and everyone below them, for use as a subquery: `id IN (...)` lets the database
# join it (a semi-join) instead of shipping a list of ids that grows with the organisation.
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


def managers_above(person_id: int) -> list[int]:
    """Ids of the person's line manager, their manager, and so on up, nearest first."""
    with connection.cursor() as cursor:
        cursor.execute(_CHAIN_UP, [person_id])
        return [row[0] for row in cursor.fetchall()]


def reports_below(person_id: int) -> list[int]:
    """Ids of everyone in the person's line-management chain below them."""
    with connection.cursor() as cursor:
        cursor.execute(_CHAIN_DOWN, [person_id])
        return [row[0] for row in cursor.fetchall()]


def person_of(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_cadre_person", False)
    if cached is False:
        cached = Person.objects.select_related("organisation", "tier", "department").filter(user=user).first()
        user._cadre_person = cached
    return cached


def people_visible_to(user) -> QuerySet[Person]:
    """Everyone in organisations where the user is an administrator or executive viewer; otherwise
    the user themself and the people they line-manage, directly or further down."""
    whole_organisations = organisations_where(user, Role.ORG_ADMIN, Role.LD_ADMIN, Role.EXECUTIVE_VIEWER)
    condition = Q(organisation_id__in=whole_organisations)
    me = person_of(user)
    # Line management stays inside an organisation, so someone who sees the whole of their
    # own needs no chain.
    if me is not None and me.organisation_id not in whole_organisations:
        condition |= Q(pk__in=RawSQL(_ME_AND_BELOW, [me.pk]))  # noqa: S611 (fixed SQL, bound id)
    return Person.objects.filter(condition)


def people_list(
    user, *, organisation_id: int | None = None, search: str = "", status: str = "active", team: bool = False
):
    """People the user may see, searched and filtered. With `team`, only those the user line-manages,
    directly or further down (whatever else their roles let them see)."""
    queryset = people_visible_to(user).select_related("department", "tier", "line_manager", "organisation")
    if team:
        me = person_of(user)
        if me is None:
            return queryset.none()
        queryset = queryset.filter(pk__in=RawSQL(_ME_AND_BELOW, [me.pk])).exclude(pk=me.pk)  # noqa: S611
    if organisation_id:
        queryset = queryset.filter(organisation_id=organisation_id)
    if status in {Person.Status.ACTIVE, Person.Status.LEFT}:
        queryset = queryset.filter(status=status)
    for word in search.replace("\x00", "").split()[:5]:
        queryset = queryset.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(employee_number__iexact=word)
            | Q(email__icontains=word)
            | Q(job_title__icontains=word)
        )
    return queryset.order_by("last_name", "first_name", "id")


def person_detail(user, person_id: int) -> Person | None:
    """One person the user may see, with what their page shows, in one query: their latest open
    invitation's dates come along as `invited_at` and `invitation_expires_at`."""
    from django.db.models import OuterRef, Subquery

    from cadre.core.models import Invitation

    invitations = Invitation.objects.filter(person=OuterRef("pk"), accepted_at__isnull=True).order_by("-created_at")
    return (
        people_visible_to(user)
        .select_related("organisation", "department", "tier", "line_manager", "endorser", "user")
        .annotate(
            invited_at=Subquery(invitations.values("created_at")[:1]),
            invitation_expires_at=Subquery(invitations.values("expires_at")[:1]),
        )
        .filter(pk=person_id)
        .first()
    )
