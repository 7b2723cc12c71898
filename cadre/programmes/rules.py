"""Who may do what with programmes and cohorts. Predicates are named as sentences.

- A programme's organisation's learning and development (and organisation) administrators run
  its programmes and cohorts: everything, including every individual's record.
- The selection panel scores applications; assessors sign off portfolio evidence.
- Steering group members read a cohort's progress and evaluation in aggregate and record
  decisions; they never see an individual's application, scores, evidence or assessments.
- A participant sees their own application, sessions and portfolio."""

from cadre.core.models import Role
from cadre.core.selectors import organisations_where


def is_programme_administrator(user, organisation_id: int) -> bool:
    return organisation_id in organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN)


def is_on_panel_of(user, cohort) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and cohort.panel.filter(pk=user.pk).exists()


def is_assessor_of(user, cohort) -> bool:
    if is_programme_administrator(user, cohort.organisation_id):
        return True
    return bool(getattr(user, "is_authenticated", False)) and cohort.assessors.filter(pk=user.pk).exists()


def is_steering_member_of(user, cohort) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and cohort.steering_members.filter(user=user).exists()


def may_read_cohort_progress(user, cohort) -> bool:
    """The aggregate view: progress, attendance rates, the evaluation report."""
    return is_programme_administrator(user, cohort.organisation_id) or is_steering_member_of(user, cohort)
