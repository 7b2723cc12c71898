"""Portfolio pages: a participant's portfolio, adding evidence, one piece of evidence with the
assessor's form, its file, the evidence waiting for assessors in a cohort, and confirming
completion. Seen only by the participant, the cohort's assessors and the administrators of its
organisation; anyone else (a steering group member included) gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.forms import add_problems
from cadre.programmes.forms_portfolio import AssessForm, EvidenceForm
from cadre.programmes.models import Application, Evidence
from cadre.programmes.rules import is_programme_administrator
from cadre.programmes.services import portfolio as services

GET_POST = require_http_methods(["GET", "POST"])


def _visible_application(request, application_id: int) -> Application:
    return get_object_or_404(services.portfolio_applications_visible_to(request.user), pk=application_id)


@login_required
@require_GET
def portfolio(request, application_id: int):
    application = _visible_application(request, application_id)
    programme = application.cohort.programme
    names = services.attribute_names(programme)
    groups = services.portfolio_by_attribute(application, names)
    attendance = services.attendance_so_far(application)
    signed_off = {g.key for g in groups if g.status == Evidence.Status.SIGNED_OFF}
    problems = (
        services.completion_problems(application, attendance=attendance, signed_off=signed_off, names=names)
        if application.status == Application.Status.ACCEPTED
        else []
    )
    is_self = services.is_participant_self(request.user, application)
    return render(
        request,
        "programmes/portfolio/portfolio.html",
        {
            "application": application,
            "programme": programme,
            "cohort": application.cohort,
            "groups": groups,
            "attendance": attendance,
            "problems": problems,
            "is_self": is_self,
            "may_add": is_self and application.status == Application.Status.ACCEPTED and bool(groups),
            "may_complete": application.status == Application.Status.ACCEPTED
            and services.may_complete(request.user, application),
            "may_assess": not is_self and services.may_assess(request.user, application),
        },
    )


@login_required
@GET_POST
def evidence_new(request, application_id: int):
    application = _visible_application(request, application_id)
    if not services.is_participant_self(request.user, application):
        raise Http404("Only the participant adds evidence.")
    programme = application.cohort.programme
    names = services.attribute_names(programme)
    keys = services.evidence_keys(programme)
    choices = [(key, services.attribute_label(names, key)) for key in keys]
    refusal = services.evidence_refusal(application)
    if not keys and refusal is None:
        refusal_text = "This programme asks for no portfolio evidence."
    else:
        refusal_text = refusal.message if refusal else ""
    initial = {"key": request.GET.get("attribute")} if request.GET.get("attribute") in keys else {}
    form = EvidenceForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
        attributes=choices,
    )
    if request.method == "POST" and not refusal_text and form.is_valid():
        data = form.cleaned_data
        try:
            evidence = services.evidence_submit(
                application=application,
                actor=request.user,
                key=data["key"],
                title=data["title"],
                text=data["text"],
                file=data["file"],
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(
                request, f"Your evidence \u201c{evidence.title}\u201d has been added for an assessor to read."
            )
            return redirect("programmes:portfolio", application.pk)
    return render(
        request,
        "programmes/portfolio/evidence_new.html",
        {"application": application, "programme": programme, "form": form, "refusal": refusal_text},
    )


@login_required
@GET_POST
def evidence(request, evidence_id: int):
    found = get_object_or_404(services.evidence_visible_to(request.user), pk=evidence_id)
    application = found.application
    may_assess = (
        found.status == Evidence.Status.SUBMITTED
        and application.status == Application.Status.ACCEPTED
        and services.may_assess(request.user, application)
    )
    form = None
    if may_assess:
        form = AssessForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.evidence_assess(
                    evidence=found,
                    actor=request.user,
                    signed_off=form.cleaned_data["decision"] == "signed_off",
                    note=form.cleaned_data["note"],
                )
            except PermissionDenied as error:
                raise Http404("No such evidence.") from error
            except ValidationError as error:
                add_problems(form, error)
            else:
                outcome = "signed off" if found.status == Evidence.Status.SIGNED_OFF else "sent back for more"
                messages.success(
                    request, f"\u201c{found.title}\u201d is {outcome}. {application.person.full_name} has been told."
                )
                return redirect("programmes:assessments", application.cohort_id)
    elif request.method == "POST":
        if found.status != Evidence.Status.SUBMITTED and services.may_assess(request.user, application):
            messages.info(request, "This evidence has already been assessed.")
        return redirect("programmes:evidence", found.pk)
    names = services.attribute_names(application.cohort.programme)
    return render(
        request,
        "programmes/portfolio/evidence.html",
        {
            "evidence": found,
            "application": application,
            "attribute_name": services.attribute_label(names, found.key),
            "is_self": services.is_participant_self(request.user, application),
            "form": form,
        },
    )


@login_required
@require_GET
def evidence_file(request, evidence_id: int):
    """The evidence's file, as a download, to those who may see the evidence."""
    found = get_object_or_404(services.evidence_visible_to(request.user), pk=evidence_id)
    if not found.file:
        raise Http404("This evidence has no file.")
    try:
        handle = found.file.storage.open(found.file.name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("The file is missing.") from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.file_name or f"evidence.{found.file.name.rsplit('.', 1)[-1]}",
        content_type=services.content_type_of(found),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def assessments(request, cohort_id: int):
    cohort = get_object_or_404(services.cohorts_assessed_by(request.user), pk=cohort_id)
    waiting = list(services.evidence_waiting(cohort, request.user))
    names = services.attribute_names(cohort.programme)
    for piece in waiting:
        piece.attribute_name = services.attribute_label(names, piece.key)
    rows, held = services.cohort_progress(cohort)
    return render(
        request,
        "programmes/portfolio/assessments.html",
        {
            "cohort": cohort,
            "programme": cohort.programme,
            "waiting": waiting,
            "rows": rows,
            "held": held,
            "is_admin": is_programme_administrator(request.user, cohort.organisation_id),
        },
    )


@login_required
@GET_POST
def completion(request, application_id: int):
    application = _visible_application(request, application_id)
    if not services.may_complete(request.user, application):
        raise Http404("Only the programme's administrators confirm completion.")
    errors = None
    if request.method == "POST":
        try:
            services.application_complete(application=application, actor=request.user)
        except PermissionDenied as error:
            raise Http404("Only the programme's administrators confirm completion.") from error
        except ValidationError as error:
            errors = error.problems
            application = _visible_application(request, application_id)
        else:
            messages.success(
                request,
                f"{application.person.full_name} has completed {application.cohort.programme.title}. "
                "Their certificate and badge have been issued.",
            )
            return redirect("programmes:portfolio", application.pk)
    names = services.attribute_names(application.cohort.programme)
    attendance = services.attendance_so_far(application)
    problems = (
        errors if errors is not None else services.completion_problems(application, attendance=attendance, names=names)
    )
    return render(
        request,
        "programmes/portfolio/completion.html",
        {
            "application": application,
            "programme": application.cohort.programme,
            "attendance": attendance,
            "problems": problems,
            "failed": errors is not None,
            "error_items": [{"text": p.message} for p in errors or []],
        },
    )


urlpatterns = [
    path("participants/<id:application_id>/portfolio/", portfolio, name="portfolio"),
    path("participants/<id:application_id>/portfolio/add/", evidence_new, name="evidence_new"),
    path("participants/<id:application_id>/completion/", completion, name="completion"),
    path("evidence/<id:evidence_id>/", evidence, name="evidence"),
    path("evidence/<id:evidence_id>/file/", evidence_file, name="evidence_file"),
    path("cohorts/<id:cohort_id>/assessments/", assessments, name="assessments"),
]
