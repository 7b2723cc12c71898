"""How the learning app exports and erases one person's data.

Export: every learning request the person made, with their reasons, the decisions, completion and
the evidence they gave (a file by its name). Erasure keeps the rows, so counts of requests and
completions per offering still add up, and removes what identifies or describes the person: their
reasons and evidence, evidence files, and their name where they decided or recorded someone else's."""

from django.core.files.storage import default_storage
from django.db import transaction

from cadre.core import privacy
from cadre.learning.models import LearningRequest

ERASED = "(erased)"


def _export(person) -> dict:
    requests = LearningRequest.objects.filter(person=person).select_related("offering").order_by("created_at", "id")
    return {
        "requests": [
            {
                "offering": r.offering.title,
                "kind": r.offering.get_kind_display(),
                "provider": r.offering.provider,
                "status": r.get_status_display(),
                "reason": r.reason,
                "attributes": [a.get("name") or a.get("key") for a in r.attributes],
                "preferred_start": r.preferred_start,
                "requested_at": r.created_at.isoformat(),
                "decided_by": r.decided_by_name or None,
                "decided_at": r.decided_at.isoformat() if r.decided_at else None,
                "decision_reason": r.decision_reason or None,
                "cancelled_at": r.cancelled_at.isoformat() if r.cancelled_at else None,
                "completed_on": r.completed_on.isoformat() if r.completed_on else None,
                "recorded_by": r.get_recorded_by_display() if r.recorded_by else None,
                "evidence": r.evidence or None,
                "evidence_file": r.evidence_file_name or None,
            }
            for r in requests
        ]
    }


def _erase(person) -> None:
    own = LearningRequest.objects.filter(person=person)
    files = list(own.exclude(evidence_file="").values_list("evidence_file", flat=True))
    # The files go once the erasure is committed: a rolled-back erasure keeps them.
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    own.update(
        reason=ERASED,
        preferred_start="",
        evidence="",
        evidence_file="",
        evidence_file_name="",
        evidence_content_type="",
    )
    own.exclude(decision_reason="").update(decision_reason=ERASED)
    if person.user_id:
        LearningRequest.objects.filter(decided_by_id=person.user_id).update(decided_by_name=ERASED)
        LearningRequest.objects.filter(recorded_by_user_id=person.user_id).update(recorded_by_name=ERASED)


privacy.register(app="learning", export=_export, erase=_erase)
