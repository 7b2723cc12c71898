"""The demo's support-and-challenge groups: the running cohort of "Leading for high performance"
formed into groups of five by the same search administrators use, saved, with facilitators,
meetings (two held, two to come), a rota shared out round-robin, the register of the meetings
held, and a few entries in the first group's private log (which Tom Gallagher, its facilitator,
can read when signed in, and Fiona MacLeod, the administrator who formed the groups, cannot).

Deterministic (a fixed seed; dates relative to today); written once, after the programmes
(`demo_groups_load`). No invitations are emailed: the meetings are written directly."""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cadre.core.models import Organisation
from cadre.demo import data
from cadre.groups import services
from cadre.groups.models import Forming, Kind, LogEntry, Meeting, MeetingAttendance, RotaTurn
from cadre.programmes.models import Cohort

SEED = 20_260
SIZE = 5
MEETING_DAYS = (-56, -21, 14, 49)
LOG = (
    ("issue", "How to hold a service to account for performance when its manager is off sick long term."),
    ("action", "Ask HR for the return-to-work plan and agree interim cover for decisions over £10,000.", 0),
    ("issue", "Two teams keep passing a case between them; nobody owns the outcome for the family."),
    ("action", "Set up a joint case review with both team leaders before the next meeting.", 1),
    ("issue", "Delivering a 6% saving without cutting the early help offer."),
)


def _email(first: str, last: str) -> str:
    return f"{first}.{last}@{data.BOROUGH.slug}.example".lower()


def demo_groups_load() -> bool:
    """Form and write the demo's groups once. Returns whether anything was written."""
    borough = Organisation.objects.filter(slug=data.BOROUGH.slug).first()
    users = get_user_model().objects
    fiona = users.filter(email__iexact=_email("Fiona", "MacLeod")).first()
    facilitators = [
        users.filter(email__iexact=_email(f, s)).first() for f, s in (("Tom", "Gallagher"), ("Helen", "Osei"))
    ]
    cohort = (
        Cohort.objects.filter(
            organisation=borough, programme__title="Leading for high performance", status=Cohort.Status.RUNNING
        ).first()
        if borough is not None
        else None
    )
    if cohort is None or fiona is None or Forming.objects.filter(cohorts=cohort).exists():
        return False
    forming = services.forming_start(
        actor=fiona,
        cohort_ids=[cohort.pk],
        size=SIZE,
        seed=SEED,
        name="Leading for high performance 2026",
        kind=Kind.SUPPORT_AND_CHALLENGE,
    )
    if forming.status != Forming.Status.READY:
        return False
    sets = services.forming_save(forming=forming, actor=fiona)
    for learning_set, facilitator in zip(sets, facilitators, strict=False):
        if facilitator is not None:
            services.facilitator_set(learning_set=learning_set, actor=fiona, email=facilitator.email)
    with transaction.atomic():
        _meetings(sets, random.Random(SEED))
    return True


def _meetings(sets, rng) -> None:
    today = timezone.localdate()
    now = timezone.now()
    zone = timezone.get_default_timezone()
    for number, learning_set in enumerate(sets):
        members = list(learning_set.members.select_related("person").order_by("person__last_name", "id"))
        hour = 9 + number % 3 * 2
        meetings = []
        for days in MEETING_DAYS:
            start = datetime.combine(today + timedelta(days=days + number), time(hour, 30), tzinfo=zone)
            meetings.append(
                Meeting.objects.create(
                    learning_set=learning_set,
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    venue="Committee Room 2, Civic Centre" if number % 2 == 0 else "",
                    online_link="" if number % 2 == 0 else "https://meet.example.org/support-and-challenge",
                )
            )
        # The rota, round-robin: two issues a meeting, nobody twice before everyone once.
        turn = 0
        for meeting in meetings:
            for _ in range(2):
                RotaTurn.objects.create(meeting=meeting, member=members[turn % len(members)])
                turn += 1
        for meeting in (m for m in meetings if m.starts_at < now):
            for member in members:
                status = rng.choices(
                    [
                        MeetingAttendance.Status.PRESENT,
                        MeetingAttendance.Status.APOLOGIES,
                        MeetingAttendance.Status.ABSENT,
                    ],
                    weights=[8, 2, 1],
                )[0]
                MeetingAttendance.objects.create(
                    meeting=meeting,
                    member=member,
                    status=status,
                    recorded_by=learning_set.facilitator,
                    recorded_at=meeting.ends_at,
                )
        if number == 0 and learning_set.facilitator is not None:
            held = [m for m in meetings if m.starts_at < now]
            for n, entry in enumerate(LOG):
                kind, text = entry[0], entry[1]
                owner = members[entry[2]].person if len(entry) > 2 else None
                meeting = held[min(n // 2, len(held) - 1)]
                LogEntry.objects.create(
                    learning_set=learning_set,
                    meeting=meeting,
                    kind=kind,
                    text=text,
                    author=learning_set.facilitator,
                    owner=owner,
                    due_on=(meeting.starts_at + timedelta(days=28)).date() if kind == "action" else None,
                    created_at=meeting.ends_at,
                )
