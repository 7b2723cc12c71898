"""Reads about frameworks, scoped to who asks, with a fixed number of queries per page.

Who sees which version of a framework:

- an organisation's own frameworks, every version (drafts included): its L&D and organisation
  administrators;
- an organisation's published and archived versions: everyone in the organisation;
- a network's shared frameworks, published and archived versions: everyone in an organisation
  in the network;
- national frameworks, published and archived versions: everyone signed in.

Another organisation's draft is never visible (a platform administrator excepted). Archived
versions stay readable, because assessments and plans made against them still point at them."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Prefetch, Q, QuerySet, When
from django.db.models import Value as V

from cadre.core.models import NetworkMembership, Organisation, Role
from cadre.core.selectors import organisations_where, roles_by_organisation
from cadre.frameworks.models import (
    Attribute,
    AttributeMapping,
    BehaviourIndicator,
    Framework,
    FrameworkVersion,
    GradeMapping,
    Tier,
    Value,
)

READABLE = (FrameworkVersion.Status.PUBLISHED, FrameworkVersion.Status.ARCHIVED)


def member_organisations(user) -> set[int]:
    """Ids of the organisations a user belongs to: where they hold any role, and their staff record's."""
    from cadre.people.selectors import person_of

    if not getattr(user, "is_authenticated", False):
        return set()
    ids = set(roles_by_organisation(user))
    me = person_of(user)
    if me is not None:
        ids.add(me.organisation_id)
    return ids


def _readable_by_organisations(organisation_ids, prefix: str = "") -> Q:
    """Published and archived versions of frameworks that these organisations may use."""
    networks = NetworkMembership.objects.filter(organisation_id__in=list(organisation_ids)).values("network_id")
    return Q(**{f"{prefix}status__in": READABLE}) & (
        Q(**{f"{prefix}framework__sharing": Framework.Sharing.NATIONAL})
        | Q(**{f"{prefix}framework__owner_organisation_id__in": list(organisation_ids)})
        | Q(**{f"{prefix}framework__owner_network_id__in": networks})
    )


def versions_visible_to(user) -> QuerySet[FrameworkVersion]:
    """Every framework version the user may read."""
    if not getattr(user, "is_authenticated", False):
        return FrameworkVersion.objects.none()
    if getattr(user, "is_superuser", False):
        return FrameworkVersion.objects.all()
    administered = organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN)
    condition = _readable_by_organisations(member_organisations(user))
    if administered:
        condition |= Q(framework__owner_organisation_id__in=administered)
    return FrameworkVersion.objects.filter(condition)


def frameworks_visible_to(user) -> QuerySet[Framework]:
    """Frameworks with at least one version the user may read."""
    return Framework.objects.filter(pk__in=versions_visible_to(user).values("framework_id"))


def versions_available_to(organisation: Organisation | int) -> QuerySet[FrameworkVersion]:
    """Published versions an organisation may use for its people: its own, its networks' and
    national ones."""
    organisation_id = getattr(organisation, "pk", organisation)
    return FrameworkVersion.objects.filter(
        _readable_by_organisations([organisation_id]), status=FrameworkVersion.Status.PUBLISHED
    )


def tiers_available_to(organisation: Organisation | int) -> QuerySet[Tier]:
    """Tiers a person of the organisation may be placed in, by framework then rank."""
    return (
        Tier.objects.filter(version__in=versions_available_to(organisation))
        .select_related("version__framework")
        .order_by("version__framework__name", "version__framework_id", "rank")
    )


def tiers_for_role_type(organisation: Organisation | int, role_type: str, *, keep: int | None = None) -> list[Tier]:
    """The tiers of the frameworks that apply to people of this role type (all of them when none
    does), and the tier `keep` wherever it is."""
    tiers = list(tiers_available_to(organisation))
    fitting = [t for t in tiers if role_type in (t.version.framework.role_types or []) or t.pk == keep]
    return fitting if any(t.pk != keep for t in fitting) else tiers


# --- the list ------------------------------------------------------------------------------------


@dataclass
class FrameworkRow:
    framework: Framework
    versions: list[FrameworkVersion]  # the ones the user may read, newest first

    @property
    def current(self) -> FrameworkVersion:
        """The version to open: the published one, else the newest the user may read."""
        published = [v for v in self.versions if v.status == FrameworkVersion.Status.PUBLISHED]
        return published[0] if published else self.versions[0]

    @property
    def draft(self) -> FrameworkVersion | None:
        return next((v for v in self.versions if v.status == FrameworkVersion.Status.DRAFT), None)


def framework_list(user) -> list[FrameworkRow]:
    """The frameworks the user may read, each with its readable versions (two queries)."""
    visible = versions_visible_to(user)
    frameworks = (
        Framework.objects.filter(pk__in=visible.values("framework_id"))
        .select_related("owner_organisation", "owner_network")
        .prefetch_related(
            Prefetch("versions", queryset=visible.order_by("-number"), to_attr="visible_versions"),
        )
        .order_by("name", "id")
    )
    return [FrameworkRow(framework=f, versions=f.visible_versions) for f in frameworks]


# --- one version -----------------------------------------------------------------------------------


def _version_query(user) -> QuerySet[FrameworkVersion]:
    return versions_visible_to(user).select_related(
        "framework__owner_organisation", "framework__owner_network", "previous"
    )


def version_for(user, framework_id: int, number: int | None = None) -> FrameworkVersion | None:
    """A version the user may read: the numbered one, or without a number the framework's current
    one (the published version, else the newest the user may read). One query."""
    versions = _version_query(user).filter(framework_id=framework_id)
    if number is not None:
        return versions.filter(number=number).first()
    published_first = Case(When(status=FrameworkVersion.Status.PUBLISHED, then=V(0)), default=V(1))
    return versions.order_by(published_first, "-number").first()


def tier_for(user, tier_id: int) -> Tier | None:
    """A tier, by id, in a version the user may read."""
    return Tier.objects.filter(pk=tier_id, version__in=versions_visible_to(user)).select_related("version").first()


def _positive(indicators):
    return [i for i in indicators if i.kind == BehaviourIndicator.Kind.POSITIVE]


def _negative(indicators):
    return [i for i in indicators if i.kind == BehaviourIndicator.Kind.NEGATIVE]


@dataclass
class Cell:
    tier: Tier
    positive: list[BehaviourIndicator]
    negative: list[BehaviourIndicator]


@dataclass
class MatrixRow:
    attribute: Attribute
    cells: list[Cell]


@dataclass
class Matrix:
    version: FrameworkVersion
    attributes: list[Attribute]
    tiers: list[Tier]
    rows: list[MatrixRow]


def _indicators_by_cell(version: FrameworkVersion) -> dict[tuple[int, int], list[BehaviourIndicator]]:
    cells: dict[tuple[int, int], list[BehaviourIndicator]] = defaultdict(list)
    for indicator in BehaviourIndicator.objects.filter(version=version).order_by("kind", "order", "id"):
        cells[(indicator.attribute_id, indicator.tier_id)].append(indicator)
    return cells


def version_matrix(version: FrameworkVersion) -> Matrix:
    """Attributes by tiers with the indicators in each cell (three queries, whatever the size)."""
    attributes = list(version.attributes.all())
    tiers = list(version.tiers.all())
    cells = _indicators_by_cell(version)
    rows = [
        MatrixRow(
            attribute=attribute,
            cells=[
                Cell(
                    tier=tier,
                    positive=_positive(cells[(attribute.pk, tier.pk)]),
                    negative=_negative(cells[(attribute.pk, tier.pk)]),
                )
                for tier in tiers
            ],
        )
        for attribute in attributes
    ]
    return Matrix(version=version, attributes=attributes, tiers=tiers, rows=rows)


@dataclass
class Overview:
    """What the framework's page shows: its parts, values, channels and key definitions."""

    version: FrameworkVersion
    attributes: list[Attribute]
    tiers: list[Tier]
    values: list[Value]
    channels_by_kind: list[tuple[str, list]]
    definitions: list
    mappings: list[AttributeMapping]
    versions: list[FrameworkVersion]  # every version of the framework the user may read
    unmapped: list[Attribute] = field(default_factory=list)  # attributes new in this version


def version_overview(user, version: FrameworkVersion) -> Overview:
    """Everything the framework's page shows, in a fixed number of queries."""
    attributes = list(version.attributes.all())
    tiers = list(version.tiers.all())
    values = list(version.values.prefetch_related("attributes"))
    channels: dict[str, list] = defaultdict(list)
    for channel in version.channels.all():
        channels[channel.get_kind_display()].append(channel)
    mappings = list(
        AttributeMapping.objects.filter(version=version)
        .select_related("attribute", "previous_attribute")
        .order_by("attribute__order", "attribute_id", "previous_attribute__order")
    )
    mapped = {m.attribute_id for m in mappings}
    return Overview(
        version=version,
        attributes=attributes,
        tiers=tiers,
        values=values,
        channels_by_kind=list(channels.items()),
        definitions=list(version.definitions.all()),
        mappings=mappings,
        versions=list(versions_visible_to(user).filter(framework_id=version.framework_id).order_by("-number")),
        unmapped=[a for a in attributes if a.pk not in mapped] if version.previous_id else [],
    )


@dataclass
class TierAtAttribute:
    tier: Tier
    positive: list[BehaviourIndicator]
    negative: list[BehaviourIndicator]


@dataclass
class AttributePage:
    attribute: Attribute
    by_tier: list[TierAtAttribute]
    values: list[Value]
    mapped_from: list[AttributeMapping]  # how it relates to the previous version's attributes

    @property
    def has_negative(self) -> bool:
        return any(t.negative for t in self.by_tier)


def attribute_page(version: FrameworkVersion, key: str) -> AttributePage | None:
    """One attribute with what it looks like at each tier (four queries after the attribute)."""
    attribute = version.attributes.filter(key=key).first()
    if attribute is None:
        return None
    tiers = list(version.tiers.all())
    indicators: dict[int, list] = defaultdict(list)
    for indicator in attribute.indicators.order_by("kind", "order", "id"):
        indicators[indicator.tier_id].append(indicator)
    return AttributePage(
        attribute=attribute,
        by_tier=[
            TierAtAttribute(tier=t, positive=_positive(indicators[t.pk]), negative=_negative(indicators[t.pk]))
            for t in tiers
        ],
        values=list(attribute.values.order_by("order", "id")),
        mapped_from=list(attribute.mapped_from.select_related("previous_attribute")),
    )


@dataclass
class AttributeAtTier:
    attribute: Attribute
    positive: list[BehaviourIndicator]
    negative: list[BehaviourIndicator]


@dataclass
class TierPage:
    tier: Tier
    grades: list[GradeMapping]
    attributes: list[AttributeAtTier]


def tier_page(version: FrameworkVersion, key: str) -> TierPage | None:
    """One tier with every attribute's indicators at it (four queries after the version)."""
    tier = version.tiers.filter(key=key).prefetch_related("grade_mappings").first()
    if tier is None:
        return None
    return _tier_page(version, tier)


def _tier_page(version: FrameworkVersion, tier: Tier) -> TierPage:
    indicators: dict[int, list] = defaultdict(list)
    for indicator in tier.indicators.order_by("kind", "order", "id"):
        indicators[indicator.attribute_id].append(indicator)
    return TierPage(
        tier=tier,
        grades=list(tier.grade_mappings.all()),
        attributes=[
            AttributeAtTier(attribute=a, positive=_positive(indicators[a.pk]), negative=_negative(indicators[a.pk]))
            for a in version.attributes.all()
        ],
    )


def expected_of(user) -> TierPage | None:
    """The tier page for the signed-in person's own tier, in the framework version it belongs to."""
    from cadre.people.selectors import person_of

    person = person_of(user)
    if person is None or person.tier_id is None:
        return None
    tier = (
        Tier.objects.filter(pk=person.tier_id, version__in=versions_visible_to(user))
        .select_related("version__framework__owner_organisation", "version__framework__owner_network")
        .prefetch_related("grade_mappings")
        .first()
    )
    if tier is None:
        return None
    return _tier_page(tier.version, tier)
