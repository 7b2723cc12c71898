"""How diagnostics exports and erases one person's data.

As the person asked about: their campaigns, their own self-assessment answers and, for released
360s, the report's figures (aggregates only, as they were shown to them). As a rater: how many
times they were asked and whether they answered, never what they said: an export may be read by
an administrator, and a rater's answers about a colleague must not reach anyone through it.

Erasure keeps figures intact (rows stay) and removes identity: the name and address a rater's link
went to, and the person's own comments about themselves."""

from cadre.core import privacy
from cadre.diagnostics.models import Comment, RaterGroup, Response, Subject


def _export(person) -> dict:
    from cadre.diagnostics.reports import report_for

    subjects = Subject.objects.filter(person=person).select_related("campaign", "tier").order_by("created_at")
    asked_about = []
    for subject in subjects:
        entry = {
            "campaign": subject.campaign.name,
            "kind": subject.campaign.get_kind_display(),
            "tier": subject.tier.name,
            "started": subject.created_at.isoformat(),
        }
        own = subject.responses.filter(group=RaterGroup.SELF).first()
        if own is not None:
            entry["own_answers"] = [
                {"statement": r.item.indicator.text, "answer": r.value}
                for r in own.ratings.select_related("item__indicator").order_by("item__order")
            ]
            entry["own_comments"] = [
                {"attribute": c.attribute.name, "kind": c.get_kind_display(), "text": c.text}
                for c in own.comments.select_related("attribute")
            ]
        if subject.released_at is not None:
            report = report_for(subject)
            entry["report"] = [
                {
                    "attribute": row.attribute.name,
                    "self": row.self_value,
                    "others": row.others.mean,
                    "others_count": row.others.count,
                }
                for row in report.attributes
            ]
        asked_about.append(entry)
    rater = []
    if person.email:
        for response in Response.objects.filter(email__iexact=person.email).exclude(group=RaterGroup.SELF):
            rater.append(
                {"asked_on": response.created_at.isoformat(), "answered": response.status == Response.Status.SUBMITTED}
            )
    return {"asked_about": asked_about, "asked_for_feedback": rater}


def _erase(person) -> None:
    if person.email:
        Response.objects.filter(email__iexact=person.email).exclude(group=RaterGroup.SELF).update(name="", email="")
    Comment.objects.filter(response__subject__person=person, response__group=RaterGroup.SELF).delete()


privacy.register(app="diagnostics", export=_export, erase=_erase)
