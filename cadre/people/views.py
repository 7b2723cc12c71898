import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from cadre.core.errors import ValidationError
from cadre.core.models import Organisation, Role
from cadre.core.privacy import person_erase, person_export
from cadre.core.selectors import organisations_where
from cadre.people import hr_import, services
from cadre.people.forms import ConfirmEraseForm, PersonImportForm
from cadre.people.models import Person, PersonImport
from cadre.people.selectors import people_list, person_detail

PAGE_SIZE = 50


@login_required
def people_list_view(request):
    search = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "active")
    team = request.GET.get("team") == "1"
    queryset = people_list(request.user, search=search, status=status, team=team)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in {"q": search, "status": status, "team": "1" if team else ""}.items() if v})
    return render(
        request,
        "people/list.html",
        {
            "page": page,
            "search": search,
            "status": status,
            "team": team,
            "query": query,
            "total": page.paginator.count,
            "several_organisations": len({p.organisation_id for p in page}) > 1,
        },
    )


@login_required
def person_view(request, person_id: int):
    person = person_detail(request.user, person_id)
    if person is None:
        raise Http404("No such person.")
    can_administer = request.user.has_perm("people.manage_personal_data", person)
    can_invite = person.user_id is None and request.user.has_perm("people.invite_person", person)
    reports = list(person.direct_reports.filter(status=Person.Status.ACTIVE).order_by("last_name", "first_name")[:50])
    can_set_tier = request.user.has_perm("frameworks.set_person_tier", person)
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "reports": reports,
            "can_administer": can_administer,
            "can_invite": can_invite,
            "can_set_tier": can_set_tier,
            # Someone looking at their own record cannot open their manager's (it is above them).
            "line_manager_linked": can_administer or person.user_id != request.user.pk,
            "invitation_open": person.invitation_expires_at is not None
            and person.invitation_expires_at > timezone.now(),
        },
    )


def _administered_person(request, person_id: int) -> Person:
    person = person_detail(request.user, person_id)
    if person is None or not request.user.has_perm("people.manage_personal_data", person):
        raise Http404("No such person.")
    return person


@login_required
def person_export_view(request, person_id: int):
    person = _administered_person(request, person_id)
    document = person_export(person=person, actor=request.user)
    response = HttpResponse(json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def person_erase_view(request, person_id: int):
    person = _administered_person(request, person_id)
    form = ConfirmEraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person_erase(person=person, actor=request.user)
        messages.success(request, "The person's details have been erased. Figures that counted them still add up.")
        return redirect("people:detail", person.pk)
    return render(request, "people/erase.html", {"person": person, "form": form})


@login_required
@require_POST
def person_invite_view(request, person_id: int):
    """Send a person an invitation to take up a login (organisation and L&D administrators)."""
    from cadre.core.services import invitation_send

    person = person_detail(request.user, person_id)
    if person is None or not request.user.has_perm("people.invite_person", person):
        raise Http404("No such person.")
    if person.user_id is not None:
        messages.error(request, f"{person.full_name} already has a login.")
    elif not person.email:
        messages.error(request, f"{person.full_name} has no email address. Add one in the HR system and import again.")
    else:
        try:
            invitation_send(organisation=person.organisation, email=person.email, actor=request.user, person=person)
        except ValidationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Invitation sent to {person.email}. The link in it works for 14 days.")
    return redirect("people:detail", person.pk)


# --- imports -----------------------------------------------------------------------------------


def _import_organisations(user):
    return Organisation.objects.filter(pk__in=organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN))


def _visible_import(request, import_id: int) -> PersonImport:
    return get_object_or_404(
        PersonImport.objects.select_related("organisation", "created_by").defer("content"),
        pk=import_id,
        organisation__in=_import_organisations(request.user),
    )


def _read_mapping(upload) -> dict:
    if upload is None:
        return {}
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError("The column mapping is not a text file in UTF-8.") from error
    return hr_import.load_mapping(text)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    organisations = list(_import_organisations(request.user))
    if not organisations:
        raise Http404("You cannot import staff.")
    bound = request.method == "POST"
    form = PersonImportForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        organisations=Organisation.objects.filter(pk__in=[o.pk for o in organisations]),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            mapping = _read_mapping(form.cleaned_data.get("mapping"))
            person_import = services.import_preview(
                organisation=form.cleaned_data["organisation"],
                actor=request.user,
                data=upload.read(),
                filename=upload.name,
                mode=form.cleaned_data["mode"],
                mapping=mapping,
            )
        except ValidationError as error:
            for problem in error.problems:
                form.add_error("file", str(problem))
        else:
            return redirect("people:import_preview", person_import.pk)
    recent = PersonImport.objects.filter(organisation__in=organisations).defer("content", "outcomes")[:10]
    return render(request, "people/import_upload.html", {"form": form, "recent": recent})


CHANGE_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "job_title": "Job title",
    "grade": "Grade",
    "department": "Department",
    "tier": "Tier",
    "role_type": "Role type",
    "start_date": "Start date",
    "status": "Status",
    "left_on": "Leaving date",
    "manager": "Line manager (employee number)",
    "endorser": "Endorser (employee number)",
}

OUTCOME_FILTERS = [
    ("all", "All rows"),
    ("error", "Errors"),
    ("new", "New"),
    ("changed", "Changed"),
    ("left", "Left"),
    ("unchanged", "Unchanged"),
]


@login_required
def import_preview_view(request, import_id: int):
    person_import = _visible_import(request, import_id)
    shown = request.GET.get("show", "error" if person_import.counts.get("errors") else "all")
    if shown not in dict(OUTCOME_FILTERS):
        shown = "all"
    outcomes = (
        person_import.outcomes if shown == "all" else [o for o in person_import.outcomes if o["outcome"] == shown]
    )
    page = Paginator(outcomes, 100).get_page(request.GET.get("page"))
    rows = [
        {
            **outcome,
            "change_list": [
                (CHANGE_LABELS.get(name, name.replace("_", " ").capitalize()), before, after)
                for name, (before, after) in outcome.get("changes", {}).items()
            ],
        }
        for outcome in page
    ]
    filters = [
        {
            "key": key,
            "label": label,
            "count": len(person_import.outcomes)
            if key == "all"
            else person_import.counts.get("errors" if key == "error" else key, 0),
            "href": reverse("people:import_preview", args=[person_import.pk]) + "?" + urlencode({"show": key}),
            "current": key == shown,
        }
        for key, label in OUTCOME_FILTERS
    ]
    return render(
        request,
        "people/import_preview.html",
        {
            "person_import": person_import,
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": urlencode({"show": shown}),
            "progress": services.import_progress(person_import.pk),
            "problems_without_row": [p for p in person_import.problems if p.get("row") is None],
        },
    )


@login_required
@require_POST
def import_confirm_view(request, import_id: int):
    person_import = _visible_import(request, import_id)
    try:
        services.import_confirm(person_import=person_import, actor=request.user)
    except ValidationError as error:
        messages.error(request, str(error))
    return redirect("people:import_preview", person_import.pk)


@login_required
@require_POST
def import_cancel_view(request, import_id: int):
    person_import = _visible_import(request, import_id)
    services.import_cancel(person_import=person_import, actor=request.user)
    messages.success(request, "The import was cancelled. Nothing was changed.")
    return redirect("people:import_upload")


@login_required
def import_progress_view(request, import_id: int):
    person_import = _visible_import(request, import_id)
    finished = person_import.status not in {PersonImport.Status.QUEUED, PersonImport.Status.RUNNING}
    if finished and request.htmx:
        # Reload the whole page so its counts and buttons show the final state too.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(
        request,
        "people/_import_progress.html",
        {"person_import": person_import, "progress": services.import_progress(person_import.pk)},
    )
