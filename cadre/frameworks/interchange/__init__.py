"""Framework import and export: Cadre's own format (YAML or JSON), a flat CSV, and 1EdTech CASE 1.0.

    plan = plan_import(data=..., filename=..., format="auto", organisation=org)   # reads, writes nothing
    framework = framework_import(plan=plan, organisation=org, actor=user)          # all or nothing

`export_framework(framework)` gives Cadre's format as a dict; `export_csv` and `export_case` the
others. docs/framework-interchange.md says what each format carries."""

from cadre.core.errors import Problem, ValidationError
from cadre.frameworks.interchange.cadre_format import check_document, dump, export_framework
from cadre.frameworks.interchange.case import export_case, read_case
from cadre.frameworks.interchange.common import FORMATS, ImportPlan, check_size, detect_format, load_structured
from cadre.frameworks.interchange.csv_format import export_csv, read_csv
from cadre.frameworks.interchange.services import framework_import, owner_filter
from cadre.frameworks.models import Framework

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
    meta = document["framework"]
    owner = owner_filter(organisation=organisation, network=network)
    taken = set(Framework.objects.filter(**owner).values_list("slug", flat=True))
    if format == "cadre":
        if meta["slug"] in taken:
            plan.problems.append(
                Problem(f"A framework with the slug ‘{meta['slug']}’ already exists here.", field="framework.slug")
            )
            plan.document = None
        expected = "organisation" if organisation is not None else "network" if network is not None else "national"
        if meta.get("sharing", "organisation") != expected:
            plan.notes.append(
                f"The file describes a {meta.get('sharing')} framework; it is imported as {expected} framework."
            )
    else:
        slug, n = meta["slug"], 2
        while slug in taken:
            slug, n = f"{meta['slug'][:75]}-{n}", n + 1
        meta["slug"] = slug
    return plan
