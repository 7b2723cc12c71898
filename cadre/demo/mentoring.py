"""The demo's mentoring: a scheme run by the borough across the East Thames Leadership Network,
about 30 mentor profiles (the borough's managers and leaders, and some from the partners, offered
to partners) and about 40 requests, one round run and sent, answers given, and relationships with
session logs and closing reviews.

Partners' people are placed by hand in the tiers of the borough's officers' framework for the
scheme (their organisations have no framework of their own in the demo). Amara Okafor has a
proposal to answer (never from Tom Gallagher, her line manager, who mentors too); Siobhan Murphy
mentors across organisations; Fiona MacLeod runs the scheme.

Deterministic, all or nothing, run once after the frameworks and diagnostics
(`demo_mentoring_load`). The round is worked out by the same code as the pages
(`cadre.mentoring.matching.solve`); no emails are sent."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cadre.core.models import Network, Organisation
from cadre.demo import data
from cadre.frameworks.models import Framework, FrameworkVersion
from cadre.mentoring import matching
from cadre.mentoring.models import (
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
from cadre.mentoring.needs import prefilled_needs
from cadre.mentoring.services import _write_outcome
from cadre.people.models import Person, RoleType

SEED = 1011
BOROUGH_MENTORS = 22
PARTNER_MENTORS = 8
BOROUGH_MENTEES = 34
PARTNER_MENTEES = 6
SCHEME_NAME = "East Thames mentoring circle"
TOPICS = [
    "Getting started: what you want from mentoring",
    "Leading a team through a restructure",
    "Difficult conversations with a long-serving colleague",
    "Working with partners on a shared budget",
    "Preparing for an interview for a team leader post",
    "Managing upwards when priorities clash",
    "Building resilience in a busy winter",
]
WORKED = [
    "Someone outside my line who asked good questions.",
    "Practical examples from another service.",
    "Time to think, once a month, away from the day job.",
]
FEEDBACK = [
    "A short guide for the first meeting would help.",
    "Pair people a little sooner after they ask.",
]


def demo_mentoring_load() -> int:
    """Write the demo's mentoring once. Returns how many requests were written: 0 when there is
    no borough, its officers' framework is missing, or the scheme is there already."""
    borough = Organisation.objects.filter(slug=data.BOROUGH.slug).first()
    if borough is None or Scheme.objects.filter(organisation=borough).exists():
        return 0
    framework = Framework.objects.filter(owner_organisation=borough, slug="officers").first()
    version = (
        framework.versions.filter(status=FrameworkVersion.Status.PUBLISHED).first() if framework is not None else None
    )
    if version is None:
        return 0
    network = Network.objects.filter(slug=data.NETWORKS[0][0]).first()
    with transaction.atomic(durable=True):
        if Scheme.objects.filter(organisation=borough).exists():
            return 0
        return _write(borough, network, framework, version)


def _named(people, first: str, last: str) -> Person | None:
    return next((p for p in people if (p.first_name, p.last_name) == (first, last)), None)


def _write(borough, network, framework, version) -> int:
    rng = random.Random(SEED)
    keys = list(version.attributes.order_by("order", "id").values_list("key", flat=True))
    tiers = {t.rank: t for t in version.tiers.all()}
    top = max(tiers)
    officers = list(
        Person.objects.filter(organisation=borough, status=Person.Status.ACTIVE, tier__version=version)
        .select_related("tier")
        .order_by("pk")
    )
    partner_ids = list(network.organisations.exclude(pk=borough.pk).values_list("pk", flat=True)) if network else []
    partners = list(
        Person.objects.filter(organisation_id__in=partner_ids, status=Person.Status.ACTIVE)
        .filter(role_type__in=[RoleType.OFFICER, RoleType.PARTNER_STAFF])
        .select_related("tier")
        .order_by("pk")
    )
    amara, tom = _named(officers, "Amara", "Okafor"), _named(officers, "Tom", "Gallagher")
    siobhan = _named(partners, "Siobhan", "Murphy")
    fiona = _named(officers, "Fiona", "MacLeod")

    # Mentors: the borough's people in the upper tiers, and some partners' (offered to partners).
    senior = [p for p in officers if p.tier.rank >= 3 and p not in (amara, fiona)]
    mentors = rng.sample(senior, min(BOROUGH_MENTORS, len(senior)))
    if tom is not None and tom not in mentors:
        mentors[-1:] = [tom]
    partner_mentors = [siobhan] if siobhan else []
    others = [p for p in partners if p is not siobhan]
    partner_mentors += rng.sample(others, min(PARTNER_MENTORS - len(partner_mentors), len(others)))
    for person in partner_mentors:
        person.tier = tiers[rng.choice([r for r in (3, 4, 5) if r in tiers] or [top])]
        person.tier_set_by_hand = True
    Person.objects.bulk_update(partner_mentors, ["tier", "tier_set_by_hand"])
    now = timezone.now()
    profiles = [
        MentorProfile(
            person=person,
            organisation_id=person.organisation_id,
            strengths={k: min(4, max(0, round(rng.gauss(2.6, 1.1)))) for k in keys},
            capacity=rng.choice([1, 1, 2, 2, 3]),
            availability=rng.choice(["An hour a month, online", "Early mornings, in person or online", ""]),
            offered_to_partners=person.organisation_id != borough.pk or rng.random() < 0.6,
            is_coach=person.organisation_id == borough.pk and rng.random() < 0.15,
            created_at=now - timedelta(days=90),
            updated_at=now - timedelta(days=90),
        )
        for person in [*mentors, *partner_mentors]
    ]
    for profile in profiles:
        if profile.is_coach:
            profile.accreditation = "ILM Level 7 Certificate in Executive Coaching and Leadership Mentoring"
    MentorProfile.objects.bulk_create(profiles)

    # Mentees: the borough's people in the first tiers, and some partners'.
    taken = {p.pk for p in [*mentors, *partner_mentors]}
    junior = [p for p in officers if p.tier.rank <= 3 and p.pk not in taken and p is not amara]
    mentees = rng.sample(junior, min(BOROUGH_MENTEES - 1, len(junior)))
    if amara is not None:
        mentees.insert(0, amara)
    free = [p for p in partners if p.pk not in taken]
    partner_mentees = rng.sample(free, min(PARTNER_MENTEES, len(free)))
    for person in partner_mentees:
        person.tier = tiers[rng.choice([r for r in (1, 2) if r in tiers] or [1])]
        person.tier_set_by_hand = True
    Person.objects.bulk_update(partner_mentees, ["tier", "tier_set_by_hand"])
    scheme = Scheme.objects.create(
        organisation=borough,
        network=network,
        framework=framework,
        name=SCHEME_NAME,
        description="Mentoring across the borough and its partners in the East Thames Leadership Network: "
        "an hour a month for six months with someone a step or two further on.",
        created_at=now - timedelta(days=120),
    )
    requests = []
    for person in [*mentees, *partner_mentees]:
        rows = prefilled_needs(version, person.pk)
        needs = {r.attribute.key: r.need for r in rows}
        sources = {r.attribute.key: r.source for r in rows if r.score is not None}
        if not any(needs.values()):
            needs = {k: rng.choice([0, 1, 2, 2, 3, 4]) for k in keys}
        requests.append(
            MentoringRequest(
                scheme=scheme,
                person=person,
                organisation_id=person.organisation_id,
                needs=needs,
                needs_source=sources,
                organisation_preference="other" if rng.random() < 0.15 else "any",
                created_at=now - timedelta(days=rng.randint(30, 60)),
            )
        )
    MentoringRequest.objects.bulk_create(requests)

    # Round 1, worked out as the pages do, and sent 45 days ago.
    round_ = Round.objects.create(scheme=scheme, number=1, created_at=now - timedelta(days=46))
    _write_outcome(round_, matching.solve(round_))
    round_.status = Round.Status.SENT
    round_.sent_at = now - timedelta(days=45)
    round_.save(update_fields=["status", "sent_at"])
    proposals = list(round_.proposals.select_related("request", "mentor").order_by("pk"))
    Proposal.objects.filter(round=round_).update(status=Proposal.Status.OPEN)
    MentoringRequest.objects.filter(pk__in=[p.request_id for p in proposals]).update(
        status=MentoringRequest.Status.PROPOSED
    )

    # Answers: most pairs agreed, two declined (back in the next round), the rest still open;
    # Amara's proposal waits for her answer.
    agreed, declined = [], []
    for n, proposal in enumerate(p for p in proposals if p.request.person_id != getattr(amara, "pk", None)):
        if n < 2:
            declined.append(proposal)
        elif n < 2 + round(len(proposals) * 0.6):
            agreed.append(proposal)
    for proposal in declined:
        proposal.status, proposal.mentor_answer = Proposal.Status.DECLINED, Proposal.Answer.DECLINED
        proposal.answered_at = now - timedelta(days=40)
    for proposal in agreed:
        proposal.status = Proposal.Status.ACCEPTED
        proposal.mentee_answer = proposal.mentor_answer = Proposal.Answer.ACCEPTED
        proposal.answered_at = now - timedelta(days=rng.randint(35, 42))
    Proposal.objects.bulk_update([*declined, *agreed], ["status", "mentee_answer", "mentor_answer", "answered_at"])
    MentoringRequest.objects.filter(pk__in=[p.request_id for p in declined]).update(
        status=MentoringRequest.Status.WAITING
    )
    MentoringRequest.objects.filter(pk__in=[p.request_id for p in agreed]).update(
        status=MentoringRequest.Status.MATCHED
    )
    PairRule.objects.bulk_create(
        PairRule(scheme=scheme, request_id=p.request_id, mentor=p.mentor, kind=PairRule.Kind.FORBID, declined=True)
        for p in declined
    )
    relationships = Relationship.objects.bulk_create(
        Relationship(proposal=p, scheme=scheme, mentor=p.mentor, mentee_id=p.request.person_id, agreed_at=p.answered_at)
        for p in agreed
    )

    # Sessions for most, and two closed with reviews from both sides.
    logs, reviews = [], []
    for n, relationship in enumerate(relationships):
        if n % 4 == 3:
            continue  # agreed, not started yet
        held = relationship.agreed_at.date() + timedelta(days=rng.randint(5, 10))
        for s in range(rng.randint(1, 3)):
            day = held + timedelta(days=28 * s)
            if day > timezone.localdate():
                break
            logs.append(
                SessionLog(
                    relationship=relationship,
                    held_on=day,
                    topic=TOPICS[0] if s == 0 else rng.choice(TOPICS[1:]),
                    attributes=rng.sample(keys, 2),
                    written_by_id=relationship.mentee_id,
                    created_at=now,
                )
            )
        relationship.status = Relationship.Status.ACTIVE
        relationship.started_on = held
        if n in (0, 1):
            relationship.status = Relationship.Status.CLOSED
            relationship.closed_on = timezone.localdate() - timedelta(days=2)
            for side in ClosingReview.Side.values:
                reviews.append(
                    ClosingReview(
                        relationship=relationship,
                        side=side,
                        usefulness=rng.choice([4, 5, 5, 3]),
                        what_worked=rng.choice(WORKED),
                        feedback=rng.choice(FEEDBACK) if side == "mentee" else "",
                    )
                )
    Relationship.objects.bulk_update(relationships, ["status", "started_on", "closed_on"])
    SessionLog.objects.bulk_create(logs)
    ClosingReview.objects.bulk_create(reviews)
    return len(requests)
