"""Who may do what with people. Line-manager rights come from the line-management chain."""

import rules

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
