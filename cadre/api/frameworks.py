"""Frameworks in the API: the ones the signed-in user may read, and one version in full
(attributes, tiers with their grades, behaviour indicators, values, channels, key definitions and
how its attributes map to the previous version). Another organisation's draft is a 404."""

from datetime import datetime

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate

from cadre.api.people import ERRORS, MAX_ID, Pagination, ProblemOut
from cadre.frameworks.models import AttributeMapping, BehaviourIndicator, Tier, Value
from cadre.frameworks.selectors import framework_list, version_for

router = Router(tags=["frameworks"])

MAX_NUMBER = 2**31 - 1  # a version number is a PositiveIntegerField


class VersionSummaryOut(Schema):
    number: int
    status: str
    published_at: datetime | None
    archived_at: datetime | None


class FrameworkOut(Schema):
    id: int
    slug: str
    name: str
    audience: str
    description: str
    role_types: list[str]
    sharing: str
    owner_organisation_id: int | None
    owner_network_id: int | None
    versions: list[VersionSummaryOut]


class AttributeOut(Schema):
    id: int
    key: str
    name: str
    statement: str
    status: str
    is_focus: bool
    order: int
    diversity_and_inclusion: str


class TierOut(Schema):
    id: int
    key: str
    name: str
    rank: int
    audience: str
    description: str
    grades: list[str]

    @staticmethod
    def resolve_grades(tier) -> list[str]:
        return [m.grade for m in tier.grade_mappings.all()]


class IndicatorOut(Schema):
    id: int
    key: str
    attribute: str
    tier: str
    kind: str
    text: str
    order: int

    @staticmethod
    def resolve_attribute(indicator) -> str:
        return indicator.attribute.key

    @staticmethod
    def resolve_tier(indicator) -> str:
        return indicator.tier.key


class ValueOut(Schema):
    key: str
    name: str
    description: str
    attributes: list[str]

    @staticmethod
    def resolve_attributes(value) -> list[str]:
        return [a.key for a in value.attributes.all()]


class ChannelOut(Schema):
    kind: str
    name: str
    description: str


class DefinitionOut(Schema):
    term: str
    meaning: str


class MappingOut(Schema):
    attribute: str
    previous_attribute: str
    relation: str

    @staticmethod
    def resolve_attribute(mapping) -> str:
        return mapping.attribute.key

    @staticmethod
    def resolve_previous_attribute(mapping) -> str:
        return mapping.previous_attribute.key


class VersionOut(Schema):
    framework_id: int
    framework: str
    number: int
    status: str
    name: str
    audience: str
    description: str
    role_types: list[str]
    previous_number: int | None
    change_note: str
    published_at: datetime | None
    archived_at: datetime | None
    attributes: list[AttributeOut]
    tiers: list[TierOut]
    indicators: list[IndicatorOut]
    values: list[ValueOut]
    channels: list[ChannelOut]
    definitions: list[DefinitionOut]
    attribute_mappings: list[MappingOut]

    @staticmethod
    def resolve_framework(version) -> str:
        return version.framework.name

    @staticmethod
    def resolve_role_types(version) -> list[str]:
        return list(version.role_types or [])

    @staticmethod
    def resolve_previous_number(version) -> int | None:
        return version.previous.number if version.previous_id else None

    @staticmethod
    def resolve_attributes(version):
        return version.attributes.all()

    @staticmethod
    def resolve_tiers(version):
        return version.tiers.all()

    @staticmethod
    def resolve_indicators(version):
        return version.indicators.all()

    @staticmethod
    def resolve_values(version):
        return version.values.all()

    @staticmethod
    def resolve_channels(version):
        return version.channels.all()

    @staticmethod
    def resolve_definitions(version):
        return version.definitions.all()

    @staticmethod
    def resolve_attribute_mappings(version):
        return version.attribute_mappings.all()


def _framework_out(row) -> dict:
    framework = row.framework
    return {
        "id": framework.pk,
        "slug": framework.slug,
        "name": framework.name,
        "audience": framework.audience,
        "description": framework.description,
        "role_types": list(framework.role_types or []),
        "sharing": framework.sharing,
        "owner_organisation_id": framework.owner_organisation_id,
        "owner_network_id": framework.owner_network_id,
        "versions": row.versions,
    }


@router.get("/frameworks", response={200: list[FrameworkOut], **ERRORS}, summary="Frameworks you may read")
@paginate(Pagination)
def list_frameworks(request):
    return [_framework_out(row) for row in framework_list(request.user)]


@router.get(
    "/frameworks/{framework_id}",
    response={200: VersionOut, 404: ProblemOut, **ERRORS},
    summary="A framework's current version, in full",
)
def get_framework(request, framework_id: int = Path(..., ge=1, le=MAX_ID)):
    return _version_in_full(request, framework_id, None)


@router.get(
    "/frameworks/{framework_id}/versions/{number}",
    response={200: VersionOut, 404: ProblemOut, **ERRORS},
    summary="One version of a framework, in full",
)
def get_version(request, framework_id: int = Path(..., ge=1, le=MAX_ID), number: int = Path(..., ge=1, le=MAX_NUMBER)):
    return _version_in_full(request, framework_id, number)


def _version_in_full(request, framework_id: int, number: int | None):
    version = version_for(request.user, framework_id, number)
    if version is None:
        raise Http404
    # One query per kind, however large the framework.
    prefetch_related_objects(
        [version],
        "attributes",
        Prefetch("tiers", queryset=Tier.objects.prefetch_related("grade_mappings")),
        Prefetch("indicators", queryset=BehaviourIndicator.objects.select_related("attribute", "tier")),
        Prefetch("values", queryset=Value.objects.prefetch_related("attributes")),
        "channels",
        "definitions",
        Prefetch(
            "attribute_mappings",
            queryset=AttributeMapping.objects.select_related("attribute", "previous_attribute"),
        ),
    )
    return version


# Attributes, tiers and indicators on their own, for integrators that want one kind at a time.
# {number} may be "current" for the version a reader sees by default.


def _version(request, framework_id: int, number: str):
    if number != "current" and (not number.isascii() or not number.isdigit() or not 1 <= int(number) <= MAX_NUMBER):
        raise Http404
    version = version_for(request.user, framework_id, None if number == "current" else int(number))
    if version is None:
        raise Http404
    return version


@router.get(
    "/frameworks/{framework_id}/versions/{number}/attributes",
    response={200: list[AttributeOut], 404: ProblemOut, **ERRORS},
    summary="A version's attributes (number may be 'current')",
)
def list_attributes(request, framework_id: int = Path(..., ge=1, le=MAX_ID), number: str = Path(..., max_length=12)):
    return list(_version(request, framework_id, number).attributes.all())


@router.get(
    "/frameworks/{framework_id}/versions/{number}/attributes/{key}",
    response={200: AttributeOut, 404: ProblemOut, **ERRORS},
    summary="One attribute of a version, by its key",
)
def get_attribute(
    request,
    framework_id: int = Path(..., ge=1, le=MAX_ID),
    number: str = Path(..., max_length=12),
    key: str = Path(..., max_length=80),
):
    attribute = _version(request, framework_id, number).attributes.filter(key=key).first()
    if attribute is None:
        raise Http404
    return attribute


@router.get(
    "/frameworks/{framework_id}/versions/{number}/tiers",
    response={200: list[TierOut], 404: ProblemOut, **ERRORS},
    summary="A version's tiers, lowest rank first (number may be 'current')",
)
def list_tiers(request, framework_id: int = Path(..., ge=1, le=MAX_ID), number: str = Path(..., max_length=12)):
    return list(_version(request, framework_id, number).tiers.prefetch_related("grade_mappings"))


@router.get(
    "/frameworks/{framework_id}/versions/{number}/indicators",
    response={200: list[IndicatorOut], 404: ProblemOut, **ERRORS},
    summary="A version's behaviour indicators, optionally for one attribute or tier (by key)",
)
def list_indicators(
    request,
    framework_id: int = Path(..., ge=1, le=MAX_ID),
    number: str = Path(..., max_length=12),
    attribute: str = Query("", max_length=80),
    tier: str = Query("", max_length=80),
):
    indicators = _version(request, framework_id, number).indicators.select_related("attribute", "tier")
    if attribute:
        indicators = indicators.filter(attribute__key=attribute)
    if tier:
        indicators = indicators.filter(tier__key=tier)
    return list(indicators)
