"""The development catalogue over the API: the offerings the caller may see, filtered and searched
as on the catalogue page, and one offering."""

from decimal import Decimal

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from cadre.api.people import ERRORS, MAX_ID, Pagination, ProblemOut
from cadre.catalogue.models import Offering
from cadre.catalogue.selectors import Filters, catalogue_search, offerings_visible_to

router = Router(tags=["catalogue"])


class OfferingOut(Schema):
    id: int
    organisation_id: int
    kind: str
    title: str
    summary: str
    description: str
    provider: str
    mode: str
    location: str
    duration: str
    cost: Decimal | None
    accreditation: str
    eligibility: str
    partners_may_book: bool
    framework_id: int | None
    attributes: list[str]
    tiers: list[str]

    @staticmethod
    def resolve_attributes(offering) -> list[str]:
        return [t.key for t in offering.attribute_tags.all()]

    @staticmethod
    def resolve_tiers(offering) -> list[str]:
        return [t.key for t in offering.tier_tags.all()]


class CatalogueFiltersIn(Schema):
    q: str = Field("", max_length=200, description="Words to search for; best match first.")
    kind: list[str] = Field(default_factory=list, description="Kinds of offering (any of).")
    mode: list[str] = Field(default_factory=list, description="How delivered (any of).")
    attribute: list[str] = Field(default_factory=list, description="Attribute keys (any of).")
    tier: list[str] = Field(default_factory=list, description="Tier keys (any of).")


@router.get(
    "/catalogue",
    response={200: list[OfferingOut], **ERRORS},
    summary="Offerings you may see, best match first when searched",
)
@paginate(Pagination)
def list_offerings(request, filters: Query[CatalogueFiltersIn]):
    chosen = Filters(
        text=filters.q.replace("\x00", ""),
        kinds=tuple(k for k in filters.kind if k in Offering.Kind.values),
        modes=tuple(m for m in filters.mode if m in Offering.Mode.values),
        attributes=tuple(a[:80].replace("\x00", "") for a in filters.attribute),
        tiers=tuple(t[:80].replace("\x00", "") for t in filters.tier),
    )
    return catalogue_search(request.user, chosen)


@router.get("/catalogue/{offering_id}", response={200: OfferingOut, 404: ProblemOut, **ERRORS}, summary="One offering")
def get_offering(request, offering_id: int = Path(..., ge=1, le=MAX_ID)):
    found = offerings_visible_to(request.user).prefetch_related("attribute_tags", "tier_tags").filter(pk=offering_id)
    offering = found.first()
    if offering is None:
        raise Http404("No such offering.")
    return offering
