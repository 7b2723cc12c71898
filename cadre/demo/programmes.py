"""The demo's programmes: an aspiring managers programme (one cohort finished, the next open for
applications), a high-performance leadership programme for senior managers with a closing forum
and a steering group (running now), and the East Thames network's programme for aspiring chief
executives, open to partners and to applicants from outside the public sector.

Past cohorts have what a real one leaves behind: applications that did and did not get in,
sessions with attendance and reactions, signed-off portfolio evidence and completions, and
self-assessments at the start and the end. Deterministic; written once, after the frameworks,
diagnostics and catalogue (`demo_programmes_load`). Dates are relative to today."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cadre.core.models import Network, Organisation
from cadre.demo import data
from cadre.diagnostics.models import Campaign, RaterGroup, Rating, Response, Subject
from cadre.diagnostics.services import _items_for
from cadre.frameworks.models import Framework, FrameworkVersion
from cadre.people.models import Person, RoleType
from cadre.programmes.models import (
    Application,
    ApplicationAttribute,
    Attendance,
    Cohort,
    Evidence,
    OutcomeStatus,
    Programme,
    Reaction,
    Session,
    SteeringDecision,
    SteeringMember,
)
from cadre.programmes.services.design import (
    CohortDetails,
    OutcomeDetails,
    ProgrammeDetails,
    StageDetails,
    cohort_write,
    programme_write,
)

SEED = 2027
S = StageDetails
O = OutcomeDetails  # noqa: E741

ASPIRING_MANAGERS = ProgrammeDetails(
    title="Aspiring managers programme",
    summary="A year of development for people ready to take on their first management role.",
    description=(
        "For people who already lead informally (running a rota, training new starters, leading a piece of "
        "work) and want to manage. Four development days, a learning set that meets between them, a "
        "workplace project chosen with your manager, and a portfolio of evidence against the framework. "
        "Places are limited; your line manager endorses your application and a panel chooses the cohort."
    ),
    selection_attributes=["collaborative", "accountable", "compassionate"],
    evidence_attributes=["collaborative", "accountable", "compassionate"],
    eligible_tiers=["aspiring-manager"],
    min_attendance_percent=75,
    status=Programme.Status.PUBLISHED,
    stages=[
        S("pre_reading", "Getting ready", "A short reading list and a self-assessment against the framework."),
        S("development_day", "Leading yourself", "Values, resilience and how others experience you."),
        S(
            "support_and_challenge",
            "Learning sets",
            "Small groups that meet between the days to work on real problems.",
        ),
        S("development_day", "Leading a team", "Setting direction, delegating and holding good conversations."),
        S("development_day", "Money, risk and performance", "Budgets, risk and using data to manage a service."),
        S("project", "Workplace project", "An improvement you lead in your own service, agreed with your manager."),
        S("development_day", "Leading change", "Bringing people with you through change."),
        S("assessment", "Portfolio review", "An assessor signs off your evidence for each attribute."),
    ],
    outcomes=[
        O(
            "More of our first-line managers appointed from within",
            "promotion",
            "Participants in a higher tier a year after the programme, against applicants who did not get a place.",
            "Half of participants within two years",
        ),
        O("We keep the managers we develop", "retention", "Participants still with the council.", "Nine in ten"),
        O(
            "Every participant leads a workplace improvement to completion",
            "recorded",
            "Project summaries signed off by the sponsor.",
            "All projects complete",
        ),
    ],
)

HIGH_PERFORMANCE = ProgrammeDetails(
    title="Leading for high performance",
    summary="Nine months for senior managers to lead as one team and raise performance across services.",
    description=(
        "Heads of service and senior managers work on how the council performs as a whole: pre-reading, a "
        "paired conversation with a director, five development days spread over nine months, support and "
        "challenge groups in between, and a closing forum where each group shows what changed. A steering "
        "group of directors follows progress and the outcomes agreed at the start."
    ),
    selection_attributes=["strategic", "collaborative", "change-agent"],
    evidence_attributes=["strategic", "change-agent"],
    eligible_tiers=["developing-manager", "aspiring-leader", "senior-leader"],
    min_attendance_percent=80,
    status=Programme.Status.PUBLISHED,
    stages=[
        S("pre_reading", "Pre-reading", "Three short pieces on performance, culture and leading across boundaries."),
        S("paired_conversation", "A paired conversation", "An hour with a director about your service's challenges."),
        S("development_day", "Day one: the council as one organisation", ""),
        S("development_day", "Day two: performance that people own", ""),
        S("support_and_challenge", "Support and challenge groups", "Groups of six, meeting monthly."),
        S("development_day", "Day three: using evidence and data", ""),
        S("development_day", "Day four: leading through others", ""),
        S("development_day", "Day five: sustaining change", ""),
        S("forum", "Closing forum", "Each group presents what changed to the senior leadership team."),
    ],
    outcomes=[
        O("Greater unity among senior managers", "recorded", "Staff survey items on cross-service working.", ""),
        O("Clearer ownership of performance", "recorded", "Services with agreed measures reviewed monthly.", ""),
        O("More confident leadership of change", "recorded", "Participants' 360s before and after.", ""),
        O("We keep our senior managers", "retention", "Participants still with the council.", "Nine in ten"),
    ],
)

CHIEF_EXECUTIVES = ProgrammeDetails(
    title="Aspiring chief executives programme",
    summary="A regional cohort for people a step or two from leading a whole organisation.",
    description=(
        "Run by Kingsmere for the East Thames Leadership Network. Open to senior leaders in the network's "
        "organisations, with places kept for partners, and to a few leaders from business and the voluntary "
        "sector, who take part through an external participant account. Shadowing, a peer group, four "
        "residential days and a final panel conversation."
    ),
    selection_attributes=["strategic", "commercial", "accountable"],
    evidence_attributes=["strategic"],
    eligible_tiers=["aspiring-leader", "senior-leader"],
    audience=Programme.Audience.OPEN,
    needs_endorsement=True,
    min_attendance_percent=75,
    status=Programme.Status.PUBLISHED,
    stages=[
        S("pre_reading", "Reading and a 360", "A 360 before you start, and a reading list."),
        S("development_day", "Residential one: leading a place", ""),
        S("paired_conversation", "Shadowing a chief executive", "Two days with a chief executive elsewhere."),
        S("support_and_challenge", "Peer group", "A group of five that meets monthly."),
        S("development_day", "Residential two: politics and power", ""),
        S("assessment", "Final panel conversation", "A conversation with two serving chief executives."),
    ],
    outcomes=[
        O("More chief officer appointments from the region", "promotion", "Participants in a higher tier.", ""),
    ],
)

STATEMENTS = [
    "I have run our duty rota for a year and trained three new starters; I want to do this properly.",
    "I lead a small project team already and would like the grounding to manage people well.",
    "My manager has asked me to act up twice; I want to be ready when a post comes up.",
    "I want to understand budgets and performance so I can improve our service for residents.",
    "I support colleagues informally and want to learn how to have the harder conversations.",
]
EXAMPLES = {
    "collaborative": "I set up a shared triage meeting with housing so families stopped being passed between us.",
    "accountable": "When we missed a deadline I owned it with the service manager and fixed the process.",
    "compassionate": "I noticed a colleague struggling and arranged cover and support without fuss.",
    "strategic": "I wrote the case for merging two small teams and took it through the directorate board.",
    "change-agent": "I led the move to online booking and kept the team with me through it.",
    "commercial": "I renegotiated a contract that saved money and improved the service's quality measures.",
}
EVIDENCE = {
    "collaborative": ("Joint working with housing", "A summary of the shared triage meeting and its results."),
    "accountable": ("Putting a missed deadline right", "What happened, what I changed, and how we know it worked."),
    "compassionate": ("Supporting a colleague", "A reflection agreed with my learning set."),
    "strategic": ("A case for change", "The paper I took to the board, and what the board decided."),
    "change-agent": ("Leading the move online", "Before-and-after figures and the team's feedback."),
}


def demo_programmes_load() -> bool:
    """Write the demo's programmes once. Returns whether anything was written."""
    borough = Organisation.objects.filter(slug=data.BOROUGH.slug).first()
    if borough is None or Programme.objects.filter(organisation=borough).exists():
        return False
    framework = Framework.objects.filter(owner_organisation=borough, slug="officers").first()
    fiona = get_user_model().objects.filter(email__iexact=_email("Fiona", "MacLeod")).first()
    if framework is None or fiona is None:
        return False
    network = Network.objects.filter(slug="east-thames-leadership").first()
    with transaction.atomic():
        _write(borough, framework, fiona, network)
    return True


def _email(first: str, last: str) -> str:
    return f"{first}.{last}@{data.BOROUGH.slug}.example".lower()


def _write(borough, framework, fiona, network) -> None:
    rng = random.Random(SEED)
    today = timezone.localdate()
    version = framework.versions.get(status=FrameworkVersion.Status.PUBLISHED)
    tiers = {t.key: t for t in version.tiers.all()}
    people = list(
        Person.objects.filter(organisation=borough, status=Person.Status.ACTIVE, role_type=RoleType.OFFICER)
        .exclude(user__isnull=False)
        .select_related("tier", "line_manager")
        .order_by("pk")
    )
    by_tier: dict[str, list[Person]] = {}
    for person in people:
        if person.tier_id:
            by_tier.setdefault(person.tier.key, []).append(person)

    def details(base: ProgrammeDetails, **extra) -> ProgrammeDetails:
        return ProgrammeDetails(**{**base.__dict__, "framework": framework, **extra})

    # 1. Aspiring managers: last year's cohort finished; this year's is open for applications.
    aspiring = programme_write(organisation=borough, details=details(ASPIRING_MANAGERS))
    finished = _cohort(aspiring, "2025 to 2026", today - timedelta(days=370), today - timedelta(days=60), 16)
    candidates = by_tier.get("aspiring-manager", []) + by_tier.get("core-manager", [])
    pool = rng.sample(candidates, min(len(candidates), 22))
    _past_cohort(finished, pool, tiers["aspiring-manager"].rank, rng, completed=10, withdrawn=1)
    _self_assessments(borough, version, finished, rng, uplift=0.45)
    _cohort(
        aspiring,
        "2026 to 2027",
        today + timedelta(days=45),
        today + timedelta(days=400),
        18,
        opens=today - timedelta(days=10),
        closes=today + timedelta(days=25),
        status=Cohort.Status.OPEN,
    )

    # 2. Leading for high performance: running now, with a steering group.
    high = programme_write(organisation=borough, details=details(HIGH_PERFORMANCE))
    running = _cohort(high, "2026", today - timedelta(days=150), today + timedelta(days=120), 20)
    seniors = by_tier.get("developing-manager", []) + by_tier.get("aspiring-leader", [])
    _running_cohort(running, rng.sample(seniors, min(len(seniors), 20)), rng)
    helen = get_user_model().objects.filter(email__iexact=_email("Helen", "Osei")).first()
    if helen is not None:
        SteeringMember.objects.create(cohort=running, user=helen, role="Chair")
        SteeringDecision.objects.create(
            cohort=running,
            decided_on=today - timedelta(days=20),
            text="Move day four online so that the two participants on long-term projects can attend.",
            recorded_by=helen,
        )
    unity = high.outcomes.get(position=1)
    OutcomeStatus.objects.create(
        cohort=running,
        outcome=unity,
        status=OutcomeStatus.Status.IN_PROGRESS,
        evidence="Cross-service working up in the autumn pulse survey; the full staff survey reports in spring.",
        recorded_by=fiona,
    )

    # 3. The network's aspiring chief executives: open, with partner places and external applicants.
    if network is not None:
        chiefs = programme_write(organisation=borough, details=details(CHIEF_EXECUTIVES, network=network))
        cohort = _cohort(
            chiefs,
            "2027",
            today + timedelta(days=60),
            today + timedelta(days=330),
            12,
            partner_places=4,
            opens=today - timedelta(days=14),
            closes=today + timedelta(days=30),
            status=Cohort.Status.OPEN,
        )
        outsiders = Person.objects.filter(
            organisation=borough, role_type=RoleType.EXTERNAL_PARTICIPANT, user__isnull=True
        ).order_by("pk")[:2]
        applications = [
            _application(
                cohort,
                person,
                Application.Status.ENDORSED,
                rng,
                submitted=timezone.now() - timedelta(days=rng.randint(1, 10)),
                pool=Application.Pool.PARTNER,
                employer=person.job_title.split(", ")[-1] if ", " in person.job_title else person.job_title,
            )
            for person in outsiders
        ]
        applications += [
            _application(
                cohort,
                person,
                Application.Status.SUBMITTED,
                rng,
                submitted=timezone.now() - timedelta(days=rng.randint(1, 10)),
            )
            for person in by_tier.get("senior-leader", [])[:3]
        ]
        _save(applications)


def _cohort(programme, name, starts, ends, capacity, *, partner_places=0, opens=None, closes=None, status=None):
    return cohort_write(
        programme=programme,
        details=CohortDetails(
            name=name,
            starts_on=starts,
            ends_on=ends,
            capacity=capacity,
            partner_places=partner_places,
            applications_open_on=opens or starts - timedelta(days=60),
            applications_close_on=closes or starts - timedelta(days=21),
            status=status or Cohort.Status.PLANNED,
        ),
    )


def _application(cohort, person, status, rng, *, submitted, pool=Application.Pool.HOME, employer="", **fields):
    """An application, unsaved, with the criteria it addresses in `chosen`; `_save` writes them in bulk."""
    application = Application(
        cohort=cohort,
        organisation_id=cohort.organisation_id,
        person=person,
        pool=pool,
        status=status,
        statement=rng.choice(STATEMENTS),
        submitted_at=submitted,
        employer=employer,
        created_at=submitted,
        updated_at=submitted,
        **fields,
    )
    keys = cohort.programme.selection_attributes
    application.chosen = rng.sample(keys, min(len(keys), 2))
    return application


def _save(applications: list[Application]) -> list[Application]:
    saved = Application.objects.bulk_create(applications)
    ApplicationAttribute.objects.bulk_create(
        ApplicationAttribute(application=a, key=key, text=EXAMPLES.get(key, "")) for a in saved for key in a.chosen
    )
    return saved


def _sessions(cohort, rng) -> list[Session]:
    """One session per dated stage, spread across the cohort: development days, groups, forums."""
    stages = [s for s in cohort.programme.stages.order_by("position") if s.kind not in ("pre_reading", "project")]
    span = (cohort.ends_on - cohort.starts_on).days
    sessions = []
    for n, stage in enumerate(stages):
        day = cohort.starts_on + timedelta(days=round(span * (n + 0.5) / len(stages)))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        starts = timezone.make_aware(datetime.combine(day, time(9, 30)))
        length = 7 if stage.kind in ("development_day", "forum") else 2
        sessions.append(
            Session(
                cohort=cohort,
                stage=stage,
                title=stage.title,
                starts_at=starts,
                ends_at=starts + timedelta(hours=length),
                venue="Kingsmere Civic Centre, Committee Room 2" if n % 3 else "",
                online_link="" if n % 3 else "https://meet.example/kingsmere-leadership",
                facilitator=rng.choice(["Fiona MacLeod", "An external facilitator", "Dr Ruth Adebayo"]),
            )
        )
    return Session.objects.bulk_create(sessions)


def _attend(sessions, participants, rng, *, now) -> None:
    rows, reactions = [], []
    for session in sessions:
        if session.starts_at > now:
            continue
        for application in participants:
            roll = rng.random()
            status = "present" if roll < 0.88 else "apologies" if roll < 0.96 else "absent"
            rows.append(
                Attendance(session=session, application=application, status=status, recorded_at=session.ends_at)
            )
            if status == "present" and rng.random() < 0.8:
                base = rng.choice([4, 4, 5, 5, 3])
                reactions.append(
                    Reaction(
                        session=session,
                        application=application,
                        useful=base,
                        will_use=max(1, min(5, base + rng.choice([-1, 0, 0, 1]))),
                        recommend=max(1, min(5, base + rng.choice([-1, 0, 0]))),
                        given_at=session.ends_at + timedelta(days=1),
                    )
                )
    Attendance.objects.bulk_create(rows)
    Reaction.objects.bulk_create(reactions)


def _past_cohort(cohort, pool, rank, rng, *, completed: int, withdrawn: int) -> None:
    """A finished cohort: who got in and who did not, sessions, attendance, evidence, completions."""
    cohort.status = Cohort.Status.COMPLETED
    cohort.save(update_fields=["status"])
    now = timezone.now()
    applied = timezone.make_aware(datetime.combine(cohort.applications_open_on + timedelta(days=5), time(10)))
    places = cohort.capacity
    taking = pool[: min(places, completed + withdrawn + 1)]
    others = pool[len(taking) :]
    participants = []
    for n, person in enumerate(taking):
        status = (
            Application.Status.COMPLETED
            if n < completed
            else Application.Status.WITHDRAWN
            if n < completed + withdrawn
            else Application.Status.ACCEPTED
        )
        completed_at = timezone.make_aware(datetime.combine(cohort.ends_on, time(12))) if n < completed else None
        participants.append(
            _application(
                cohort,
                person,
                status,
                rng,
                submitted=applied + timedelta(hours=n),
                panel_score=Decimal(rng.choice(["2.67", "3.00", "3.33", "3.67"])),
                decision_reason="The panel was impressed by the examples against the criteria.",
                tier_rank_at_start=rank,
                completed_at=completed_at,
                offered_at=applied + timedelta(days=20),
                responded_at=applied + timedelta(days=22),
            )
        )
    stops = (
        [Application.Status.NOT_SELECTED] * 4 + [Application.Status.NOT_ENDORSED] * 2 + [Application.Status.DECLINED]
    )
    participants = _save(participants)
    refused = [
        _application(
            cohort,
            person,
            stops[n],
            rng,
            submitted=applied + timedelta(days=1, hours=n),
            decision_reason="Not this time: the panel would like to see more examples of leading others."
            if stops[n] == Application.Status.NOT_SELECTED
            else "",
            tier_rank_at_start=rank if stops[n] == Application.Status.DECLINED else None,
        )
        for n, person in enumerate(others[: len(stops)])
    ]
    _save(refused)
    sessions = _sessions(cohort, rng)
    taking_part = [a for a in participants if a.status != Application.Status.WITHDRAWN]
    _attend(sessions, taking_part, rng, now=now)
    evidence = []
    for application in taking_part:
        for key in cohort.programme.evidence_attributes:
            title, text = EVIDENCE.get(key, ("Evidence", "A reflection on what I did and learnt."))
            signed = application.status == Application.Status.COMPLETED
            evidence.append(
                Evidence(
                    application=application,
                    key=key,
                    title=title,
                    text=text,
                    status=Evidence.Status.SIGNED_OFF if signed else Evidence.Status.MORE_NEEDED,
                    assessor_note="" if signed else "Please add what your manager saw change.",
                    submitted_at=timezone.make_aware(datetime.combine(cohort.ends_on - timedelta(days=40), time(9))),
                    assessed_at=timezone.make_aware(datetime.combine(cohort.ends_on - timedelta(days=20), time(9))),
                )
            )
    Evidence.objects.bulk_create(evidence)
    _credentials(cohort, [a for a in taking_part if a.status == Application.Status.COMPLETED])


def _credentials(cohort, completed: list[Application]) -> None:
    """The Open Badges credential each person who completed was given, dated the day the cohort ended."""
    from cadre.credentials.services import credential_issue

    programme = cohort.programme
    ended = timezone.make_aware(datetime.combine(cohort.ends_on, time(12)))
    for application in completed:
        credential = credential_issue(
            organisation=cohort.organisation,
            recipient_name=application.person.full_name,
            recipient_email=application.person.email,
            person=application.person,
            achievement_name=programme.title,
            achievement_description=programme.summary,
            criteria=(
                f"Attended at least {programme.min_attendance_percent}% of the cohort's sessions and had portfolio "
                "evidence signed off for each required attribute."
            ),
            source_label=str(cohort),
            valid_from=ended,
        )
        Application.objects.filter(pk=application.pk).update(credential_uuid=credential.pk)


def _running_cohort(cohort, people, rng) -> None:
    cohort.status = Cohort.Status.RUNNING
    cohort.save(update_fields=["status"])
    applied = timezone.make_aware(datetime.combine(cohort.applications_open_on + timedelta(days=3), time(10)))
    participants = [
        _application(
            cohort,
            person,
            Application.Status.ACCEPTED,
            rng,
            submitted=applied + timedelta(hours=n),
            panel_score=Decimal(rng.choice(["3.00", "3.33", "3.67", "4.00"])),
            decision_reason="Selected by the panel.",
            tier_rank_at_start=person.tier.rank if person.tier else None,
            offered_at=applied + timedelta(days=14),
            responded_at=applied + timedelta(days=15),
        )
        for n, person in enumerate(people)
    ]
    _attend(_sessions(cohort, rng), _save(participants), rng, now=timezone.now())


def _self_assessments(borough, version, cohort, rng, *, uplift: float) -> None:
    """A starting and a closing self-assessment for each participant who finished, the closing one a
    little higher on average (what a programme that works would show)."""
    from cadre.demo.diagnostics import _ability, _items, _rating

    finishers = list(
        Person.objects.filter(applications__cohort=cohort, applications__status=Application.Status.COMPLETED)
        .exclude(tier__isnull=True)
        .order_by("pk")
    )
    if not finishers:
        return
    abilities = {}
    for label, day, gain in (
        (f"{cohort.programme.title}: starting self-assessment", cohort.starts_on - timedelta(days=7), 0.0),
        (f"{cohort.programme.title}: closing self-assessment", cohort.ends_on + timedelta(days=7), uplift),
    ):
        when = timezone.make_aware(datetime.combine(day, time(9)))
        campaign = Campaign.objects.create(
            organisation=borough,
            kind=Campaign.Kind.SELF_ASSESSMENT,
            name=label,
            version=version,
            status=Campaign.Status.CLOSED,
            created_at=when,
            opened_at=when,
            closed_at=when + timedelta(days=14),
            closes_on=day + timedelta(days=14),
        )
        _items_for(campaign, {p.tier_id for p in finishers})
        items = _items(campaign)
        subjects = Subject.objects.bulk_create(
            Subject(campaign=campaign, person=p, tier_id=p.tier_id, nominations=Subject.Nominations.APPROVED)
            for p in finishers
        )
        responses = Response.objects.bulk_create(
            Response(
                subject=s,
                group=RaterGroup.SELF,
                status=Response.Status.SUBMITTED,
                invited_at=when,
                submitted_at=when + timedelta(days=2),
                created_at=when,
            )
            for s in subjects
        )
        ratings = []
        for response, person in zip(responses, finishers, strict=True):
            person_items = items.get(person.tier_id, [])
            if person.pk not in abilities:
                abilities[person.pk] = _ability(rng, sorted({i.attribute_id for i in person_items}))
            ability = abilities[person.pk]
            for item in person_items:
                value = _rating(
                    rng, ability[item.attribute_id] + gain + rng.uniform(-0.2, 0.4) * bool(gain), item.reverse
                )
                ratings.append(Rating(response=response, item=item, value=value))
        Rating.objects.bulk_create(ratings, batch_size=2000)
