"""Pages from application to a place: applying (or completing a nomination), my applications,
one application (its status, the offer to answer, withdrawing), endorsing, nominating, and the
selection panel's pages (the applications to select from, scoring, the decision).

Each page reads through `cadre.programmes.selectors` and writes through
`cadre.programmes.services.applications`: the rules are there, and their problems are shown in
the GOV.UK error summary. An application or cohort outside what the user may see is a 404."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.forms import add_problems
from cadre.core.models import Role
from cadre.core.selectors import organisations_where
from cadre.frameworks.models import Attribute, FrameworkVersion
from cadre.people.models import Person, RoleType
from cadre.people.selectors import person_of, reports_below
from cadre.programmes import selectors
from cadre.programmes.forms_applications import (
    Criterion,
    DecideForm,
    EndorseForm,
    NominateForm,
    RespondForm,
    ScoreForm,
    StatementForm,
    WithdrawForm,
)
from cadre.programmes.models import Application, Cohort, PanelScore, Programme
from cadre.programmes.rules import is_on_panel_of, is_programme_administrator
from cadre.programmes.services import applications as services

GET_POST = require_http_methods(["GET", "POST"])
Status = Application.Status
MAX_SEARCH = 100
NOMINEES_SHOWN = 50
WITHDRAWABLE = (*Application.IN_PROGRESS, Status.ACCEPTED)


# -- helpers --------------------------------------------------------------------------------------


def criteria_of(programme: Programme) -> list[Criterion]:
    """The programme's selection criteria, in its order, named as its framework's published version names them."""
    keys = list(programme.selection_attributes or [])
    if not keys:
        return []
    found = {}
    if programme.framework_id:
        found = {
            a.key: a
            for a in Attribute.objects.filter(
                version__framework_id=programme.framework_id,
                version__status=FrameworkVersion.Status.PUBLISHED,
                key__in=keys,
            ).only("key", "name", "statement")
        }
    return [
        Criterion(key=key, name=found[key].name, statement=found[key].statement)
        if key in found
        else Criterion(key=key, name=key.replace("-", " ").capitalize())
        for key in keys
    ]


def _visible_application(request, application_id: int) -> Application:
    return get_object_or_404(
        selectors.applications_visible_to(request.user).select_related(
            "cohort__organisation",
            "cohort__programme__framework",
            "nominated_by__person",
            "endorsed_by__person",
            "decided_by__person",
        ),
        pk=application_id,
    )


def _visible_cohort(request, cohort_id: int) -> Cohort:
    return get_object_or_404(selectors.cohorts_visible_to(request.user), pk=cohort_id)


def _refused(request, error: PermissionDenied, *, back=None):
    return render(request, "programmes/applications/refused.html", {"message": str(error), "back": back}, status=403)


def _is_applicant(user, application: Application) -> bool:
    return application.person.user_id == user.pk


def _may_select(user, cohort: Cohort) -> bool:
    return is_programme_administrator(user, cohort.organisation_id) or is_on_panel_of(user, cohort)


def _name(user) -> str:
    """A user's name as their staff record has it, else their login's."""
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.full_name if person is not None else str(user)


def _examples(application: Application, criteria: list[Criterion]) -> list[tuple[Criterion, str]]:
    written = {a.key: a.text for a in application.attributes.all()}
    return [(c, written[c.key]) for c in criteria if c.key in written]


def _statement_form(data, *, application_or_person, criteria) -> StatementForm:
    person = application_or_person
    return StatementForm(
        data, criteria=criteria, external=person is not None and person.role_type == RoleType.EXTERNAL_PARTICIPANT
    )


def _statement(form: StatementForm) -> services.Statement:
    return services.Statement(
        text=form.cleaned_data["statement"],
        attributes=form.examples(),
        employer=form.cleaned_data.get("employer", ""),
    )


def explanation(application: Application, *, endorser=None) -> str:
    """What the application's status means for the applicant, in plain words."""
    expires = application.offer_expires_at
    texts = {
        Status.NOMINATED: "You have been nominated. Write your statement below to go forward.",
        Status.SUBMITTED: f"Your application is waiting for {endorser.full_name if endorser else 'your line manager'}"
        " to endorse it.",
        Status.NOT_ENDORSED: "Your application was not endorsed, so it did not go to the selection panel.",
        Status.ENDORSED: "Your application is endorsed and is with the selection panel.",
        Status.NOT_SELECTED: "The selection panel did not select you this time.",
        Status.WAITING: "The selection panel selected you. You are on the waiting list: when a place is free, it is "
        "offered to the next in line, in order of the panel's score.",
        Status.OFFERED: "You are offered a place. Accept or decline it"
        + (f" by {timezone.localtime(expires):%-d %B %Y, %H:%M}" if expires else "")
        + ": after that the offer lapses and the place passes to the next in line.",
        Status.ACCEPTED: "You have a place on this cohort.",
        Status.DECLINED: "You declined the place.",
        Status.LAPSED: "The offer lapsed before you answered it, so the place passed to the next in line.",
        Status.WITHDRAWN: "This application is withdrawn.",
        Status.COMPLETED: "You have completed the programme.",
    }
    return texts.get(application.status, application.get_status_display())


# -- applying -------------------------------------------------------------------------------------


@login_required
@GET_POST
def apply(request, cohort_id: int):
    """Apply for a place: say why, if the person may not; otherwise the statement and the examples."""
    cohort = _visible_cohort(request, cohort_id)
    me = person_of(request.user)
    existing = Application.objects.filter(cohort=cohort, person=me).first() if me is not None else None
    if existing is not None and request.method == "POST":
        # A second click on the button, or the form sent again from another tab: nothing more is written.
        messages.info(request, "You have already applied to this cohort.")
        return redirect("programmes:application", existing.pk)
    problems = services.eligibility_problems(me, cohort) if me is not None and existing is None else []
    criteria = criteria_of(cohort.programme)
    form = _statement_form(
        request.POST if request.method == "POST" else None, application_or_person=me, criteria=criteria
    )
    if request.method == "POST" and me is not None and not problems and form.is_valid():
        try:
            application = services.application_submit(cohort=cohort, actor=request.user, statement=_statement(form))
        except ValidationError as error:
            raced = Application.objects.filter(cohort=cohort, person=me).first()
            if raced is not None:
                messages.info(request, "You have already applied to this cohort.")
                return redirect("programmes:application", raced.pk)
            add_problems(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _sent_message(application))
            return redirect("programmes:application", application.pk)
    return render(
        request,
        "programmes/applications/apply.html",
        {"cohort": cohort, "me": me, "existing": existing, "problems": problems, "form": form},
    )


def _sent_message(application: Application) -> str:
    if application.status == Status.SUBMITTED:
        endorser = selectors.endorser_of(application.person)
        who = endorser.full_name if endorser else "your line manager"
        return f"Your application is sent. {who} will be asked to endorse it."
    return "Your application is sent to the selection panel."


@login_required
def mine(request):
    """My applications and nominations, what each is waiting for, and what I need to do next."""
    me = person_of(request.user)
    applications = list(selectors.my_applications(request.user).select_related("nominated_by__person"))
    nominated = list(
        Application.objects.filter(nominated_by=request.user)
        .exclude(person=me)
        .select_related("person", "cohort__programme")
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "programmes/applications/mine.html",
        {
            "me": me,
            "applications": applications,
            "to_do": [a for a in applications if a.status in (Status.NOMINATED, Status.OFFERED)],
            "nominated": nominated,
            "endorsements": selectors.endorsements_waiting_for(request.user).count(),
        },
    )


# -- one application ------------------------------------------------------------------------------


@dataclass
class Scores:
    """The panel's scores as one viewer may see them: administrators every member's, a panel member their own."""

    rows: list[dict]
    scorers: int
    mean: object


def _scores_for(user, application: Application, criteria: list[Criterion], *, everyone: bool) -> Scores:
    scores = PanelScore.objects.filter(application=application).select_related("panel_member__person")
    members = {}
    for score in scores.order_by("panel_member_id", "key"):
        members.setdefault(score.panel_member_id, {"member": score.panel_member, "by_key": {}})
        members[score.panel_member_id]["by_key"][score.key] = score
    rows = []
    for member_id, found in members.items():
        if not everyone and member_id != user.pk:
            continue
        rows.append(
            {
                "name": _name(found["member"]),
                "is_me": member_id == user.pk,
                "cells": [(c, found["by_key"].get(c.key)) for c in criteria],
            }
        )
    return Scores(rows=rows, scorers=len(members), mean=application.panel_score)


def _application_page(request, application: Application, *, statement_form=None, respond_form=None, status=200):
    user = request.user
    cohort = application.cohort
    criteria = criteria_of(cohort.programme)
    is_applicant = _is_applicant(user, application)
    is_admin = is_programme_administrator(user, application.organisation_id)
    is_panel = is_on_panel_of(user, cohort)
    # The applicant never sees the panel's scores or notes, whatever other role they hold.
    staff = not is_applicant and (is_admin or is_panel)
    may_endorse = not is_applicant and services.may_endorse(user, application)
    endorser = selectors.endorser_of(application.person)
    if is_applicant and application.status == Status.NOMINATED and statement_form is None:
        statement_form = _statement_form(None, application_or_person=application.person, criteria=criteria)
    if is_applicant and application.status == Status.OFFERED and respond_form is None:
        respond_form = RespondForm()
    context = {
        "application": application,
        "cohort": cohort,
        "programme": cohort.programme,
        "criteria": criteria,
        "is_applicant": is_applicant,
        "is_admin": is_admin,
        "staff": staff,
        "reader": staff or may_endorse,
        "sees_outcome": is_applicant or staff or may_endorse,
        "examples": _examples(application, criteria),
        "endorser": endorser,
        "explanation": explanation(application, endorser=endorser),
        "endorsed_by": _name(application.endorsed_by),
        "nominated_by": _name(application.nominated_by),
        "decided_by": _name(application.decided_by),
        "may_endorse": may_endorse and application.status == Status.SUBMITTED,
        "may_score": staff and application.status in services.SCORABLE,
        "may_decide": not is_applicant and is_admin and application.status in services.SCORABLE,
        "may_withdraw": (is_applicant or is_admin) and application.status in WITHDRAWABLE,
        "statement_form": statement_form if is_applicant and application.status == Status.NOMINATED else None,
        "respond_form": respond_form if is_applicant and application.status == Status.OFFERED else None,
        "scores": _scores_for(user, application, criteria, everyone=is_admin) if staff else None,
    }
    return render(request, "programmes/applications/application.html", context, status=status)


@login_required
def application(request, application_id: int):
    return _application_page(request, _visible_application(request, application_id))


@login_required
@require_POST
def respond(request, application_id: int):
    """The applicant accepts or declines their offer."""
    found = _visible_application(request, application_id)
    if not _is_applicant(request.user, found):
        raise Http404("No such offer.")
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            answered = services.offer_respond(application=found, actor=request.user, accept=form.choice())
        except ValidationError as error:
            add_problems(form, error)
        except PermissionDenied as error:
            return _refused(request, error)
        else:
            if answered.status == Status.ACCEPTED:
                messages.success(request, f"You have accepted your place on {found.cohort}.")
            else:
                messages.success(request, "You have declined the place. It passes to the next person on the list.")
            return redirect("programmes:application", found.pk)
    found = _visible_application(request, application_id)
    if found.status != Status.OFFERED:
        # The offer lapsed or was answered meanwhile: say so above the page as it now is.
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("programmes:application", found.pk)
    return _application_page(request, found, respond_form=form)


@login_required
@require_POST
def statement(request, application_id: int):
    """Someone nominated writes their statement, and the nomination goes on as an application."""
    found = _visible_application(request, application_id)
    if not _is_applicant(request.user, found):
        raise Http404("No such nomination.")
    criteria = criteria_of(found.cohort.programme)
    form = _statement_form(request.POST, application_or_person=found.person, criteria=criteria)
    if found.status != Status.NOMINATED:
        messages.info(request, "Your statement is already sent.")
        return redirect("programmes:application", found.pk)
    if form.is_valid():
        try:
            done = services.nomination_complete(application=found, actor=request.user, statement=_statement(form))
        except ValidationError as error:
            add_problems(form, error)
        except PermissionDenied as error:
            return _refused(request, error)
        else:
            messages.success(request, _sent_message(done))
            return redirect("programmes:application", found.pk)
    return _application_page(request, found, statement_form=form)


@login_required
@GET_POST
def withdraw(request, application_id: int):
    """Ask before withdrawing: a place held passes to the next in line."""
    found = _visible_application(request, application_id)
    is_applicant = _is_applicant(request.user, found)
    if not (is_applicant or is_programme_administrator(request.user, found.organisation_id)):
        raise Http404("No such application.")
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(application=found, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_problems(form, error)
        except PermissionDenied as error:
            return _refused(request, error)
        else:
            whose = "Your application" if is_applicant else f"{found.person.full_name}'s application"
            messages.success(request, f"{whose} is withdrawn.")
            return redirect("programmes:application", found.pk)
    return render(
        request,
        "programmes/applications/withdraw.html",
        {
            "application": found,
            "form": form,
            "is_applicant": is_applicant,
            "may_withdraw": found.status in WITHDRAWABLE,
            "holds_place": found.status in (Status.OFFERED, Status.ACCEPTED),
        },
    )


# -- endorsing ------------------------------------------------------------------------------------


@login_required
def endorsements(request):
    """Applications waiting for my endorsement, oldest first."""
    waiting = list(selectors.endorsements_waiting_for(request.user).select_related("person__organisation"))
    return render(request, "programmes/applications/endorsements.html", {"waiting": waiting})


@login_required
@GET_POST
def endorse(request, application_id: int):
    """Read the application, then endorse it or say why not."""
    found = _visible_application(request, application_id)
    if _is_applicant(request.user, found):
        return _refused(request, PermissionDenied("Nobody endorses their own application."))
    if not services.may_endorse(request.user, found):
        raise Http404("No such application.")
    form = EndorseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and found.status == Status.SUBMITTED and form.is_valid():
        choice = form.choice()
        try:
            services.application_endorse(application=found, actor=request.user, endorse=choice, note=form.text())
        except ValidationError as error:
            if choice is False:
                # The reason for not endorsing has its own box on the page.
                error.problems = [
                    p.__class__(p.message, field="reason") if p.field == "note" else p for p in error.problems
                ]
            add_problems(form, error)
        except PermissionDenied as error:
            return _refused(request, error)
        else:
            outcome = "endorsed" if choice else "not endorsed"
            messages.success(request, f"{found.person.full_name}'s application is {outcome}. They will get an email.")
            return redirect("programmes:endorsements")
    criteria = criteria_of(found.cohort.programme)
    return render(
        request,
        "programmes/applications/endorse.html",
        {"application": found, "form": form, "examples": _examples(found, criteria)},
    )


# -- nominating -----------------------------------------------------------------------------------


def _nominees(user, query: str):
    """Who the user may nominate: the people below them in line management, and, for an administrator,
    anyone in the organisations they run. Only people with a login can write their statement."""
    me = person_of(user)
    condition = Q(pk__in=[])
    if me is not None:
        below = reports_below(me.pk)
        if below:
            condition |= Q(pk__in=below)
    administered = organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN)
    if administered:
        condition |= Q(organisation_id__in=administered)
    people = Person.objects.filter(condition, user__isnull=False, status=Person.Status.ACTIVE)
    if me is not None:
        people = people.exclude(pk=me.pk)
    for word in query.split()[:5]:
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word))
    return people.order_by("last_name", "first_name", "id"), bool(administered)


@login_required
@GET_POST
def nominate(request, cohort_id: int):
    """A line manager puts forward someone they line-manage; an administrator anyone in their organisation."""
    cohort = _visible_cohort(request, cohort_id)
    query = request.GET.get("q", "").replace("\x00", "")[:MAX_SEARCH].strip()
    people, is_admin = _nominees(request.user, query)
    total = people.count()
    shown = list(people[:NOMINEES_SHOWN])
    chosen_id = request.POST.get("person", "") if request.method == "POST" else ""
    if chosen_id.isdigit() and len(chosen_id) < 19 and all(p.pk != int(chosen_id) for p in shown):
        # Someone chosen from an earlier search stays on the list.
        shown += list(people.filter(pk=int(chosen_id)))
    form = NominateForm(request.POST if request.method == "POST" else None, people=shown)
    if request.method == "POST" and form.is_valid():
        person = next(p for p in shown if p.pk == form.cleaned_data["person"])
        try:
            services.application_nominate(
                cohort=cohort, actor=request.user, person=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_problems(form, error)
        except PermissionDenied as error:
            form.add_error("person", str(error))
        else:
            messages.success(
                request,
                f"{person.full_name} is nominated. They will get an email asking them to write their statement.",
            )
            return redirect("programmes:mine")
    return render(
        request,
        "programmes/applications/nominate.html",
        {
            "cohort": cohort,
            "form": form,
            "query": query,
            "shown": shown,
            "total": total,
            "is_admin": is_admin,
            "limit": NOMINEES_SHOWN,
        },
    )


# -- selection ------------------------------------------------------------------------------------


@login_required
def selection(request, cohort_id: int):
    """The applications the panel selects from, each with its mean score and my own scoring state."""
    cohort = _visible_cohort(request, cohort_id)
    if not _may_select(request.user, cohort):
        raise Http404("No such cohort.")
    rows = list(
        cohort.applications.filter(Q(status=Status.ENDORSED) | Q(decided_at__isnull=False))
        .select_related("person__organisation")
        .annotate(
            scorers=Count("scores__panel_member", distinct=True),
            scored_by_me=Exists(PanelScore.objects.filter(application=OuterRef("pk"), panel_member=request.user)),
        )
        .order_by(F("panel_score").desc(nulls_last=True), "submitted_at", "id")
    )
    earlier = dict(
        cohort.applications.filter(status__in=(Status.NOMINATED, Status.SUBMITTED))
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return render(
        request,
        "programmes/applications/selection.html",
        {
            "cohort": cohort,
            "waiting": [a for a in rows if a.status == Status.ENDORSED],
            "decided": [a for a in rows if a.status != Status.ENDORSED],
            "for_endorsement": earlier.get(Status.SUBMITTED, 0),
            "nominated": earlier.get(Status.NOMINATED, 0),
            "is_admin": is_programme_administrator(request.user, cohort.organisation_id),
            "panel_size": cohort.panel.count(),
        },
    )


@login_required
@GET_POST
def score(request, application_id: int):
    """Score each selection criterion from 0 (no evidence) to 4 (strong evidence), with notes."""
    found = _visible_application(request, application_id)
    if not _may_select(request.user, found.cohort):
        raise Http404("No such application.")
    if _is_applicant(request.user, found):
        return _refused(request, PermissionDenied("Nobody scores their own application."))
    criteria = criteria_of(found.cohort.programme)
    initial = {}
    for mine in PanelScore.objects.filter(application=found, panel_member=request.user):
        initial[f"score-{mine.key}"] = str(mine.score)
        initial[f"note-{mine.key}"] = mine.note
    form = ScoreForm(request.POST if request.method == "POST" else None, initial=initial, criteria=criteria)
    scorable = found.status in services.SCORABLE
    if request.method == "POST" and scorable and form.is_valid():
        try:
            services.application_score(application=found, actor=request.user, scores=form.scores(), notes=form.notes())
        except ValidationError as error:
            add_problems(form, error)
        except PermissionDenied as error:
            return _refused(request, error)
        else:
            messages.success(request, f"Your scores for {found.person.full_name} are saved.")
            return redirect("programmes:selection", found.cohort_id)
    return render(
        request,
        "programmes/applications/score.html",
        {
            "application": found,
            "form": form,
            "examples": _examples(found, criteria),
            "scorable": scorable,
            "rescoring": bool(initial),
        },
    )


@login_required
@GET_POST
def decide(request, application_id: int):
    """An administrator records selected or not selected, with the reasons the applicant will read."""
    found = _visible_application(request, application_id)
    if not is_programme_administrator(request.user, found.organisation_id):
        raise Http404("No such application.")
    if _is_applicant(request.user, found):
        return _refused(request, PermissionDenied("Nobody decides their own application."))
    form = DecideForm(request.POST if request.method == "POST" else None)
    decidable = found.status in services.SCORABLE
    if request.method == "POST" and decidable and form.is_valid():
        try:
            services.application_decide(
                application=found, actor=request.user, selected=form.choice(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_problems(form, error)
        except PermissionDenied as error:
            return _refused(request, error)
        else:
            outcome = "selected" if form.choice() else "not selected"
            messages.success(request, f"{found.person.full_name} is {outcome}.")
            return redirect("programmes:selection", found.cohort_id)
    criteria = criteria_of(found.cohort.programme)
    return render(
        request,
        "programmes/applications/decide.html",
        {
            "application": found,
            "form": form,
            "decidable": decidable,
            "scores": _scores_for(request.user, found, criteria, everyone=True),
        },
    )


urlpatterns = [
    path("applications/", mine, name="mine"),
    path("applications/<id:application_id>/", application, name="application"),
    path("applications/<id:application_id>/respond/", respond, name="respond"),
    path("applications/<id:application_id>/statement/", statement, name="statement"),
    path("applications/<id:application_id>/withdraw/", withdraw, name="withdraw"),
    path("applications/<id:application_id>/endorse/", endorse, name="endorse"),
    path("applications/<id:application_id>/score/", score, name="score"),
    path("applications/<id:application_id>/decide/", decide, name="decide"),
    path("endorsements/", endorsements, name="endorsements"),
    path("cohorts/<id:cohort_id>/apply/", apply, name="apply"),
    path("cohorts/<id:cohort_id>/nominate/", nominate, name="nominate"),
    path("cohorts/<id:cohort_id>/selection/", selection, name="selection"),
]
