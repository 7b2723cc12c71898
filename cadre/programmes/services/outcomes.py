"""Where a cohort stands on the outcomes its programme promised that Cadre cannot measure by itself
(such as "greater unity among senior managers"): a status and the evidence for it, recorded by the
programme's administrators or the cohort's steering group."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.core.audit import audit_event
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.programmes.models import Cohort, Outcome, OutcomeStatus
from cadre.programmes.rules import may_read_cohort_progress

MAX_EVIDENCE = 10_000
# A judgement that the outcome was (or was not) reached says what shows it.
NEEDS_EVIDENCE = (
    OutcomeStatus.Status.ACHIEVED,
    OutcomeStatus.Status.PARTLY_ACHIEVED,
    OutcomeStatus.Status.NOT_ACHIEVED,
)


def outcome_status_record(*, cohort: Cohort, actor, outcome: Outcome, status: str, evidence: str) -> OutcomeStatus:
    """Record (or change) the status of one of the programme's recorded outcomes for this cohort."""
    if not may_read_cohort_progress(actor, cohort):
        raise PermissionDenied("Only the programme's administrators and the cohort's steering group record outcomes.")
    problems = []
    if outcome.programme_id != cohort.programme_id:
        problems.append(Problem("Choose an outcome of this cohort's programme.", field="outcome"))
    elif outcome.measure != Outcome.Measure.RECORDED:
        problems.append(
            Problem(
                f"{outcome.title} is measured by Cadre from its own records, so there is nothing to record.",
                field="outcome",
            )
        )
    if status not in OutcomeStatus.Status.values:
        problems.append(Problem(f"Choose where {outcome.title} stands.", field="status"))
    elif status in NEEDS_EVIDENCE and not evidence.strip():
        problems.append(
            Problem(
                f"Give the evidence that shows {outcome.title} is {OutcomeStatus.Status(status).label.lower()}.",
                field="evidence",
            )
        )
    if len(evidence) > MAX_EVIDENCE:
        problems.append(Problem(f"The evidence must be {MAX_EVIDENCE:,} characters or fewer.", field="evidence"))
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic(durable=True):
            recorded, _created = OutcomeStatus.objects.update_or_create(
                cohort=cohort,
                outcome=outcome,
                defaults={
                    "status": status,
                    "evidence": evidence.strip(),
                    "recorded_by": actor,
                    "recorded_at": timezone.now(),
                },
            )
            audit_event(
                actor=actor,
                event="cohort.outcome_recorded",
                target=cohort,
                data={"outcome": outcome.pk, "status": status},
            )
    except IntegrityError as error:
        # Two people recorded the same outcome at the same moment: the other one was saved.
        raise ValidationError(
            Problem(f"Someone else has just recorded {outcome.title}: read what they saved, then change it if need be.")
        ) from error
    return recorded
