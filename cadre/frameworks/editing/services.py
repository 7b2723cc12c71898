"""Writes to a framework's draft, made from the editing pages.

Each one locks the version, refuses it unless it is still a draft
(`cadre.frameworks.services.require_draft`), checks the version's unique names, keys and ranks
so that a clash is a problem on a field rather than a database error, writes, and records an
audit event whose data is the fields changed, each as [before, after]."""

import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.text import slugify

from cadre.core.audit import audit_event
from cadre.core.errors import Problem, ValidationError
from cadre.core.models import Network, Organisation
from cadre.frameworks.adoption import shared_framework_start
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
from cadre.frameworks.services import framework_create, require_draft
from cadre.people.models import RoleType

GRADE_MAX_LENGTH = 60


CHANGE_NOTE_MAX_LENGTH = 2000


def _framework_problems(*, name: str, role_types: list[str]) -> list[Problem]:
    """What a framework's own details must be: known role types, at least one, a usable name."""
    problems = []
    unknown = sorted(set(role_types) - set(RoleType.values))
    if unknown:
        problems.append(Problem(f"Unknown role types: {', '.join(unknown)}.", field="role_types"))
    elif not role_types:
        problems.append(Problem("Choose at least one role type it applies to.", field="role_types"))
    if not slugify(name):
        problems.append(Problem("Enter a name with letters or numbers in it.", field="name"))
    return problems


def framework_start(
    *,
    name: str,
    audience: str,
    description: str,
    role_types: list[str],
    actor,
    organisation: Organisation | None = None,
    network: Network | None = None,
    national: bool = False,
) -> Framework:
    """A new framework with an empty draft to build: one organisation's or, started by a platform
    administrator (`shared_framework_start`), a network's or a national one."""
    problems = _framework_problems(name=name, role_types=role_types)
    if problems:
        raise ValidationError(problems[:1])
    try:
        if organisation is not None:
            return framework_create(
                name=name,
                organisation=organisation,
                audience=audience,
                description=description,
                role_types=role_types,
                actor=actor,
            )
        return shared_framework_start(
            actor=actor,
            name=name,
            network=network,
            national=national,
            audience=audience,
            description=description,
            role_types=role_types,
        )
    except ValidationError as error:
        raise ValidationError(
            [
                Problem(
                    p.message.replace(slugify(name)[:80], name.strip()), field="name" if p.field == "slug" else p.field
                )
                for p in error.problems
            ]
        ) from error


def framework_details_save(
    *, framework: Framework, actor, name: str, audience: str = "", description: str = "", role_types: list[str]
) -> Framework:
    """Change a framework's details (its name, who it is for, its description and the role types
    it applies to) in its draft. A published version keeps the details it was published with; the
    draft's take over when it is published. Before any version is published the framework's own
    details change with the draft's."""
    problems = _framework_problems(name=name, role_types=role_types)
    if problems:
        raise ValidationError(problems)
    details = {
        "name": name.strip(),
        "audience": audience.strip(),
        "description": description.strip(),
        "role_types": [r for r in RoleType.values if r in role_types],
    }
    with transaction.atomic(durable=True):
        framework = Framework.objects.select_for_update().get(pk=framework.pk)
        draft = framework.versions.filter(status=FrameworkVersion.Status.DRAFT).first()
        if draft is None:
            raise ValidationError(
                Problem(
                    "Every version of this framework has been published, and a published version never changes. "
                    "Start a new draft to change its details."
                )
            )
        changed = _changes(draft, details)
        if changed:
            draft.save(update_fields=list(changed))
            if not framework.versions.exclude(pk=draft.pk).exists():
                for field, value in details.items():
                    setattr(framework, field, value)
                framework.save(update_fields=list(details))
            changed["version"] = draft.number
            audit_event(actor=actor, event="framework.details_changed", target=framework, data=changed)
    return framework


def version_change_note_save(*, version: FrameworkVersion, actor, change_note: str) -> FrameworkVersion:
    """Change what a draft says changed from the previous version. A published or archived
    version's note is part of it and never changes."""
    change_note = change_note.strip()
    if len(change_note) > CHANGE_NOTE_MAX_LENGTH:
        raise ValidationError(
            Problem(f"The change note can be at most {CHANGE_NOTE_MAX_LENGTH:,} characters.", field="change_note")
        )
    with transaction.atomic(durable=True):
        version = _locked_draft(version)
        changed = _changes(version, {"change_note": change_note})
        if changed:
            version.save(update_fields=["change_note"])
            audit_event(
                actor=actor,
                event="framework.change_note_changed",
                target=version.framework,
                data={"version": version.number, **changed},
            )
    return version


# -- the shape every edit takes ---------------------------------------------------------------


def _locked_draft(version: FrameworkVersion) -> FrameworkVersion:
    """The version, locked for the rest of the transaction, if it is still a draft."""
    locked = FrameworkVersion.objects.select_for_update().select_related("framework").get(pk=version.pk)
    require_draft(locked)
    return locked


def _plain(value):
    """A value as the audit log keeps it: related rows by their names."""
    return str(value) if isinstance(value, Model) else value


def _changes(instance: Model, fields: dict) -> dict:
    """Set the fields on the instance; return those that changed, each as [before, after]."""
    changed = {}
    for name, after in fields.items():
        before = getattr(instance, name, None)
        if before != after:
            changed[name] = [_plain(before), _plain(after)]
            setattr(instance, name, after)
    return changed


def _clashes(model, *, version: FrameworkVersion, exclude: Model | None, checks: Iterable[tuple[str, object, str]]):
    """Problems for the fields whose value another row of the version already has."""
    problems = []
    others = model.objects.filter(version=version)
    if exclude is not None and exclude.pk is not None:
        others = others.exclude(pk=exclude.pk)
    for field, value, message in checks:
        if others.filter(**{field: value}).exists():
            problems.append(Problem(message, field=field))
    return problems


def _save(
    instance: Model,
    *,
    version: FrameworkVersion,
    fields: dict,
    clashes,
    event: str,
    actor,
    after_save=None,
    extra_changes=None,
) -> Model:
    """The write every create and update shares: locked draft, clash checks, save, audit."""
    creating = instance.pk is None
    try:
        with transaction.atomic(durable=True):
            version = _locked_draft(version)
            changed = _changes(instance, fields)
            problems = clashes(instance)
            if problems:
                raise ValidationError(problems)
            if creating:
                instance.version = version
                changed = {name: [None, _plain(value)] for name, value in fields.items()}
                instance.save()
            elif changed:
                instance.save(update_fields=list(changed))
            if after_save is not None:
                changed.update(after_save(instance) or {})
            changed.update(extra_changes or {})
            if changed or creating:
                audit_event(
                    actor=actor,
                    event=event,
                    target=version.framework,
                    data={"version": version.number, "object": instance.pk, "label": str(instance), **changed},
                )
    except IntegrityError as error:  # a clash that arrived between the check and the write
        raise ValidationError(
            Problem("That clashes with something else in this draft. Check and try again.")
        ) from error
    return instance


def _delete(instance: Model, *, version: FrameworkVersion, event: str, actor) -> None:
    with transaction.atomic(durable=True):
        version = _locked_draft(version)
        label, pk = str(instance), instance.pk
        instance.delete()
        audit_event(
            actor=actor,
            event=event,
            target=version.framework,
            data={"version": version.number, "object": pk, "label": [label, None]},
        )


KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _key(name: str, key: str, *, field: str = "key") -> str:
    """The key typed, which must already be a key (it is never changed behind the user's back), or
    else one made from the name."""
    key = key.strip()
    if key:
        if not KEY_PATTERN.fullmatch(key):
            suggestion = slugify(key)[:80]
            raise ValidationError(
                Problem(
                    "Use only lower-case letters, numbers and single hyphens in a key"
                    + (f", such as {suggestion}." if suggestion else "."),
                    field=field,
                )
            )
        return key
    key = slugify(name)[:80]
    if not key:
        raise ValidationError(Problem("Enter a key made of letters, numbers and hyphens.", field=field))
    return key


# -- attributes -------------------------------------------------------------------------------


def attribute_save(
    *,
    version: FrameworkVersion,
    actor,
    attribute: Attribute | None = None,
    name: str,
    key: str = "",
    statement: str,
    status: str = Attribute.Status.CURRENT,
    order: int = 0,
    is_focus: bool = False,
    diversity_and_inclusion: str = "",
) -> Attribute:
    """Add an attribute to the draft, or change one. The key comes from the name unless given."""
    instance = attribute or Attribute()
    fields = {
        "name": name.strip(),
        "key": _key(name, key),
        "statement": statement.strip(),
        "status": status,
        "order": order,
        "is_focus": is_focus,
        "diversity_and_inclusion": diversity_and_inclusion.strip(),
    }
    return _save(
        instance,
        version=version,
        fields=fields,
        event="framework.attribute_added" if attribute is None else "framework.attribute_changed",
        actor=actor,
        clashes=lambda a: _clashes(
            Attribute,
            version=version,
            exclude=a,
            checks=[
                ("name", a.name, f"There is already an attribute called {a.name} in this draft."),
                ("key", a.key, f"There is already an attribute with the key {a.key} in this draft."),
            ],
        ),
    )


def attribute_delete(*, attribute: Attribute, actor) -> None:
    """Remove an attribute from the draft, with its indicators and its mappings."""
    _delete(attribute, version=attribute.version, event="framework.attribute_removed", actor=actor)


# -- tiers ------------------------------------------------------------------------------------


def parse_grades(text: str) -> list[str]:
    """HR grades written as a comma- or line-separated list, in order, each once."""
    grades = []
    for part in text.replace("\r", "\n").replace(",", "\n").split("\n"):
        grade = part.strip()
        if grade and grade not in grades:
            grades.append(grade)
    return grades


def tier_save(
    *,
    version: FrameworkVersion,
    actor,
    tier: Tier | None = None,
    name: str,
    rank: int,
    key: str = "",
    audience: str = "",
    description: str = "",
    grades: list[str] = (),
) -> Tier:
    """Add a tier to the draft, or change one, with the HR grades that put people in it."""
    grades = list(dict.fromkeys(g.strip() for g in grades if g.strip()))
    too_long = [g for g in grades if len(g) > GRADE_MAX_LENGTH]
    if too_long:
        raise ValidationError(
            Problem(f"A grade can be at most {GRADE_MAX_LENGTH} characters: {too_long[0][:20]}...", field="grades")
        )
    if grades and version.framework.owner_organisation_id is None:
        raise ValidationError(
            Problem(
                "A shared framework's tiers have no HR grades: each organisation gives its own when it adopts it.",
                field="grades",
            )
        )
    instance = tier or Tier(organisation_id=version.framework.owner_organisation_id)
    fields = {
        "name": name.strip(),
        "key": _key(name, key),
        "rank": rank,
        "order": rank,
        "audience": audience.strip(),
        "description": description.strip(),
    }

    def clashes(t: Tier) -> list[Problem]:
        problems = _clashes(
            Tier,
            version=version,
            exclude=t,
            checks=[
                ("name", t.name, f"There is already a tier called {t.name} in this draft."),
                ("key", t.key, f"There is already a tier with the key {t.key} in this draft."),
                ("rank", t.rank, f"There is already a tier ranked {t.rank} in this draft."),
            ],
        )
        elsewhere = GradeMapping.objects.filter(tier__version=version, grade__in=grades)
        if t.pk is not None:
            elsewhere = elsewhere.exclude(tier=t)
        for grade, tier_name in elsewhere.values_list("grade", "tier__name"):
            problems.append(Problem(f"Grade {grade} already puts people in {tier_name}.", field="grades"))
        return problems

    def set_grades(t: Tier) -> dict:
        before = list(t.grade_mappings.values_list("grade", flat=True)) if tier is not None else []
        if sorted(before) == sorted(grades):
            return {}
        t.grade_mappings.exclude(grade__in=grades).delete()
        GradeMapping.objects.bulk_create(GradeMapping(tier=t, grade=g) for g in grades if g not in before)
        return {"grades": [before, grades]}

    return _save(
        instance,
        version=version,
        fields=fields,
        clashes=clashes,
        after_save=set_grades,
        event="framework.tier_added" if tier is None else "framework.tier_changed",
        actor=actor,
    )


def tier_delete(*, tier: Tier, actor) -> None:
    """Remove a tier from the draft, with its indicators and grade mappings."""
    _delete(tier, version=tier.version, event="framework.tier_removed", actor=actor)


# -- behaviour indicators ---------------------------------------------------------------------


def _indicator_key(*, attribute: Attribute, tier: Tier, kind: str, indicator: BehaviourIndicator | None) -> str:
    """A key that reads as where the indicator sits: agile-core-manager-positive-2."""
    base = f"{attribute.key}-{tier.key}-{kind}"[:110]
    taken = set(
        BehaviourIndicator.objects.filter(version_id=attribute.version_id, key__startswith=base)
        .exclude(pk=getattr(indicator, "pk", None))
        .values_list("key", flat=True)
    )
    number = 1
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def indicator_save(
    *,
    attribute: Attribute,
    actor,
    indicator: BehaviourIndicator | None = None,
    tier: Tier,
    kind: str,
    text: str,
) -> BehaviourIndicator:
    """Add what an attribute looks like (or does not) at a tier, or change it."""
    if tier.version_id != attribute.version_id:
        raise ValidationError(Problem("Choose a tier of this draft.", field="tier"))
    if not text.strip():
        raise ValidationError(Problem("Enter what the behaviour looks like.", field="text"))
    if kind not in BehaviourIndicator.Kind.values:
        raise ValidationError(Problem("Choose whether it is what the attribute looks like or does not.", field="kind"))
    instance = indicator or BehaviourIndicator(attribute=attribute)
    fields = {"tier": tier, "kind": kind, "text": text.strip()}
    if indicator is None or indicator.tier_id != tier.pk or indicator.kind != kind:
        fields["key"] = _indicator_key(attribute=attribute, tier=tier, kind=kind, indicator=indicator)
        fields["order"] = (
            max(
                BehaviourIndicator.objects.filter(attribute=attribute, tier=tier, kind=kind).values_list(
                    "order", flat=True
                ),
                default=0,
            )
            + 1
        )
    return _save(
        instance,
        version=attribute.version,
        fields=fields,
        clashes=lambda i: [],
        event="framework.indicator_added" if indicator is None else "framework.indicator_changed",
        actor=actor,
    )


def indicator_delete(*, indicator: BehaviourIndicator, actor) -> None:
    _delete(indicator, version=indicator.version, event="framework.indicator_removed", actor=actor)


# -- values, channels and definitions ---------------------------------------------------------


def value_save(
    *,
    version: FrameworkVersion,
    actor,
    value: Value | None = None,
    name: str,
    description: str = "",
    attributes: Iterable[Attribute] = (),
    order: int = 0,
) -> Value:
    """Add an organisational value to the draft, or change one, with the attributes that support it."""
    attributes = list(attributes)
    if any(a.version_id != version.pk for a in attributes):
        raise ValidationError(Problem("Choose attributes of this draft.", field="attributes"))
    instance = value or Value()
    fields = {"name": name.strip(), "description": description.strip(), "order": order}
    if value is None:
        fields["key"] = _key(name, "", field="name")

    def set_attributes(v: Value) -> dict:
        before = sorted(v.attributes.values_list("name", flat=True)) if value is not None else []
        after = sorted(a.name for a in attributes)
        if before == after:
            return {}
        v.attributes.set(attributes)
        return {"attributes": [before, after]}

    return _save(
        instance,
        version=version,
        fields=fields,
        clashes=lambda v: _value_clashes(v, version=version),
        after_save=set_attributes,
        event="framework.value_added" if value is None else "framework.value_changed",
        actor=actor,
    )


def _value_clashes(value: Value, *, version: FrameworkVersion) -> list[Problem]:
    others = Value.objects.filter(version=version).exclude(pk=value.pk)
    if others.filter(name=value.name).exists() or (value.pk is None and others.filter(key=value.key).exists()):
        return [Problem(f"There is already a value called {value.name} in this draft.", field="name")]
    return []


def value_delete(*, value: Value, actor) -> None:
    _delete(value, version=value.version, event="framework.value_removed", actor=actor)


def channel_save(
    *,
    version: FrameworkVersion,
    actor,
    channel: Channel | None = None,
    kind: str,
    name: str,
    description: str = "",
    order: int = 0,
) -> Channel:
    """Add a channel through which the framework is driven, or change one."""
    if kind not in Channel.Kind.values:
        raise ValidationError(Problem("Choose the kind of channel.", field="kind"))
    return _save(
        channel or Channel(),
        version=version,
        fields={"kind": kind, "name": name.strip(), "description": description.strip(), "order": order},
        clashes=lambda c: _clashes(
            Channel,
            version=version,
            exclude=c,
            checks=[("name", c.name, f"There is already a channel called {c.name} in this draft.")],
        ),
        event="framework.channel_added" if channel is None else "framework.channel_changed",
        actor=actor,
    )


def channel_delete(*, channel: Channel, actor) -> None:
    _delete(channel, version=channel.version, event="framework.channel_removed", actor=actor)


def definition_save(
    *, version: FrameworkVersion, actor, definition: Definition | None = None, term: str, meaning: str
) -> Definition:
    """Add a key definition to the draft's glossary, or change one."""
    return _save(
        definition or Definition(),
        version=version,
        fields={"term": term.strip(), "meaning": meaning.strip()},
        clashes=lambda d: _clashes(
            Definition,
            version=version,
            exclude=d,
            checks=[("term", d.term, f"{d.term} is already defined in this draft.")],
        ),
        event="framework.definition_added" if definition is None else "framework.definition_changed",
        actor=actor,
    )


def definition_delete(*, definition: Definition, actor) -> None:
    _delete(definition, version=definition.version, event="framework.definition_removed", actor=actor)


# -- how a draft's attributes map to the previous version's -----------------------------------


def attribute_mapping_set(
    *, attribute: Attribute, previous_attributes: Iterable[Attribute], relation: str, actor
) -> list[AttributeMapping]:
    """Say how an attribute of the draft relates to the previous version's attributes: the same
    one, renamed, split from one, or merged from several. No previous attributes: it is new."""
    previous_attributes = list(previous_attributes)
    version = attribute.version
    if relation not in AttributeMapping.Relation.values:
        raise ValidationError(Problem("Choose how the attribute relates to the previous version.", field="relation"))
    if version.previous_id is None:
        raise ValidationError(Problem("This is the first version: there is nothing to map to."))
    if any(p.version_id != version.previous_id for p in previous_attributes):
        raise ValidationError(
            Problem(f"Choose attributes of version {version.previous.number}.", field="previous_attributes")
        )
    one_only = {AttributeMapping.Relation.SAME, AttributeMapping.Relation.RENAMED, AttributeMapping.Relation.SPLIT}
    if relation in one_only and len(previous_attributes) > 1:
        raise ValidationError(
            Problem(
                "An attribute that is the same, renamed or split from another maps to one previous attribute. "
                "Choose merged for several.",
                field="previous_attributes",
            )
        )
    if relation == AttributeMapping.Relation.MERGED and len(previous_attributes) == 1:
        raise ValidationError(
            Problem(
                "An attribute merged from others maps to two or more previous attributes.", field="previous_attributes"
            )
        )
    with transaction.atomic(durable=True):
        version = _locked_draft(version)
        existing = list(attribute.mapped_from.select_related("previous_attribute"))
        before = sorted(f"{m.previous_attribute.name} ({m.relation})" for m in existing)
        attribute.mapped_from.all().delete()
        mappings = AttributeMapping.objects.bulk_create(
            AttributeMapping(version=version, attribute=attribute, previous_attribute=p, relation=relation)
            for p in previous_attributes
        )
        after = sorted(f"{p.name} ({relation})" for p in previous_attributes)
        if before != after:
            audit_event(
                actor=actor,
                event="framework.attribute_mapping_changed",
                target=version.framework,
                data={
                    "version": version.number,
                    "object": attribute.pk,
                    "label": attribute.name,
                    "maps_to": [before, after],
                },
            )
    return mappings
