"""The one write of an import: a framework, with every version in the plan, in one transaction."""

from django.db import DatabaseError, transaction
from django.utils import timezone

from cadre.core.audit import audit_event
from cadre.core.errors import Problem, ValidationError
from cadre.core.models import Network, Organisation
from cadre.frameworks.interchange.common import ImportPlan
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


def owner_filter(*, organisation=None, network=None) -> dict:
    if organisation is not None:
        return {"owner_organisation": organisation}
    if network is not None:
        return {"owner_network": network}
    return {"sharing": Framework.Sharing.NATIONAL}


def framework_import(
    *,
    plan: ImportPlan,
    actor,
    organisation: Organisation | None = None,
    network: Network | None = None,
) -> Framework:
    """Create the framework a plan describes, owned by the organisation (or network; neither:
    national). All or nothing: a plan with problems, or a slug already taken, writes nothing."""
    if not plan.ok:
        raise ValidationError(plan.problems or [Problem("The file could not be read.")])
    if organisation is not None and network is not None:
        raise ValidationError(Problem("A framework belongs to one organisation or one network, not both."))
    if plan.into is not None:
        return _import_next_version(plan=plan, actor=actor, organisation=organisation)
    document = plan.document
    meta = document["framework"]
    sharing = (
        Framework.Sharing.ORGANISATION
        if organisation is not None
        else Framework.Sharing.NETWORK
        if network is not None
        else Framework.Sharing.NATIONAL
    )
    now = timezone.now()
    try:
        with transaction.atomic(durable=True):
            if Framework.objects.filter(
                slug=meta["slug"], **owner_filter(organisation=organisation, network=network)
            ).exists():
                raise ValidationError(
                    Problem(f"A framework with the slug ‘{meta['slug']}’ already exists here.", field="framework.slug")
                )
            framework = Framework.objects.create(
                slug=meta["slug"],
                name=meta["name"],
                audience=meta.get("audience") or "",
                description=meta.get("description") or "",
                role_types=list(meta.get("role_types") or []),
                owner_organisation=organisation,
                owner_network=network,
                sharing=sharing,
            )
            created = {}
            for entry in document["versions"]:
                status = entry.get("status") or FrameworkVersion.Status.DRAFT
                created[entry["number"]] = FrameworkVersion.objects.create(
                    framework=framework,
                    number=entry["number"],
                    status=status,
                    change_note=entry.get("change_note") or "",
                    **{
                        field: (entry[field] if entry.get(field) is not None else getattr(framework, field))
                        for field in FrameworkVersion.DETAILS
                    },
                    published_at=now if status != FrameworkVersion.Status.DRAFT else None,
                    archived_at=now if status == FrameworkVersion.Status.ARCHIVED else None,
                )
            last = None
            for entry in document["versions"]:
                previous = entry.get("previous", last)
                last = entry["number"]
                if previous is not None:
                    version = created[entry["number"]]
                    version.previous = created[previous]
                    version.save(update_fields=["previous"])
            attributes_by_version = {}
            for entry in document["versions"]:
                attributes_by_version[entry["number"]] = _create_content(
                    version=created[entry["number"]], entry=entry, organisation=organisation
                )
            last = None
            for entry in document["versions"]:
                previous = entry.get("previous", last)
                last = entry["number"]
                mine = attributes_by_version[entry["number"]]
                theirs = attributes_by_version.get(previous, {})
                AttributeMapping.objects.bulk_create(
                    AttributeMapping(
                        version=created[entry["number"]],
                        attribute=mine[m["attribute"]],
                        previous_attribute=theirs[m["previous"]],
                        relation=m.get("relation") or AttributeMapping.Relation.SAME,
                    )
                    for m in entry.get("attribute_mappings") or []
                )
            audit_event(
                actor=actor,
                event="framework.imported",
                target=framework,
                data={"format": plan.format, "versions": len(created), "skipped": len(plan.skipped)},
            )
    except DatabaseError as error:
        raise ValidationError(Problem(f"The framework could not be saved as it stands ({error}).")) from error
    if organisation is not None and framework.versions.filter(status=FrameworkVersion.Status.PUBLISHED).exists():
        # As when a version is published in Cadre: place people by role type and grade.
        from cadre.frameworks.assignment import assign_tiers

        assign_tiers(organisation=organisation, actor=actor)
    return framework


_EMPTY = {"name": "", "audience": "", "description": "", "role_types": []}


def _import_next_version(*, plan: ImportPlan, actor, organisation) -> Framework:
    """The file's latest version as the next draft of the framework of the same name: its details
    are the file's, and each attribute whose key the published version also has is mapped to it."""
    entry = plan.document["versions"][-1]
    meta = plan.document["framework"]
    try:
        with transaction.atomic(durable=True):
            framework = Framework.objects.select_for_update().get(pk=plan.into.pk)
            if framework.versions.filter(status=FrameworkVersion.Status.DRAFT).exists():
                raise ValidationError(
                    Problem(f"{framework.name} has a draft now. Publish it first, then import the file again.")
                )
            number = (framework.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            previous = framework.versions.filter(status=FrameworkVersion.Status.PUBLISHED).first()
            draft = FrameworkVersion.objects.create(
                framework=framework,
                number=number,
                previous=previous,
                change_note=entry.get("change_note") or "",
                **{
                    field: (entry[field] if entry.get(field) is not None else meta.get(field) or _EMPTY[field])
                    for field in FrameworkVersion.DETAILS
                },
            )
            mine = _create_content(version=draft, entry=entry, organisation=organisation)
            if previous is not None:
                theirs = {a.key: a for a in previous.attributes.all()}
                AttributeMapping.objects.bulk_create(
                    AttributeMapping(version=draft, attribute=attribute, previous_attribute=theirs[key])
                    for key, attribute in mine.items()
                    if key in theirs
                )
            audit_event(
                actor=actor,
                event="framework.imported",
                target=framework,
                data={"format": plan.format, "into_version": number, "skipped": len(plan.skipped)},
            )
    except DatabaseError as error:
        raise ValidationError(Problem(f"The framework could not be saved as it stands ({error}).")) from error
    return framework


def _create_content(*, version: FrameworkVersion, entry: dict, organisation) -> dict:
    attributes = Attribute.objects.bulk_create(
        Attribute(
            version=version,
            order=i,
            key=a["key"],
            name=a["name"],
            statement=a.get("statement") or "",
            status=a.get("status") or Attribute.Status.CURRENT,
            is_focus=bool(a.get("focus", False)),
            diversity_and_inclusion=a.get("diversity_and_inclusion") or "",
        )
        for i, a in enumerate(entry.get("attributes") or [])
    )
    by_key = {a.key: a for a in attributes}
    tier_entries = entry.get("tiers") or []
    tiers = Tier.objects.bulk_create(
        Tier(
            version=version,
            organisation=organisation,
            order=i,
            key=t["key"],
            name=t["name"],
            rank=t["rank"],
            audience=t.get("audience") or "",
            description=t.get("description") or "",
        )
        for i, t in enumerate(tier_entries)
    )
    tier_by_key = {t.key: t for t in tiers}
    GradeMapping.objects.bulk_create(
        GradeMapping(tier=tier, grade=grade)
        for tier, t in zip(tiers, tier_entries, strict=True)
        for grade in t.get("grades") or []
    )
    BehaviourIndicator.objects.bulk_create(
        BehaviourIndicator(
            version=version,
            order=i,
            attribute=by_key[ind["attribute"]],
            tier=tier_by_key[ind["tier"]],
            kind=ind.get("kind") or BehaviourIndicator.Kind.POSITIVE,
            key=ind["key"],
            text=ind["text"],
        )
        for i, ind in enumerate(entry.get("indicators") or [])
    )
    value_entries = entry.get("values") or []
    values = Value.objects.bulk_create(
        Value(version=version, order=i, key=v["key"], name=v["name"], description=v.get("description") or "")
        for i, v in enumerate(value_entries)
    )
    Value.attributes.through.objects.bulk_create(
        Value.attributes.through(value_id=value.pk, attribute_id=by_key[key].pk)
        for value, v in zip(values, value_entries, strict=True)
        for key in v.get("attributes") or []
    )
    Channel.objects.bulk_create(
        Channel(version=version, order=i, kind=c["kind"], name=c["name"], description=c.get("description") or "")
        for i, c in enumerate(entry.get("channels") or [])
    )
    Definition.objects.bulk_create(
        Definition(version=version, order=i, term=d["term"], meaning=d["meaning"])
        for i, d in enumerate(entry.get("definitions") or [])
    )
    return by_key
