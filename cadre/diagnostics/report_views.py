"""A 360 report as a page, a PDF and a CSV file: all three render the one `Report` object, so none
can show more than the confidentiality rules let through."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from cadre.core.charts import Series, bars, radar
from cadre.core.errors import PermissionDenied
from cadre.core.exports import spreadsheet_safe
from cadre.diagnostics import services
from cadre.diagnostics.models import Subject
from cadre.diagnostics.reports import Report, may_read_report, report_for
from cadre.people.selectors import person_of


def _readable_subject(request, subject_id: int) -> Subject:
    subject = get_object_or_404(
        Subject.objects.select_related("campaign", "person", "tier", "debrief_coach"), pk=subject_id
    )
    if not may_read_report(request.user, subject):
        raise Http404("No such report.")  # never a 403 that confirms it exists
    return subject


def _charts(report: Report) -> dict:
    labels = [row.attribute.name for row in report.attributes]
    overview = [Series("Self", [row.self_value for row in report.attributes])]
    if report.has_others:
        overview.append(Series("Everyone else", [row.others.mean for row in report.attributes]))
    if report.norm_reports:
        overview.append(Series("Organisation norm", [row.norm for row in report.attributes]))
    groups = [Series("Self", [row.self_value for row in report.attributes])] + [
        Series(column.label, [row.groups[n].mean for row in report.attributes])
        for n, column in enumerate(report.columns)
    ]
    return {
        "radar": radar(
            labels,
            overview,
            maximum=report.scale_max,
            label="Self and others by attribute, from 0 to 5. The same figures are in the table beside it.",
        ),
        "bars": bars(
            labels,
            groups,
            maximum=report.scale_max,
            label="Each rater group's average by attribute. The same figures are in the table below it.",
        ),
    }


def _context(request, report: Report) -> dict:
    me = person_of(request.user)
    return {
        "report": report,
        "subject": report.subject,
        "campaign": report.subject.campaign,
        "is_subject": me is not None and me.pk == report.subject.person_id,
        "charts": _charts(report),
    }


@login_required
def report(request, subject_id: int):
    subject = _readable_subject(request, subject_id)
    return render(request, "diagnostics/report.html", _context(request, report_for(subject)))


@login_required
def report_pdf(request, subject_id: int):
    from weasyprint import HTML

    subject = _readable_subject(request, subject_id)
    html = render_to_string("diagnostics/report_pdf.html", _context(request, report_for(subject)), request=request)
    # Tagged (PDF/UA-1), so screen readers read its headings and tables as such.
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"{subject.person.full_name} {subject.campaign.name}") or "report"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def report_rows(report: Report) -> list[list]:
    """The report's figures as rows: what the CSV file (and the API) carry. Withheld groups have no
    row at all; a figure is never written without the count behind it."""
    rows = [["attribute", "item", "group", "mean", "count", "spread"]]
    for row in report.attributes:
        name = row.attribute.name
        if row.self_value is not None:
            rows.append([name, "", "Self", f"{row.self_value:.2f}", 1, ""])
        for column, figure in zip(report.columns, row.groups, strict=True):
            if figure.shown:
                rows.append([name, "", column.label, f"{figure.mean:.2f}", figure.count, f"{figure.spread:.2f}"])
        if row.others.shown:
            rows.append(
                [name, "", "Everyone else", f"{row.others.mean:.2f}", row.others.count, f"{row.others.spread:.2f}"]
            )
        for item in row.items:
            text = item.item.indicator.text + (" (scored the other way round)" if item.item.reverse else "")
            if item.self_value is not None:
                rows.append([name, text, "Self", f"{item.self_value:.2f}", 1, ""])
            if item.others.shown:
                rows.append(
                    [
                        name,
                        text,
                        "Everyone else",
                        f"{item.others.mean:.2f}",
                        item.others.count,
                        f"{item.others.spread:.2f}",
                    ]
                )
    return rows


@login_required
def report_csv(request, subject_id: int):
    subject = _readable_subject(request, subject_id)
    out = io.StringIO()
    writer = csv.writer(out)
    for row in report_rows(report_for(subject)):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = slugify(f"{subject.person.full_name} {subject.campaign.name}") or "report"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
def self_compare(request):
    """Two of the person's own finished self-assessments side by side, by attribute."""
    from cadre.diagnostics.models import RaterGroup, Response

    me = person_of(request.user)
    if me is None:
        raise Http404("Your login is not linked to a staff record.")
    finished = list(
        Response.objects.filter(subject__person=me, group=RaterGroup.SELF, status=Response.Status.SUBMITTED)
        .filter(subject__campaign__kind="self")
        .select_related("subject__campaign", "subject__tier")
        .order_by("-submitted_at", "-id")
    )
    by_id = {str(r.pk): r for r in finished}
    chosen = [by_id.get(request.GET.get("first", "")), by_id.get(request.GET.get("second", ""))]
    if len(finished) >= 2 and not request.GET:
        chosen = [finished[1], finished[0]]  # the latest two, older first
    errors = []
    if request.GET and not all(chosen):
        errors.append({"text": "Choose two of your finished self-assessments to compare.", "href": "#first"})
    rows = []
    if all(chosen) and not errors:
        first, second = (report_for(r.subject) for r in chosen)
        earlier = {row.attribute.key: row for row in first.attributes}
        for row in second.attributes:
            before = earlier.pop(row.attribute.key, None)
            rows.append(
                {"name": row.attribute.name, "first": before.self_value if before else None, "second": row.self_value}
            )
        rows.extend({"name": row.attribute.name, "first": row.self_value, "second": None} for row in earlier.values())
        for row in rows:
            both = row["first"] is not None and row["second"] is not None
            row["change"] = round(row["second"] - row["first"], 2) if both else None
    return render(
        request,
        "diagnostics/compare.html",
        {"finished": finished, "chosen": chosen if all(chosen) else [None, None], "rows": rows, "errors": errors},
    )


@login_required
@require_POST
def report_share(request, subject_id: int):
    subject = _readable_subject(request, subject_id)
    try:
        services.report_share(
            subject=subject,
            actor=request.user,
            manager=request.POST.get("manager") == "on",
            ld=request.POST.get("ld") == "on",
        )
    except PermissionDenied as error:
        raise Http404("No such report.") from error
    messages.success(request, "Who reads your report is saved.")
    return redirect("diagnostics:report", subject.pk)
