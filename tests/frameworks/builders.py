"""Frameworks with content, made straight in the database for tests of reading and assignment."""

from django.utils import timezone

from cadre.frameworks.models import (
    Attribute,
    AttributeMapping,
    BehaviourIndicator,
    Channel,
    Definition,
    Framework,
    FrameworkVersion,
    GradeMapping,
    Tier,
    Value,
)
from cadre.frameworks.services import framework_details

ATTRIBUTE_NAMES = ["Collaborative", "Agile", "Accountable", "Courageous", "Strategic", "Compassionate", "Commercial"]
TIER_NAMES = ["Aspiring manager", "Core manager", "Developing manager", "Aspiring leader", "Senior leader"]


def framework(*, organisation=None, network=None, national=False, name="Officers' framework", role_types=("officer",)):
    sharing = "organisation" if organisation else "network" if network else "national"
    return Framework.objects.create(
        name=name,
        slug=name.lower().replace("'", "").replace(" ", "-"),
        owner_organisation=organisation,
        owner_network=network,
        sharing=sharing,
        role_types=list(role_types),
        audience="officers",
        description=f"{name}: what good leadership looks like here.",
    )


def version(
    owner: Framework,
    *,
    number=1,
    status=FrameworkVersion.Status.PUBLISHED,
    attributes=2,
    tiers=2,
    previous=None,
    grades=True,
) -> FrameworkVersion:
    """A version with `attributes` × `tiers` cells, each with two positive indicators and one
    negative, one value supported by every attribute, a channel and a key definition. Tiers of an
    organisation's framework have grades G<rank>A and G<rank>B."""
    now = timezone.now()
    made = FrameworkVersion.objects.create(
        framework=owner,
        number=number,
        status=status,
        previous=previous,
        published_at=now if status != FrameworkVersion.Status.DRAFT else None,
        archived_at=now if status == FrameworkVersion.Status.ARCHIVED else None,
        **framework_details(owner),
    )
    tier_rows = []
    for rank in range(1, tiers + 1):
        tier = Tier.objects.create(
            version=made,
            organisation=owner.owner_organisation,
            key=f"tier-{rank}",
            name=TIER_NAMES[(rank - 1) % len(TIER_NAMES)] + ("" if rank <= len(TIER_NAMES) else f" {rank}"),
            rank=rank,
            order=rank,
            audience=f"People at rank {rank}",
            description=f"The description of tier {rank}.",
        )
        if grades and owner.owner_organisation_id:
            GradeMapping.objects.bulk_create(
                [GradeMapping(tier=tier, grade=f"G{rank}A"), GradeMapping(tier=tier, grade=f"G{rank}B")]
            )
        tier_rows.append(tier)
    attribute_rows = []
    for i in range(attributes):
        base = ATTRIBUTE_NAMES[i % len(ATTRIBUTE_NAMES)]
        name = base if i < len(ATTRIBUTE_NAMES) else f"{base} {i}"
        attribute_rows.append(
            Attribute.objects.create(
                version=made,
                order=i,
                key=name.lower().replace(" ", "-"),
                name=name,
                statement=f"I am {name.lower()} in all I do.",
                is_focus=i == 0,
                diversity_and_inclusion=f"Being {name.lower()} means including everyone.",
            )
        )
    BehaviourIndicator.objects.bulk_create(
        BehaviourIndicator(
            version=made,
            attribute=attribute,
            tier=tier,
            kind=kind,
            key=f"{attribute.key}-{tier.key}-{kind}-{n}",
            text=f"{attribute.name} at {tier.name}: {'does' if kind == 'positive' else 'does not'} {n}",
            order=n,
        )
        for attribute in attribute_rows
        for tier in tier_rows
        for kind, count in (("positive", 2), ("negative", 1))
        for n in range(1, count + 1)
    )
    value = Value.objects.create(version=made, key="together", name="Together", description="We work as one.")
    value.attributes.set(attribute_rows)
    Channel.objects.create(version=made, kind="mechanisms", name="Annual reviews", description="Set goals.")
    Definition.objects.create(version=made, term="Leader", meaning="Anyone who leads others.")
    if previous is not None:
        old = {a.key: a for a in previous.attributes.all()}
        AttributeMapping.objects.bulk_create(
            AttributeMapping(version=made, attribute=a, previous_attribute=old[a.key])
            for a in attribute_rows
            if a.key in old
        )
    return made
