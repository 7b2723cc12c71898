"""Pages for learning requests: my learning, asking for an offering, one request, deciding,
recording completion, the provider's personal link, requests to decide, and a person's record
with its CSV and XLSX downloads."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from cadre.catalogue.selectors import offerings_visible_to
from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.forms import add_problems
from cadre.learning import selectors, services
from cadre.learning.forms import CompletionForm, DecisionForm, ProviderConfirmForm, ProviderLinkForm, RequestForm
from cadre.learning.models import OPEN_STATUSES, LearningRequest
from cadre.learning.record import export_rows, record_for, summary_of
from cadre.people.selectors import person_of

GET_POST = require_http_methods(["GET", "POST"])
Status = LearningRequest.Status


def _visible_request(request, request_id: int) -> LearningRequest:
    return get_object_or_404(selectors.requests_visible_to(request.user), pk=request_id)


def _record_context(person) -> dict:
    entries = record_for(person)
    return {"entries": entries, "summary": summary_of(entries)}


@login_required
def mine(request):
    """My learning: my requests, and a summary of my record."""
    me = person_of(request.user)
    context = {"me": me, "requests": [], "entries": [], "summary": None}
    if me is not None:
        context["requests"] = selectors.my_requests(request.user)
        context.update(_record_context(me))
    context["to_decide"] = selectors.requests_to_decide(request.user).count()
    return render(request, "learning/mine.html", context)


@login_required
@GET_POST
def request_new(request, offering_id: int):
    """Ask for an offering, from its page in the catalogue."""
    offering = get_object_or_404(offerings_visible_to(request.user).select_related("organisation"), pk=offering_id)
    me = person_of(request.user)
    open_request = None
    choices = []
    if me is not None:
        open_request = LearningRequest.objects.filter(person=me, offering=offering, status__in=OPEN_STATUSES).first()
        choices = selectors.attribute_choices(me, offering)
    form = RequestForm(request.POST if request.method == "POST" else None, attribute_choices=choices)
    if request.method == "POST" and me is not None and form.is_valid():
        try:
            made = services.request_create(
                actor=request.user,
                offering=offering,
                details=services.RequestDetails(
                    reason=form.cleaned_data["reason"],
                    attributes=form.cleaned_data.get("attributes", []),
                    preferred_start=form.cleaned_data["preferred_start"],
                ),
            )
        except ValidationError as error:
            add_problems(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            approver = selectors.named_approver(me)
            who = approver.full_name if approver else "your learning and development team"
            messages.success(request, f"Your request is sent. {who} will decide it.")
            return redirect("learning:detail", made.pk)
    return render(
        request,
        "learning/request.html",
        {
            "offering": offering,
            "form": form,
            "me": me,
            "open_request": open_request,
            "approver": selectors.named_approver(me) if me else None,
        },
    )


@login_required
def detail(request, request_id: int):
    found = _visible_request(request, request_id)
    user = request.user
    is_person = found.person.user_id == user.pk
    is_admin = found.organisation_id in selectors.administered_organisations(user)
    return render(
        request,
        "learning/detail.html",
        {
            "item": found,
            "is_person": is_person,
            "may_cancel": is_person and found.is_open,
            "may_decide": found.status == Status.REQUESTED and selectors.may_decide(user, found),
            "may_complete": found.status == Status.APPROVED and selectors.may_record_completion(user, found),
            "may_send_link": found.status == Status.APPROVED and is_admin,
            "may_see_evidence": bool(found.evidence_file) and selectors.may_view_record(user, found.person),
            "may_see_record": selectors.may_view_record(user, found.person),
            "approver": selectors.named_approver(found.person),
        },
    )


@login_required
@require_POST
def cancel(request, request_id: int):
    found = _visible_request(request, request_id)
    if found.person.user_id != request.user.pk:
        raise Http404("No such request.")
    try:
        services.request_cancel(learning_request=found, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(p.message for p in error.problems))
    else:
        messages.success(request, f"Your request for {found.offering.title} is cancelled.")
    return redirect("learning:detail", found.pk)


@login_required
@GET_POST
def decide(request, request_id: int):
    """Approve, or decline with a reason: GOV.UK radios with a conditional text box."""
    found = _visible_request(request, request_id)
    if found.person.user_id == request.user.pk:
        return render(request, "learning/decide.html", {"item": found, "own": True}, status=403)
    if not selectors.may_decide(request.user, found):
        raise Http404("No such request.")
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and found.status == Status.REQUESTED and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.request_decide(
                learning_request=found,
                actor=request.user,
                approve=approve,
                reason=form.cleaned_data["note" if approve else "reason"],
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            outcome = "approved" if approve else "declined"
            messages.success(request, f"{found.person.full_name}'s request for {found.offering.title} is {outcome}.")
            return redirect("learning:to_decide")
    return render(request, "learning/decide.html", {"item": found, "form": form, "own": False})


@login_required
@GET_POST
def complete(request, request_id: int):
    """Record completion: the person with evidence, or an administrator."""
    found = _visible_request(request, request_id)
    if not selectors.may_record_completion(request.user, found):
        raise Http404("No such request.")
    is_person = found.person.user_id == request.user.pk
    refusal = services.completion_refusal(found)
    posted = request.method == "POST" and refusal is None
    form = CompletionForm(request.POST if posted else None, request.FILES if posted else None, for_person=is_person)
    if posted and form.is_valid():
        try:
            services.completion_record(
                learning_request=found,
                actor=request.user,
                completed_on=form.cleaned_data["completed_on"],
                evidence=form.cleaned_data["evidence"],
                evidence_file=form.cleaned_data["evidence_file"],
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, f"Completion of {found.offering.title} is recorded.")
            return redirect("learning:detail", found.pk)
    return render(
        request,
        "learning/complete.html",
        {"item": found, "form": form, "refusal": refusal.message if refusal else None, "is_person": is_person},
    )


@login_required
@GET_POST
def provider_link(request, request_id: int):
    """An administrator sends the provider a personal link to confirm completion."""
    found = _visible_request(request, request_id)
    if found.organisation_id not in selectors.administered_organisations(request.user):
        raise Http404("No such request.")
    initial = {"name": found.provider_name, "email": found.provider_email}
    form = ProviderLinkForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and found.status == Status.APPROVED and form.is_valid():
        try:
            services.provider_link_send(
                learning_request=found,
                actor=request.user,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, f"A link to confirm completion is on its way to {form.cleaned_data['email']}.")
            return redirect("learning:detail", found.pk)
    return render(request, "learning/provider_link.html", {"item": found, "form": form})


@login_required
def evidence(request, request_id: int):
    """The evidence file, to those who may see the person's record only."""
    found = _visible_request(request, request_id)
    if not found.evidence_file or not selectors.may_view_record(request.user, found.person):
        raise Http404("No such file.")
    try:
        handle = default_storage.open(found.evidence_file.name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("The file is missing.") from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.evidence_file_name or "evidence",
        content_type=found.evidence_content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def to_decide(request):
    """Requests waiting for my decision; for administrators also those waiting for someone else, and
    approved ones waiting for completion."""
    waiting = list(selectors.requests_to_decide(request.user))
    is_admin = bool(selectors.administered_organisations(request.user))
    return render(
        request,
        "learning/to_decide.html",
        {
            "waiting": waiting,
            "is_admin": is_admin,
            "others": list(selectors.requests_waiting_for_others(request.user)) if is_admin else [],
            "approved": list(selectors.requests_awaiting_completion(request.user)) if is_admin else [],
        },
    )


@login_required
def record(request, person_id: int):
    person = selectors.record_person_for(request.user, person_id)
    if person is None:
        raise Http404("No such person.")
    return render(
        request,
        "learning/record.html",
        {"person": person, "is_me": person.user_id == request.user.pk, **_record_context(person)},
    )


@login_required
def record_download(request, person_id: int, file_format: str):
    person = selectors.record_person_for(request.user, person_id)
    if person is None or file_format not in ("csv", "xlsx"):
        raise Http404("No such record.")
    rows = export_rows(record_for(person))
    name = slugify(f"learning record {person.full_name} {timezone.localdate():%Y-%m-%d}") or "learning-record"
    if file_format == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "Learning record"
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response


@GET_POST
def provider(request, request_id: int, token: str):
    """The provider's personal link: confirm the person completed the offering. No account needed."""
    found = LearningRequest.objects.select_related("organisation", "offering", "person").filter(pk=request_id).first()
    if found is None or not found.provider_token_matches(token):
        raise Http404("This link is not right. Check it against the email you were sent.")
    refusal = services.provider_link_refusal(found)
    form = ProviderConfirmForm(
        request.POST if request.method == "POST" and refusal is None else None,
        initial={"name": found.provider_name},
    )
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            services.provider_completion_confirm(
                learning_request=found,
                token=token,
                completed_on=form.cleaned_data["completed_on"],
                note=form.cleaned_data["note"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, "Thank you. Completion is recorded.")
            return redirect("learning:provider", found.pk, token)
    status = 410 if refusal and found.status == Status.APPROVED and found.provider_link_expired else 200
    return render(request, "learning/provider.html", {"item": found, "form": form, "refusal": refusal}, status=status)
