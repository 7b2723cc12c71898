"""Every write for groups: forming them from cohorts, saving and moving people, declared
conflicts, the facilitator, meetings with calendar invitations, the rota, the register and
the private log. Each write checks who asks, reports every problem at once, and writes in one
durable transaction; emails go after it commits."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parseaddr

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cadre.core.audit import audit_event
from cadre.core.calendar import CalendarEvent, attach_invitation
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.core.models import Membership, User
from cadre.groups import forming as engine
from cadre.groups.models import (
    Conflict,
    Forming,
    Kind,
    LearningSet,
    LogEntry,
    Meeting,
    MeetingAttendance,
    RotaTurn,
    SetMember,
)
from cadre.groups.rules import is_groups_administrator, may_read_log, may_run_meetings
from cadre.kernels import grouping as kernel
from cadre.people.models import Person
from cadre.people.selectors import person_of
from cadre.programmes.models import Application, Cohort

INLINE_LIMIT = 500  # more people than this are grouped by the task backend
MIN_SIZE, MAX_SIZE = 2, 30
MAX_SEED = 2**31 - 1
MAX_NAME = 200
MAX_TEXT = 5_000
MAX_REASON = 2_000
DEADLINE_FACTOR, DEADLINE_MARGIN = 3.0, 2.0
_LINK = URLValidator(schemes=["https", "http"])


# -- forming ---------------------------------------------------------------------------------------


def _forming_problems(*, actor, cohorts: list[Cohort], cohort_ids, size, seed, name: str, kind: str) -> list[Problem]:
    problems = []
    if not cohort_ids:
        problems.append(Problem("Choose at least one cohort to form groups from.", field="cohorts"))
    elif len(cohorts) != len(set(cohort_ids)) or any(
        not is_groups_administrator(actor, c.organisation_id) for c in cohorts
    ):
        problems.append(Problem("Choose cohorts that your organisation runs.", field="cohorts"))
    if not name.strip():
        problems.append(
            Problem("Enter a name for these groups, such as: Support and challenge groups 2026.", field="name")
        )
    elif len(name.strip()) > MAX_NAME:
        problems.append(Problem(f"The name must be {MAX_NAME} characters or fewer.", field="name"))
    if kind not in Kind.values:
        problems.append(Problem("Choose the kind of group.", field="kind"))
    if not isinstance(size, int) or isinstance(size, bool) or not MIN_SIZE <= size <= MAX_SIZE:
        problems.append(Problem(f"Enter a group size between {MIN_SIZE} and {MAX_SIZE}.", field="size"))
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
        problems.append(Problem(f"Enter a seed between 0 and {MAX_SEED:,}, or leave it as it is.", field="seed"))
    return problems


def forming_start(*, actor, cohort_ids: Iterable[int], size: int, seed: int = 0, name: str, kind: str) -> Forming:
    """Check the request and record the forming; form the groups now (up to INLINE_LIMIT people)
    or in the task backend. The result is a preview until `forming_save`."""
    cohort_ids = list(cohort_ids)
    cohorts = list(Cohort.objects.filter(pk__in=cohort_ids).select_related("organisation"))
    problems = _forming_problems(
        actor=actor, cohorts=cohorts, cohort_ids=cohort_ids, size=size, seed=seed, name=name, kind=kind
    )
    if not problems:
        count = len(engine.participants(cohorts))
        if count < 2:
            problems.append(
                Problem(
                    f"The chosen cohorts have {count} {'person' if count == 1 else 'people'} taking part; "
                    "groups need at least 2.",
                    field="cohorts",
                )
            )
        elif size > count:
            problems.append(
                Problem(
                    f"The chosen cohorts have {count} people taking part, so a group can have at most {count}.",
                    field="size",
                )
            )
        elif count > kernel.MAX_PEOPLE:
            problems.append(
                Problem(
                    f"At most {kernel.MAX_PEOPLE:,} people can be grouped at once; these cohorts have {count:,}.",
                    field="cohorts",
                )
            )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        forming = Forming.objects.create(
            organisation_id=cohorts[0].organisation_id,
            name=name.strip(),
            kind=kind,
            size=size,
            seed=seed,
            created_by=actor,
        )
        forming.cohorts.set(cohorts)
        audit_event(actor=actor, event="groups.forming_started", target=forming, data={"size": size, "people": count})
        if count > INLINE_LIMIT:
            from cadre.groups.tasks import form_groups

            transaction.on_commit(lambda: form_groups.enqueue(forming_id=forming.pk))
    if count <= INLINE_LIMIT:
        forming_run(forming.pk)
        forming.refresh_from_db()
    return forming


def forming_run(forming_id: int) -> str:
    """Form the groups of a queued forming and store the preview (or why it cannot be done).
    Idempotent: a forming that is not waiting is left alone."""
    claimed = Forming.objects.filter(pk=forming_id, status=Forming.Status.QUEUED).update(status=Forming.Status.RUNNING)
    if not claimed:
        return Forming.objects.filter(pk=forming_id).values_list("status", flat=True).first() or "missing"
    forming = Forming.objects.get(pk=forming_id)
    try:
        result = _compute(forming)
    except ValidationError as error:
        Forming.objects.filter(pk=forming_id).update(
            status=Forming.Status.FAILED, problems=[p.message for p in error.problems], finished_at=timezone.now()
        )
        return Forming.Status.FAILED
    Forming.objects.filter(pk=forming_id).update(status=Forming.Status.READY, finished_at=timezone.now(), **result)
    return Forming.Status.READY


def _compute(forming: Forming) -> dict:
    population = engine.population(forming.cohorts.all())
    people = population.people
    if len(people) < 2:
        raise ValidationError(Problem("Fewer than 2 people now take part in the chosen cohorts."))
    size = min(forming.size, len(people))
    reasons = engine.forbidden_pairs(population.ids)
    pairs = engine.pair_array(reasons, population.ids)
    kernel.warm_up()
    distances = kernel.distance_matrix(population.features)
    allowed = kernel.default_seconds(len(people))
    try:
        grouping = kernel.form_groups(
            population.features,
            size=size,
            pairs=pairs,
            seed=forming.seed,
            distances=distances,
            deadline=time.perf_counter() + DEADLINE_FACTOR * allowed + DEADLINE_MARGIN,
        )
        baseline = engine.mean_random_objective(
            distances, people=len(people), size=size, pairs=pairs, seed=forming.seed
        )
    except kernel.Infeasible as error:
        raise ValidationError(engine.infeasible_problems(error, people, reasons, size)) from error
    if len(kernel.broken_pairs(grouping.labels, pairs)):
        raise AssertionError("The grouping breaks a rule; nothing was saved.")
    notes = list(population.notes)
    if grouping.stopped_at_deadline:
        notes.append("The machine was busy, so the search stopped early; forming again may give better groups.")
    return {
        "people": population.ids,
        "features": population.features.round(6).tolist(),
        "feature_names": population.feature_names,
        "labels": [int(g) for g in grouping.labels],
        "objective": float(grouping.objective),
        "random_objective": float(baseline),
        "notes": notes,
        "problems": [],
    }


@dataclass
class GroupSummary:
    number: int
    members: list[Person]
    diversity: float  # mean distance between two members
    organisations: list[tuple[str, int]]
    departments: list[tuple[str, int]]
    tiers: list[tuple[str, int]]


def _counts(values: Iterable[str]) -> list[tuple[str, int]]:
    tally: dict[str, int] = {}
    for value in values:
        tally[value] = tally.get(value, 0) + 1
    return sorted(tally.items(), key=lambda item: (-item[1], item[0]))


def summarise(people: list[Person], groups: list[list[int]], distances: np.ndarray) -> list[GroupSummary]:
    """Each group's members, diversity and make-up (`groups` holds row indices into `people`)."""
    summaries = []
    for number, rows in enumerate(groups, start=1):
        members = [people[i] for i in rows]
        summaries.append(
            GroupSummary(
                number=number,
                members=members,
                diversity=engine.group_diversity(distances, rows),
                organisations=_counts(p.organisation.name for p in members),
                departments=_counts(p.department.name if p.department_id else "No department" for p in members),
                tiers=_counts(p.tier.name if p.tier_id else "No tier" for p in members),
            )
        )
    return summaries


def forming_preview(forming: Forming) -> list[GroupSummary]:
    """The groups of a ready forming, for the preview page."""
    if forming.status not in (Forming.Status.READY, Forming.Status.SAVED) or not forming.people:
        return []
    found = Person.objects.filter(pk__in=forming.people).select_related("organisation", "department", "tier")
    by_id = {p.pk: p for p in found}
    people = [by_id.get(pk) for pk in forming.people]
    keep = [i for i, p in enumerate(people) if p is not None]
    distances = kernel.distance_matrix(np.asarray(forming.features, dtype=np.float64).reshape(len(people), -1))
    groups: dict[int, list[int]] = {}
    for i in keep:
        groups.setdefault(forming.labels[i], []).append(i)
    return summarise(people, [groups[g] for g in sorted(groups)], distances)


def forming_save(*, forming: Forming, actor) -> list[LearningSet]:
    """Make the previewed groups. Refused when a rule would now be broken (someone declared a
    conflict or changed manager since the preview), or when it was saved already."""
    if not is_groups_administrator(actor, forming.organisation_id):
        raise PermissionDenied("Only the organisation's learning and development administrators save groups.")
    with transaction.atomic(durable=True):
        forming = Forming.objects.select_for_update().get(pk=forming.pk)
        if forming.status == Forming.Status.SAVED:
            raise ValidationError(Problem("These groups have been saved already."))
        if forming.status != Forming.Status.READY:
            raise ValidationError(Problem("These groups are not ready to save. Form them again."))
        taking_part = {a.person_id: a.pk for a in engine.participants(forming.cohorts.all())}
        ids = [pk for pk in forming.people if pk in taking_part]
        labels = dict(zip(forming.people, forming.labels, strict=True))
        reasons = engine.forbidden_pairs(ids)
        people = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
        broken = [
            Problem(
                f"Since these groups were formed, {people[a].full_name} and {people[b].full_name} must be kept apart: "
                f"{engine.why_apart(people[a], people[b], why)}. Form the groups again."
            )
            for (a, b), why in reasons.items()
            if labels[a] == labels[b]
        ]
        if broken:
            raise ValidationError(broken)
        kind_label = Kind(forming.kind).label.lower()
        sets = {}
        for group in sorted({labels[pk] for pk in ids}):
            sets[group] = LearningSet.objects.create(
                organisation_id=forming.organisation_id,
                forming=forming,
                number=group + 1,
                name=f"{forming.name}: {kind_label} {group + 1}",
                kind=forming.kind,
            )
        SetMember.objects.bulk_create(
            SetMember(learning_set=sets[labels[pk]], forming=forming, person_id=pk, application_id=taking_part.get(pk))
            for pk in ids
        )
        forming.status, forming.saved_at = Forming.Status.SAVED, timezone.now()
        forming.save(update_fields=["status", "saved_at"])
        audit_event(actor=actor, event="groups.formed", target=forming, data={"groups": len(sets), "people": len(ids)})
    return list(sets.values())


# -- moving people ---------------------------------------------------------------------------------


@dataclass
class GroupChange:
    learning_set: LearningSet
    size_before: int
    size_after: int
    diversity_before: float
    diversity_after: float


@dataclass
class MoveEffect:
    problems: list[Problem] = field(default_factory=list)
    objective_before: float = 0.0
    objective_after: float = 0.0
    groups: list[GroupChange] = field(default_factory=list)

    @property
    def change(self) -> float:
        return self.objective_after - self.objective_before


def move_effect(*, member: SetMember, to_set: LearningSet, exchange_with: SetMember | None = None) -> MoveEffect:
    """What moving `member` to `to_set` (exchanging them with `exchange_with`, if given) does to
    the diversity, and every rule it would break."""
    forming = member.learning_set.forming
    effect = MoveEffect()
    person = member.person
    if forming is None or to_set.forming_id != forming.pk:
        effect.problems.append(Problem("Choose one of the groups formed with this one.", field="to_set"))
        return effect
    if to_set.pk == member.learning_set_id:
        effect.problems.append(Problem(f"{person.full_name} is already in {to_set.name}.", field="to_set"))
        return effect
    if exchange_with is not None and exchange_with.learning_set_id != to_set.pk:
        effect.problems.append(Problem(f"Choose someone in {to_set.name} to exchange with.", field="exchange_with"))
        return effect
    members = list(SetMember.objects.filter(forming=forming).select_related("person", "learning_set"))
    sets = {m.learning_set_id: m.learning_set for m in members}
    sets.setdefault(to_set.pk, to_set)
    for s in LearningSet.objects.filter(forming=forming):
        sets.setdefault(s.pk, s)
    before = {m.person_id: m.learning_set_id for m in members}
    after = dict(before)
    after[person.pk] = to_set.pk
    if exchange_with is not None:
        after[exchange_with.person_id] = member.learning_set_id

    sizes_before = dict.fromkeys(sets, 0)
    sizes_after = dict.fromkeys(sets, 0)
    for pk in before.values():
        sizes_before[pk] += 1
    for pk in after.values():
        sizes_after[pk] += 1
    if max(sizes_after.values()) - min(sizes_after.values()) > 1:
        source = member.learning_set
        effect.problems.append(
            Problem(
                f"Moving {person.full_name} would leave {source.name} with {sizes_after[source.pk]} and {to_set.name} "
                f"with {sizes_after[to_set.pk]}: groups may differ in size by one at most. Exchange them with "
                f"someone in {to_set.name} instead.",
                field="exchange_with",
            )
        )
    people = {m.person_id: m.person for m in members}
    reasons = engine.forbidden_pairs(list(before))
    chains = engine.chains_above(list(before)) if reasons else {}
    moved = {person.pk} | ({exchange_with.person_id} if exchange_with is not None else set())
    for (a, b), why in reasons.items():
        if (a in moved or b in moved) and after[a] == after[b]:
            mover, _other = (a, b) if a in moved else (b, a)
            effect.problems.append(
                Problem(
                    f"{people[mover].full_name} cannot join {sets[after[mover]].name}: "
                    f"{engine.why_apart(people[a], people[b], why, chains)}.",
                    field="to_set",
                )
            )

    index = {pk: n for n, pk in enumerate(forming.people)}
    features = np.asarray(forming.features, dtype=np.float64).reshape(len(forming.people), -1)
    distances = kernel.distance_matrix(features)

    def rows(assignment, set_pk):
        return [index[p] for p, s in assignment.items() if s == set_pk and p in index]

    def total(assignment):
        return sum(
            engine.group_diversity(distances, rows(assignment, s)) * _pairs(len(rows(assignment, s))) for s in sets
        )

    effect.objective_before, effect.objective_after = total(before), total(after)
    for pk in sorted(sets, key=lambda pk: sets[pk].number):
        effect.groups.append(
            GroupChange(
                learning_set=sets[pk],
                size_before=sizes_before[pk],
                size_after=sizes_after[pk],
                diversity_before=engine.group_diversity(distances, rows(before, pk)),
                diversity_after=engine.group_diversity(distances, rows(after, pk)),
            )
        )
    return effect


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def member_move(*, member: SetMember, to_set: LearningSet, actor, exchange_with: SetMember | None = None) -> MoveEffect:
    """Move (or exchange) a person between groups of one forming; refused, with the reasons,
    when it would break a rule."""
    if not is_groups_administrator(actor, member.learning_set.organisation_id):
        raise PermissionDenied("Only the organisation's learning and development administrators move people.")
    with transaction.atomic(durable=True):
        # One move at a time per forming: two at once could each keep the rules and together break them.
        Forming.objects.select_for_update().filter(pk=member.learning_set.forming_id).first()
        member = SetMember.objects.select_related("person", "learning_set__forming").get(pk=member.pk)
        if exchange_with is not None:
            exchange_with = SetMember.objects.select_related("person").filter(pk=exchange_with.pk).first()
        effect = move_effect(member=member, to_set=to_set, exchange_with=exchange_with)
        if effect.problems:
            raise ValidationError(effect.problems)
        source = member.learning_set
        member.learning_set = to_set
        member.save(update_fields=["learning_set"])
        if exchange_with is not None:
            exchange_with.learning_set = source
            exchange_with.save(update_fields=["learning_set"])
        audit_event(
            actor=actor,
            event="groups.person_moved",
            target=to_set,
            data={
                "person": member.person_id,
                "from": source.pk,
                "exchanged_with": getattr(exchange_with, "person_id", None),
            },
        )
    return effect


# -- declared conflicts ----------------------------------------------------------------------------


def _administers_either(actor, *people: Person) -> bool:
    if any(is_groups_administrator(actor, p.organisation_id) for p in people):
        return True
    cohorts = Application.objects.filter(person__in=people).values_list("cohort__organisation_id", flat=True)
    return any(is_groups_administrator(actor, org) for org in set(cohorts))


def conflict_declare(*, actor, person: Person, other: Person | None, reason: str = "") -> Conflict:
    """`person` should not be in a group with `other`: declared by `person` themself or an administrator."""
    me = person_of(actor)
    if not (me is not None and me.pk == person.pk) and not _administers_either(
        actor, person, *([other] if other else [])
    ):
        raise PermissionDenied(
            "You can declare a conflict for yourself, or as an administrator for people you look after."
        )
    problems = []
    if other is None:
        problems.append(Problem("Choose the person to be kept apart from.", field="other"))
    elif other.pk == person.pk:
        problems.append(Problem("Choose someone else: a person cannot be kept apart from themselves.", field="other"))
    elif Conflict.objects.filter(Q(person=person, other=other) | Q(person=other, other=person)).exists():
        problems.append(
            Problem(f"A conflict between {person.full_name} and {other.full_name} is already recorded.", field="other")
        )
    if len(reason) > MAX_REASON:
        problems.append(Problem(f"The reason must be {MAX_REASON:,} characters or fewer.", field="reason"))
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic(durable=True):
            conflict = Conflict.objects.create(person=person, other=other, reason=reason.strip(), declared_by=actor)
            # The event only: never who, or why.
            audit_event(
                actor=actor, event="groups.conflict_declared", target=conflict, organisation_id=person.organisation_id
            )
    except IntegrityError as error:
        raise ValidationError(Problem("This conflict is already recorded.", field="other")) from error
    return conflict


def conflict_withdraw(*, conflict: Conflict, actor) -> None:
    if conflict.declared_by_id != actor.pk and not _administers_either(actor, conflict.person, conflict.other):
        raise PermissionDenied("Only whoever declared it, or an administrator, can withdraw a conflict.")
    with transaction.atomic(durable=True):
        audit_event(
            actor=actor,
            event="groups.conflict_withdrawn",
            target=conflict,
            organisation_id=conflict.person.organisation_id,
        )
        conflict.delete()


# -- the facilitator -------------------------------------------------------------------------------


def facilitator_set(*, learning_set: LearningSet, actor, email: str) -> LearningSet:
    """Make the user with this email address the set's facilitator (empty: no facilitator)."""
    if not is_groups_administrator(actor, learning_set.organisation_id):
        raise PermissionDenied("Only the organisation's learning and development administrators choose facilitators.")
    email = email.strip()
    user = None
    if email:
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        member_orgs = set(learning_set.members.values_list("person__organisation_id", flat=True))
        allowed = {learning_set.organisation_id} | member_orgs
        if user is None or not Membership.objects.filter(user=user, organisation_id__in=allowed).exists():
            raise ValidationError(
                Problem(
                    f"There is no login for {email} in {learning_set.organisation.name} or the members' organisations. "
                    "Check the address, or invite them from their page in People first.",
                    field="email",
                )
            )
        if learning_set.members.filter(person__user=user).exists():
            raise ValidationError(Problem("A member of the group cannot also facilitate it.", field="email"))
    with transaction.atomic(durable=True):
        learning_set.facilitator = user
        learning_set.save(update_fields=["facilitator"])
        audit_event(
            actor=actor,
            event="groups.facilitator_set",
            target=learning_set,
            data={"facilitator": getattr(user, "pk", None)},
        )
    return learning_set


# -- meetings and invitations ----------------------------------------------------------------------


@dataclass
class MeetingDetails:
    starts_at: datetime | None
    ends_at: datetime | None
    venue: str = ""
    online_link: str = ""


def _meeting_problems(details: MeetingDetails, meeting: Meeting | None) -> list[Problem]:
    problems = []
    if meeting is not None and meeting.cancelled:
        return [Problem("This meeting has been cancelled, so it cannot be changed.")]
    if details.starts_at is None:
        problems.append(Problem("Enter the date and time the meeting starts.", field="starts_at"))
    if details.ends_at is None:
        problems.append(Problem("Enter the time the meeting ends.", field="ends_at"))
    moments = [m for m in (details.starts_at, details.ends_at) if m is not None]
    if any(timezone.is_naive(m) for m in moments):
        return [*problems, Problem("Give the meeting's times with their time zone.", field="starts_at")]
    if details.starts_at and details.ends_at and details.ends_at <= details.starts_at:
        problems.append(Problem("The meeting must end after it starts.", field="ends_at"))
    venue, link = details.venue.strip(), details.online_link.strip()
    if not venue and not link:
        problems.append(Problem("Enter a venue, an online meeting link, or both.", field="venue"))
    if len(venue) > 300:
        problems.append(Problem("The venue must be 300 characters or fewer.", field="venue"))
    if link:
        try:
            if len(link) > 200:
                raise DjangoValidationError("too long")
            _LINK(link)
        except DjangoValidationError:
            problems.append(
                Problem(
                    "Enter the online meeting link as a full web address of up to 200 characters, starting with "
                    "https://, such as https://meet.example.org/group.",
                    field="online_link",
                )
            )
    return problems


def meeting_save(
    *, learning_set: LearningSet, actor, details: MeetingDetails, meeting: Meeting | None = None
) -> Meeting:
    """Add a meeting (members and the facilitator are sent an invitation) or change one (a change
    of time or place sends the update)."""
    if not may_run_meetings(actor, learning_set):
        raise PermissionDenied("Only the facilitator and the administrators arrange meetings.")
    problems = _meeting_problems(details, meeting)
    if problems:
        raise ValidationError(problems)
    fields = {
        "starts_at": details.starts_at,
        "ends_at": details.ends_at,
        "venue": details.venue.strip(),
        "online_link": details.online_link.strip(),
    }
    with transaction.atomic(durable=True):
        if meeting is None:
            meeting = Meeting.objects.create(learning_set=learning_set, **fields)
            changed, event = True, "groups.meeting_added"
        else:
            meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
            changed = any(getattr(meeting, name) != value for name, value in fields.items())
            if changed:
                for name, value in fields.items():
                    setattr(meeting, name, value)
                meeting.sequence += 1
                meeting.save()
            event = "groups.meeting_changed"
        audit_event(actor=actor, event=event, target=meeting, organisation_id=learning_set.organisation_id)
        if changed:
            pk = meeting.pk
            transaction.on_commit(lambda: send_invitations(pk, method="REQUEST"))
    return meeting


def meeting_cancel(*, meeting: Meeting, actor) -> Meeting:
    if not may_run_meetings(actor, meeting.learning_set):
        raise PermissionDenied("Only the facilitator and the administrators cancel meetings.")
    if meeting.cancelled:
        raise ValidationError(Problem("This meeting has been cancelled already."))
    with transaction.atomic(durable=True):
        meeting.cancelled = True
        meeting.sequence += 1
        meeting.save(update_fields=["cancelled", "sequence"])
        audit_event(
            actor=actor,
            event="groups.meeting_cancelled",
            target=meeting,
            organisation_id=meeting.learning_set.organisation_id,
        )
        pk = meeting.pk
        transaction.on_commit(lambda: send_invitations(pk, method="CANCEL"))
    return meeting


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def when_text(meeting: Meeting) -> str:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    clock = "%-I:%M%p"
    first = f"{start:%A} {start.day} {start:%B %Y}, {start.strftime(clock).lower()}"
    if start.date() == end.date():
        return f"{first} to {end.strftime(clock).lower()}"
    return f"{first} to {end:%A} {end.day} {end:%B %Y}, {end.strftime(clock).lower()}"


def meeting_event(meeting: Meeting, *, attendees: Iterable[tuple[str, str]] = ()) -> CalendarEvent:
    learning_set = meeting.learning_set
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    location = meeting.venue or meeting.online_link
    if meeting.venue and meeting.online_link:
        location = f"{meeting.venue} (or online: {meeting.online_link})"
    description = [f"Details: {_link('groups:meeting', meeting.pk)}"]
    if meeting.online_link:
        description.insert(0, f"Join online: {meeting.online_link}")
    return CalendarEvent(
        uid=str(meeting.uid),
        start=meeting.starts_at,
        end=meeting.ends_at,
        summary=learning_set.name,
        description="\n\n".join(description),
        location=location,
        url=_link("groups:meeting", meeting.pk),
        organiser_name=learning_set.organisation.name,
        organiser_email=address or "cadre@localhost",
        attendees=tuple(attendees),
        sequence=meeting.sequence,
        cancelled=meeting.cancelled,
    )


def send_invitations(meeting_id: int, *, method: str) -> int:
    """Email the meeting to every member and the facilitator, with the calendar invitation."""
    meeting = Meeting.objects.select_related("learning_set__organisation", "learning_set__facilitator").get(
        pk=meeting_id
    )
    learning_set = meeting.learning_set
    recipients = [
        (m.person.first_name, m.person.full_name, m.person.email) for m in learning_set.members.select_related("person")
    ]
    if learning_set.facilitator is not None:
        f = learning_set.facilitator
        recipients.append((f.get_short_name() or f.email, f.get_full_name() or f.email, f.email))
    when = when_text(meeting)
    if method == "CANCEL":
        subject, opening = (
            f"Cancelled: {learning_set.name}, {when}",
            f"The meeting of {learning_set.name} on {when} has been cancelled.",
        )
    elif meeting.sequence:
        subject, opening = (
            f"Changed: {learning_set.name}",
            f"The time or place of a meeting of {learning_set.name} has changed. It is now:",
        )
    else:
        subject, opening = f"Invitation: {learning_set.name}", f"You are invited to a meeting of {learning_set.name}:"
    messages = []
    for first, full, email in recipients:
        if not email:
            continue
        lines = [f"Hello {first},", "", opening]
        if method != "CANCEL":
            lines += ["", f"When: {when} (UK time)"]
            if meeting.venue:
                lines.append(f"Where: {meeting.venue}")
            if meeting.online_link:
                lines.append(f"Online: {meeting.online_link}")
            lines += ["", "The invitation is attached: open it to add the meeting to your calendar."]
        lines += ["", f"The meeting's page: {_link('groups:meeting', meeting.pk)}", ""]
        message = EmailMultiAlternatives(subject, "\n".join(lines), None, [email])
        try:
            attach_invitation(message, meeting_event(meeting, attendees=[(full, email)]), method)
        except ValueError:
            continue  # an address a calendar cannot carry
        messages.append(message)
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


# -- the rota --------------------------------------------------------------------------------------


def rota_generate(*, learning_set: LearningSet, actor, per_meeting: int) -> int:
    """Share out who brings an issue to each upcoming meeting, round-robin: those with fewest turns
    so far go first, and nobody has a second turn before everyone has had one. Replaces the rota
    of upcoming meetings only. Returns how many turns were given."""
    if not may_run_meetings(actor, learning_set):
        raise PermissionDenied("Only the facilitator and the administrators set the rota.")
    members = list(
        learning_set.members.select_related("person").order_by("person__last_name", "person__first_name", "id")
    )
    now = timezone.now()
    upcoming = list(learning_set.meetings.filter(cancelled=False, starts_at__gt=now).order_by("starts_at", "id"))
    problems = []
    if (
        not isinstance(per_meeting, int)
        or isinstance(per_meeting, bool)
        or not 1 <= per_meeting <= max(len(members), 1)
    ):
        problems.append(
            Problem(
                f"Enter how many people bring an issue to each meeting: from 1 to {len(members)}.", field="per_meeting"
            )
        )
    if not upcoming:
        problems.append(
            Problem("There are no upcoming meetings to make a rota for. Add a meeting first.", field="per_meeting")
        )
    if problems:
        raise ValidationError(problems)
    past = dict(
        RotaTurn.objects.filter(
            meeting__learning_set=learning_set, meeting__cancelled=False, meeting__starts_at__lte=now
        )
        .values_list("member_id")
        .annotate(n=Count("id"))
    )
    order = sorted(members, key=lambda m: past.get(m.pk, 0))  # stable: alphabetical within a count
    turns, position = [], 0
    for meeting in upcoming:
        for _ in range(per_meeting):
            turns.append(RotaTurn(meeting=meeting, member=order[position % len(order)]))
            position += 1
    with transaction.atomic(durable=True):
        RotaTurn.objects.filter(meeting__in=upcoming).delete()
        RotaTurn.objects.bulk_create(turns)
        audit_event(actor=actor, event="groups.rota_generated", target=learning_set, data={"turns": len(turns)})
    return len(turns)


def rota_set(*, meeting: Meeting, actor, member_ids: Iterable[int]) -> None:
    """Who brings an issue to this meeting, chosen by hand."""
    if not may_run_meetings(actor, meeting.learning_set):
        raise PermissionDenied("Only the facilitator and the administrators set the rota.")
    member_ids = set(member_ids)
    members = set(meeting.learning_set.members.values_list("pk", flat=True))
    if member_ids - members:
        raise ValidationError(Problem("Choose members of this group.", field="members"))
    if meeting.cancelled:
        raise ValidationError(Problem("This meeting has been cancelled, so its rota cannot be changed."))
    with transaction.atomic(durable=True):
        RotaTurn.objects.filter(meeting=meeting).delete()
        RotaTurn.objects.bulk_create(RotaTurn(meeting=meeting, member_id=pk) for pk in sorted(member_ids))
        audit_event(
            actor=actor,
            event="groups.rota_changed",
            target=meeting,
            organisation_id=meeting.learning_set.organisation_id,
        )


# -- the register ----------------------------------------------------------------------------------


def attendance_record(*, meeting: Meeting, actor, statuses: dict[int, str]) -> int:
    """The register: each member's attendance (member id -> status). Once the meeting has started."""
    if not may_run_meetings(actor, meeting.learning_set):
        raise PermissionDenied("Only the facilitator and the administrators take the register.")
    problems = []
    if meeting.cancelled:
        problems.append(Problem("This meeting was cancelled, so there is no register to take."))
    elif meeting.starts_at > timezone.now():
        problems.append(Problem("The register can be taken once the meeting has started."))
    members = set(meeting.learning_set.members.values_list("pk", flat=True))
    if set(statuses) - members:
        problems.append(Problem("The register lists someone who is not in this group.", field="statuses"))
    if any(value not in MeetingAttendance.Status.values for value in statuses.values()):
        problems.append(Problem("Choose attended, sent apologies or absent for each person.", field="statuses"))
    if not statuses and not problems:
        problems.append(Problem("Record at least one person's attendance.", field="statuses"))
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    with transaction.atomic(durable=True):
        existing = {a.member_id: a for a in MeetingAttendance.objects.select_for_update().filter(meeting=meeting)}
        for member_id, value in statuses.items():
            row = existing.get(member_id)
            if row is None:
                MeetingAttendance.objects.create(
                    meeting=meeting, member_id=member_id, status=value, recorded_by=actor, recorded_at=now
                )
            elif row.status != value:
                row.status, row.recorded_by, row.recorded_at = value, actor, now
                row.save(update_fields=["status", "recorded_by", "recorded_at"])
        audit_event(
            actor=actor,
            event="groups.register_taken",
            target=meeting,
            organisation_id=meeting.learning_set.organisation_id,
        )
    return len(statuses)


# -- the private log -------------------------------------------------------------------------------


def log_add(
    *,
    learning_set: LearningSet,
    actor,
    kind: str,
    text: str,
    meeting: Meeting | None = None,
    owner: SetMember | None = None,
    due_on: date | None = None,
) -> LogEntry:
    """An issue or action in the set's private log: members and the facilitator only."""
    if not may_read_log(actor, learning_set):
        raise PermissionDenied("Only the group's members and facilitator keep its log.")
    problems = []
    if kind not in LogEntry.Kind.values:
        problems.append(Problem("Choose whether this is an issue or an action.", field="kind"))
    if not text.strip():
        problems.append(Problem("Enter the issue or action.", field="text"))
    elif len(text) > MAX_TEXT:
        problems.append(Problem(f"The entry must be {MAX_TEXT:,} characters or fewer.", field="text"))
    if meeting is not None and meeting.learning_set_id != learning_set.pk:
        problems.append(Problem("Choose one of this group's meetings.", field="meeting"))
    if owner is not None and owner.learning_set_id != learning_set.pk:
        problems.append(Problem("Choose a member of this group.", field="owner"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        entry = LogEntry.objects.create(
            learning_set=learning_set,
            meeting=meeting,
            kind=kind,
            text=text.strip(),
            author=actor,
            owner=owner.person if owner is not None else None,
            due_on=due_on,
        )
        # The event only: never the words.
        audit_event(actor=actor, event="groups.log_added", target=learning_set)
    return entry
