"""Pages for a cohort's sessions: the list (the programme team's with attendance and absences to
follow up; a participant's with their calendar address and reactions due), one session with its
calendar download, adding, changing and cancelling sessions, the register, following up an absence,
the reaction survey, and the private calendar feed (no sign-in: the token is the key)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadre.core import govuk
from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.forms import add_problems
from cadre.programmes.forms_sessions import AttendanceForm, FollowUpForm, ReactionForm, SessionForm
from cadre.programmes.models import Attendance, CalendarFeed, Cohort, Reaction, Session
from cadre.programmes.services import sessions as service
from cadre.programmes.services.sessions import Access

GET_POST = require_http_methods(["GET", "POST"])
ICS = "text/calendar; charset=utf-8"


def _cohort(request, cohort_id: int) -> tuple[Cohort, str, object]:
    """The cohort and how the user sees its sessions; a 404 for anyone with no part in it."""
    cohort = get_object_or_404(Cohort.objects.select_related("programme", "organisation"), pk=cohort_id)
    access, application = service.sessions_access(request.user, cohort)
    if access is None:
        raise Http404("No such cohort.")
    return cohort, access, application


def _session(request, session_id: int) -> tuple[Session, str, object]:
    session = get_object_or_404(
        Session.objects.select_related("cohort__programme", "cohort__organisation", "stage"), pk=session_id
    )
    access, application = service.sessions_access(request.user, session.cohort)
    if access is None:
        raise Http404("No such session.")
    return session, access, application


def _describe(session: Session, now) -> Session:
    session.when = service.when_text(session.starts_at, session.ends_at)
    session.started = session.starts_at <= now
    session.ended = session.ends_at <= now
    return session


@login_required
@require_GET
def sessions(request, cohort_id: int):
    cohort, access, application = _cohort(request, cohort_id)
    now = timezone.now()
    context = {"cohort": cohort, "access": access, "application": application}
    if access == Access.PARTICIPANT:
        labels = dict(Attendance.Status.choices)
        rows = [_describe(s, now) for s in service.sessions_for_participant(cohort, application)]
        for row in rows:
            row.attendance_label = labels.get(row.my_attendance, "")
        feed = CalendarFeed.objects.filter(person_id=application.person_id).first()
        context.update(
            sessions=rows,
            reactions_due=[
                s
                for s in rows
                if s.ended and not s.cancelled and s.my_attendance == Attendance.Status.PRESENT and not s.reacted
            ],
            feed=feed,
            feed_input=_feed_input(request, feed) if feed else None,
        )
    else:
        rows = [_describe(s, now) for s in service.sessions_with_counts(cohort)]
        context.update(
            sessions=rows,
            participant_count=service.participants_of(cohort).count(),
            may_run=access == Access.ADMIN,
            may_take_register=access in (Access.ADMIN, Access.REGISTER),
        )
        if access in (Access.ADMIN, Access.REGISTER):
            absences = list(service.absences_of(cohort))
            context["absences_open"] = [a for a in absences if a.followed_up_at is None]
            context["absences_done"] = [a for a in absences if a.followed_up_at is not None]
    return render(request, "programmes/sessions/list.html", context)


def _feed_input(request, feed: CalendarFeed):
    address = request.build_absolute_uri(reverse("programmes:calendar_feed", args=[feed.token]))
    return govuk.render_component(
        "input",
        {
            "id": "calendar-address",
            "name": "calendar-address",
            "label": {"text": "Your calendar address", "classes": "govuk-label--s"},
            "hint": {"text": "Private to you: anyone who has it can see your sessions, so do not share it."},
            "value": address,
            "spellcheck": False,
            "autocomplete": "off",
            "attributes": {"readonly": "readonly"},
        },
    )


@login_required
@require_POST
def calendar_feed_reset(request, cohort_id: int):
    """Get a calendar address, or replace it with a new one (the old one stops working)."""
    cohort, access, _application = _cohort(request, cohort_id)
    if access != Access.PARTICIPANT:
        raise Http404("Calendar addresses are for participants.")
    reset = request.POST.get("action") == "reset"
    try:
        service.calendar_feed_issue(actor=request.user, reset=reset)
    except ValidationError as error:
        messages.error(request, error.problems[0].message)
    else:
        messages.success(
            request,
            "Your calendar address has been replaced: the old one no longer works."
            if reset
            else "Your calendar address is ready.",
        )
    return redirect(f"{reverse('programmes:sessions', args=[cohort.pk])}#calendar")


@require_GET
def calendar_feed(request, token: str):
    """The private feed: anyone with the address, no sign-in (calendar apps cannot sign in)."""
    feed = service.feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar.")
    response = HttpResponse(service.feed_calendar(feed), content_type=ICS)
    response["Content-Disposition"] = 'inline; filename="programme-sessions.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_GET
def session(request, session_id: int):
    found, access, application = _session(request, session_id)
    _describe(found, timezone.now())
    reaction_due = access == Access.PARTICIPANT and service.reaction_due(found, application)
    return render(
        request,
        "programmes/sessions/session.html",
        {
            "session": found,
            "cohort": found.cohort,
            "access": access,
            "reaction_due": reaction_due,
            "may_run": access == Access.ADMIN and not found.cancelled,
            "may_take_register": access in (Access.ADMIN, Access.REGISTER) and found.started and not found.cancelled,
        },
    )


@login_required
@require_GET
def session_ics(request, session_id: int):
    """'Add to calendar': the one session as an .ics file."""
    found, _access, _application = _session(request, session_id)
    response = HttpResponse(service.session_calendar(found), content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="session-{found.pk}.ics"'
    return response


def _session_form_page(request, *, cohort: Cohort, existing: Session | None):
    stages = list(cohort.programme.stages.order_by("position"))
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial=SessionForm.initial_for(existing) if existing else {},
        stages=stages,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = service.session_save(cohort=cohort, actor=request.user, details=form.details(), session=existing)
        except ValidationError as error:
            form.add_service_problems(error)
        else:
            if existing is None:
                messages.success(request, f"{saved.title} is added, and participants are sent an invitation.")
            elif saved.sequence != existing.sequence:
                messages.success(request, f"{saved.title} is changed, and participants are sent the update.")
            else:
                messages.success(request, f"{saved.title} is changed.")
            return redirect("programmes:session", saved.pk)
    heading = f"Change {existing.title}" if existing else "Add a session"
    return render(
        request,
        "programmes/sessions/form.html",
        {
            "form": form,
            "cohort": cohort,
            "existing": existing,
            "heading": heading,
            "dates": f"{cohort.starts_on.day} {cohort.starts_on:%B %Y} to {cohort.ends_on.day} {cohort.ends_on:%B %Y}",
        },
    )


@login_required
@GET_POST
def session_new(request, cohort_id: int):
    cohort, access, _application = _cohort(request, cohort_id)
    if access != Access.ADMIN:
        raise DjangoPermissionDenied("Only the programme's administrators add sessions.")
    return _session_form_page(request, cohort=cohort, existing=None)


@login_required
@GET_POST
def session_edit(request, session_id: int):
    found, access, _application = _session(request, session_id)
    if access != Access.ADMIN:
        raise DjangoPermissionDenied("Only the programme's administrators change sessions.")
    if found.cancelled:
        messages.info(request, "This session has been cancelled, so it cannot be changed.")
        return redirect("programmes:session", found.pk)
    return _session_form_page(request, cohort=found.cohort, existing=found)


@login_required
@GET_POST
def session_cancel(request, session_id: int):
    found, access, _application = _session(request, session_id)
    if access != Access.ADMIN:
        raise DjangoPermissionDenied("Only the programme's administrators cancel sessions.")
    problems = []
    if request.method == "POST":
        try:
            service.session_cancel(session=found, actor=request.user)
        except ValidationError as error:
            problems = [{"text": p.message} for p in error.problems]
        else:
            messages.success(request, f"{found.title} is cancelled, and participants are sent the cancellation.")
            return redirect("programmes:sessions", found.cohort_id)
    _describe(found, timezone.now())
    return render(
        request, "programmes/sessions/cancel.html", {"session": found, "cohort": found.cohort, "problems": problems}
    )


@login_required
@GET_POST
def attendance(request, session_id: int):
    found, access, _application = _session(request, session_id)
    if access not in (Access.ADMIN, Access.REGISTER):
        raise DjangoPermissionDenied(
            "Only the programme's administrators and the cohort's assessors take the register."
        )
    now = timezone.now()
    _describe(found, now)
    participants = list(service.participants_of(found.cohort))
    recorded = dict(Attendance.objects.filter(session=found).values_list("application_id", "status"))
    form = AttendanceForm(
        request.POST if request.method == "POST" else None, participants=participants, recorded=recorded
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.attendance_record(session=found, actor=request.user, statuses=form.statuses())
        except PermissionDenied as error:
            raise DjangoPermissionDenied(str(error)) from error
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, f"The register for {found.title} is saved.")
            return redirect("programmes:sessions", found.cohort_id)
    return render(
        request,
        "programmes/sessions/attendance.html",
        {"session": found, "cohort": found.cohort, "form": form, "participants": participants},
    )


@login_required
@GET_POST
def follow_up(request, attendance_id: int):
    row = get_object_or_404(
        Attendance.objects.select_related("session__cohort__programme", "session__cohort__organisation").select_related(
            "application__person"
        ),
        pk=attendance_id,
    )
    access, _application = service.sessions_access(request.user, row.session.cohort)
    if access not in (Access.ADMIN, Access.REGISTER) or row.status != Attendance.Status.ABSENT:
        raise Http404("No such absence.")
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        initial={"followed_up_on": timezone.localdate(), "note": row.follow_up_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.absence_follow_up_record(
                attendance=row,
                actor=request.user,
                note=form.cleaned_data["note"],
                followed_up_on=form.cleaned_data["followed_up_on"],
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, f"The follow-up for {row.application.person.full_name} is recorded.")
            return redirect("programmes:sessions", row.session.cohort_id)
    _describe(row.session, timezone.now())
    return render(
        request,
        "programmes/sessions/follow_up.html",
        {"row": row, "session": row.session, "cohort": row.session.cohort, "form": form},
    )


@login_required
@GET_POST
def reaction(request, session_id: int):
    """The reaction survey. It never shows anyone's answers, not even the participant's own."""
    found, access, application = _session(request, session_id)
    if access != Access.PARTICIPANT:
        raise Http404("The reaction survey is for the session's participants.")
    now = timezone.now()
    _describe(found, now)
    already = Reaction.objects.filter(session=found, application=application).exists()
    attended = Attendance.objects.filter(
        session=found, application=application, status=Attendance.Status.PRESENT
    ).exists()
    form = ReactionForm(request.POST if request.method == "POST" and not already else None)
    if request.method == "POST" and already:
        messages.info(request, "You had already given your reaction to this session, so your first answers stand.")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _saved, created = service.reaction_give(
                session=found,
                actor=request.user,
                answers=service.ReactionAnswers(
                    useful=data["useful"],
                    will_use=data["will_use"],
                    recommend=data["recommend"],
                    comment=data["comment"],
                ),
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            if created:
                messages.success(request, f"Thank you: your reaction to {found.title} is saved.")
                return redirect("programmes:sessions", found.cohort_id)
            messages.info(request, "You had already given your reaction to this session, so your first answers stand.")
            already = True
    return render(
        request,
        "programmes/sessions/reaction.html",
        {
            "session": found,
            "cohort": found.cohort,
            "form": form,
            "already": already,
            "attended": attended,
        },
    )


urlpatterns = [
    path("cohorts/<id:cohort_id>/sessions/", sessions, name="sessions"),
    path("cohorts/<id:cohort_id>/sessions/new/", session_new, name="session_new"),
    path("cohorts/<id:cohort_id>/calendar-address/", calendar_feed_reset, name="calendar_feed_reset"),
    path("sessions/<id:session_id>/", session, name="session"),
    path("sessions/<id:session_id>/change/", session_edit, name="session_edit"),
    path("sessions/<id:session_id>/cancel/", session_cancel, name="session_cancel"),
    path("sessions/<id:session_id>/calendar.ics", session_ics, name="session_ics"),
    path("sessions/<id:session_id>/attendance/", attendance, name="attendance"),
    path("sessions/<id:session_id>/reaction/", reaction, name="reaction"),
    path("absences/<id:attendance_id>/follow-up/", follow_up, name="follow_up"),
    path("calendar/<slug:token>.ics", calendar_feed, name="calendar_feed"),
]
