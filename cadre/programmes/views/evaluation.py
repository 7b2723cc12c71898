"""A cohort's evaluation report (page, PDF, CSV), its steering group's page, and where its recorded
outcomes stand. Only the programme's administrators and the cohort's steering group reach them;
anyone else gets a 404. All three report surfaces render the one `CohortReport`."""

import csv
import io
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from cadre.core.charts import Series, bars
from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.exports import spreadsheet_safe
from cadre.core.forms import add_problems
from cadre.programmes.forms_evaluation import DecisionForm, OutcomeStatusForm
from cadre.programmes.models import Cohort, Outcome
from cadre.programmes.rules import is_programme_administrator, may_read_cohort_progress
from cadre.programmes.services.design import steering_decision_record
from cadre.programmes.services.outcomes import outcome_status_record

if TYPE_CHECKING:
    from cadre.programmes.evaluation import CohortReport

# The report (and the statistics under it, scipy's among them) is imported when a page first needs
# it, so that loading the site's addresses stays quick.
GET_POST = require_http_methods(["GET", "POST"])
SCALE_MAX = 5


def _readable_cohort(request, cohort_id: int) -> Cohort:
    cohort = get_object_or_404(
        Cohort.objects.select_related("programme", "programme__organisation", "organisation"), pk=cohort_id
    )
    if not may_read_cohort_progress(request.user, cohort):
        raise Http404("No such cohort.")  # never a 403 that confirms it exists
    return cohort


def _report(request, cohort: Cohort) -> "CohortReport":
    from cadre.programmes.evaluation import cohort_report

    # Comments (without names) are for the programme's administrators, never the steering group.
    return cohort_report(cohort, comments=is_programme_administrator(request.user, cohort.organisation_id))


def _charts(report: "CohortReport") -> dict:
    from cadre.programmes.evaluation import QUESTIONS

    charts = {}
    reactions = report.reactions
    shown = [s for s in reactions.sessions if s.shown]
    if shown:
        charts["reactions"] = bars(
            [s.title for s in shown] + ["All sessions shown"],
            [
                Series(label, [s.means[q].mean for s in shown] + [reactions.overall[q].mean])
                for q, (_key, label) in enumerate(QUESTIONS)
            ],
            maximum=SCALE_MAX,
            label="Average answer to each question, by session, from 1 to 5. The same figures are in the table "
            "below it.",
        )
    levels = [level for level in report.levels if level.shown]
    if levels:
        charts["levels"] = bars(
            [level.title for level in levels],
            [
                Series("Before", [level.change.mean_before for level in levels]),
                Series("After", [level.change.mean_after for level in levels]),
            ],
            maximum=SCALE_MAX,
            label="Participants' average before and after, from 1 to 5. The same figures are in the table below it.",
        )
    return charts


def _context(request, cohort: Cohort, report: "CohortReport") -> dict:
    return {
        "cohort": cohort,
        "programme": cohort.programme,
        "report": report,
        "charts": _charts(report),
        "is_administrator": is_programme_administrator(request.user, cohort.organisation_id),
    }


@login_required
def report(request, cohort_id: int):
    cohort = _readable_cohort(request, cohort_id)
    return render(request, "programmes/evaluation/report.html", _context(request, cohort, _report(request, cohort)))


def _file_name(cohort: Cohort) -> str:
    return slugify(f"{cohort.programme.title} {cohort.name} evaluation") or "evaluation"


@login_required
def report_pdf(request, cohort_id: int):
    from weasyprint import HTML

    cohort = _readable_cohort(request, cohort_id)
    html = render_to_string(
        "programmes/evaluation/report_pdf.html", _context(request, cohort, _report(request, cohort)), request=request
    )
    # Tagged (PDF/UA-1), so screen readers read its headings and tables as such.
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(cohort)}.pdf"'
    return response


@login_required
def report_csv(request, cohort_id: int):
    from cadre.programmes.evaluation import report_rows

    cohort = _readable_cohort(request, cohort_id)
    out = io.StringIO()
    writer = csv.writer(out)
    for row in report_rows(_report(request, cohort)):
        # Numbers are written as numbers; any text that a spreadsheet would run as a formula is made plain.
        writer.writerow([cell if isinstance(cell, int | float) else spreadsheet_safe(cell) for cell in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(cohort)}.csv"'
    return response


@login_required
@GET_POST
def steering(request, cohort_id: int):
    """The cohort's progress in aggregate, the steering group's decisions, and a new decision."""
    from cadre.programmes.evaluation import cohort_progress

    cohort = _readable_cohort(request, cohort_id)
    form = DecisionForm(request.POST if request.method == "POST" else None, initial={"decided_on": ""})
    if request.method == "POST" and form.is_valid():
        try:
            steering_decision_record(
                cohort=cohort,
                actor=request.user,
                decided_on=form.cleaned_data["decided_on"],
                text=form.cleaned_data["text"],
            )
        except PermissionDenied as error:
            raise Http404("No such cohort.") from error
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, "The decision is recorded.")
            return redirect("programmes:steering", cohort.pk)
    decisions = list(cohort.decisions.select_related("recorded_by").order_by("-decided_on", "-id"))
    return render(
        request,
        "programmes/evaluation/steering.html",
        {
            "cohort": cohort,
            "programme": cohort.programme,
            "progress": cohort_progress(cohort),
            "decisions": decisions,
            "form": form,
            "today": timezone.localdate(),
        },
    )


@login_required
@GET_POST
def outcome_status(request, cohort_id: int):
    """Where each outcome the programme records by hand stands for this cohort, with its evidence."""
    cohort = _readable_cohort(request, cohort_id)
    outcomes = list(cohort.programme.outcomes.filter(measure=Outcome.Measure.RECORDED).order_by("position"))
    current = {s.outcome_id: s for s in cohort.outcome_statuses.all()}
    posted = None
    errors = []
    if request.method == "POST":
        chosen = request.POST.get("outcome", "")
        posted = next((o for o in outcomes if str(o.pk) == chosen), None)
        if posted is None:
            errors.append({"text": "Choose one of this programme's outcomes to record."})
    forms = []
    for outcome in outcomes:
        status = current.get(outcome.pk)
        initial = {"status": status.status, "evidence": status.evidence} if status else {}
        bound = request.POST if posted is not None and outcome.pk == posted.pk else None
        form = OutcomeStatusForm(bound, initial=initial, outcome=outcome)
        form.recorded = status
        forms.append(form)
    if posted is not None:
        form = next(f for f in forms if f.outcome.pk == posted.pk)
        if form.is_valid():
            try:
                outcome_status_record(
                    cohort=cohort,
                    actor=request.user,
                    outcome=posted,
                    status=form.cleaned_data["status"],
                    evidence=form.cleaned_data["evidence"],
                )
            except PermissionDenied as error:
                raise Http404("No such cohort.") from error
            except ValidationError as error:
                add_problems(form, error)
            else:
                messages.success(request, f"Where {posted.title} stands is saved.")
                return redirect("programmes:outcome_status", cohort.pk)
    return render(
        request,
        "programmes/evaluation/outcomes.html",
        {
            "cohort": cohort,
            "programme": cohort.programme,
            "forms": forms,
            "errors": errors,
            "has_errors": bool(errors) or any(f.errors for f in forms),
            "measured": cohort.programme.outcomes.exclude(measure=Outcome.Measure.RECORDED).count(),
        },
    )


urlpatterns = [
    path("cohorts/<id:cohort_id>/report/", report, name="report"),
    path("cohorts/<id:cohort_id>/report.pdf", report_pdf, name="report_pdf"),
    path("cohorts/<id:cohort_id>/report.csv", report_csv, name="report_csv"),
    path("cohorts/<id:cohort_id>/steering/", steering, name="steering"),
    path("cohorts/<id:cohort_id>/outcomes/", outcome_status, name="outcome_status"),
]
