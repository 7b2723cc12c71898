"""Pages for programmes and cohorts as their administrators design them and everyone else reads
them: the list of programmes, one programme, its design form, a cohort with its applications and
waiting list, a cohort's form and its people, and inviting an external participant.

Administrators are the learning and development (and organisation) administrators of the
programme's organisation. Anything outside what the user may see is a 404; so is a page for
administrators opened by anyone else."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.forms import add_problems
from cadre.core.models import Network, Organisation, Role, User
from cadre.core.selectors import organisations_where
from cadre.frameworks.models import FrameworkVersion
from cadre.frameworks.selectors import versions_available_to
from cadre.people.selectors import person_of
from cadre.programmes import selectors
from cadre.programmes.forms_design import (
    EXTRA_ROWS,
    MAX_ROWS,
    NO_FRAMEWORK,
    CohortForm,
    CohortPeopleForm,
    ExternalParticipantForm,
    ProgrammeForm,
    framework_choices,
)
from cadre.programmes.models import Application, Cohort, Programme
from cadre.programmes.rules import is_on_panel_of, is_programme_administrator, is_steering_member_of
from cadre.programmes.services import applications as application_services
from cadre.programmes.services import design as design_services
from cadre.programmes.services.external import ExternalParticipantDetails, external_participant_invite

GET_POST = require_http_methods(["GET", "POST"])
ADMINISTRATORS = (Role.LD_ADMIN, Role.ORG_ADMIN)


# --- reading ---------------------------------------------------------------------------------------


def _open_for_applications():
    today = timezone.localdate()
    return (
        Cohort.objects.filter(status=Cohort.Status.OPEN)
        .filter(Q(applications_close_on__isnull=True) | Q(applications_close_on__gte=today))
        .order_by("starts_on", "id")
    )


@login_required
def programme_list(request):
    """The programmes the user may see, each with its cohorts open for applications."""
    programmes = list(
        selectors.programmes_visible_to(request.user).prefetch_related(
            Prefetch("cohorts", queryset=_open_for_applications(), to_attr="open_cohorts")
        )
    )
    administered = set(organisations_where(request.user, *ADMINISTRATORS))
    me = person_of(request.user)
    home = me.organisation_id if me else None
    for programme in programmes:
        programme.administered = programme.organisation_id in administered
        programme.from_elsewhere = programme.organisation_id != home and programme.organisation_id not in administered
    return render(
        request,
        "programmes/design/list.html",
        {"programmes": programmes, "can_add": bool(administered), "today": timezone.localdate()},
    )


def _framework_names(framework_id) -> tuple[dict, dict]:
    """Names of the attributes and tiers of a framework's published version, by key."""
    if not framework_id:
        return {}, {}
    version = (
        FrameworkVersion.objects.filter(framework_id=framework_id, status=FrameworkVersion.Status.PUBLISHED)
        .prefetch_related("attributes", "tiers")
        .first()
    )
    if version is None:
        return {}, {}
    return {a.key: a.name for a in version.attributes.all()}, {t.key: t.name for t in version.tiers.all()}


def _named(keys, names) -> list[str]:
    return [names.get(key, f"{key} (no longer in the framework)") for key in keys]


@login_required
def programme_view(request, programme_id: int):
    programme = selectors.programme_detail(request.user, programme_id)
    if programme is None:
        raise Http404("No such programme.")
    is_admin = is_programme_administrator(request.user, programme.organisation_id)
    attributes, tiers = _framework_names(programme.framework_id)
    cohorts = list(programme.cohorts.all())
    cancelled = []
    if is_admin:
        cancelled = list(programme.cohorts.filter(status=Cohort.Status.CANCELLED).order_by("starts_on", "id"))
    return render(
        request,
        "programmes/design/programme.html",
        {
            "programme": programme,
            "is_admin": is_admin,
            "selection": _named(programme.selection_attributes, attributes),
            "evidence": _named(programme.evidence_attributes, attributes),
            "tiers": _named(programme.eligible_tiers, tiers),
            "cohorts": cohorts,
            "cancelled": cancelled,
        },
    )


# --- the programme's design ---------------------------------------------------------------------------


def _administered_organisation(request) -> Organisation:
    organisations = sorted(organisations_where(request.user, *ADMINISTRATORS))
    if not organisations:
        raise Http404("You do not run programmes.")
    return Organisation.objects.get(pk=organisations[0])


def _administered_programme(request, programme_id: int) -> Programme:
    programme = get_object_or_404(selectors.programmes_visible_to(request.user), pk=programme_id)
    if not is_programme_administrator(request.user, programme.organisation_id):
        raise Http404("No such programme.")
    return programme


def _rows(value, default: int) -> int:
    try:
        return max(1, min(int(value), MAX_ROWS))
    except (TypeError, ValueError):
        return default


def _programme_form_page(request, *, organisation: Organisation, existing: Programme | None):
    condition = Q(pk__in=versions_available_to(organisation).values("pk"))
    if existing is not None and existing.framework_id:
        condition |= Q(framework_id=existing.framework_id, status=FrameworkVersion.Status.PUBLISHED)
    versions = (
        FrameworkVersion.objects.filter(condition)
        .select_related("framework", "framework__owner_network")
        .prefetch_related("attributes", "tiers")
    )
    frameworks = framework_choices(versions)
    networks = list(Network.objects.filter(networkmembership__organisation=organisation).order_by("name"))
    options = {"frameworks": frameworks, "networks": networks}
    initial, stage_rows, outcome_rows = ProgrammeForm.initial_for(existing, **options)
    heading = f"Change {existing.title}" if existing else "Add a programme"
    if request.method == "POST":
        stage_rows = _rows(request.POST.get("stage_rows"), stage_rows)
        outcome_rows = _rows(request.POST.get("outcome_rows"), outcome_rows)
        form = ProgrammeForm(request.POST, stage_rows=stage_rows, outcome_rows=outcome_rows, **options)
        more = request.POST.get("action", "")
        if more in ("more-stages", "more-outcomes"):
            # More rows, and everything typed so far, without checking anything yet.
            stage_rows += EXTRA_ROWS if more == "more-stages" else 0
            outcome_rows += EXTRA_ROWS if more == "more-outcomes" else 0
            form = ProgrammeForm(initial=form.typed(), stage_rows=stage_rows, outcome_rows=outcome_rows, **options)
        elif form.is_valid():
            saved = _programme_save(request, form, organisation=organisation, existing=existing, networks=networks)
            if saved is not None:
                messages.success(request, f"{saved.title} is saved.")
                return redirect("programmes:programme", saved.pk)
    else:
        form = ProgrammeForm(initial=initial, stage_rows=stage_rows, outcome_rows=outcome_rows, **options)
    return render(
        request,
        "programmes/design/programme_form.html",
        {"form": form, "existing": existing, "heading": heading, "organisation": organisation},
    )


def _programme_save(request, form: ProgrammeForm, *, organisation, existing, networks) -> Programme | None:
    from cadre.frameworks.models import Framework

    data = form.cleaned_data
    chosen = form.chosen_framework()
    framework = Framework.objects.get(pk=chosen.pk) if chosen and data["framework"] != NO_FRAMEWORK else None
    network = None
    if data["audience"] in (Programme.Audience.NETWORK, Programme.Audience.OPEN):
        wanted = data.get(f"network_{data['audience']}")
        network = next((n for n in networks if str(n.pk) == wanted), None)
    try:
        return design_services.programme_save(
            organisation=organisation,
            actor=request.user,
            details=form.details(framework=framework, network=network),
            programme=existing,
        )
    except ValidationError as error:
        form.add_problems(error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


@login_required
@GET_POST
def programme_new(request):
    return _programme_form_page(request, organisation=_administered_organisation(request), existing=None)


@login_required
@GET_POST
def programme_edit(request, programme_id: int):
    programme = _administered_programme(request, programme_id)
    return _programme_form_page(request, organisation=programme.organisation, existing=programme)


# --- a cohort ---------------------------------------------------------------------------------------


def _visible_cohort(request, cohort_id: int) -> Cohort:
    cohort = selectors.cohort_with_counts(cohort_id, request.user)
    if cohort is None:
        raise Http404("No such cohort.")
    return cohort


def _administered_cohort(request, cohort_id: int) -> Cohort:
    cohort = get_object_or_404(selectors.cohorts_visible_to(request.user), pk=cohort_id)
    if not is_programme_administrator(request.user, cohort.organisation_id):
        raise Http404("No such cohort.")
    return cohort


@login_required
@GET_POST
def cohort_view(request, cohort_id: int):
    """Administrators: places, applications and the waiting list, and making offers. Steering
    members: counts only. Everyone else who can see it: dates, places left and how to apply."""
    cohort = _visible_cohort(request, cohort_id)
    is_admin = is_programme_administrator(request.user, cohort.organisation_id)
    problems = []
    if request.method == "POST":
        if not is_admin:
            raise Http404("No such cohort.")
        try:
            offered = application_services.offers_start(cohort=cohort, actor=request.user)
        except ValidationError as error:
            problems = error.problems
        else:
            count = len(offered)
            messages.success(
                request,
                f"{count} offer{'s' if count != 1 else ''} made. "
                f"People have {cohort.offer_days} days to accept before the place passes on.",
            )
            return redirect("programmes:cohort", cohort.pk)
    context = {
        "cohort": cohort,
        "programme": cohort.programme,
        "is_admin": is_admin,
        "places_left": max(cohort.capacity - cohort.places_held, 0),
        "errors": [{"text": p.message} for p in problems],
    }
    if is_admin:
        context.update(_administrator_context(cohort))
    elif is_steering_member_of(request.user, cohort):
        context["is_steering"] = True
        context["by_status"] = _counts_by_status(cohort)
    else:
        context.update(_reader_context(request, cohort))
    return render(request, "programmes/design/cohort.html", context)


def _administrator_context(cohort: Cohort) -> dict:
    applications = list(
        cohort.applications.select_related("person", "person__organisation").order_by(
            "person__last_name", "person__first_name", "id"
        )
    )
    waiting = []
    for pool, label in Application.Pool.choices:
        if pool == Application.Pool.PARTNER and not cohort.partner_places:
            continue
        waiting.append(
            {
                "pool": pool,
                "label": label,
                "people": list(application_services.waiting_order(cohort, pool).select_related("person")),
            }
        )
    return {
        "applications": applications,
        "waiting_lists": waiting,
        "can_make_offers": cohort.status in (Cohort.Status.PLANNED, Cohort.Status.OPEN, Cohort.Status.SELECTING),
    }


def _counts_by_status(cohort: Cohort) -> list[tuple[str, int]]:
    counts = dict(cohort.applications.values_list("status").annotate(n=Count("id")).order_by())
    return [(label, counts[status]) for status, label in Application.Status.choices if counts.get(status)]


def _reader_context(request, cohort: Cohort) -> dict:
    me = person_of(request.user)
    mine = Application.objects.filter(cohort=cohort, person=me).first() if me is not None else None
    reasons = []
    if me is not None and mine is None:
        reasons = [p.message for p in application_services.eligibility_problems(me, cohort)]
    return {
        "mine": mine,
        "may_apply": me is not None and mine is None and not reasons,
        "reasons": reasons,
        "on_panel": is_on_panel_of(request.user, cohort),
    }


def _cohort_form_page(request, *, programme: Programme, existing: Cohort | None):
    shared = programme.audience != Programme.Audience.OWN or bool(existing and existing.partner_places)
    form = CohortForm(
        request.POST if request.method == "POST" else None, initial=CohortForm.initial_for(existing), shared=shared
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = design_services.cohort_save(
                programme=programme,
                actor=request.user,
                details=design_services.CohortDetails(
                    name=data["name"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    capacity=data["capacity"],
                    partner_places=data.get("partner_places") or 0,
                    applications_open_on=data.get("applications_open_on"),
                    applications_close_on=data.get("applications_close_on"),
                    offer_days=data["offer_days"],
                    status=data["status"],
                ),
                cohort=existing,
            )
        except ValidationError as error:
            add_problems(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{saved.name} is saved.")
            return redirect("programmes:cohort", saved.pk)
    heading = f"Change {existing.name}" if existing else "Add a cohort"
    return render(
        request,
        "programmes/design/cohort_form.html",
        {"form": form, "programme": programme, "existing": existing, "heading": heading},
    )


@login_required
@GET_POST
def cohort_new(request, programme_id: int):
    return _cohort_form_page(request, programme=_administered_programme(request, programme_id), existing=None)


@login_required
@GET_POST
def cohort_edit(request, cohort_id: int):
    cohort = _administered_cohort(request, cohort_id)
    return _cohort_form_page(request, programme=cohort.programme, existing=cohort)


# --- a cohort's people ------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


def _resolve_people(form: CohortPeopleForm, cohort: Cohort):
    """The users named in each box, with a problem on the box for each address that is not one."""
    data = form.cleaned_data
    entries = {"panel": [], "assessors": [], "steering": []}
    for box in entries:
        for line in _lines(data.get(box, "")):
            email, _comma, role = line.partition(",") if box == "steering" else (line, "", "")
            email = email.strip().lower()
            try:
                validate_email(email)
            except DjangoValidationError:
                form.add_error(box, f"‘{line[:100]}’ is not an email address.")
                continue
            entries[box].append((email, role.strip()))
    wanted = {email for box in entries.values() for email, _role in box}
    found = {
        user.email_lower: user
        for user in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=wanted, is_active=True)
        .filter(selectors.may_be_named_to(cohort))
    }
    where = cohort.organisation.name
    if cohort.programme.audience != Programme.Audience.OWN and cohort.programme.network_id:
        where += " or an administrator in a partner organisation"
    names = {"panel": "selection panel", "assessors": "assessors", "steering": "steering group"}
    chosen = {}
    for box, rows in entries.items():
        users, seen = [], set()
        for email, role in rows:
            if email not in found:
                form.add_error(box, f"{email} is not someone with a login at {where}, so cannot join the {names[box]}.")
            elif email not in seen:
                seen.add(email)
                users.append((found[email], role))
        chosen[box] = users
    return chosen


@login_required
@GET_POST
def cohort_people(request, cohort_id: int):
    cohort = _administered_cohort(request, cohort_id)
    steering = list(cohort.steering_members.select_related("user__person").order_by("user__email"))
    panel = list(cohort.panel.select_related("person").order_by("email"))
    assessors = list(cohort.assessors.select_related("person").order_by("email"))
    initial = {
        "panel": "\n".join(u.email for u in panel),
        "assessors": "\n".join(u.email for u in assessors),
        "steering": "\n".join(f"{m.user.email}, {m.role}" if m.role else m.user.email for m in steering),
    }
    form = CohortPeopleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = _resolve_people(form, cohort)
        if not form.errors:
            try:
                design_services.cohort_set_people(
                    cohort=cohort,
                    actor=request.user,
                    panel=[user for user, _role in chosen["panel"]],
                    assessors=[user for user, _role in chosen["assessors"]],
                    steering=chosen["steering"],
                )
            except ValidationError as error:
                add_problems(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "The cohort's selection panel, assessors and steering group are saved.")
                return redirect("programmes:cohort", cohort.pk)
    return render(
        request,
        "programmes/design/cohort_people.html",
        {
            "form": form,
            "cohort": cohort,
            "panel": [_name_of(u) for u in panel],
            "assessors": [_name_of(u) for u in assessors],
            "steering": [f"{_name_of(m.user)} ({m.role})" if m.role else _name_of(m.user) for m in steering],
        },
    )


def _name_of(user) -> str:
    """The name on the user's staff record, else the login's."""
    person = getattr(user, "person", None)
    return person.full_name if person is not None else (user.full_name or user.email)


# --- an external participant --------------------------------------------------------------------------


@login_required
@GET_POST
def external_new(request, programme_id: int):
    programme = _administered_programme(request, programme_id)
    form = ExternalParticipantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person, _link = external_participant_invite(
                programme=programme,
                actor=request.user,
                details=ExternalParticipantDetails(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    employer=data["employer"],
                ),
            )
        except ValidationError as error:
            add_problems(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"{person.full_name} is invited. Once they have set their password they can apply for a place.",
            )
            return redirect("programmes:programme", programme.pk)
    return render(request, "programmes/design/external_form.html", {"form": form, "programme": programme})


urlpatterns = [
    path("", programme_list, name="list"),
    path("new/", programme_new, name="programme_new"),
    path("<id:programme_id>/", programme_view, name="programme"),
    path("<id:programme_id>/edit/", programme_edit, name="programme_edit"),
    path("<id:programme_id>/cohorts/new/", cohort_new, name="cohort_new"),
    path("<id:programme_id>/external/new/", external_new, name="external_new"),
    path("cohorts/<id:cohort_id>/", cohort_view, name="cohort"),
    path("cohorts/<id:cohort_id>/edit/", cohort_edit, name="cohort_edit"),
    path("cohorts/<id:cohort_id>/people/", cohort_people, name="cohort_people"),
]
