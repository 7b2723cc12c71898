"""Shared frameworks and their adoption.

A network or a national body publishes a framework; an organisation adopts a published version of
it, as is or extended. Adopting makes the organisation's own framework (`adopted_from` the shared
version) whose first version copies the shared one, each attribute recording the shared attribute
it came from (`Attribute.extends`). As is, that copy is published at once and people are placed in
its tiers by grade; extended, it stays a draft to which the organisation adds its own attributes,
indicators and grades before publishing it."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from cadre.core.audit import audit_event
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.core.models import Network, NetworkMembership, Organisation, Role
from cadre.core.selectors import organisations_where
from cadre.frameworks.models import Framework, FrameworkVersion, GradeMapping
from cadre.frameworks.services import framework_create, framework_details, version_copy, version_publish

GRADE_MAX_LENGTH = 60


# -- reads -----------------------------------------------------------------------------------------


def organisations_adopting_for(user) -> list[int]:
    """The organisations for which the user adopts frameworks: as L&D or organisation administrator."""
    return organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN)


def organisations_that_may_adopt(user, version: FrameworkVersion) -> list[Organisation]:
    """The organisations the user administers that may adopt this version (one query, none for an
    organisation's own framework): it must be published and shared with them."""
    framework = version.framework
    if version.status != FrameworkVersion.Status.PUBLISHED or framework.sharing == Framework.Sharing.ORGANISATION:
        return []
    administered = organisations_adopting_for(user)
    if not administered:
        return []
    organisations = Organisation.objects.filter(pk__in=administered)
    if framework.sharing == Framework.Sharing.NETWORK:
        organisations = organisations.filter(networks=framework.owner_network_id)
    return list(organisations.order_by("name", "id"))


@dataclass
class Adoption:
    """Where an adopted framework came from, for its pages."""

    source: FrameworkVersion
    label: str  # "From <network name>" for an attribute copied from the shared framework

    @property
    def publisher(self) -> str:
        framework = self.source.framework
        return framework.owner_network.name if framework.owner_network_id else "the national framework"


def adoption_of(framework: Framework) -> Adoption | None:
    """The shared version an adopted framework came from (one query), or None."""
    if not framework.adopted_from_id:
        return None
    source = FrameworkVersion.objects.select_related("framework__owner_network").get(pk=framework.adopted_from_id)
    owner = source.framework.owner_network
    return Adoption(source=source, label=f"From {owner.name}" if owner else "From the national framework")


# -- writes ----------------------------------------------------------------------------------------


def _refusals(source: FrameworkVersion, organisation: Organisation) -> list[Problem]:
    framework = source.framework
    if framework.sharing == Framework.Sharing.ORGANISATION:
        return [
            Problem(
                f"{framework.name} belongs to one organisation. Only a framework shared by a network "
                "or a national one can be adopted.",
                field="source",
            )
        ]
    problems = []
    if source.status != FrameworkVersion.Status.PUBLISHED:
        problems.append(
            Problem(
                f"Version {source.number} of {framework.name} is {source.get_status_display().lower()}. "
                "Only its published version can be adopted.",
                field="source",
            )
        )
    if (
        framework.sharing == Framework.Sharing.NETWORK
        and not NetworkMembership.objects.filter(
            network_id=framework.owner_network_id, organisation=organisation
        ).exists()
    ):
        problems.append(
            Problem(
                f"{organisation.name} is not in {framework.owner_network.name}, which shares {framework.name}.",
                field="source",
            )
        )
    return problems


def _free_slug(organisation: Organisation, slug: str) -> str:
    taken = set(Framework.objects.filter(owner_organisation=organisation).values_list("slug", flat=True))
    if slug not in taken:
        return slug
    n = 2
    while f"{slug[:75]}-{n}" in taken:
        n += 1
    return f"{slug[:75]}-{n}"


def _clean_grades(grades: dict[str, list[str]] | None, tier_keys: set[str]) -> dict[str, list[str]]:
    """Grades by tier key, each grade once across the tiers."""
    cleaned: dict[str, list[str]] = {}
    seen: dict[str, str] = {}
    problems = []
    for key, listed in (grades or {}).items():
        if key not in tier_keys:
            problems.append(Problem(f"The shared framework has no tier {key}.", field=f"grades_{key}"))
            continue
        for grade in dict.fromkeys(g.strip() for g in listed if g.strip()):
            if len(grade) > GRADE_MAX_LENGTH:
                problems.append(
                    Problem(
                        f"A grade can be at most {GRADE_MAX_LENGTH} characters: {grade[:20]}...", field=f"grades_{key}"
                    )
                )
            elif grade in seen:
                problems.append(
                    Problem(f"Grade {grade} is given for two tiers. Give each grade once.", field=f"grades_{key}")
                )
            else:
                seen[grade] = key
                cleaned.setdefault(key, []).append(grade)
    if problems:
        raise ValidationError(problems)
    return cleaned


def framework_adopt(
    *,
    source: FrameworkVersion,
    organisation: Organisation,
    actor,
    extend: bool,
    grades: dict[str, list[str]] | None = None,
) -> Framework:
    """The organisation's own framework, adopted from a published shared version.

    Its version 1 copies the source, each attribute recording the shared one it came from, with the
    HR grades given for each tier (by tier key). As is (`extend=False`) it is published at once,
    which places people in its tiers by grade; extended, it stays a draft to add to."""
    if organisation.pk not in organisations_adopting_for(actor):
        raise PermissionDenied(
            f"Only {organisation.name}'s learning and development or organisation administrators can adopt a framework."
        )
    with transaction.atomic(durable=True):
        source = (
            FrameworkVersion.objects.select_for_update(of=("self",))
            .select_related("framework__owner_network")
            .get(pk=source.pk)
        )
        problems = _refusals(source, organisation)
        if problems:
            raise ValidationError(problems)
        shared = source.framework
        by_tier = _clean_grades(grades, set(source.tiers.values_list("key", flat=True)))
        try:
            with transaction.atomic():
                framework = Framework.objects.create(
                    name=shared.name,
                    slug=_free_slug(organisation, shared.slug),
                    audience=shared.audience,
                    description=shared.description,
                    role_types=list(shared.role_types),
                    owner_organisation=organisation,
                    sharing=Framework.Sharing.ORGANISATION,
                    adopted_from=source,
                )
        except IntegrityError as error:
            raise ValidationError(
                Problem(f"{organisation.name} was adopting another framework at the same time. Try again.")
            ) from error
        draft = FrameworkVersion.objects.create(
            framework=framework,
            number=1,
            change_note=f"Adopted from {shared.name}, version {source.number}.",
            **framework_details(framework),
        )
        version_copy(source=source, target=draft, extends=True)
        GradeMapping.objects.bulk_create(
            GradeMapping(tier=tier, grade=grade) for tier in draft.tiers.all() for grade in by_tier.get(tier.key, [])
        )
        audit_event(
            actor=actor,
            event="framework.adopted",
            target=framework,
            data={
                "from": shared.name,
                "from_id": shared.pk,
                "version": source.number,
                "how": "extended" if extend else "as is",
            },
        )
    if not extend:
        version_publish(version=draft, actor=actor)
    return framework


def shared_framework_start(
    *,
    actor,
    name: str,
    network: Network | None = None,
    national: bool = False,
    audience: str = "",
    description: str = "",
    role_types: list[str] | None = None,
) -> Framework:
    """A new framework for a network's organisations, or a national one, with an empty draft.
    Only a platform administrator may start one."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied("Only a platform administrator can create a network's or a national framework.")
    if (network is None) == (not national):
        raise ValidationError(Problem("Choose a network, or make the framework national.", field="sharing"))
    return framework_create(
        name=name,
        network=network,
        national=national,
        audience=audience,
        description=description,
        role_types=role_types,
        actor=actor,
    )
