"""The demo's diagnostics: self-assessments across the borough, a closed and released 360 round,
and an open one still taking nominations, so every diagnostics page has something true to show.

Deterministic: the same borough gives the same answers. Written in bulk; run once, after the
frameworks are loaded and people are placed in tiers (`demo_diagnostics_load`)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cadre.core.models import Organisation
from cadre.demo import data
from cadre.diagnostics.models import (
    SCALE_MAX,
    Campaign,
    CampaignItem,
    Comment,
    RaterGroup,
    Rating,
    Response,
    Subject,
)
from cadre.diagnostics.services import _items_for
from cadre.frameworks.models import FrameworkVersion
from cadre.people.models import Person

APPROVED = Subject.Nominations.APPROVED
SEED = 360
SELF_ASSESSED = 700  # people with a self-assessment: enough for most departments to show in the heatmap
SUBJECTS_360 = 48
STRENGTHS = [
    "Explains the why behind decisions, so the team can get on with it.",
    "Makes time for people even on the busiest days.",
    "Brings partners round the table and keeps them there.",
    "Calm when things go wrong; we learn from it rather than look for blame.",
    "Asks residents what matters to them before deciding.",
]
MORE = [
    "Share more of the longer-term picture with the team.",
    "Delegate more: the team is ready for it.",
    "Challenge upwards a little more often.",
    "Give feedback as it happens rather than saving it for 1-2-1s.",
]


def demo_diagnostics_load() -> bool:
    """Write the demo's diagnostics once. Returns whether anything was written."""
    borough = Organisation.objects.filter(slug=data.BOROUGH.slug).first()
    if borough is None or Campaign.objects.filter(organisation=borough).exists():
        return False
    with transaction.atomic(durable=True):
        _write(borough)
    return True


def _officers(borough) -> list[Person]:
    return list(
        Person.objects.filter(
            organisation=borough,
            status=Person.Status.ACTIVE,
            role_type="officer",
            tier__version__status=FrameworkVersion.Status.PUBLISHED,
        )
        .select_related("tier__version", "line_manager", "department")
        .order_by("pk")
    )


def _ability(rng: random.Random, attributes: list[int]) -> dict[int, float]:
    base = rng.uniform(2.6, 4.2)
    return {a: min(4.9, max(1.2, base + rng.uniform(-0.7, 0.7))) for a in attributes}


def _rating(rng: random.Random, ability: float, reverse: bool, *, bias: float = 0.0) -> int:
    if rng.random() < 0.08:
        return 0  # not observed
    value = round(min(SCALE_MAX, max(1, rng.gauss(ability + bias, 0.7))))
    return (SCALE_MAX + 1 - value) if reverse else value


def _write(borough) -> None:
    rng = random.Random(SEED)
    officers = _officers(borough)
    if not officers:
        return
    now = timezone.now()
    amara = next((p for p in officers if (p.first_name, p.last_name) == ("Amara", "Okafor")), None)
    tom = next((p for p in officers if (p.first_name, p.last_name) == ("Tom", "Gallagher")), None)
    by_version: dict[int, list[Person]] = {}
    for person in officers:
        by_version.setdefault(person.tier.version_id, []).append(person)
    version_id, people = max(by_version.items(), key=lambda kv: len(kv[1]))
    version = people[0].tier.version

    # Self-assessments, one round a year ago for some and a recent one for everyone chosen.
    chosen = rng.sample(people, min(SELF_ASSESSED, len(people)))
    if amara is not None and amara not in chosen:
        chosen.append(amara)
    for label, when, who in (
        (
            "Self-assessment, autumn 2025",
            now - timedelta(days=380),
            [p for p in chosen if rng.random() < 0.2] + ([amara] if amara else []),
        ),
        ("Self-assessment, autumn 2026", now - timedelta(days=40), chosen),
    ):
        _self_round(borough, version, label, when, list(dict.fromkeys(who)), rng)

    # A 360 round that has closed, its reports released.
    candidates = [p for p in people if p.line_manager_id and p is not amara]
    subjects = rng.sample(candidates, min(SUBJECTS_360 - 1, len(candidates)))
    if amara is not None:
        subjects.append(amara)
    _closed_360(borough, version, subjects, people, now - timedelta(days=70), rng)

    # An open round still taking nominations, for the line manager sign-in to try.
    if tom is not None and tom.tier is not None:
        campaign = Campaign.objects.create(
            organisation=borough,
            kind=Campaign.Kind.FEEDBACK_360,
            name="Team leaders 360, winter 2026",
            version=tom.tier.version,
            closes_on=timezone.localdate() + timedelta(days=28),
            needs_approval=True,
            created_at=now - timedelta(days=2),
        )
        _items_for(campaign, {tom.tier_id})
        subject = Subject.objects.create(campaign=campaign, person=tom, tier_id=tom.tier_id)
        Response.objects.create(subject=subject, group=RaterGroup.SELF)
    del version_id


def _items(campaign: Campaign) -> dict[int, list[CampaignItem]]:
    by_tier: dict[int, list[CampaignItem]] = {}
    for item in campaign.items.filter(included=True).order_by("order"):
        by_tier.setdefault(item.tier_id, []).append(item)
    return by_tier


def _self_round(borough, version, name, when, people, rng) -> None:
    campaign = Campaign.objects.create(
        organisation=borough,
        kind=Campaign.Kind.SELF_ASSESSMENT,
        name=name,
        version=version,
        status=Campaign.Status.OPEN,
        created_at=when,
        opened_at=when,
        closes_on=(when + timedelta(days=21)).date(),
    )
    _items_for(campaign, {p.tier_id for p in people})
    items = _items(campaign)
    subjects = Subject.objects.bulk_create(
        Subject(
            campaign=campaign, person=p, tier_id=p.tier_id, nominations=Subject.Nominations.APPROVED, created_at=when
        )
        for p in people
    )
    responses = Response.objects.bulk_create(
        Response(
            subject=s,
            group=RaterGroup.SELF,
            status=Response.Status.SUBMITTED,
            invited_at=when,
            submitted_at=when + timedelta(days=rng.randint(0, 14)),
            created_at=when,
        )
        for s in subjects
    )
    ratings = []
    for response, person in zip(responses, people, strict=True):
        ability = _ability(rng, sorted({i.attribute_id for i in items.get(person.tier_id, [])}))
        for item in items.get(person.tier_id, []):
            ratings.append(
                Rating(
                    response=response, item=item, value=_rating(rng, ability[item.attribute_id], item.reverse, bias=0.3)
                )
            )
    Rating.objects.bulk_create(ratings, batch_size=2000)


def _closed_360(borough, version, subjects, everyone, when, rng) -> None:
    campaign = Campaign.objects.create(
        organisation=borough,
        kind=Campaign.Kind.FEEDBACK_360,
        name="Leadership 360, autumn 2026",
        version=version,
        status=Campaign.Status.CLOSED,
        line_manager_threshold=1,
        created_at=when,
        opened_at=when,
        closed_at=when + timedelta(days=28),
        closes_on=(when + timedelta(days=28)).date(),
    )
    _items_for(campaign, {p.tier_id for p in subjects})
    items = _items(campaign)
    by_department: dict[int, list[Person]] = {}
    for person in everyone:
        by_department.setdefault(person.department_id, []).append(person)
    reports: dict[int, list[Person]] = {}
    for person in everyone:
        if person.line_manager_id:
            reports.setdefault(person.line_manager_id, []).append(person)
    made = Subject.objects.bulk_create(
        Subject(
            campaign=campaign,
            person=person,
            tier_id=person.tier_id,
            nominations=APPROVED,
            released_at=when + timedelta(days=35),
            created_at=when,
        )
        for person in subjects
    )
    rows = []
    for subject, person in zip(made, subjects, strict=True):
        raters = [(RaterGroup.SELF, person.first_name, person.email)]
        if person.line_manager is not None:
            raters.append((RaterGroup.LINE_MANAGER, person.line_manager.first_name, person.line_manager.email))
        colleagues = [p for p in by_department.get(person.department_id, []) if p.pk != person.pk]
        for peer in rng.sample(colleagues, min(len(colleagues), rng.randint(3, 5))):
            raters.append((RaterGroup.PEER, peer.first_name, peer.email))
        for report in rng.sample(reports.get(person.pk, []), min(len(reports.get(person.pk, [])), 4)):
            raters.append((RaterGroup.DIRECT_REPORT, report.first_name, report.email))
        for n in range(rng.choice([0, 1, 2, 3])):
            raters.append((RaterGroup.PARTNER, f"Partner {n + 1}", f"partner{n + 1}.{person.pk}@nhs.example.org"))
        seen: set[str] = set()
        raters = [r for r in raters if r[0] == RaterGroup.SELF or (r[2] and not (r[2] in seen or seen.add(r[2])))]
        rows.append((subject, person, raters))
    responses = Response.objects.bulk_create(
        Response(
            subject=subject,
            group=group,
            name="" if group == RaterGroup.SELF else name,
            email="" if group == RaterGroup.SELF else email,
            status=Response.Status.SUBMITTED,
            invited_at=when,
            submitted_at=when + timedelta(days=rng.randint(1, 20)),
            created_at=when,
        )
        for subject, _person, raters in rows
        for group, name, email in raters
    )
    ratings, comments = [], []
    position = 0
    for _subject, person, raters in rows:
        person_items = items.get(person.tier_id, [])
        ability = _ability(rng, sorted({i.attribute_id for i in person_items}))
        attributes = sorted({i.attribute_id for i in person_items})
        for group, _name, _email in raters:
            response = responses[position]
            position += 1
            bias = 0.4 if group == RaterGroup.SELF else rng.uniform(-0.3, 0.3)
            for item in person_items:
                ratings.append(
                    Rating(
                        response=response,
                        item=item,
                        value=_rating(rng, ability[item.attribute_id], item.reverse, bias=bias),
                    )
                )
            if group != RaterGroup.SELF and attributes and rng.random() < 0.5:
                comments.append(
                    Comment(
                        response=response,
                        attribute_id=rng.choice(attributes),
                        kind="strengths",
                        text=rng.choice(STRENGTHS),
                    )
                )
            if group != RaterGroup.SELF and attributes and rng.random() < 0.3:
                comments.append(
                    Comment(response=response, attribute_id=rng.choice(attributes), kind="more", text=rng.choice(MORE))
                )
    Rating.objects.bulk_create(ratings, batch_size=2000)
    Comment.objects.bulk_create(comments, batch_size=2000)
