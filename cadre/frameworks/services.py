"""Writes about frameworks: creating them, editing drafts, publishing versions, new drafts.

A published version never changes: every edit goes to the framework's one draft, and publishing
the draft archives the version before it and moves people's tiers across."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from cadre.core.audit import audit_event
from cadre.core.errors import Problem, ValidationError
from cadre.core.models import Network, Organisation
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


def framework_create(
    *,
    name: str,
    actor,
    organisation: Organisation | None = None,
    network: Network | None = None,
    national: bool = False,
    slug: str = "",
    audience: str = "",
    description: str = "",
    role_types: list[str] | None = None,
) -> Framework:
    """A new framework with an empty draft, version 1."""
    owners = [organisation is not None, network is not None, national]
    if sum(owners) != 1:
        raise ValidationError(Problem("A framework belongs to one organisation, one network, or is national."))
    if not name.strip():
        raise ValidationError(Problem("Enter the framework's name.", field="name"))
    slug = slug or slugify(name)[:80]
    sharing = (
        Framework.Sharing.ORGANISATION
        if organisation is not None
        else Framework.Sharing.NETWORK
        if network is not None
        else Framework.Sharing.NATIONAL
    )
    try:
        with transaction.atomic():
            framework = Framework.objects.create(
                name=name.strip(),
                slug=slug,
                audience=audience,
                description=description,
                role_types=list(role_types or ["officer"]),
                owner_organisation=organisation,
                owner_network=network,
                sharing=sharing,
            )
            FrameworkVersion.objects.create(framework=framework, number=1, **framework_details(framework))
    except IntegrityError as error:
        raise ValidationError(Problem(f"A framework called {slug} already exists here.", field="slug")) from error
    audit_event(actor=actor, event="framework.created", target=framework)
    return framework


def framework_details(framework: Framework) -> dict:
    """The framework's details (name, audience, description, role types), for a version to hold."""
    return {field: getattr(framework, field) for field in FrameworkVersion.DETAILS}


def draft_of(framework: Framework) -> FrameworkVersion | None:
    return framework.versions.filter(status=FrameworkVersion.Status.DRAFT).first()


def published_of(framework: Framework) -> FrameworkVersion | None:
    return framework.versions.filter(status=FrameworkVersion.Status.PUBLISHED).first()


def require_draft(version: FrameworkVersion) -> None:
    """Refuse any change to a version that is not a draft (as the database has it now)."""
    version.status = FrameworkVersion.objects.filter(pk=version.pk).values_list("status", flat=True).get()
    if version.status != FrameworkVersion.Status.DRAFT:
        raise ValidationError(
            Problem(
                f"Version {version.number} is {version.get_status_display().lower()} and cannot change. "
                "Start a new draft to make changes."
            )
        )


def incomplete(version: FrameworkVersion) -> list[Problem]:
    """What stops a draft being published: every current attribute needs a statement and, at
    every tier, at least one indicator of what it looks like."""
    problems = []
    attributes = list(version.attributes.all())
    tiers = list(version.tiers.all())
    if not attributes:
        problems.append(Problem("The framework has no attributes.", field="attributes"))
    if not tiers:
        problems.append(Problem("The framework has no tiers.", field="tiers"))
    covered = set(
        version.indicators.filter(kind=BehaviourIndicator.Kind.POSITIVE).values_list("attribute_id", "tier_id")
    )
    for attribute in attributes:
        if not attribute.statement.strip():
            problems.append(Problem(f"{attribute.name} has no statement.", field=f"attribute:{attribute.pk}"))
        if attribute.status == Attribute.Status.IN_DEVELOPMENT:
            continue  # an attribute still in development may wait for its indicators
        missing = [tier.name for tier in tiers if (attribute.pk, tier.pk) not in covered]
        if missing:
            problems.append(
                Problem(
                    f"{attribute.name} has no indicator of what it looks like for: {', '.join(missing)}.",
                    field=f"attribute:{attribute.pk}",
                )
            )
    return problems


def version_publish(*, version: FrameworkVersion, actor) -> FrameworkVersion:
    """Publish a complete draft. The version before it is archived, and everyone whose tier was in
    it moves to the tier with the same key (or, failing that, the same rank) in this one."""
    with transaction.atomic(durable=True):
        version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
        require_draft(version)
        problems = incomplete(version)
        if problems:
            raise ValidationError(problems)
        now = timezone.now()
        previous = published_of(version.framework)
        if previous is not None:
            FrameworkVersion.objects.filter(pk=previous.pk).update(
                status=FrameworkVersion.Status.ARCHIVED, archived_at=now
            )
        version.status = FrameworkVersion.Status.PUBLISHED
        version.published_at = now
        version.save(update_fields=["status", "published_at"])
        # The framework now goes by the details of the version it publishes.
        framework = version.framework
        renamed = {field: value for field, value in version.details().items() if getattr(framework, field) != value}
        if renamed:
            for field, value in renamed.items():
                setattr(framework, field, value)
            framework.save(update_fields=list(renamed))
        if previous is not None:
            _move_people(previous=previous, current=version)
        audit_event(
            actor=actor, event="framework.version_published", target=version.framework, data={"number": version.number}
        )
    organisation = version.framework.owner_organisation
    if organisation is not None:
        # Everyone whose tier was not set by hand is placed by role type and grade in what is now published.
        from cadre.frameworks.assignment import assign_tiers

        assign_tiers(organisation=organisation, actor=actor)
    return version


def _move_people(*, previous: FrameworkVersion, current: FrameworkVersion) -> None:
    from cadre.people.models import Person

    new_tiers = list(current.tiers.all())
    by_key = {t.key: t for t in new_tiers}
    by_rank = {t.rank: t for t in new_tiers}
    for old in previous.tiers.all():
        target = by_key.get(old.key) or by_rank.get(old.rank)
        if target is None:
            # No such tier any more: even a tier chosen by hand goes back to being placed by grade.
            Person.objects.filter(tier=old).update(tier=None, tier_set_by_hand=False)
        else:
            Person.objects.filter(tier=old).update(tier=target)


def version_new_draft(*, framework: Framework, actor) -> FrameworkVersion:
    """A new draft copied from the published version, its attributes mapped to the ones they copy."""
    with transaction.atomic(durable=True):
        Framework.objects.select_for_update().filter(pk=framework.pk).exists()
        if draft_of(framework) is not None:
            raise ValidationError(Problem("This framework already has a draft. Edit that one."))
        source = published_of(framework)
        if source is None:
            raise ValidationError(Problem("Publish the first version before starting another."))
        number = (framework.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        draft = FrameworkVersion.objects.create(framework=framework, number=number, previous=source, **source.details())
        copies = version_copy(source=source, target=draft)
        AttributeMapping.objects.bulk_create(
            AttributeMapping(version=draft, attribute=copy, previous_attribute=original)
            for original, copy in copies.items()
        )
        audit_event(actor=actor, event="framework.draft_started", target=framework, data={"number": number})
    return draft


def version_copy(*, source: FrameworkVersion, target: FrameworkVersion, extends: bool = False) -> dict:
    """Copy everything in `source` into `target`. Returns {source attribute: copied attribute}.
    With `extends`, each copied attribute records the shared one it came from."""
    attribute_copies = {}
    for attribute in source.attributes.all():
        copy = Attribute.objects.create(
            version=target,
            order=attribute.order,
            key=attribute.key,
            name=attribute.name,
            statement=attribute.statement,
            status=attribute.status,
            is_focus=attribute.is_focus,
            diversity_and_inclusion=attribute.diversity_and_inclusion,
            extends=attribute if extends else attribute.extends,
        )
        attribute_copies[attribute] = copy
    organisation_id = target.framework.owner_organisation_id
    tier_copies = {}
    for tier in source.tiers.prefetch_related("grade_mappings"):
        tier_copies[tier.pk] = copy = Tier.objects.create(
            version=target,
            organisation_id=organisation_id,
            order=tier.order,
            key=tier.key,
            name=tier.name,
            rank=tier.rank,
            audience=tier.audience,
            description=tier.description,
        )
        if organisation_id is not None and organisation_id == tier.organisation_id:
            GradeMapping.objects.bulk_create(GradeMapping(tier=copy, grade=m.grade) for m in tier.grade_mappings.all())
    attribute_by_pk = {a.pk: c for a, c in attribute_copies.items()}
    BehaviourIndicator.objects.bulk_create(
        BehaviourIndicator(
            version=target,
            attribute=attribute_by_pk[i.attribute_id],
            tier=tier_copies[i.tier_id],
            kind=i.kind,
            key=i.key,
            text=i.text,
            order=i.order,
        )
        for i in source.indicators.all()
    )
    for value in source.values.prefetch_related("attributes"):
        copy = Value.objects.create(
            version=target, order=value.order, key=value.key, name=value.name, description=value.description
        )
        copy.attributes.set([attribute_by_pk[a.pk] for a in value.attributes.all()])
    Channel.objects.bulk_create(
        Channel(version=target, order=c.order, kind=c.kind, name=c.name, description=c.description)
        for c in source.channels.all()
    )
    Definition.objects.bulk_create(
        Definition(version=target, order=d.order, term=d.term, meaning=d.meaning) for d in source.definitions.all()
    )
    return attribute_copies
