"""Framework import and export: Cadre's own format (YAML or JSON), a flat CSV, and 1EdTech CASE 1.0.

    plan = plan_import(data=..., filename=..., format="auto", organisation=org)   # reads, writes nothing
    framework = framework_import(plan=plan, organisation=org, actor=user)          # all or nothing

`export_framework(framework)` gives Cadre's format as a dict; `export_csv` and `export_case` the
others. docs/framework-interchange.md says what each format carries."""

from django.db.models import Q

from cadre.core.errors import Problem, ValidationError
from cadre.frameworks.interchange.cadre_format import check_document, dump, export_framework
from cadre.frameworks.interchange.case import export_case, read_case
from cadre.frameworks.interchange.common import FORMATS, ImportPlan, check_size, detect_format, load_structured
from cadre.frameworks.interchange.csv_format import export_csv, read_csv
from cadre.frameworks.interchange.services import framework_import, owner_filter
from cadre.frameworks.models import Framework, FrameworkVersion

__all__ = [
    "FORMATS",
    "ImportPlan",
    "dump",
    "export_case",
    "export_csv",
    "export_framework",
    "framework_import",
    "plan_import",
]


# What a file in each of the other formats cannot hold (docs/framework-interchange.md), for the
# preview: whatever Cadre would have kept in its own format arrives empty.
NOT_CARRIED = {
    "csv": "A CSV file cannot hold other versions, change notes or mappings between versions; attributes or "
    "tiers with no indicators; whether an attribute is in development or a focus, or how diversity and "
    "inclusion show in it; a tier's audience, description and HR grades; values, channels and key "
    "definitions; or the framework's audience, description and role types. They arrive empty: add them "
    "in Cadre after importing.",
    "case": "A CASE package cannot hold other versions or mappings between versions; whether an attribute is "
    "in development or a focus, or how diversity and inclusion show in it; a tier's audience and HR grades; "
    "values, channels and key definitions; or the framework's audience and role types. They arrive empty: "
    "add them in Cadre after importing.",
}


def plan_import(
    *, data: bytes, filename: str = "", format: str = "auto", organisation=None, network=None
) -> ImportPlan:
    """Read a framework file and say what importing it would create, and every problem with it.
    Writes nothing."""
    plan = ImportPlan(format=format)
    try:
        check_size(data)
        if format == "auto":
            format = detect_format(data, filename)
        if format not in FORMATS:
            raise ValidationError(Problem(f"‘{format}’ is not a format: use auto, {', '.join(FORMATS)}."))
        content = None
        if format == "cadre":
            content = load_structured(data)
            if isinstance(content, dict) and "CFDocument" in content and "format" not in content:
                format = "case"  # a CASE package in a file named .json
        plan.format = format
        if format == "cadre":
            plan.problems = check_document(content)
            document = content
        elif format == "csv":
            document, plan.problems = read_csv(data)
        else:
            document, plan.mapped, plan.skipped, plan.problems = read_case(data)
            if not plan.problems:
                plan.problems = check_document(document)
    except ValidationError as error:
        plan.problems = list(error.problems)
        return plan
    if plan.problems:
        return plan
    plan.document = document
    if format in NOT_CARRIED:
        plan.notes.append(NOT_CARRIED[format])
    meta = document["framework"]
    owner = owner_filter(organisation=organisation, network=network)
    existing = (
        Framework.objects.filter(**owner).filter(Q(slug=meta["slug"]) | Q(name__iexact=meta["name"].strip())).first()
    )
    if existing is not None:
        _plan_next_version(plan, existing)
        return plan
    expected = "organisation" if organisation is not None else "network" if network is not None else "national"
    if format == "cadre" and meta.get("sharing", "organisation") != expected:
        plan.notes.append(
            f"The file describes a {meta.get('sharing')} framework; it is imported as {expected} framework."
        )
    return plan


def _plan_next_version(plan: ImportPlan, existing: Framework) -> None:
    """A file for a framework that already exists here (the same name or slug) becomes its next
    version, a draft, rather than a second framework of the same name."""
    draft = existing.versions.filter(status=FrameworkVersion.Status.DRAFT).first()
    if draft is not None:
        plan.problems.append(
            Problem(
                f"{existing.name} already exists here and already has a draft, version {draft.number}. "
                "Publish that draft first, then import the file again to make it the next version."
            )
        )
        plan.document = None
        return
    plan.into = existing
    plan.into_number = (existing.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    plan.notes.append(
        f"{existing.name} already exists here, so the file becomes its next version: a draft, version "
        f"{plan.into_number}, for you to check and publish. The versions already published do not change."
    )
    versions = plan.document["versions"]
    if len(versions) > 1:
        plan.notes.append(
            f"The file holds {len(versions)} versions; only the latest, version {versions[-1]['number']}, is imported."
        )
