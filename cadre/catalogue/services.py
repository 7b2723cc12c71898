"""Writes to the catalogue: adding and changing offerings, by the organisation's learning and
development administrators. Every problem is reported at once and nothing is half-written."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.catalogue.models import Offering, OfferingAttribute, OfferingTier
from cadre.catalogue.search import index_offering
from cadre.core.audit import audit_event
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.core.models import Organisation, Role
from cadre.core.selectors import organisations_where
from cadre.frameworks.models import Framework, FrameworkVersion


def may_manage_catalogue(user, organisation_id: int) -> bool:
    return organisation_id in organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN)


@dataclass
class OfferingDetails:
    kind: str
    title: str
    summary: str
    mode: str
    description: str = ""
    provider: str = ""
    location: str = ""
    duration: str = ""
    cost: Decimal | None = None
    accreditation: str = ""
    eligibility: str = ""
    partners_may_book: bool = False
    framework: Framework | None = None
    attributes: list[str] = field(default_factory=list)
    tiers: list[str] = field(default_factory=list)
    status: str = Offering.Status.PUBLISHED


def _problems(organisation: Organisation, details: OfferingDetails, offering: Offering | None) -> list[Problem]:
    problems = []
    if not details.title.strip():
        problems.append(Problem("Enter the offering's title.", field="title"))
    elif (
        Offering.objects.filter(organisation=organisation, title__iexact=details.title.strip())
        .exclude(pk=getattr(offering, "pk", None))
        .exists()
    ):
        problems.append(Problem("The catalogue already has an offering with this title.", field="title"))
    if not details.summary.strip():
        problems.append(Problem("Enter a one-line summary.", field="summary"))
    if details.kind not in Offering.Kind.values:
        problems.append(Problem("Choose the kind of offering.", field="kind"))
    if details.mode not in Offering.Mode.values:
        problems.append(Problem("Choose how it is delivered.", field="mode"))
    if details.status not in Offering.Status.values:
        problems.append(Problem("Choose whether it is published.", field="status"))
    if details.cost is not None and details.cost < 0:
        problems.append(Problem("The cost cannot be below nothing.", field="cost"))
    if details.framework is not None:
        version = details.framework.versions.filter(status=FrameworkVersion.Status.PUBLISHED).first()
        keys = set(version.attributes.values_list("key", flat=True)) if version else set()
        tiers = set(version.tiers.values_list("key", flat=True)) if version else set()
        if set(details.attributes) - keys:
            problems.append(Problem("Choose attributes of the framework's published version.", field="attributes"))
        if set(details.tiers) - tiers:
            problems.append(Problem("Choose tiers of the framework's published version.", field="tiers"))
    elif details.attributes or details.tiers:
        problems.append(Problem("Choose the framework the attributes and tiers belong to.", field="framework"))
    return problems


def offering_save(
    *, organisation: Organisation, actor, details: OfferingDetails, offering: Offering | None = None
) -> Offering:
    if not may_manage_catalogue(actor, organisation.pk):
        raise PermissionDenied("Only the organisation's learning and development administrators change its catalogue.")
    problems = _problems(organisation, details, offering)
    if problems:
        raise ValidationError(problems)
    fields = {
        "kind": details.kind,
        "title": details.title.strip(),
        "summary": details.summary.strip(),
        "description": details.description.strip(),
        "provider": details.provider.strip(),
        "mode": details.mode,
        "location": details.location.strip(),
        "duration": details.duration.strip(),
        "cost": details.cost,
        "accreditation": details.accreditation.strip(),
        "eligibility": details.eligibility.strip(),
        "partners_may_book": details.partners_may_book,
        "framework": details.framework,
        "status": details.status,
    }
    try:
        with transaction.atomic(durable=True):
            if offering is None:
                offering = Offering.objects.create(organisation=organisation, **fields)
                event = "catalogue.offering_added"
            else:
                for name, value in fields.items():
                    setattr(offering, name, value)
                offering.updated_at = timezone.now()
                offering.save()
                event = "catalogue.offering_changed"
            offering.attribute_tags.all().delete()
            offering.tier_tags.all().delete()
            OfferingAttribute.objects.bulk_create(
                OfferingAttribute(offering=offering, key=k) for k in dict.fromkeys(details.attributes)
            )
            OfferingTier.objects.bulk_create(
                OfferingTier(offering=offering, key=k) for k in dict.fromkeys(details.tiers)
            )
            index_offering(offering)
            audit_event(actor=actor, event=event, target=offering, data={"title": offering.title})
    except IntegrityError as error:
        raise ValidationError(
            Problem("The catalogue already has an offering with this title.", field="title")
        ) from error
    return offering
