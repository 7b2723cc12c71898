"""A manager's team profile and the organisation's capability heatmap (page, CSV and XLSX)."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from cadre.core.charts import heatmap
from cadre.core.exports import spreadsheet_safe
from cadre.core.models import Department, Organisation, Role
from cadre.core.selectors import organisations_where
from cadre.diagnostics.models import Subject
from cadre.diagnostics.profiles import HEATMAP_THRESHOLD, SOURCES, TEAM_THRESHOLD, Table, grouped_table, person_scores
from cadre.frameworks.models import FrameworkVersion
from cadre.people.models import Person
from cadre.people.selectors import person_of

MIN_THRESHOLD = 3
MAX_THRESHOLD = 50


@login_required
def team_profile(request):
    """The manager's direct reports, per attribute: their own scores and what others said, each
    figure from at least three people."""
    me = person_of(request.user)
    if me is None:
        raise Http404("Your login is not linked to a staff record.")
    team = list(
        Person.objects.filter(line_manager=me, status=Person.Status.ACTIVE).select_related("tier__version__framework")
    )
    sections = []
    by_version: dict[int, list[Person]] = {}
    for person in team:
        if person.tier_id and person.tier.version.status == FrameworkVersion.Status.PUBLISHED:
            by_version.setdefault(person.tier.version_id, []).append(person)
    for members in by_version.values():
        version = members[0].tier.version
        ids = [p.pk for p in members]
        tables = []
        # Reports the manager already reads (shared with them) cannot be taken away from the team's
        # figure to leave fewer than three: the threshold grows by as many as they read.
        shared = (
            Subject.objects.filter(
                person_id__in=ids,
                shared_with_manager=True,
                released_at__isnull=False,
                campaign__version__framework_id=version.framework_id,
            )
            .values("person_id")
            .distinct()
            .count()
        )
        for source, label in SOURCES.items():
            attributes, scores = person_scores(version, ids, source)
            tables.append(
                (
                    label,
                    grouped_table(
                        attributes=attributes,
                        scores=scores,
                        groups=[("Your team", ids)],
                        threshold=TEAM_THRESHOLD + (shared if source == "360" else 0),
                        totals=False,
                    ),
                )
            )
        sections.append({"version": version, "people": len(members), "tables": tables})
    return render(
        request,
        "diagnostics/team.html",
        {"team_size": len(team), "sections": sections, "threshold": TEAM_THRESHOLD},
    )


def _heatmap_organisation(user) -> Organisation:
    allowed = organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN, Role.EXECUTIVE_VIEWER)
    if not allowed:
        raise Http404("You do not see the organisation's capability.")
    return Organisation.objects.get(pk=allowed[0])


def _heatmap(request) -> tuple[Organisation, dict, list[dict]]:
    """The organisation, the chosen options (with problems), and the table when they are right."""
    organisation = _heatmap_organisation(request.user)
    versions = list(
        FrameworkVersion.objects.filter(
            framework__owner_organisation=organisation, status=FrameworkVersion.Status.PUBLISHED
        ).select_related("framework")
    )
    errors = []
    chosen = {"versions": versions, "version": versions[0] if versions else None, "source": "self"}
    chosen["threshold"] = HEATMAP_THRESHOLD
    raw_version = request.GET.get("version")
    if raw_version:
        match = next((v for v in versions if str(v.pk) == raw_version), None)
        if match is None:
            errors.append({"text": "Choose one of the frameworks listed.", "href": "#version"})
        else:
            chosen["version"] = match
    source = request.GET.get("source", "self")
    if source not in SOURCES:
        errors.append({"text": "Choose self-assessments or 360 feedback.", "href": "#source"})
    else:
        chosen["source"] = source
    raw_threshold = request.GET.get("threshold", str(HEATMAP_THRESHOLD)).strip()
    if not (raw_threshold.isascii() and raw_threshold.isdecimal()) or not (
        MIN_THRESHOLD <= int(raw_threshold[:6]) <= MAX_THRESHOLD
    ):
        errors.append(
            {
                "text": f"Enter the fewest people per cell as a whole number from {MIN_THRESHOLD} to {MAX_THRESHOLD}.",
                "href": "#threshold",
            }
        )
        chosen["threshold_typed"] = raw_threshold
    else:
        chosen["threshold"] = int(raw_threshold)
    return organisation, chosen, errors


def _table(organisation: Organisation, chosen: dict) -> Table | None:
    version = chosen["version"]
    if version is None:
        return None
    departments = list(Department.objects.filter(organisation=organisation, parent__isnull=True).order_by("name"))
    services = dict(
        Department.objects.filter(organisation=organisation, parent__isnull=False).values_list("pk", "parent_id")
    )
    members: dict[int, list[int]] = {d.pk: [] for d in departments}
    people = Person.objects.filter(
        organisation=organisation, status=Person.Status.ACTIVE, tier__version=version
    ).values_list("pk", "department_id")
    for person_id, department_id in people:
        top = services.get(department_id, department_id)
        if top in members:
            members[top].append(person_id)
    everyone = [p for ids in members.values() for p in ids]
    attributes, scores = person_scores(version, everyone, chosen["source"])
    return grouped_table(
        attributes=attributes,
        scores=scores,
        groups=[(d.name, members[d.pk]) for d in departments],
        threshold=chosen["threshold"],
        totals=True,
    )


@login_required
def organisation_heatmap(request):
    organisation, chosen, errors = _heatmap(request)
    table = None if errors else _table(organisation, chosen)
    chart = None
    if table is not None and table.rows:
        chart = heatmap(
            [name for name, _cells in table.rows],
            [a.name for a in table.attributes],
            [[c.mean for c in cells] for _name, cells in table.rows],
            hidden=[[c.hidden for c in cells] for _name, cells in table.rows],
            minimum=1,
            maximum=5,
            label="Capability by department and attribute. The same figures are in the table below.",
        )
    return render(
        request,
        "diagnostics/heatmap.html",
        {
            "organisation": organisation,
            "chosen": chosen,
            "errors": errors,
            "table": table,
            "chart": chart,
            "sources": SOURCES,
            "query": request.GET.urlencode(),
        },
    )


def _rows(table: Table) -> list[list]:
    """The table as rows for a file, hidden cells written as "hidden" with no count."""
    head = ["department"] + [f"{a.name} ({field})" for a in table.attributes for field in ("mean", "people")]
    rows = [head]

    def cells(values) -> list:
        out = []
        for cell in values:
            if cell.hidden:
                out += ["hidden", ""]
            elif cell.mean is None:
                out += ["", 0]
            else:
                out += [round(cell.mean, 2), cell.count]
        return out

    for name, values in table.rows:
        rows.append([name, *cells(values)])
    if table.totals is not None:
        rows.append(["Whole organisation", *cells(table.totals)])
    return rows


@login_required
def organisation_heatmap_download(request, file_format: str):
    organisation, chosen, errors = _heatmap(request)
    if errors or file_format not in ("csv", "xlsx"):
        raise Http404("Choose the heatmap's options on its page first.")
    table = _table(organisation, chosen)
    if table is None:
        raise Http404("There is no published framework.")
    rows = _rows(table)
    name = slugify(f"{organisation.name} capability {chosen['source']}") or "capability"
    if file_format == "csv":
        out = io.StringIO()
        csv.writer(out).writerows([[spreadsheet_safe(cell) for cell in row] for row in rows])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "Capability"
        for row in rows:
            sheet.append([cell if isinstance(cell, int | float) else spreadsheet_safe(cell) for cell in row])
        sheet.append([])
        sheet.append(
            [f"Cells with fewer than {table.threshold} people, and any that would let one be worked out, are hidden."]
        )
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
