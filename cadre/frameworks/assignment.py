"""Who is in which tier: each person is assigned the tier that applies to them, from their role type
and grade, or by hand.

Automatically: the organisation's own published frameworks whose role types include the person's
role type, and the HR grades mapped to their tiers, give the tier. Someone whose grade maps to no
tier has none. A tier set by hand (`Person.tier_set_by_hand`) is left alone until an administrator
hands the person back to the automatic assignment."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cadre.core.audit import acting_as, audit_bulk
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.core.models import Organisation
from cadre.frameworks.models import FrameworkVersion, GradeMapping, Tier
from cadre.frameworks.selectors import versions_available_to
from cadre.people.models import Person


def _grade_key(grade: str) -> str:
    return " ".join(grade.split()).casefold()


def tier_lookup(organisation_id: int) -> dict[tuple[str, str], Tier]:
    """(role type, grade) -> tier, from the organisation's own published frameworks (two queries).

    Should two frameworks for the same role type map the same grade, the first by name wins; the
    framework editor refuses that case, so this only keeps the answer deterministic."""
    versions = list(
        FrameworkVersion.objects.filter(
            framework__owner_organisation_id=organisation_id, status=FrameworkVersion.Status.PUBLISHED
        )
        .select_related("framework")
        .order_by("framework__name", "framework_id")
    )
    mappings = (
        GradeMapping.objects.filter(tier__version__in=versions).select_related("tier").order_by("tier__rank", "grade")
    )
    tiers_by_version: dict[int, list[GradeMapping]] = {}
    for mapping in mappings:
        tiers_by_version.setdefault(mapping.tier.version_id, []).append(mapping)
    lookup: dict[tuple[str, str], Tier] = {}
    for version in versions:
        for role_type in version.framework.role_types or []:
            for mapping in tiers_by_version.get(version.pk, []):
                lookup.setdefault((role_type, _grade_key(mapping.grade)), mapping.tier)
    return lookup


def automatic_tier(person: Person, lookup: dict[tuple[str, str], Tier] | None = None) -> Tier | None:
    """The tier a person's role type and grade put them in, or None."""
    if lookup is None:
        lookup = tier_lookup(person.organisation_id)
    if not person.grade:
        return None
    return lookup.get((person.role_type, _grade_key(person.grade)))


@dataclass(frozen=True)
class AssignmentResult:
    changed: int
    cleared: int
    unchanged: int
    set_by_hand: int

    def summary_line(self) -> str:
        return f"changed={self.changed} cleared={self.cleared} unchanged={self.unchanged} by_hand={self.set_by_hand}"


def _lock_organisation(organisation_id: int) -> None:
    """The same lock the HR import takes, so grades cannot change under an assignment."""
    Organisation.objects.select_for_update().filter(pk=organisation_id).exists()


def assign_tiers(*, organisation: Organisation, actor) -> AssignmentResult:
    """Set the tier of every active person in the organisation whose tier is not set by hand,
    from role type and grade, clearing it where no grade maps. One UPDATE per tier, audited in bulk."""
    with transaction.atomic(durable=True):
        _lock_organisation(organisation.pk)
        lookup = tier_lookup(organisation.pk)
        people = list(
            Person.objects.filter(organisation=organisation, status=Person.Status.ACTIVE)
            .select_related("tier")
            .order_by("id")
        )
        moves: dict[int | None, list[Person]] = {}
        by_hand = unchanged = 0
        for person in people:
            if person.tier_set_by_hand:
                by_hand += 1
                continue
            target = automatic_tier(person, lookup)
            target_id = target.pk if target is not None else None
            if target_id == person.tier_id:
                unchanged += 1
                continue
            moves.setdefault(target_id, []).append(person)
        names = {t.pk: t.name for t in lookup.values()}
        now = timezone.now()
        entries = []
        for target_id, movers in moves.items():
            Person.objects.filter(pk__in=[p.pk for p in movers]).update(tier_id=target_id, updated_at=now)
            for person in movers:
                before = person.tier.name if person.tier_id else None
                entries.append((person.pk, person.full_name, 1, {"tier": [before, names.get(target_id)]}))
        audit_bulk(
            actor=actor, event="people.tiers_assigned", model=Person, organisation_id=organisation.pk, entries=entries
        )
    cleared = len(moves.get(None, []))
    return AssignmentResult(changed=len(entries) - cleared, cleared=cleared, unchanged=unchanged, set_by_hand=by_hand)


def _require_administrator(person: Person, actor) -> None:
    if not actor.has_perm("frameworks.set_person_tier", person):
        raise PermissionDenied(
            "Only the organisation's learning and development or organisation administrators can set a person's tier."
        )


def person_set_tier(*, person: Person, tier: Tier | None, actor) -> Person:
    """Set a person's tier by hand (None: no tier, by hand). The tier must be in a published version
    of a framework the person's organisation may use: its own, its networks' or a national one."""
    _require_administrator(person, actor)
    with transaction.atomic(durable=True):
        _lock_organisation(person.organisation_id)
        if tier is not None and not versions_available_to(person.organisation_id).filter(pk=tier.version_id).exists():
            raise ValidationError(
                Problem(
                    f"{tier.name} is not in a published framework that {person.organisation.name} uses. "
                    "Choose a tier from one of its published frameworks.",
                    field="tier",
                )
            )
        person.tier = tier
        person.tier_set_by_hand = True
        person.updated_at = timezone.now()
        with acting_as(actor):
            person.save(update_fields=["tier", "tier_set_by_hand", "updated_at"])
    return person


def person_reset_tier(*, person: Person, actor) -> Person:
    """Hand a person back to the automatic assignment, and set their tier from role type and grade now."""
    _require_administrator(person, actor)
    with transaction.atomic(durable=True):
        _lock_organisation(person.organisation_id)
        person.tier = automatic_tier(person)
        person.tier_set_by_hand = False
        person.updated_at = timezone.now()
        with acting_as(actor):
            person.save(update_fields=["tier", "tier_set_by_hand", "updated_at"])
    return person
