"""Pages for diagnostics: the questionnaire behind a personal link, self-assessment, nominating
raters, approving them, and running 360 campaigns. Reports are in `report_views`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.core.forms import add_problems
from cadre.core.models import Role
from cadre.core.selectors import organisations_where
from cadre.diagnostics import selectors, services
from cadre.diagnostics.forms import CampaignForm, CycleForm, DebriefForm, ExtendForm, NominateForm, SendBackForm
from cadre.diagnostics.models import SCALE, Campaign, Comment, RaterGroup, Response, Subject, groups_for
from cadre.frameworks.models import FrameworkVersion
from cadre.frameworks.selectors import versions_available_to
from cadre.people.models import Person
from cadre.people.selectors import person_of

GET_POST = require_http_methods(["GET", "POST"])


def _carry_out(request, action, *, done: str) -> bool:
    """Run a service's write: its success message, or its problems in an error banner."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(p.message for p in error.problems))
        return False
    messages.success(request, done)
    return True


# -- the questionnaire ------------------------------------------------------------------------------


def _response_by_link(response_id: int, token: str) -> Response:
    response = (
        Response.objects.select_related("subject__campaign", "subject__person", "subject__tier")
        .filter(pk=response_id)
        .first()
    )
    if response is None or not response.token_matches(token):
        raise Http404("This link is not right. Check it against the email you were sent.")
    return response


def _whole_number(text: str) -> int | None:
    """A plain whole number typed in ASCII digits, or None ("²" and "١" are digits to Python)."""
    return int(text) if text.isascii() and text.isdecimal() and len(text) <= 18 else None


def _answers_from(post) -> tuple[dict, dict]:
    ratings = {key[5:]: value for key, value in post.items() if key.startswith("item-")}
    comments = {}
    for key, value in post.items():
        parts = key.split("-", 2)
        if parts[0] == "comment" and len(parts) == 3 and _whole_number(parts[1]) is not None:
            comments[(_whole_number(parts[1]), parts[2])] = value
    return ratings, comments


def _questionnaire(response: Response, post=None, unanswered: frozenset = frozenset()) -> list[dict]:
    """The questions by attribute, with the answers saved (or, after a refused post, as typed),
    each unanswered one marked when sending was refused for them."""
    saved = {r.item_id: r.value for r in response.ratings.all()}
    said = {(c.attribute_id, c.kind): c.text for c in response.comments.all()}
    sections: dict[int, dict] = {}
    for item in services.questions_of(response):
        section = sections.setdefault(item.attribute_id, {"attribute": item.attribute, "items": [], "comments": []})
        chosen = post.get(f"item-{item.pk}") if post is not None else saved.get(item.pk)
        section["items"].append(
            {"item": item, "chosen": None if chosen is None else str(chosen), "unanswered": item.pk in unanswered}
        )
    for attribute_id, section in sections.items():
        for kind, label in Comment.Kind.choices:
            name = f"comment-{attribute_id}-{kind}"
            text = post.get(name, "") if post is not None else said.get((attribute_id, kind), "")
            section["comments"].append({"name": name, "label": label, "text": text})
    return list(sections.values())


@GET_POST
def answer(request, response_id: int, token: str):
    """A rater's (or the subject's own) questionnaire, reached by the personal link: no account
    needed. Saving keeps the answers so far; sending submits them."""
    response = _response_by_link(response_id, token)
    refusal = services.answerable(response)
    errors = []
    post = None
    unanswered: frozenset = frozenset()
    if request.method == "POST" and refusal is None:
        ratings, comments = _answers_from(request.POST)
        submit = request.POST.get("action") == "send"
        try:
            services.answers_save(response=response, ratings=ratings, comments=comments, submit=submit)
        except ValidationError as error:
            errors = [{"text": p.message, "href": f"#{p.field}" if p.field else None} for p in error.problems]
            post = request.POST
            if submit:
                answered = set(response.ratings.values_list("item_id", flat=True))
                unanswered = frozenset(i.pk for i in services.questions_of(response) if i.pk not in answered)
        else:
            if submit:
                return redirect("diagnostics:answered", response.pk, token)
            messages.success(request, "Your answers are saved. Come back to this link to finish them.")
            return redirect("diagnostics:answer", response.pk, token)
    subject = response.subject
    return render(
        request,
        "diagnostics/answer.html",
        {
            "response": response,
            "token": token,
            "subject": subject,
            "campaign": subject.campaign,
            "refusal": refusal,
            "errors": errors,
            "sections": _questionnaire(response, post, unanswered) if refusal is None else [],
            "scale": [(str(value), label) for value, label in SCALE.items()],
            "is_self": response.group == RaterGroup.SELF,
            "is_team": subject.campaign.kind == Campaign.Kind.TEAM,
            "one_persons_view": response.group == RaterGroup.LINE_MANAGER
            and subject.campaign.line_manager_threshold == 1,
        },
        status=200,
    )


@require_POST
def autosave(request, response_id: int, token: str):
    """htmx: keep the answers as the rater works. Answers only what is sent; says when it saved."""
    response = _response_by_link(response_id, token)
    ratings, comments = _answers_from(request.POST)
    try:
        services.answers_save(response=response, ratings=ratings, comments=comments)
    except ValidationError as error:
        text = " ".join(p.message for p in error.problems)
        return HttpResponse(f'<p class="govuk-error-message">Not saved: {_escape(text)}</p>')
    return HttpResponse(f'<p class="govuk-body-s">Saved at {timezone.localtime():%H:%M}.</p>')


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


def answered(request, response_id: int, token: str):
    response = _response_by_link(response_id, token)
    if response.status != Response.Status.SUBMITTED:
        return redirect("diagnostics:answer", response.pk, token)
    return render(request, "diagnostics/answered.html", {"response": response, "subject": response.subject})


# -- the person's own page ------------------------------------------------------------------------------


@login_required
def mine(request):
    person = person_of(request.user)
    mine = selectors.my_diagnostics(request.user)
    return render(
        request,
        "diagnostics/mine.html",
        {
            "person": person,
            "mine": mine,
            "finished_count": sum(1 for r in mine.self_assessments if r.status == Response.Status.SUBMITTED),
            "is_administrator": bool(_administered(request.user)),
            "manages": person is not None and person.direct_reports.filter(status="active").exists(),
            "sees_capability": bool(
                organisations_where(request.user, Role.LD_ADMIN, Role.ORG_ADMIN, Role.EXECUTIVE_VIEWER)
            ),
        },
    )


def _administered(user) -> list:
    return organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN)


@login_required
@require_POST
def self_start(request):
    person = person_of(request.user)
    if person is None:
        raise Http404("Your login is not linked to a staff record.")
    try:
        response = services.self_assessment_start(person=person, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(p.message for p in error.problems))
        return redirect("diagnostics:mine")
    return redirect("diagnostics:answer", response.pk, response.link_token())


# -- nominating raters ----------------------------------------------------------------------------------


def _subject_for(request, subject_id: int, *, nominator: bool = False) -> Subject:
    subject = get_object_or_404(
        Subject.objects.select_related("campaign__organisation", "person__line_manager", "tier"), pk=subject_id
    )
    if subject.campaign.kind != Campaign.Kind.FEEDBACK_360:
        raise Http404("No such 360.")
    if nominator and not services.may_nominate(request.user, subject):
        raise Http404("No such 360.")
    return subject


def _in_group_order(raters) -> list[Response]:
    order = {group: n for n, group in enumerate(RaterGroup.values)}
    return sorted(raters, key=lambda rater: (order[rater.group], rater.name.lower()))


@login_required
@GET_POST
def nominate(request, subject_id: int):
    subject = _subject_for(request, subject_id, nominator=True)
    groups = groups_for(subject.person)
    form = NominateForm(request.POST if request.method == "POST" else None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            services.rater_nominate(subject=subject, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['name']} added.")
            return redirect("diagnostics:nominate", subject.pk)
    raters = subject.responses.exclude(group=RaterGroup.SELF).exclude(status=Response.Status.WITHDRAWN)
    counts = dict.fromkeys(groups, 0)
    for rater in raters:
        counts[rater.group] = counts.get(rater.group, 0) + 1
    return render(
        request,
        "diagnostics/nominate.html",
        {
            "subject": subject,
            "campaign": subject.campaign,
            "form": form,
            "raters": _in_group_order(raters),
            "group_counts": [
                {"label": RaterGroup(g).label, "count": n, "threshold": subject.campaign.threshold_for(g)}
                for g, n in counts.items()
            ],
            "is_subject": person_of(request.user) and person_of(request.user).pk == subject.person_id,
        },
    )


@login_required
@require_POST
def withdraw(request, subject_id: int, response_id: int):
    subject = _subject_for(request, subject_id, nominator=True)
    response = get_object_or_404(Response, pk=response_id, subject=subject)
    _carry_out(
        request,
        lambda: services.rater_withdraw(response=response, actor=request.user),
        done=f"{response.name} is no longer asked.",
    )
    return redirect("diagnostics:nominate", subject.pk)


@login_required
@require_POST
def nominations_send(request, subject_id: int):
    subject = _subject_for(request, subject_id, nominator=True)
    try:
        subject = services.nominations_submit(subject=subject, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(p.message for p in error.problems))
        return redirect("diagnostics:nominate", subject.pk)
    if subject.nominations == Subject.Nominations.AWAITING_APPROVAL:
        messages.success(request, "Your nominations have gone to your line manager to approve.")
    else:
        messages.success(
            request,
            "Your raters are invited by email now."
            if subject.campaign.status == Campaign.Status.OPEN
            else "Your nominations are done. Raters are invited when the campaign opens.",
        )
    return redirect("diagnostics:nominate", subject.pk)


@login_required
@GET_POST
def approve(request, subject_id: int):
    subject = _subject_for(request, subject_id)
    me = person_of(request.user)
    is_manager = me is not None and subject.person.line_manager_id == me.pk
    if not is_manager and not services.is_campaign_administrator(request.user, subject.campaign.organisation_id):
        raise Http404("No such 360.")
    form = SendBackForm(request.POST if request.POST.get("action") == "send_back" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                services.nominations_approve(subject=subject, actor=request.user)
                messages.success(request, f"{subject.person.full_name}'s raters are approved.")
                return (
                    redirect("diagnostics:mine")
                    if is_manager
                    else redirect("diagnostics:campaign", subject.campaign_id)
                )
            if form.is_valid():
                services.nominations_approve(
                    subject=subject, actor=request.user, approve=False, reason=form.cleaned_data["reason"]
                )
                messages.success(request, f"The nominations went back to {subject.person.full_name}.")
                return (
                    redirect("diagnostics:mine")
                    if is_manager
                    else redirect("diagnostics:campaign", subject.campaign_id)
                )
        except ValidationError as error:
            add_problems(form, error)
    raters = subject.responses.exclude(group=RaterGroup.SELF).exclude(status=Response.Status.WITHDRAWN)
    return render(
        request,
        "diagnostics/approve.html",
        {"subject": subject, "raters": _in_group_order(raters), "form": form},
    )


# -- running campaigns ------------------------------------------------------------------------------------


def _campaign(request, campaign_id: int) -> Campaign:
    return get_object_or_404(selectors.campaigns_visible_to(request.user), pk=campaign_id)


@login_required
def campaigns(request):
    organisations = _administered(request.user)
    if not organisations and not request.user.is_superuser:
        raise Http404("You do not run campaigns.")
    return render(request, "diagnostics/campaigns.html", {"campaigns": selectors.campaign_list(request.user)})


def _people_from(text: str, organisation_id: int) -> tuple[list[Person], list[str]]:
    wanted = [w.strip() for w in text.replace(",", "\n").splitlines() if w.strip()]
    found, unknown = [], []
    for word in dict.fromkeys(wanted):
        person = (
            Person.objects.filter(organisation_id=organisation_id, status=Person.Status.ACTIVE)
            .filter(Q(email__iexact=word) | Q(employee_number=word))
            .select_related("tier")
            .first()
        )
        (found.append(person) if person else unknown.append(word))
    return found, unknown


@login_required
@GET_POST
def campaign_new(request):
    organisations = _administered(request.user)
    if not organisations:
        raise Http404("You do not run campaigns.")
    organisation_id = organisations[0]
    versions = list(
        versions_available_to(organisation_id)
        .filter(status=FrameworkVersion.Status.PUBLISHED)
        .select_related("framework")
    )
    form = CampaignForm(request.POST if request.method == "POST" else None, versions=versions)
    if request.method == "POST":
        # Every problem at once: the form's own, and whoever could not be found.
        valid = form.is_valid()
        people, unknown = _people_from(request.POST.get("people", ""), organisation_id)
        if unknown and "people" not in form.errors:
            form.add_error(
                "people",
                f"No one active in the organisation has these email addresses or numbers: {', '.join(unknown)}.",
            )
        data = form.cleaned_data
        if valid and not unknown:
            from cadre.core.models import Organisation

            try:
                campaign = services.campaign_create(
                    organisation=Organisation.objects.get(pk=organisation_id),
                    actor=request.user,
                    plan=services.CampaignPlan(
                        name=data["name"],
                        version=form.versions[data["version"]],
                        people=people,
                        threshold=data["threshold"],
                        line_manager_threshold=data["line_manager_threshold"],
                        needs_approval=data["needs_approval"],
                        debrief_first=data["debrief_first"],
                        closes_on=data["closes_on"],
                    ),
                )
            except ValidationError as error:
                add_problems(form, error)
            else:
                messages.success(request, f"{campaign.name} is set up. Raters can now be nominated.")
                return redirect("diagnostics:campaign", campaign.pk)
    return render(request, "diagnostics/campaign_new.html", {"form": form, "has_versions": bool(versions)})


@login_required
def campaign(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    rates = selectors.rates_by_subject(campaign)
    # Per person, only the total: with the raters' names on their list, answers per group would
    # show who had answered in a small group.
    subjects = [
        {
            "subject": s,
            "invited": sum(r.invited for r in rates.get(s.pk, []) if r.group != "self"),
            "submitted": sum(r.submitted for r in rates.get(s.pk, []) if r.group != "self"),
        }
        for s in campaign.subjects.select_related("person", "debrief_coach")
    ]
    return render(
        request,
        "diagnostics/campaign.html",
        {
            "campaign": campaign,
            "subjects": subjects,
            "rates": selectors.response_rates(campaign),
            "items": campaign.items.filter(included=True).count(),
            "items_all": campaign.items.count(),
        },
    )


@login_required
@GET_POST
def campaign_questions(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    items = list(campaign.items.select_related("indicator", "attribute", "tier").order_by("tier__rank", "order"))
    errors = []
    if request.method == "POST":
        chosen = {n for n in map(_whole_number, request.POST.getlist("items")) if n is not None}
        try:
            count = services.campaign_items_choose(campaign=campaign, actor=request.user, included=chosen)
        except ValidationError as error:
            errors = [{"text": p.message, "href": "#items"} for p in error.problems]
        else:
            messages.success(request, f"The campaign asks {count} questions.")
            return redirect("diagnostics:campaign", campaign.pk)
    tiers: dict = {}
    for item in items:
        tiers.setdefault(item.tier, []).append(item)
    return render(
        request, "diagnostics/questions.html", {"campaign": campaign, "tiers": tiers.items(), "errors": errors}
    )


@login_required
@GET_POST
def campaign_launch(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    errors = []
    if request.method == "POST":
        try:
            services.campaign_launch(campaign=campaign, actor=request.user)
        except ValidationError as error:
            errors = [{"text": p.message} for p in error.problems]
        else:
            messages.success(request, f"{campaign.name} is open. Invitations are on their way.")
            return redirect("diagnostics:campaign", campaign.pk)
    return render(
        request,
        "diagnostics/launch.html",
        {
            "campaign": campaign,
            "warnings": services.launch_warnings(campaign),
            "not_ready": services.not_ready(campaign),
            "errors": errors,
        },
    )


@login_required
@GET_POST
def campaign_close(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    if request.method == "GET":
        return render(
            request,
            "diagnostics/confirm.html",
            {
                "heading": f"Close {campaign.name}?",
                "body": "Closing now takes no more answers, even if the closing date is weeks away. Links stop "
                "working, and reports can then be released. It cannot be undone.",
                "button": "Close the campaign",
                "warning": True,
                "back": reverse("diagnostics:campaign", args=[campaign.pk]),
            },
        )
    _carry_out(
        request,
        lambda: services.campaign_close(campaign=campaign, actor=request.user),
        done=f"{campaign.name} is closed. It takes no more answers.",
    )
    return redirect("diagnostics:campaign", campaign.pk)


@login_required
@GET_POST
def campaign_extend(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    form = ExtendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_extend(
                campaign=campaign, actor=request.user, closes_on=form.cleaned_data["closes_on"]
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, f"{campaign.name} now closes on {campaign.closes_on:%-d %B %Y}.")
            return redirect("diagnostics:campaign", campaign.pk)
    return render(request, "diagnostics/extend.html", {"campaign": campaign, "form": form})


def _campaign_subject(request, campaign_id: int, subject_id: int) -> tuple[Campaign, Subject]:
    campaign = _campaign(request, campaign_id)
    return campaign, get_object_or_404(campaign.subjects.select_related("person"), pk=subject_id)


@login_required
@GET_POST
def release(request, campaign_id: int, subject_id: int):
    campaign, subject = _campaign_subject(request, campaign_id, subject_id)
    if request.method == "GET":
        return render(
            request,
            "diagnostics/confirm.html",
            {
                "heading": f"Release {subject.person.full_name}'s report?",
                "body": f"{subject.person.first_name} is emailed and can read their report straight away. Only "
                "they (and their debrief coach) read it unless they share it. It cannot be taken back.",
                "button": f"Release to {subject.person.first_name}",
                "warning": False,
                "back": reverse("diagnostics:campaign", args=[campaign.pk]),
            },
        )
    _carry_out(
        request,
        lambda: services.report_release(subject=subject, actor=request.user),
        done=f"{subject.person.full_name}'s report is released to them.",
    )
    return redirect("diagnostics:campaign", campaign.pk)


@login_required
@GET_POST
def debrief(request, campaign_id: int, subject_id: int):
    """Name the debrief coach, and record the debrief."""
    campaign, subject = _campaign_subject(request, campaign_id, subject_id)
    form = DebriefForm(request.POST if request.POST.get("action") == "held" else None)
    coach_error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "coach":
                email = request.POST.get("coach", "").strip()
                coach = (
                    Person.objects.filter(organisation_id=campaign.organisation_id, email__iexact=email).first()
                    if email
                    else None
                )
                if email and coach is None:
                    raise ValidationError(
                        [Problem("No one in the organisation has that email address.", field="coach")]
                    )
                services.debrief_coach_set(subject=subject, actor=request.user, coach=coach)
                messages.success(request, "Debrief coach saved.")
                return redirect("diagnostics:campaign", campaign.pk)
            if form.is_valid():
                services.debrief_record(subject=subject, actor=request.user, held_on=form.cleaned_data["held_on"])
                messages.success(request, "Debrief recorded.")
                return redirect("diagnostics:campaign", campaign.pk)
        except ValidationError as error:
            if request.POST.get("action") == "coach":
                coach_error = " ".join(p.message for p in error.problems)
            else:
                add_problems(form, error)
        except PermissionDenied as error:
            raise Http404("No such 360.") from error
    return render(
        request,
        "diagnostics/debrief.html",
        {
            "campaign": campaign,
            "subject": subject,
            "form": form,
            "coach_error": coach_error,
            "coach_email": request.POST.get("coach", subject.debrief_coach.email if subject.debrief_coach else ""),
        },
    )


# -- recurring cycles ---------------------------------------------------------------------------------


@login_required
@GET_POST
def cycles(request):
    """Recurring rounds: the list, and a form to schedule another."""
    from cadre.core.models import Organisation
    from cadre.diagnostics.models import Cycle
    from cadre.frameworks.models import Framework

    organisations = _administered(request.user)
    if not organisations:
        raise Http404("You do not run campaigns.")
    organisation = Organisation.objects.get(pk=organisations[0])
    versions = list(
        versions_available_to(organisation.pk)
        .filter(status=FrameworkVersion.Status.PUBLISHED)
        .select_related("framework")
        .prefetch_related("tiers")
    )
    frameworks = [v.framework for v in versions]
    tiers = [(t.key, t.name) for v in versions for t in v.tiers.all()]
    form = CycleForm(request.POST if request.method == "POST" else None, frameworks=frameworks, tiers=tiers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.cycle_create(
                organisation=organisation,
                actor=request.user,
                kind=data["kind"],
                name=data["name"],
                framework=Framework.objects.get(pk=data["framework"]),
                tier_key=data["tier_key"],
                every_months=data["every_months"],
                first_on=data["first_on"],
                open_days=data["open_days"],
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(
                request, f"{cycle.name} is scheduled. Its first round starts on {cycle.next_on:%-d %B %Y}."
            )
            return redirect("diagnostics:cycles")
    names = dict(tiers)
    scheduled = list(Cycle.objects.filter(organisation=organisation).select_related("framework", "last_campaign"))
    for cycle in scheduled:
        cycle.tier_name = names.get(cycle.tier_key, cycle.tier_key)
    return render(
        request,
        "diagnostics/cycles.html",
        {
            "cycles": scheduled,
            "form": form,
            "has_frameworks": bool(frameworks),
        },
    )


@login_required
@require_POST
def cycle_stop(request, cycle_id: int):
    from cadre.diagnostics.models import Cycle

    cycle = get_object_or_404(Cycle, pk=cycle_id, organisation_id__in=_administered(request.user))
    _carry_out(
        request,
        lambda: services.cycle_stop(cycle=cycle, actor=request.user),
        done=f"{cycle.name} is stopped. No more rounds will start.",
    )
    return redirect("diagnostics:cycles")


# -- leadership team diagnostics --------------------------------------------------------------------


@login_required
@GET_POST
def team_diagnostics(request):
    """A leadership team's collective diagnostic: the list, and a form to start one."""
    from cadre.core.models import Organisation
    from cadre.diagnostics.forms import TeamDiagnosticForm
    from cadre.frameworks.models import Tier

    organisations = _administered(request.user)
    if not organisations:
        raise Http404("You do not run diagnostics.")
    organisation = Organisation.objects.get(pk=organisations[0])
    tiers = list(
        Tier.objects.filter(
            version__in=versions_available_to(organisation.pk), version__status=FrameworkVersion.Status.PUBLISHED
        )
        .select_related("version__framework")
        .order_by("version__framework__name", "rank")
    )
    form = TeamDiagnosticForm(request.POST if request.method == "POST" else None, tiers=tiers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        members, unknown = _people_from(data["members"], organisation.pk)
        if unknown:
            form.add_error(
                "members",
                "No one active in the organisation has these email addresses or numbers: " + ", ".join(unknown) + ".",
            )
        else:
            try:
                campaign = services.team_diagnostic_start(
                    organisation=organisation,
                    actor=request.user,
                    name=data["name"],
                    tier=form.tiers[data["tier"]],
                    members=members,
                    closes_on=data["closes_on"],
                    threshold=data["threshold"],
                )
            except ValidationError as error:
                add_problems(form, error)
            else:
                messages.success(request, f"{campaign.name}'s diagnostic is open. Each member has their link.")
                return redirect("diagnostics:team_diagnostics")
    teams = (
        Campaign.objects.filter(organisation=organisation, kind=Campaign.Kind.TEAM)
        .prefetch_related("subjects")
        .order_by("-created_at")
    )
    rows = [{"campaign": c, "rates": selectors.response_rates(c)} for c in teams]
    return render(request, "diagnostics/teams.html", {"rows": rows, "form": form, "has_tiers": bool(tiers)})


@login_required
@require_POST
def team_diagnostic_close(request, campaign_id: int):
    campaign = get_object_or_404(
        Campaign, pk=campaign_id, kind=Campaign.Kind.TEAM, organisation_id__in=_administered(request.user)
    )
    _carry_out(
        request,
        lambda: services.campaign_close(campaign=campaign, actor=request.user),
        done=f"{campaign.name}'s diagnostic is closed. Its members can read the team's profile.",
    )
    return redirect("diagnostics:team_diagnostics")


@login_required
def team_diagnostic_profile(request, campaign_id: int):
    from cadre.diagnostics.reports import may_read_team_profile, team_profile

    campaign = get_object_or_404(Campaign.objects.select_related("version"), pk=campaign_id)
    if not may_read_team_profile(request.user, campaign):
        raise Http404("No such team profile.")
    return render(request, "diagnostics/team_profile.html", {"profile": team_profile(campaign), "campaign": campaign})
