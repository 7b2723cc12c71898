"""Reads for the editing pages, scoped to the frameworks the user may edit."""

from django.db.models import Count, Prefetch, Q, QuerySet

from cadre.core.models import Role
from cadre.core.selectors import organisations_where
from cadre.frameworks.models import (
    Attribute,
    AttributeMapping,
    BehaviourIndicator,
    Framework,
    FrameworkVersion,
    Tier,
    Value,
)


def organisations_editing_frameworks(user) -> list[int]:
    """The organisations whose frameworks the user edits: as L&D or organisation administrator."""
    return organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN)


def may_manage_frameworks(user) -> bool:
    """Whether the user sees the management pages at all: an L&D or organisation administrator,
    or a platform administrator (who manages network and national frameworks too)."""
    return getattr(user, "is_superuser", False) or bool(organisations_editing_frameworks(user))


def _editable(user) -> Q:
    """Frameworks the user manages: their organisations' own and, for a platform administrator,
    every network's and every national framework."""
    condition = Q(owner_organisation_id__in=organisations_editing_frameworks(user))
    if getattr(user, "is_superuser", False):
        condition |= Q(sharing__in=[Framework.Sharing.NETWORK, Framework.Sharing.NATIONAL])
    return condition


def frameworks_editable_by(user) -> QuerySet[Framework]:
    """Frameworks the user manages (see `_editable`), with each one's latest version number and
    whether it has a draft or a published version."""
    return (
        Framework.objects.filter(_editable(user))
        .select_related("owner_organisation", "owner_network")
        .annotate(
            version_count=Count("versions"),
            draft_count=Count("versions", filter=Q(versions__status=FrameworkVersion.Status.DRAFT)),
            published_count=Count("versions", filter=Q(versions__status=FrameworkVersion.Status.PUBLISHED)),
        )
        .order_by("owner_organisation__name", "owner_network__name", "name")
    )


def framework_editable_by(user, framework_id: int) -> Framework | None:
    return (
        Framework.objects.filter(_editable(user), pk=framework_id)
        .select_related("owner_organisation", "owner_network")
        .first()
    )


def working_version(framework: Framework) -> FrameworkVersion | None:
    """The version the editing pages show: the draft, or else the latest version."""
    versions = list(framework.versions.select_related("previous").order_by("-number"))
    return next((v for v in versions if v.status == FrameworkVersion.Status.DRAFT), versions[0] if versions else None)


def version_contents(version: FrameworkVersion) -> dict:
    """Everything in a version for its overview page, in a fixed number of queries."""
    attributes = list(
        version.attributes.annotate(
            positive_count=Count("indicators", filter=Q(indicators__kind=BehaviourIndicator.Kind.POSITIVE)),
            negative_count=Count("indicators", filter=Q(indicators__kind=BehaviourIndicator.Kind.NEGATIVE)),
        ).prefetch_related(
            Prefetch(
                "mapped_from",
                queryset=AttributeMapping.objects.select_related("previous_attribute").order_by(
                    "previous_attribute__order", "previous_attribute__name"
                ),
            )
        )
    )
    return {
        "attributes": attributes,
        "tiers": list(version.tiers.prefetch_related("grade_mappings")),
        "values": list(
            version.values.prefetch_related(Prefetch("attributes", queryset=Attribute.objects.order_by("order", "id")))
        ),
        "channels": list(version.channels.all()),
        "definitions": list(version.definitions.all()),
    }


def attribute_cells(attribute: Attribute) -> list[dict]:
    """For each tier of the attribute's version, what the attribute looks like there and what it does not."""
    indicators = list(attribute.indicators.all())
    cells = []
    for tier in Tier.objects.filter(version_id=attribute.version_id):
        here = [i for i in indicators if i.tier_id == tier.pk]
        cells.append(
            {
                "tier": tier,
                "positive": [i for i in here if i.kind == BehaviourIndicator.Kind.POSITIVE],
                "negative": [i for i in here if i.kind == BehaviourIndicator.Kind.NEGATIVE],
            }
        )
    return cells


def values_of(version: FrameworkVersion) -> QuerySet[Value]:
    return version.values.prefetch_related("attributes")
