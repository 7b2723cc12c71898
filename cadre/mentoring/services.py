"""Writes for mentoring: profiles, schemes, requests, matching rounds (run, pin, forbid, send),
answers to proposals, and relationships (sessions, closing reviews). Each write checks every rule
first, reports every problem at once, and writes in one durable transaction; emails go on commit.

Capacity is decided by the database: accepting a proposal locks the mentor's profile row
(`select_for_update`) and counts their current relationships before making another."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from cadre.core.audit import audit_event
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.frameworks.models import Framework
from cadre.mentoring import matching
from cadre.mentoring.models import (
    LEVEL_MAX,
    ClosingReview,
    MentoringRequest,
    MentorProfile,
    PairRule,
    Proposal,
    Relationship,
    Round,
    Scheme,
    SessionLog,
)
from cadre.mentoring.rules import is_scheme_admin_of
from cadre.mentoring.selectors import CURRENT, network_organisations, schemes_open_to
from cadre.people.models import Person
from cadre.people.selectors import person_of

MAX_CAPACITY = 20
MAX_TEXT = 2000


def _person(actor) -> Person:
    person = person_of(actor)
    if person is None:
        raise PermissionDenied("You need a staff record in Cadre to take part in mentoring.")
    return person


def _levels(values: dict, allowed: set[str], field_name: str, what: str) -> tuple[dict[str, int], list[Problem]]:
    """Levels 0 to 4 per attribute key, every key allowed; a problem for each that is not."""
    clean, problems = {}, []
    for key, value in (values or {}).items():
        if key not in allowed:
            problems.append(Problem(f"{key} is not an attribute of the framework.", field=field_name))
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= LEVEL_MAX:
            problems.append(
                Problem(f"Each {what} is a whole number from 0 to {LEVEL_MAX}.", field=f"{field_name}_{key}")
            )
            continue
        clean[key] = value
    return clean, problems


def _text(value: str, *, limit: int = MAX_TEXT) -> str:
    return (value or "").replace("\x00", "").strip()[:limit]


def _url(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


# --- profiles --------------------------------------------------------------------------------------


@dataclass
class ProfileDetails:
    strengths: dict[str, int] = field(default_factory=dict)
    capacity: int = 1
    availability: str = ""
    offered_to_partners: bool = False
    is_coach: bool = False
    accreditation: str = ""
    is_available: bool = True


def profile_attributes(person: Person) -> list[tuple[str, str]]:
    """(key, name) of the attributes a profile's strengths are given for: those of the published
    frameworks the person's organisation uses, each key once."""
    from cadre.frameworks.selectors import versions_available_to

    seen: dict[str, str] = {}
    for version in versions_available_to(person.organisation_id).prefetch_related("attributes").order_by("pk"):
        for attribute in sorted(version.attributes.all(), key=lambda a: (a.order, a.pk)):
            seen.setdefault(attribute.key, attribute.name)
    return list(seen.items())


def profile_save(*, actor, details: ProfileDetails) -> MentorProfile:
    """Create or change the actor's own mentor profile."""
    person = _person(actor)
    allowed = {k for k, _n in profile_attributes(person)}
    strengths, problems = _levels(details.strengths, allowed, "strengths", "strength")
    if isinstance(details.capacity, bool) or not isinstance(details.capacity, int):
        problems.append(Problem("Enter how many mentees you can take as a whole number.", field="capacity"))
    elif not 0 <= details.capacity <= MAX_CAPACITY:
        problems.append(Problem(f"Enter a number of mentees from 0 to {MAX_CAPACITY}.", field="capacity"))
    accreditation = _text(details.accreditation, limit=200)
    if details.is_coach and not accreditation:
        problems.append(Problem("Enter your coaching accreditation, such as ILM Level 7.", field="accreditation"))
    if len((details.availability or "").strip()) > 300:
        problems.append(Problem("Keep your availability to 300 characters or fewer.", field="availability"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        profile, created = MentorProfile.objects.select_for_update().get_or_create(
            person=person, defaults={"organisation_id": person.organisation_id}
        )
        profile.organisation_id = person.organisation_id
        profile.strengths = strengths
        profile.capacity = details.capacity
        profile.availability = _text(details.availability, limit=300)
        profile.offered_to_partners = bool(details.offered_to_partners)
        profile.is_coach = bool(details.is_coach)
        profile.accreditation = accreditation if details.is_coach else ""
        profile.is_available = bool(details.is_available)
        profile.updated_at = timezone.now()
        profile.save()
        audit_event(
            actor=actor, event="mentoring.profile_added" if created else "mentoring.profile_changed", target=profile
        )
    return profile


# --- schemes ---------------------------------------------------------------------------------------


@dataclass
class SchemeDetails:
    name: str
    framework: Framework | None
    kind: str = Scheme.Kind.MENTORING
    network_id: int | None = None
    description: str = ""
    status: str = Scheme.Status.OPEN


def scheme_save(*, organisation_id: int, actor, details: SchemeDetails, scheme: Scheme | None = None) -> Scheme:
    from cadre.core.models import NetworkMembership
    from cadre.core.rules import is_ld_admin_of
    from cadre.frameworks.selectors import versions_available_to

    if not is_ld_admin_of(actor, organisation_id):
        raise PermissionDenied("Only the organisation's learning and development administrators run its schemes.")
    problems = []
    name = _text(details.name, limit=200)
    if not name:
        problems.append(Problem("Enter the scheme's name.", field="name"))
    elif (
        Scheme.objects.filter(organisation_id=organisation_id, name__iexact=name)
        .exclude(pk=getattr(scheme, "pk", None))
        .exists()
    ):
        problems.append(Problem("Your organisation already has a scheme with this name.", field="name"))
    if details.kind not in Scheme.Kind.values:
        problems.append(Problem("Choose whether it is a mentoring or a coaching scheme.", field="kind"))
    if details.status not in Scheme.Status.values:
        problems.append(Problem("Choose whether the scheme is open.", field="status"))
    if details.framework is None:
        problems.append(Problem("Choose the framework whose attributes mentees grow in.", field="framework"))
    elif not versions_available_to(organisation_id).filter(framework=details.framework).exists():
        problems.append(
            Problem("Choose a framework with a published version your organisation uses.", field="framework")
        )
    if (
        details.network_id is not None
        and not NetworkMembership.objects.filter(
            network_id=details.network_id, organisation_id=organisation_id
        ).exists()
    ):
        problems.append(Problem("Choose a network your organisation belongs to.", field="network"))
    if problems:
        raise ValidationError(problems)
    fields = {
        "name": name,
        "framework": details.framework,
        "kind": details.kind,
        "network_id": details.network_id,
        "description": _text(details.description),
        "status": details.status,
    }
    try:
        with transaction.atomic(durable=True):
            if scheme is None:
                scheme = Scheme.objects.create(organisation_id=organisation_id, **fields)
                event = "mentoring.scheme_added"
            else:
                for key, value in fields.items():
                    setattr(scheme, key, value)
                scheme.save()
                event = "mentoring.scheme_changed"
            audit_event(actor=actor, event=event, target=scheme, data={"name": name})
    except IntegrityError as error:
        raise ValidationError(
            Problem("Your organisation already has a scheme with this name.", field="name")
        ) from error
    return scheme


# --- requests --------------------------------------------------------------------------------------


def request_save(
    *, scheme: Scheme, actor, needs: dict[str, int], organisation_preference: str, notes: str = "", sources=None
) -> MentoringRequest:
    """Ask the scheme for a mentor, or change a request still waiting for a round."""
    person = _person(actor)
    if not schemes_open_to(person).filter(pk=scheme.pk).exists():
        raise ValidationError(Problem("This scheme is not open to you."))
    allowed = {k for k, _n in matching.scheme_attributes(scheme)}
    clean, problems = _levels(needs, allowed, "needs", "need")
    if not problems and allowed - set(clean):
        problems.append(Problem("Give a need from 0 to 4 for every attribute.", field="needs"))
    if not problems and not any(clean.values()):
        problems.append(Problem("Give a need of 1 or more for at least one attribute.", field="needs"))
    if organisation_preference not in MentoringRequest.OrganisationPreference.values:
        problems.append(
            Problem("Choose whether your mentor should be from another organisation.", field="organisation_preference")
        )
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic(durable=True):
            existing = (
                MentoringRequest.objects.select_for_update()
                .filter(scheme=scheme, person=person)
                .exclude(status=MentoringRequest.Status.WITHDRAWN)
                .first()
            )
            if existing is not None and existing.status != MentoringRequest.Status.WAITING:
                raise ValidationError(
                    Problem("Your request has a proposal or a mentor already, so it cannot be changed now.")
                )
            request = existing or MentoringRequest(scheme=scheme, person=person, organisation_id=person.organisation_id)
            request.needs = clean
            request.needs_source = {k: str(v)[:200] for k, v in (sources or {}).items() if k in allowed}
            request.organisation_preference = organisation_preference
            request.notes = _text(notes)
            request.updated_at = timezone.now()
            request.save()
            audit_event(actor=actor, event="mentoring.request_saved", target=request)
    except IntegrityError as error:
        raise ValidationError(Problem("You have already asked this scheme for a mentor.")) from error
    return request


def request_withdraw(*, request: MentoringRequest, actor) -> MentoringRequest:
    person = _person(actor)
    if request.person_id != person.pk:
        raise PermissionDenied("Only the person who asked can withdraw a request.")
    with transaction.atomic(durable=True):
        request = MentoringRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != MentoringRequest.Status.WAITING:
            raise ValidationError(Problem("Only a request waiting for a round can be withdrawn."))
        request.status = MentoringRequest.Status.WITHDRAWN
        request.updated_at = timezone.now()
        request.save(update_fields=["status", "updated_at"])
        audit_event(actor=actor, event="mentoring.request_withdrawn", target=request)
    return request


# --- rounds ----------------------------------------------------------------------------------------


def _require_admin(actor, scheme: Scheme) -> None:
    if not is_scheme_admin_of(actor, scheme):
        raise PermissionDenied("Only the scheme's administrators run its matching rounds.")


def _require_draft(round_: Round) -> None:
    if round_.status != Round.Status.DRAFT:
        raise ValidationError(Problem("This round's proposals have been sent: start a new round instead."))


def _write_outcome(round_: Round, outcome: matching.Outcome) -> None:
    round_.proposals.all().delete()
    Proposal.objects.bulk_create(
        Proposal(
            round=round_, request=p.request, mentor=p.mentor, score=p.score, reason=p.reason[:300], pinned=p.pinned
        )
        for p in outcome.pairs
    )
    round_.unmatched = [{"request": r.pk, "reason": reason} for r, reason in outcome.unmatched]
    round_.matched = len(outcome.pairs)
    round_.total_score = outcome.total_score
    round_.needs_rerun = False
    round_.run_at = timezone.now()
    round_.save(update_fields=["unmatched", "matched", "total_score", "needs_rerun", "run_at"])


def round_start(*, scheme: Scheme, actor) -> Round:
    """Start the scheme's next matching round and work out its proposals."""
    _require_admin(actor, scheme)
    if scheme.status != Scheme.Status.OPEN:
        raise ValidationError(Problem("Open the scheme before running a matching round."))
    if matching.published_version(scheme) is None:
        raise ValidationError(Problem("The scheme's framework has no published version to match against."))
    try:
        with transaction.atomic(durable=True):
            Scheme.objects.select_for_update().get(pk=scheme.pk)
            if scheme.rounds.filter(status=Round.Status.DRAFT).exists():
                raise ValidationError(Problem("A round is being prepared already: finish it first."))
            number = (scheme.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
            round_ = Round.objects.create(scheme=scheme, number=number)
            _write_outcome(round_, matching.solve(round_))
            audit_event(actor=actor, event="mentoring.round_started", target=scheme, data={"round": number})
    except IntegrityError as error:
        raise ValidationError(Problem("A round is being prepared already: finish it first.")) from error
    return round_


def round_run(*, round_: Round, actor) -> Round:
    """Work the round's proposals out again, with its pinned and forbidden pairs."""
    _require_admin(actor, round_.scheme)
    with transaction.atomic(durable=True):
        round_ = Round.objects.select_for_update().select_related("scheme__framework").get(pk=round_.pk)
        _require_draft(round_)
        _write_outcome(round_, matching.solve(round_))
        audit_event(actor=actor, event="mentoring.round_run", target=round_.scheme, data={"round": round_.number})
    return round_


def _pair_of(round_: Round, request_id: int, mentor_id: int) -> tuple[MentoringRequest, MentorProfile]:
    request = round_.scheme.requests.filter(pk=request_id, status=MentoringRequest.Status.WAITING).select_related(
        "person__tier"
    )
    mentor = MentorProfile.objects.filter(
        pk=mentor_id, organisation_id__in=network_organisations(round_.scheme)
    ).select_related("person__tier")
    request, mentor = request.first(), mentor.first()
    if request is None:
        raise ValidationError(Problem("Choose a mentee waiting in this round.", field="request"))
    if mentor is None:
        raise ValidationError(Problem("Choose a mentor taking part in this scheme.", field="mentor"))
    return request, mentor


def pair_pin(*, round_: Round, request_id: int, mentor_id: int, actor) -> PairRule:
    """Fix a pair before solving. Refused when it breaks a hard rule or the mentor has no place."""
    _require_admin(actor, round_.scheme)
    _require_draft(round_)
    request, mentor = _pair_of(round_, request_id, mentor_id)
    if mentor.pk not in {m.pk for m in matching.mentors_taking_part(round_.scheme)}:
        raise ValidationError(Problem(f"{mentor.person.full_name} does not take part in this scheme.", field="mentor"))
    from cadre.people.selectors import managers_above

    problems = matching.pair_problems(
        request, mentor, chain=set(managers_above(request.person_id)), forbidden=matching.forbidden_pairs(round_)
    )
    if problems:
        raise ValidationError([Problem(message, field="pin") for message in problems])
    with transaction.atomic(durable=True):
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        _require_draft(round_)
        from cadre.mentoring.selectors import mentor_places_taken

        pinned_here = round_.pair_rules.filter(kind=PairRule.Kind.PIN, mentor=mentor).exclude(request=request).count()
        if mentor.capacity - mentor_places_taken([mentor.pk])[mentor.pk] - pinned_here <= 0:
            raise ValidationError(Problem(f"{mentor.person.full_name} has no place left.", field="pin"))
        round_.pair_rules.filter(request=request).delete()  # one rule per mentee: the new pin replaces any
        rule = PairRule.objects.create(
            scheme=round_.scheme, round=round_, request=request, mentor=mentor, kind=PairRule.Kind.PIN
        )
        round_.needs_rerun = True
        round_.save(update_fields=["needs_rerun"])
        audit_event(actor=actor, event="mentoring.pair_pinned", target=round_.scheme, data={"round": round_.number})
    return rule


def pair_forbid(*, round_: Round, request_id: int, mentor_id: int, actor) -> PairRule:
    """Keep a pair out of this round (from the next run on)."""
    _require_admin(actor, round_.scheme)
    _require_draft(round_)
    request, mentor = _pair_of(round_, request_id, mentor_id)
    with transaction.atomic(durable=True):
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        _require_draft(round_)
        round_.pair_rules.filter(request=request, mentor=mentor).delete()
        rule = PairRule.objects.create(
            scheme=round_.scheme, round=round_, request=request, mentor=mentor, kind=PairRule.Kind.FORBID
        )
        round_.needs_rerun = True
        round_.save(update_fields=["needs_rerun"])
        audit_event(actor=actor, event="mentoring.pair_forbidden", target=round_.scheme, data={"round": round_.number})
    return rule


def pair_rule_remove(*, round_: Round, rule_id: int, actor) -> None:
    """Unpin a pair, or allow a pair forbidden in this round again (a declined pair stays forbidden)."""
    _require_admin(actor, round_.scheme)
    _require_draft(round_)
    with transaction.atomic(durable=True):
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        _require_draft(round_)
        deleted, _ = round_.pair_rules.filter(pk=rule_id).delete()
        if not deleted:
            raise ValidationError(Problem("That pin or forbidden pair is not in this round."))
        round_.needs_rerun = True
        round_.save(update_fields=["needs_rerun"])
        audit_event(
            actor=actor, event="mentoring.pair_rule_removed", target=round_.scheme, data={"round": round_.number}
        )


def round_send(*, round_: Round, actor) -> Round:
    """Send the round's proposals to both sides of every pair (emails on commit)."""
    _require_admin(actor, round_.scheme)
    with transaction.atomic(durable=True):
        round_ = Round.objects.select_for_update().select_related("scheme").get(pk=round_.pk)
        _require_draft(round_)
        if round_.needs_rerun:
            raise ValidationError(Problem("Pins or forbidden pairs changed: run the round again before sending."))
        proposals = list(round_.proposals.select_related("request", "mentor"))
        if not proposals:
            raise ValidationError(Problem("The round has no proposed pairs to send."))
        # The places are checked again with the mentors' rows locked, in a fixed order.
        mentor_ids = sorted({p.mentor_id for p in proposals})
        mentors = {m.pk: m for m in MentorProfile.objects.select_for_update().filter(pk__in=mentor_ids).order_by("pk")}
        from cadre.mentoring.selectors import mentor_places_taken

        taken = mentor_places_taken(mentor_ids)
        wanted: dict[int, int] = {}
        for p in proposals:
            wanted[p.mentor_id] = wanted.get(p.mentor_id, 0) + 1
        full = [m for pk, m in mentors.items() if taken[pk] + wanted[pk] > m.capacity]
        stale = [p for p in proposals if p.request.status != MentoringRequest.Status.WAITING]
        if full or stale:
            raise ValidationError(
                Problem("Places or requests changed since the round ran: run it again before sending.")
            )
        Proposal.objects.filter(round=round_).update(status=Proposal.Status.OPEN)
        MentoringRequest.objects.filter(pk__in=[p.request_id for p in proposals]).update(
            status=MentoringRequest.Status.PROPOSED, updated_at=timezone.now()
        )
        round_.status = Round.Status.SENT
        round_.sent_at = timezone.now()
        round_.save(update_fields=["status", "sent_at"])
        audit_event(actor=actor, event="mentoring.proposals_sent", target=round_.scheme, data={"round": round_.number})
        ids = [p.pk for p in proposals]
        transaction.on_commit(lambda: _email_proposals(ids))
    return round_


def _email_proposals(proposal_ids: list[int]) -> None:
    for p in Proposal.objects.filter(pk__in=proposal_ids).select_related(
        "request__person", "mentor__person", "round__scheme"
    ):
        url = _url("mentoring:proposal", p.pk)
        mentee, mentor, scheme = p.request.person, p.mentor.person, p.round.scheme
        if mentee.email:
            send_mail(
                f"A mentor is proposed for you: {scheme.name}",
                f"Hello {mentee.first_name},\n\n{scheme.name} proposes {mentor.full_name} as your mentor.\n"
                f"Why: {p.reason}.\n\nAccept or decline here:\n{url}\n",
                None,
                [mentee.email],
            )
        if mentor.email:
            send_mail(
                f"A mentee is proposed for you: {scheme.name}",
                f"Hello {mentor.first_name},\n\n{scheme.name} proposes {mentee.full_name} as your mentee.\n"
                f"Why: {p.reason}.\n\nAccept or decline here:\n{url}\n",
                None,
                [mentor.email],
            )


# --- answers to proposals --------------------------------------------------------------------------


class NoPlaceLeft(ValidationError):
    """The mentor's last place went to someone else first: the proposal lapsed (and is saved so)."""


def proposal_answer(*, proposal: Proposal, actor, accept: bool) -> Proposal:
    """The mentee's or the mentor's answer. Both accept: a relationship (agreed). A decline: the
    mentee goes back into the next round, and the pair is forbidden in later rounds.

    When the second acceptance finds the mentor's places all taken (their capacity counted with
    their profile row locked), the proposal lapses, the mentee goes back into the next round and
    NoPlaceLeft is raised after the commit."""
    person = _person(actor)
    if person.pk not in (proposal.request.person_id, proposal.mentor.person_id):
        raise PermissionDenied("Only the mentee and the mentor answer a proposal.")
    lapsed = False
    with transaction.atomic(durable=True):
        # Lock order everywhere: the mentor's profile, then the proposal.
        mentor = MentorProfile.objects.select_for_update().get(pk=proposal.mentor_id)
        proposal = (
            Proposal.objects.select_for_update(of=("self",)).select_related("request", "round").get(pk=proposal.pk)
        )
        if proposal.status != Proposal.Status.OPEN:
            raise ValidationError(Problem("This proposal has been answered already."))
        side = "mentee_answer" if person.pk == proposal.request.person_id else "mentor_answer"
        if getattr(proposal, side):
            raise ValidationError(Problem("You have answered this proposal already."))
        answer = Proposal.Answer.ACCEPTED if accept else Proposal.Answer.DECLINED
        setattr(proposal, side, answer)
        request = proposal.request
        now = timezone.now()
        if not accept:
            proposal.status = Proposal.Status.DECLINED
            proposal.answered_at = now
            request.status = MentoringRequest.Status.WAITING
            PairRule.objects.get_or_create(
                scheme_id=proposal.round.scheme_id,
                round=None,
                request=request,
                mentor=mentor,
                defaults={"kind": PairRule.Kind.FORBID, "declined": True},
            )
            event = "mentoring.proposal_declined"
        elif proposal.mentee_answer and proposal.mentor_answer:
            current = Relationship.objects.filter(mentor=mentor, status__in=CURRENT).count()
            if current >= mentor.capacity:
                proposal.status = Proposal.Status.LAPSED
                proposal.answered_at = now
                request.status = MentoringRequest.Status.WAITING
                lapsed = True
                event = "mentoring.proposal_lapsed"
            else:
                proposal.status = Proposal.Status.ACCEPTED
                proposal.answered_at = now
                request.status = MentoringRequest.Status.MATCHED
                Relationship.objects.create(
                    proposal=proposal, scheme_id=proposal.round.scheme_id, mentor=mentor, mentee_id=request.person_id
                )
                event = "mentoring.relationship_agreed"
        else:
            event = "mentoring.proposal_accepted"
        proposal.save(update_fields=["status", "mentee_answer", "mentor_answer", "answered_at"])
        request.updated_at = now
        request.save(update_fields=["status", "updated_at"])
        audit_event(actor=actor, event=event, target=proposal, organisation_id=request.organisation_id)
        if proposal.status in (Proposal.Status.DECLINED, Proposal.Status.ACCEPTED):
            pk = proposal.pk
            transaction.on_commit(lambda: _email_outcome(pk))
    if lapsed:
        raise NoPlaceLeft(
            Problem(
                f"{mentor.person.full_name} has no place left: another mentee took it first. "
                "The request goes into the next matching round."
            )
        )
    return proposal


def _email_outcome(proposal_id: int) -> None:
    p = Proposal.objects.select_related("request__person", "mentor__person", "round__scheme").get(pk=proposal_id)
    mentee, mentor = p.request.person, p.mentor.person
    if p.status == Proposal.Status.ACCEPTED:
        url = _url("mentoring:relationship", p.relationship.pk)
        for to, other in ((mentee, mentor), (mentor, mentee)):
            if to.email:
                send_mail(
                    f"Mentoring agreed with {other.full_name}",
                    f"Hello {to.first_name},\n\nYou and {other.full_name} have both accepted. Arrange your first "
                    f"session and keep a log of it here:\n{url}\n",
                    None,
                    [to.email],
                )
    elif p.status == Proposal.Status.DECLINED:
        for to in (mentee, mentor):
            if to.email:
                send_mail(
                    "A mentoring proposal was declined",
                    f"Hello {to.first_name},\n\nThe proposal of {mentee.full_name} with {mentor.full_name} in "
                    f"{p.round.scheme.name} was declined. "
                    + (
                        "You will be in the scheme's next matching round.\n"
                        if to == mentee
                        else "Nothing more is needed from you.\n"
                    ),
                    None,
                    [to.email],
                )


# --- relationships ---------------------------------------------------------------------------------


def _require_in(relationship: Relationship, actor) -> Person:
    person = _person(actor)
    if person.pk not in (relationship.mentee_id, relationship.mentor.person_id):
        raise PermissionDenied("Only the mentee and the mentor keep this relationship's record.")
    return person


def relationship_log_session(
    *,
    relationship: Relationship,
    actor,
    held_on: datetime.date | None,
    topic: str,
    attributes: list[str],
    notes: str = "",
) -> SessionLog:
    """Log a session. The first one makes an agreed relationship active."""
    person = _require_in(relationship, actor)
    problems = []
    if relationship.status == Relationship.Status.CLOSED:
        problems.append(Problem("This relationship is closed: sessions can no longer be logged."))
    if held_on is None:
        problems.append(Problem("Enter the date of the session.", field="held_on"))
    elif held_on > timezone.localdate():
        problems.append(Problem("The date of the session must be today or in the past.", field="held_on"))
    elif held_on < relationship.agreed_at.date() - datetime.timedelta(days=1):
        problems.append(Problem("The date of the session must be after the relationship was agreed.", field="held_on"))
    topic = _text(topic, limit=200)
    if not topic:
        problems.append(Problem("Enter what the session was about.", field="topic"))
    allowed = {k for k, _n in matching.scheme_attributes(relationship.scheme)}
    if set(attributes or []) - allowed:
        problems.append(Problem("Choose attributes of the scheme's framework.", field="attributes"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)
        if relationship.status == Relationship.Status.CLOSED:
            raise ValidationError(Problem("This relationship is closed: sessions can no longer be logged."))
        log = SessionLog.objects.create(
            relationship=relationship,
            held_on=held_on,
            topic=topic,
            attributes=list(dict.fromkeys(attributes or [])),
            notes=_text(notes),
            written_by=person,
        )
        if relationship.status == Relationship.Status.AGREED:
            relationship.status = Relationship.Status.ACTIVE
            relationship.started_on = held_on
            relationship.save(update_fields=["status", "started_on"])
        audit_event(
            actor=actor,
            event="mentoring.session_logged",
            target=relationship,
            organisation_id=relationship.scheme.organisation_id,
        )
    return log


def relationship_close(
    *, relationship: Relationship, actor, usefulness: int | None, what_worked: str = "", feedback: str = ""
) -> ClosingReview:
    """One side's closing review. The first review closes the relationship; the other side may
    add theirs afterwards."""
    person = _require_in(relationship, actor)
    side = ClosingReview.Side.MENTEE if person.pk == relationship.mentee_id else ClosingReview.Side.MENTOR
    problems = []
    if isinstance(usefulness, bool) or not isinstance(usefulness, int) or not 1 <= usefulness <= 5:
        problems.append(Problem("Choose how useful the mentoring was, from 1 to 5.", field="usefulness"))
    if relationship.reviews.filter(side=side).exists():
        problems.append(Problem("You have given your closing review already."))
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic(durable=True):
            relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)
            review = ClosingReview.objects.create(
                relationship=relationship,
                side=side,
                usefulness=usefulness,
                what_worked=_text(what_worked),
                feedback=_text(feedback),
            )
            if relationship.status != Relationship.Status.CLOSED:
                relationship.status = Relationship.Status.CLOSED
                relationship.closed_on = timezone.localdate()
                relationship.save(update_fields=["status", "closed_on"])
            audit_event(
                actor=actor,
                event="mentoring.review_given",
                target=relationship,
                organisation_id=relationship.scheme.organisation_id,
            )
    except IntegrityError as error:
        raise ValidationError(Problem("You have given your closing review already.")) from error
    return review
