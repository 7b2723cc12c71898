"""Who may do what with frameworks. Which frameworks a user may read is answered by
`selectors.versions_visible_to`; these predicates answer for one object."""

import rules

from cadre.people.rules import runs_development_in_persons_organisation

# L&D and organisation administrators place people in tiers by hand (or hand them back to the
# automatic assignment from grade and role type).
rules.add_perm("frameworks.set_person_tier", runs_development_in_persons_organisation)
