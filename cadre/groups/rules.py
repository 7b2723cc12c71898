"""Who may do what with groups. Predicates are named as sentences.

- The learning and development (and organisation) administrators of a set's organisation form
  groups, move people, choose the facilitator, and see members, schedule, rota and attendance.
- The facilitator runs the set: meetings, the rota, the register and the log.
- Members see their set and read and write its log.
- The log is read only by the members and the facilitator: being an administrator (even of the
  whole platform) is not enough."""

from cadre.core.models import Role
from cadre.core.selectors import organisations_where
from cadre.people.selectors import person_of


def is_groups_administrator(user, organisation_id: int) -> bool:
    return organisation_id in organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN)


def is_facilitator_of(user, learning_set) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and learning_set.facilitator_id == user.pk


def is_member_of(user, learning_set) -> bool:
    me = person_of(user)
    return me is not None and learning_set.members.filter(person=me).exists()


def may_read_log(user, learning_set) -> bool:
    """Members and the facilitator only."""
    return is_facilitator_of(user, learning_set) or is_member_of(user, learning_set)


def may_run_meetings(user, learning_set) -> bool:
    """Add and change meetings, set the rota and take the register."""
    return is_facilitator_of(user, learning_set) or is_groups_administrator(user, learning_set.organisation_id)
