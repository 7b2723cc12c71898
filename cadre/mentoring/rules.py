"""Who may do what in mentoring. Predicates are named as sentences."""

import rules

from cadre.core.rules import is_ld_admin_of


@rules.predicate
def is_scheme_admin_of(user, scheme) -> bool:
    """The scheme's administrators: learning and development or organisation administrators of the
    organisation that runs it."""
    return scheme is not None and is_ld_admin_of(user, scheme.organisation_id)


@rules.predicate
def is_in_relationship(user, relationship) -> bool:
    """The mentee or the mentor of the relationship (nobody else, administrators included)."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None or relationship is None:
        return False
    return person.pk in (relationship.mentee_id, relationship.mentor.person_id)
