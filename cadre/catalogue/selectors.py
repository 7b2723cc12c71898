"""Reads of the catalogue, scoped to who asks: their organisation's published offerings, and those
of organisations in their networks that partners may book."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from cadre.catalogue.models import Offering, OfferingAttribute
from cadre.catalogue.search import ranked_ids
from cadre.core.models import NetworkMembership
from cadre.core.selectors import roles_by_organisation


def _member_organisations(user) -> set[int]:
    return set(roles_by_organisation(user))


def offerings_visible_to(user) -> QuerySet[Offering]:
    own = _member_organisations(user)
    networks = NetworkMembership.objects.filter(organisation_id__in=own).values("network_id")
    partners = NetworkMembership.objects.filter(network_id__in=networks).values("organisation_id")
    return Offering.objects.filter(status=Offering.Status.PUBLISHED).filter(
        Q(organisation_id__in=own) | Q(organisation_id__in=partners, partners_may_book=True)
    )


@dataclass
class Filters:
    text: str = ""
    kinds: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()


def catalogue_search(user, filters: Filters) -> list[Offering]:
    """The offerings the user may see that pass every filter, best match first when text is given
    (otherwise by title), with their tags."""
    found = offerings_visible_to(user)
    if filters.kinds:
        found = found.filter(kind__in=filters.kinds)
    if filters.modes:
        found = found.filter(mode__in=filters.modes)
    if filters.attributes:
        found = found.filter(attribute_tags__key__in=filters.attributes)
    if filters.tiers:
        found = found.filter(tier_tags__key__in=filters.tiers)
    found = found.distinct()
    order = ranked_ids(filters.text, found) if filters.text.strip() else None
    offerings = Offering.objects.filter(pk__in=order if order is not None else found.values("pk"))
    offerings = list(
        offerings.select_related("organisation").prefetch_related("attribute_tags", "tier_tags").order_by("title")
    )
    if order is not None:
        position = {pk: n for n, pk in enumerate(order)}
        offerings.sort(key=lambda o: position[o.pk])
    return offerings


def coverage(organisation_id: int, attribute_keys: list[str], tier_keys: list[str]) -> dict[tuple[str, str], int]:
    """How many of the organisation's published offerings build each attribute at each tier."""
    rows = (
        OfferingAttribute.objects.filter(
            offering__organisation_id=organisation_id, offering__status=Offering.Status.PUBLISHED
        )
        .filter(key__in=attribute_keys, offering__tier_tags__key__in=tier_keys)
        .values("key", "offering__tier_tags__key")
        .annotate(n=Count("offering", distinct=True))
    )
    return {(row["key"], row["offering__tier_tags__key"]): row["n"] for row in rows}
