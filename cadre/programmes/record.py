"""Programme places in a person's learning record (`cadre.learning.record`): each programme the
person took part in or completed, with the cohort's dates, and the certificate once completed.
Two queries, whatever the number of places."""

from django.urls import reverse
from django.utils import timezone

from cadre.frameworks.models import Attribute, FrameworkVersion
from cadre.learning.record import RecordEntry
from cadre.programmes.models import Application


def programme_places(person) -> list[RecordEntry]:
    places = list(
        Application.objects.filter(
            person=person, status__in=(Application.Status.ACCEPTED, Application.Status.COMPLETED)
        )
        .select_related("cohort", "cohort__programme", "cohort__organisation")
        .order_by("-cohort__starts_on", "-pk")
    )
    frameworks = {a.cohort.programme.framework_id for a in places} - {None}
    names = {}
    if frameworks:
        names = {
            (framework_id, key): name
            for framework_id, key, name in Attribute.objects.filter(
                version__framework_id__in=frameworks, version__status=FrameworkVersion.Status.PUBLISHED
            ).values_list("version__framework_id", "key", "name")
        }
    entries = []
    for place in places:
        cohort, programme = place.cohort, place.cohort.programme
        completed = place.status == Application.Status.COMPLETED
        certificate = reverse("credentials:pdf", args=[place.credential_uuid]) if place.credential_uuid else ""
        badge = reverse("credentials:credential", args=[place.credential_uuid]) if place.credential_uuid else ""
        entries.append(
            RecordEntry(
                source="programme",
                title=programme.title,
                kind="Programme",
                status="completed" if completed else "approved",
                status_label="Completed" if completed else "Taking part",
                provider=cohort.organisation.name,
                requested_on=timezone.localdate(place.submitted_at) if place.submitted_at else None,
                approved_on=timezone.localdate(place.responded_at) if place.responded_at else cohort.starts_on,
                completed_on=timezone.localdate(place.completed_at) if completed and place.completed_at else None,
                attributes=tuple(
                    names.get((programme.framework_id, key), key) for key in programme.evidence_attributes
                ),
                duration=f"{cohort.name}: {cohort.starts_on:%-d %B %Y} to {cohort.ends_on:%-d %B %Y}",
                url=badge or reverse("programmes:portfolio", args=[place.pk]),
                extra={
                    "cohort": cohort.name,
                    "starts_on": cohort.starts_on,
                    "ends_on": cohort.ends_on,
                    "certificate_url": certificate,
                    "badge_url": badge,
                },
            )
        )
    return entries
