"""Reads about organisations and roles, scoped to who asks."""

from django.db.models import QuerySet

from cadre.core.models import AuditEntry, Membership, Organisation, Role


def roles_of(user, organisation_id: int) -> set[str]:
    """The roles a user holds in one organisation (cached on the user for the request)."""
    return roles_by_organisation(user).get(organisation_id, set())


def roles_by_organisation(user) -> dict[int, set[str]]:
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_cadre_roles", None)
    if cached is None:
        cached = {}
        for organisation_id, role in Membership.objects.filter(user=user).values_list("organisation_id", "role"):
            cached.setdefault(organisation_id, set()).add(role)
        user._cadre_roles = cached
    return cached


def organisations_where(user, *roles: str) -> list[int]:
    """Ids of organisations where the user holds any of the roles (all of them for a platform admin)."""
    if getattr(user, "is_superuser", False):
        return list(Organisation.objects.values_list("id", flat=True))
    wanted = set(roles)
    return [org_id for org_id, held in roles_by_organisation(user).items() if held & wanted]


def organisations_administered_by(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(id__in=organisations_where(user, Role.ORG_ADMIN))


def audit_entries_visible_to(user, organisation: Organisation) -> QuerySet[AuditEntry]:
    if organisation.pk not in organisations_where(user, Role.ORG_ADMIN):
        return AuditEntry.objects.none()
    return (
        AuditEntry.objects.filter(organisation=organisation)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")
    )
