"""Who may do what in core. Predicates are named as sentences."""

import rules

from cadre.core.models import Role
from cadre.core.selectors import roles_of


@rules.predicate
def is_platform_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def _holds(role: str):
    @rules.predicate(name=f"holds_{role}_in")
    def predicate(user, organisation) -> bool:
        if organisation is None:
            return False
        organisation_id = getattr(organisation, "pk", organisation)
        return role in roles_of(user, organisation_id)

    return predicate


is_organisation_admin_of = _holds(Role.ORG_ADMIN) | is_platform_admin
is_ld_admin_of = _holds(Role.LD_ADMIN) | is_organisation_admin_of
is_executive_viewer_of = _holds(Role.EXECUTIVE_VIEWER)
is_equality_officer_of = _holds(Role.EQUALITY_OFFICER)

rules.add_perm("core.view_audit_log", is_organisation_admin_of)
rules.add_perm("core.manage_organisation", is_organisation_admin_of)
rules.add_perm("people.import_people", is_ld_admin_of)
