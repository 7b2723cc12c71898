"""Who may do what with people. Line-manager rights come from the line-management chain, not a role.

Lists are scoped by `selectors.people_visible_to`; these predicates answer for one person, and
tests hold the two to the same answer."""

import rules

from cadre.core.rules import is_executive_viewer_of, is_ld_admin_of, is_organisation_admin_of
from cadre.people.selectors import managers_above, person_of


@rules.predicate
def is_line_manager_of(user, person) -> bool:
    """The user manages the person directly or further up their chain."""
    me = person_of(user)
    if me is None or person is None or me.pk == person.pk:
        return False
    return me.pk in managers_above(person.pk)


@rules.predicate
def is_self(user, person) -> bool:
    me = person_of(user)
    return me is not None and person is not None and me.pk == person.pk


@rules.predicate
def administers_persons_organisation(user, person) -> bool:
    return person is not None and is_organisation_admin_of(user, person.organisation_id)


@rules.predicate
def runs_development_in_persons_organisation(user, person) -> bool:
    return person is not None and is_ld_admin_of(user, person.organisation_id)


@rules.predicate
def sees_persons_whole_organisation(user, person) -> bool:
    return person is not None and (
        is_ld_admin_of(user, person.organisation_id) or is_executive_viewer_of(user, person.organisation_id)
    )


rules.add_perm("people.view_person", is_self | is_line_manager_of | sees_persons_whole_organisation)
rules.add_perm("people.invite_person", runs_development_in_persons_organisation)
rules.add_perm("people.manage_personal_data", administers_persons_organisation)
