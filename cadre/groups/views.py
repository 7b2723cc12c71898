"""Pages for groups: the administrators' list, forming groups (choose, preview, save), a group's
page, moving a person with the effect on diversity, the facilitator, meetings with the register,
rota and private log, declared conflicts, and "my groups"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.forms import add_problems
from cadre.groups import selectors, services
from cadre.groups.forms import (
    ConflictForm,
    FacilitatorForm,
    FormingForm,
    LogForm,
    MeetingForm,
    MoveForm,
    RegisterForm,
    RotaForm,
    RotaSetForm,
)
from cadre.groups.models import Forming, LearningSet, Meeting, MeetingAttendance, SetMember
from cadre.groups.rules import is_groups_administrator, may_read_log, may_run_meetings
from cadre.people.models import Person
from cadre.people.selectors import person_of
from cadre.programmes.models import Application

GET_POST = require_http_methods(["GET", "POST"])


def _administrator_or_404(request) -> list[int]:
    organisations = selectors.administered(request.user)
    if not organisations:
        raise Http404("You do not run groups.")
    return organisations


@login_required
def administer(request):
    """The administrators' list: every forming and its groups."""
    _administrator_or_404(request)
    formings = selectors.formings_list(request.user)
    return render(request, "groups/list.html", {"formings": formings})


@login_required
def mine(request):
    sets = selectors.my_sets(request.user)
    now = timezone.now()
    for found in sets:
        found.next_meeting = next((m for m in found.meetings.all() if m.ends_at > now), None)
    return render(
        request,
        "groups/mine.html",
        {"sets": sets, "is_administrator": bool(selectors.administered(request.user))},
    )


@login_required
@GET_POST
def forming_new(request):
    _administrator_or_404(request)
    cohorts = list(selectors.cohorts_to_group(request.user))
    form = FormingForm(request.POST or None, cohorts=cohorts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            forming = services.forming_start(
                actor=request.user,
                cohort_ids=data["cohorts"],
                size=data["size"],
                seed=data["seed"],
                name=data["name"],
                kind=data["kind"],
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            return redirect("groups:forming", forming.pk)
    return render(request, "groups/form.html", {"form": form, "cohorts": cohorts})


@login_required
def forming(request, forming_id: int):
    found = get_object_or_404(
        selectors.formings_visible_to(request.user).prefetch_related("cohorts__programme"), pk=forming_id
    )
    groups = services.forming_preview(found) if found.status == Forming.Status.READY else []
    sets = selectors.forming_sets(found) if found.status == Forming.Status.SAVED else []
    gain = round(found.gain * 100) if found.gain is not None else None
    return render(
        request, "groups/forming.html", {"forming": found, "groups": groups, "sets": sets, "gain_percent": gain}
    )


@login_required
@require_POST
def forming_save(request, forming_id: int):
    found = get_object_or_404(selectors.formings_visible_to(request.user), pk=forming_id)
    try:
        sets = services.forming_save(forming=found, actor=request.user)
    except ValidationError as error:
        for problem in error.problems:
            messages.error(request, problem.message)
        return redirect("groups:forming", found.pk)
    messages.success(request, f"{len(sets)} groups saved.")
    return redirect("groups:forming", found.pk)


def _set_or_404(request, set_id: int) -> LearningSet:
    found = selectors.set_detail(request.user, set_id)
    if found is None:
        raise Http404("No such group.")
    return found


def _attendance_rates(learning_set: LearningSet) -> dict[int, tuple[int, int]]:
    """Member id -> (meetings attended, meetings with a register)."""
    held = [m for m in learning_set.meetings.all() if not m.cancelled and m.attendance.all()]
    rates = {}
    for member in learning_set.members.all():
        marks = [a for m in held for a in m.attendance.all() if a.member_id == member.pk]
        rates[member.pk] = (sum(1 for a in marks if a.status == MeetingAttendance.Status.PRESENT), len(held))
    return rates


def _set_context(request, found: LearningSet, rota_form: RotaForm) -> dict:
    rates = _attendance_rates(found)
    members = list(found.members.all())
    for member in members:
        member.attended, member.held = rates[member.pk]
    meetings = list(found.meetings.all())
    for item in meetings:
        marks = list(item.attendance.all())
        item.marked = bool(marks)
        item.present = sum(1 for a in marks if a.status == MeetingAttendance.Status.PRESENT)
    return {
        "set": found,
        "members": members,
        "meetings": meetings,
        "is_administrator": is_groups_administrator(request.user, found.organisation_id),
        "may_run": may_run_meetings(request.user, found),
        "may_read_log": may_read_log(request.user, found),
        "rota_form": rota_form,
    }


@login_required
def set_page(request, set_id: int):
    found = _set_or_404(request, set_id)
    return render(request, "groups/set.html", _set_context(request, found, RotaForm()))


def _managed_set(request, set_id: int) -> LearningSet:
    found = _set_or_404(request, set_id)
    if not is_groups_administrator(request.user, found.organisation_id):
        raise Http404("No such group.")
    return found


@login_required
@GET_POST
def move(request, set_id: int, member_id: int):
    found = _managed_set(request, set_id)
    member = get_object_or_404(
        SetMember.objects.select_related("person", "learning_set__forming"), pk=member_id, learning_set=found
    )
    if found.forming_id is None:
        raise Http404("This group was not formed with others.")
    siblings = list(LearningSet.objects.filter(forming_id=found.forming_id).exclude(pk=found.pk).order_by("number"))
    others = list(
        SetMember.objects.filter(forming_id=found.forming_id)
        .exclude(learning_set=found)
        .select_related("person", "learning_set")
        .order_by("learning_set__number", "person__last_name", "person__first_name")
    )
    form = MoveForm(request.POST or None, sets=siblings, others=others)
    effect = None
    if request.method == "POST" and form.is_valid():
        to_set = next(s for s in siblings if s.pk == form.cleaned_data["to_set"])
        exchange = next((m for m in others if m.pk == form.cleaned_data["exchange_with"]), None)
        if request.POST.get("action") == "move":
            try:
                services.member_move(member=member, to_set=to_set, exchange_with=exchange, actor=request.user)
            except ValidationError as error:
                add_problems(form, error)
            else:
                done = f"{member.person.full_name} moved to {to_set.name}"
                if exchange is not None:
                    done += f", and {exchange.person.full_name} to {found.name}"
                messages.success(request, done + ".")
                return redirect("groups:set", to_set.pk)
        else:
            effect = services.move_effect(member=member, to_set=to_set, exchange_with=exchange)
            if effect.problems:
                add_problems(form, ValidationError(effect.problems))
    return render(request, "groups/move.html", {"set": found, "member": member, "form": form, "effect": effect})


@login_required
@GET_POST
def facilitator(request, set_id: int):
    found = _managed_set(request, set_id)
    initial = {"email": found.facilitator.email if found.facilitator_id else ""}
    form = FacilitatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.facilitator_set(learning_set=found, actor=request.user, email=form.cleaned_data["email"])
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, "Facilitator saved." if form.cleaned_data["email"] else "Facilitator removed.")
            return redirect("groups:set", found.pk)
    return render(request, "groups/facilitator.html", {"set": found, "form": form})


def _meeting_form_page(request, *, learning_set: LearningSet, meeting: Meeting | None):
    if not may_run_meetings(request.user, learning_set):
        raise Http404("No such group.")
    initial = MeetingForm.initial_for(meeting) if meeting is not None else {}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.meeting_save(
                learning_set=learning_set, actor=request.user, details=form.details(), meeting=meeting
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, "Meeting saved. Members and the facilitator are sent the invitation by email.")
            return redirect("groups:meeting", saved.pk)
    heading = "Change the meeting" if meeting else "Add a meeting"
    return render(
        request, "groups/meeting_form.html", {"set": learning_set, "meeting": meeting, "form": form, "heading": heading}
    )


@login_required
@GET_POST
def meeting_new(request, set_id: int):
    return _meeting_form_page(request, learning_set=_set_or_404(request, set_id), meeting=None)


def _meeting_or_404(request, meeting_id: int) -> Meeting:
    found = get_object_or_404(
        Meeting.objects.select_related("learning_set__organisation", "learning_set__facilitator"), pk=meeting_id
    )
    if not selectors.sets_visible_to(request.user).filter(pk=found.learning_set_id).exists():
        raise Http404("No such meeting.")
    return found


@login_required
@GET_POST
def meeting_edit(request, meeting_id: int):
    found = _meeting_or_404(request, meeting_id)
    if found.cancelled:
        raise Http404("This meeting was cancelled.")
    return _meeting_form_page(request, learning_set=found.learning_set, meeting=found)


@login_required
@GET_POST
def meeting_cancel(request, meeting_id: int):
    found = _meeting_or_404(request, meeting_id)
    if not may_run_meetings(request.user, found.learning_set) or found.cancelled:
        raise Http404("No such meeting.")
    if request.method == "POST":
        services.meeting_cancel(meeting=found, actor=request.user)
        messages.success(request, "Meeting cancelled. Members and the facilitator are told by email.")
        return redirect("groups:set", found.learning_set_id)
    return render(request, "groups/meeting_cancel.html", {"meeting": found, "when": services.when_text(found)})


@login_required
@GET_POST
def meeting(request, meeting_id: int):
    """A meeting: when and where, the rota, the register, and (for members and the facilitator)
    the log."""
    found = _meeting_or_404(request, meeting_id)
    learning_set = found.learning_set
    members = list(learning_set.members.select_related("person"))
    runs = may_run_meetings(request.user, learning_set)
    reads_log = may_read_log(request.user, learning_set)
    attendance = {a.member_id: a for a in found.attendance.all()}
    turns = {t.member_id for t in found.rota.all()}
    action = request.POST.get("action") if request.method == "POST" else None
    register_form = RegisterForm(
        request.POST if action == "register" else None,
        members=members,
        initial={f"member_{pk}": a.status for pk, a in attendance.items()},
    )
    rota_form = RotaSetForm(
        request.POST if action == "rota" else None, members=members, initial={"members": sorted(turns)}
    )
    log_form = LogForm(request.POST if action == "log" else None, members=members)
    if action in {"register", "rota"} and not runs:
        raise Http404("No such meeting.")
    if action == "log" and not reads_log:
        raise Http404("No such meeting.")
    if action == "register" and register_form.is_valid():
        try:
            services.attendance_record(meeting=found, actor=request.user, statuses=register_form.statuses())
        except ValidationError as error:
            add_problems(register_form, error)
        else:
            messages.success(request, "Register saved.")
            return redirect("groups:meeting", found.pk)
    if action == "rota" and rota_form.is_valid():
        try:
            services.rota_set(meeting=found, actor=request.user, member_ids=rota_form.cleaned_data["members"])
        except ValidationError as error:
            add_problems(rota_form, error)
        else:
            messages.success(request, "Rota saved.")
            return redirect("groups:meeting", found.pk)
    if action == "log" and log_form.is_valid():
        data = log_form.cleaned_data
        owner = next((m for m in members if m.pk == data["owner"]), None)
        try:
            services.log_add(
                learning_set=learning_set,
                actor=request.user,
                kind=data["kind"],
                text=data["text"],
                meeting=found,
                owner=owner,
                due_on=data["due_on"],
            )
        except ValidationError as error:
            add_problems(log_form, error)
        else:
            messages.success(request, "Added to the log.")
            return redirect("groups:meeting", found.pk)
    for member in members:
        member.mark = attendance.get(member.pk)
        member.has_turn = member.pk in turns
    log = selectors.log_for(request.user, learning_set) if reads_log else None
    return render(
        request,
        "groups/meeting.html",
        {
            "meeting": found,
            "set": learning_set,
            "when": services.when_text(found),
            "members": members,
            "may_run": runs,
            "started": found.starts_at <= timezone.now(),
            "register_form": register_form,
            "rota_form": rota_form,
            "log_form": log_form,
            "log": [e for e in log if e.meeting_id == found.pk] if log is not None else None,
            "earlier_log": [e for e in log if e.meeting_id != found.pk] if log is not None else None,
        },
    )


@login_required
@require_POST
def rota_generate(request, set_id: int):
    found = _set_or_404(request, set_id)
    if not may_run_meetings(request.user, found):
        raise Http404("No such group.")
    form = RotaForm(request.POST)
    if form.is_valid():
        try:
            count = services.rota_generate(
                learning_set=found, actor=request.user, per_meeting=form.cleaned_data["per_meeting"]
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, f"Rota made: {count} turns shared out across the upcoming meetings.")
            return redirect("groups:set", found.pk)
    return render(request, "groups/set.html", _set_context(request, found, form))


def _people_for_conflicts(request) -> tuple[list[Person], Person | None, list[Person]]:
    """(people an administrator may pick, the user's own record, the people they may name)."""
    organisations = selectors.administered(request.user)
    me = person_of(request.user)
    people = []
    if organisations:
        ids = Application.objects.filter(
            cohort__organisation_id__in=organisations,
            status__in=(*selectors.PARTICIPATING, *Application.IN_PROGRESS),
        ).values("person_id")
        people = list(
            Person.objects.filter(pk__in=ids, status=Person.Status.ACTIVE)
            .select_related("organisation")
            .order_by("last_name", "first_name", "id")
        )
    mates = []
    if me is not None:
        cohorts = Application.objects.filter(person=me, status__in=selectors.PARTICIPATING).values("cohort_id")
        ids = Application.objects.filter(cohort_id__in=cohorts, status__in=selectors.PARTICIPATING).values("person_id")
        mates = list(
            Person.objects.filter(pk__in=ids)
            .exclude(pk=me.pk)
            .select_related("organisation")
            .order_by("last_name", "first_name", "id")
        )
    return people, me, mates


@login_required
@GET_POST
def conflicts(request):
    """Declared conflicts: an administrator records them between any two participants of their
    cohorts; a participant declares their own."""
    people, me, mates = _people_for_conflicts(request)
    if not people and not (me is not None and mates):
        raise Http404("There is no one to declare a conflict with.")
    as_administrator = bool(people) and "myself" not in (request.GET.get("as"), request.POST.get("as"))
    form = (
        ConflictForm(request.POST or None, people=people)
        if as_administrator
        else ConflictForm(request.POST or None, myself=me, others=mates)
    )
    if request.method == "POST" and form.is_valid():
        by_id = {p.pk: p for p in [*people, *mates]}
        person = by_id.get(form.cleaned_data["person"]) if as_administrator else me
        try:
            services.conflict_declare(
                actor=request.user,
                person=person,
                other=by_id.get(form.cleaned_data["other"]),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, "Conflict recorded. The two will not be put in the same group.")
            return redirect("groups:conflicts")
    declared = list(selectors.conflicts_visible_to(request.user).order_by("-created_at", "-id"))
    return render(
        request,
        "groups/conflicts.html",
        {
            "form": form,
            "declared": declared,
            "as_administrator": as_administrator,
            "may_administer": bool(people),
            "may_declare_own": me is not None and bool(mates),
        },
    )


@login_required
@require_POST
def conflict_withdraw(request, conflict_id: int):
    found = get_object_or_404(selectors.conflicts_visible_to(request.user), pk=conflict_id)
    try:
        services.conflict_withdraw(conflict=found, actor=request.user)
    except PermissionDenied as error:
        raise Http404(str(error)) from error
    messages.success(request, "Conflict withdrawn.")
    return redirect("groups:conflicts")
