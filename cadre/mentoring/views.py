"""Mentoring pages: my mentoring, the mentor profile, asking for a mentor, schemes and their
matching rounds (for administrators), answering a proposal, and a relationship's record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.forms import add_problems
from cadre.core.models import Network, Role
from cadre.core.selectors import organisations_where
from cadre.frameworks.models import Framework
from cadre.frameworks.selectors import versions_available_to
from cadre.mentoring import matching, selectors, services
from cadre.mentoring.forms import AnswerForm, ProfileForm, RequestForm, ReviewForm, SchemeForm, SessionForm
from cadre.mentoring.models import (
    ClosingReview,
    MentoringRequest,
    MentorProfile,
    PairRule,
    Proposal,
    Relationship,
    Round,
    Scheme,
)
from cadre.mentoring.needs import prefilled_needs
from cadre.people.selectors import person_of

GET_POST = require_http_methods(["GET", "POST"])


def _errors(error: ValidationError) -> list[dict]:
    return [{"text": p.message} for p in error.problems]


def _me(request):
    person = person_of(request.user)
    if person is None:
        raise Http404("You have no staff record in Cadre.")
    return person


# --- my mentoring ----------------------------------------------------------------------------------


@login_required
def mine(request):
    """My mentoring: my profile, my requests, proposals to answer and my relationships."""
    return render(request, "mentoring/mine.html", {"my": selectors.my_mentoring(request.user)})


@login_required
@GET_POST
def profile(request):
    person = _me(request)
    attributes = services.profile_attributes(person)
    existing = MentorProfile.objects.filter(person=person).first()
    initial = {"capacity": 1, "is_available": True}
    if existing is not None:
        initial = {
            "capacity": existing.capacity,
            "availability": existing.availability,
            "offered_to_partners": existing.offered_to_partners,
            "is_coach": existing.is_coach,
            "accreditation": existing.accreditation,
            "is_available": existing.is_available,
        }
    for key, _name in attributes:
        initial[f"strength_{key}"] = (existing.strengths if existing else {}).get(key, 0)
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial, attributes=attributes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.profile_save(
                actor=request.user,
                details=services.ProfileDetails(
                    strengths=form.strengths(),
                    capacity=data["capacity"],
                    availability=data["availability"],
                    offered_to_partners=data["offered_to_partners"],
                    is_coach=data["is_coach"],
                    accreditation=data["accreditation"],
                    is_available=data["is_available"],
                ),
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, "Your mentor profile is saved.")
            return redirect("mentoring:mine")
    return render(request, "mentoring/profile.html", {"form": form, "existing": existing})


@login_required
@GET_POST
def request_form(request, scheme_id: int):
    """Ask a scheme for a mentor: needs prefilled from the latest diagnostics, shown with where
    each came from; or change a request still waiting."""
    person = _me(request)
    scheme = get_object_or_404(selectors.schemes_open_to(person).select_related("framework"), pk=scheme_id)
    version = matching.published_version(scheme)
    if version is None:
        raise Http404("The scheme's framework has no published version.")
    existing = (
        MentoringRequest.objects.filter(scheme=scheme, person=person)
        .exclude(status=MentoringRequest.Status.WITHDRAWN)
        .first()
    )
    if existing is not None and existing.status != MentoringRequest.Status.WAITING:
        messages.info(request, "Your request has a proposal or a mentor already, so it cannot be changed now.")
        return redirect("mentoring:mine")
    prefilled = prefilled_needs(version, person.pk)
    if existing is not None:
        rows = [
            (p.attribute.key, p.attribute.name, existing.needs_source.get(p.attribute.key) or p.source)
            for p in prefilled
        ]
        initial = {f"need_{k}": existing.needs.get(k, 0) for k, _n, _s in rows}
        initial["organisation_preference"] = existing.organisation_preference
        initial["notes"] = existing.notes
    else:
        rows = [(p.attribute.key, p.attribute.name, p.source) for p in prefilled]
        initial = {f"need_{p.attribute.key}": p.need for p in prefilled}
    form = RequestForm(request.POST if request.method == "POST" else None, initial=initial, needs=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_save(
                scheme=scheme,
                actor=request.user,
                needs=form.needs(),
                organisation_preference=form.cleaned_data["organisation_preference"],
                notes=form.cleaned_data["notes"],
                sources={k: s for k, _n, s in rows},
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, f"Your request to {scheme.name} is saved. It goes into the next matching round.")
            return redirect("mentoring:mine")
    return render(
        request,
        "mentoring/request.html",
        {"form": form, "scheme": scheme, "existing": existing, "prefilled": prefilled},
    )


@login_required
@require_POST
def request_withdraw(request, request_id: int):
    person = _me(request)
    found = get_object_or_404(MentoringRequest, pk=request_id, person=person)
    try:
        services.request_withdraw(request=found, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(p.message for p in error.problems))
    else:
        messages.success(request, f"Your request to {found.scheme.name} is withdrawn.")
    return redirect("mentoring:mine")


# --- answering a proposal --------------------------------------------------------------------------


@login_required
@GET_POST
def proposal(request, proposal_id: int):
    found = selectors.proposal_for(request.user, proposal_id)
    if found is None:
        raise Http404("No such proposal.")
    me = person_of(request.user)
    is_mentee = found.request.person_id == me.pk
    my_answer = found.mentee_answer if is_mentee else found.mentor_answer
    form = AnswerForm(request.POST if request.method == "POST" else None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_answer(proposal=found, actor=request.user, accept=form.cleaned_data["answer"] == "accept")
        except services.NoPlaceLeft as error:
            messages.info(request, " ".join(p.message for p in error.problems))
            return redirect("mentoring:mine")
        except ValidationError as error:
            errors = _errors(error)
        else:
            found.refresh_from_db()
            if found.status == Proposal.Status.ACCEPTED:
                messages.success(request, "You have both accepted: your mentoring is agreed.")
                return redirect("mentoring:relationship", found.relationship.pk)
            if found.status == Proposal.Status.DECLINED:
                messages.success(request, "You have declined the proposal.")
            else:
                messages.success(request, "You have accepted. We will tell you when the other side answers.")
            return redirect("mentoring:mine")
    other = found.mentor.person if is_mentee else found.request.person
    return render(
        request,
        "mentoring/proposal.html",
        {
            "proposal": found,
            "form": form,
            "errors": errors,
            "is_mentee": is_mentee,
            "other": other,
            "my_answer": my_answer,
        },
    )


# --- relationships ---------------------------------------------------------------------------------


def _relationship_page(request, relationship: Relationship, *, session_form=None, review_form=None, status=200):
    attributes = matching.scheme_attributes(relationship.scheme)
    names = dict(attributes)
    me = person_of(request.user)
    side = ClosingReview.Side.MENTEE if me.pk == relationship.mentee_id else ClosingReview.Side.MENTOR
    sessions = list(relationship.sessions.select_related("written_by"))
    for log in sessions:
        log.attribute_names = [names.get(k, k) for k in log.attributes]
    reviews = {r.side: r for r in relationship.reviews.all()}
    return render(
        request,
        "mentoring/relationship.html",
        {
            "relationship": relationship,
            "other": relationship.mentor.person if side == ClosingReview.Side.MENTEE else relationship.mentee,
            "is_mentee": side == ClosingReview.Side.MENTEE,
            "sessions": sessions,
            "session_form": session_form or SessionForm(attributes=attributes),
            "review_form": review_form or ReviewForm(),
            "my_review": reviews.get(side),
            "reviewed_sides": len(reviews),
        },
        status=status,
    )


def _relationship(request, relationship_id: int) -> Relationship:
    found = selectors.relationship_for(request.user, relationship_id)
    if found is None:
        raise Http404("No such relationship.")
    return found


@login_required
def relationship(request, relationship_id: int):
    return _relationship_page(request, _relationship(request, relationship_id))


@login_required
@require_POST
def relationship_session(request, relationship_id: int):
    found = _relationship(request, relationship_id)
    form = SessionForm(request.POST, attributes=matching.scheme_attributes(found.scheme))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.relationship_log_session(
                relationship=found,
                actor=request.user,
                held_on=data.get("held_on"),
                topic=data["topic"],
                attributes=data["attributes"],
                notes=data["notes"],
            )
        except ValidationError as error:
            for problem in error.problems:
                if problem.field == "held_on":
                    form.date_error = problem.message
                    form.add_error("day", problem.message)
                else:
                    form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(request, "The session is logged.")
            return redirect("mentoring:relationship", found.pk)
    return _relationship_page(request, found, session_form=form, status=400)


@login_required
@require_POST
def relationship_close(request, relationship_id: int):
    found = _relationship(request, relationship_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.relationship_close(
                relationship=found,
                actor=request.user,
                usefulness=data["usefulness"],
                what_worked=data["what_worked"],
                feedback=data["feedback"],
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, "Thank you: your closing review is saved.")
            return redirect("mentoring:relationship", found.pk)
    return _relationship_page(request, found, review_form=form, status=400)


# --- schemes (administrators) ----------------------------------------------------------------------


def _administered(request) -> list[int]:
    organisations = organisations_where(request.user, Role.LD_ADMIN, Role.ORG_ADMIN)
    if not organisations:
        raise Http404("You do not run mentoring schemes.")
    return organisations


@login_required
def schemes(request):
    _administered(request)
    return render(request, "mentoring/schemes.html", {"schemes": selectors.scheme_list(request.user)})


def _scheme_form_page(request, *, scheme: Scheme | None):
    organisation_id = scheme.organisation_id if scheme else _administered(request)[0]
    frameworks = list(
        Framework.objects.filter(pk__in=versions_available_to(organisation_id).values("framework_id")).order_by(
            "name", "pk"
        )
    )
    networks = list(Network.objects.filter(organisations__id=organisation_id).order_by("name"))
    initial = {}
    if scheme is not None:
        initial = {
            "name": scheme.name,
            "kind": scheme.kind,
            "framework": scheme.framework_id,
            "network": scheme.network_id,
            "description": scheme.description,
            "status": scheme.status,
        }
    elif len(frameworks) == 1:
        initial["framework"] = frameworks[0].pk
    form = SchemeForm(
        request.POST if request.method == "POST" else None, initial=initial, frameworks=frameworks, networks=networks
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.scheme_save(
                organisation_id=organisation_id,
                actor=request.user,
                details=services.SchemeDetails(
                    name=data["name"],
                    framework=next(f for f in frameworks if f.pk == data["framework"]),
                    kind=data["kind"],
                    network_id=data["network"],
                    description=data["description"],
                    status=data["status"],
                ),
                scheme=scheme,
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, f"{saved.name} is saved.")
            return redirect("mentoring:scheme", saved.pk)
    heading = "Change the scheme" if scheme else "Add a mentoring scheme"
    return render(request, "mentoring/scheme_form.html", {"form": form, "scheme": scheme, "heading": heading})


@login_required
@GET_POST
def scheme_new(request):
    return _scheme_form_page(request, scheme=None)


def _scheme(request, scheme_id: int) -> Scheme:
    return get_object_or_404(
        selectors.schemes_administered_by(request.user).select_related("organisation", "network", "framework"),
        pk=scheme_id,
    )


@login_required
@GET_POST
def scheme_edit(request, scheme_id: int):
    return _scheme_form_page(request, scheme=_scheme(request, scheme_id))


@login_required
def scheme(request, scheme_id: int, errors=None):
    found = _scheme(request, scheme_id)
    requests = list(
        found.requests.exclude(status=MentoringRequest.Status.WITHDRAWN)
        .select_related("person__tier", "organisation")
        .order_by("status", "person__last_name", "person__first_name", "pk")
    )
    rounds = list(found.rounds.order_by("-number"))
    relationships = list(
        found.relationships.select_related("mentee", "mentor__person").order_by("status", "-agreed_at", "-pk")
    )
    counts = {s: sum(1 for r in relationships if r.status == s) for s in Relationship.Status.values}
    return render(
        request,
        "mentoring/scheme.html",
        {
            "scheme": found,
            "requests": requests,
            "rounds": rounds,
            "draft": next((r for r in rounds if r.status == Round.Status.DRAFT), None),
            "relationships": relationships,
            "counts": [(label, counts[value]) for value, label in Relationship.Status.choices],
            "feedback": selectors.feedback_summary(found),
            "errors": errors or [],
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def round_start(request, scheme_id: int):
    found = _scheme(request, scheme_id)
    try:
        started = services.round_start(scheme=found, actor=request.user)
    except ValidationError as error:
        return scheme(request, scheme_id, errors=_errors(error))
    messages.success(request, f"Round {started.number} is worked out. Check the proposed pairs before sending them.")
    return redirect("mentoring:round", started.pk)


# --- a matching round ------------------------------------------------------------------------------


def _round(request, round_id: int) -> Round:
    found = selectors.round_for_admin(request.user, round_id)
    if found is None:
        raise Http404("No such round.")
    return found


@login_required
def round_page(request, round_id: int, errors=None):
    found = _round(request, round_id)
    proposals = selectors.round_proposals(found)
    unmatched_ids = [u["request"] for u in found.unmatched]
    requests = {
        r.pk: r for r in MentoringRequest.objects.filter(pk__in=unmatched_ids).select_related("person", "organisation")
    }
    unmatched = [(requests[u["request"]], u["reason"]) for u in found.unmatched if u["request"] in requests]
    rules = list(found.pair_rules.select_related("request__person", "mentor__person").order_by("kind", "pk"))
    forbidden = {(r.request_id, r.mentor_id) for r in rules if r.kind == PairRule.Kind.FORBID}
    pinned = {(r.request_id, r.mentor_id): r for r in rules if r.kind == PairRule.Kind.PIN}
    for p in proposals:
        p.is_forbidden = (p.request_id, p.mentor_id) in forbidden
        p.pin_rule = pinned.get((p.request_id, p.mentor_id))
    return render(
        request,
        "mentoring/round.html",
        {
            "round": found,
            "scheme": found.scheme,
            "proposals": proposals,
            "unmatched": unmatched,
            "pins": [r for r in rules if r.kind == PairRule.Kind.PIN],
            "forbids": [r for r in rules if r.kind == PairRule.Kind.FORBID],
            "errors": errors or [],
        },
        status=400 if errors else 200,
    )


def _ids(request, *names) -> list[int] | None:
    values = []
    for name in names:
        raw = request.POST.get(name, "")
        if not raw.isdigit() or len(raw) > 12:
            return None
        values.append(int(raw))
    return values


def _round_action(request, round_id: int, action, success: str):
    found = _round(request, round_id)
    try:
        action(found)
    except (ValidationError, PermissionDenied) as error:
        problems = error.problems if isinstance(error, ValidationError) else []
        return round_page(request, round_id, errors=[{"text": p.message} for p in problems] or [{"text": str(error)}])
    messages.success(request, success)
    return redirect("mentoring:round", found.pk)


class _BadChoice(ValidationError):
    pass


def _pair_ids(request) -> tuple[int, int]:
    ids = _ids(request, "request", "mentor")
    if ids is None:
        raise _BadChoice("Choose a proposed pair from the table.")
    return ids[0], ids[1]


@login_required
@require_POST
def round_run(request, round_id: int):
    return _round_action(
        request,
        round_id,
        lambda r: services.round_run(round_=r, actor=request.user),
        "The round is worked out again with your pinned and forbidden pairs.",
    )


@login_required
@require_POST
def round_pin(request, round_id: int):
    def pin(r):
        request_id, mentor_id = _pair_ids(request)
        services.pair_pin(round_=r, request_id=request_id, mentor_id=mentor_id, actor=request.user)

    return _round_action(request, round_id, pin, "The pair is pinned. Run the round again to place everyone else.")


@login_required
@require_POST
def round_forbid(request, round_id: int):
    def forbid(r):
        request_id, mentor_id = _pair_ids(request)
        services.pair_forbid(round_=r, request_id=request_id, mentor_id=mentor_id, actor=request.user)

    return _round_action(
        request, round_id, forbid, "The pair is forbidden. Run the round again to find them someone else."
    )


@login_required
@require_POST
def round_rule_remove(request, round_id: int):
    def remove(r):
        ids = _ids(request, "rule")
        if ids is None:
            raise _BadChoice("Choose a pinned or forbidden pair from the list.")
        services.pair_rule_remove(round_=r, rule_id=ids[0], actor=request.user)

    return _round_action(request, round_id, remove, "Done. Run the round again to see the effect.")


@login_required
@require_POST
def round_send(request, round_id: int):
    return _round_action(
        request,
        round_id,
        lambda r: services.round_send(round_=r, actor=request.user),
        "The proposals are sent. Both sides of each pair have an email asking them to accept or decline.",
    )
