"""A scheme's matching round worked out: who takes part, the hard rules as the matching kernel's
inputs, the exactly optimal assignment (`cadre.kernels.matching.match_mentors`), and each pair's
score and reason in plain words. Reads only; `services.round_run` writes the result.

The hard rules:
- a mentor's tier is above the mentee's (tier rank is the level; people without a tier are left
  out, and an unmatched mentee's reason says so);
- a mentor is never in the mentee's line-management chain (every manager above them, from
  `managers_above`, passed as `avoid` pairs: the kernel's `manager` takes only one);
- nobody is their own mentor (`same_person`);
- forbidden pairs (by the administrator in this round, or declined in an earlier round) go in `avoid`;
- a mentor from another organisation than the mentee's takes part only when offered to partners,
  and a mentee who asked for someone from another (or their own) organisation gets only such mentors;
- capacities hold: each mentor's capacity less their current relationships (agreed or active),
  their open proposals and the pairs pinned to them in this round.

Pinned pairs are fixed before solving: those mentees are taken out and their mentors' capacity
reduced; a pin that breaks a hard rule is refused."""

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q

from cadre.core.errors import Problem, ValidationError
from cadre.frameworks.models import FrameworkVersion
from cadre.kernels.matching import SCORE_BONUS, match_mentors
from cadre.matching.services import unmatched_reason
from cadre.mentoring.models import MentoringRequest, MentorProfile, PairRule, Round, Scheme
from cadre.mentoring.selectors import mentor_places_taken, network_organisations
from cadre.people.models import Person
from cadre.people.selectors import managers_above

# Why a pair is ruled out besides the tiers (bits; a pair may have several).
CHAIN = 1
FORBIDDEN = 2
WANTS_OTHER_ORGANISATION = 4
WANTS_OWN_ORGANISATION = 8
NOT_OFFERED = 16
SAME_PERSON = 32

STRONG = 3  # a strength (and a need) of 3 or 4 reads as "strong in" / "most wants to grow"


@dataclass
class Pair:
    request: MentoringRequest
    mentor: MentorProfile
    score: int
    reason: str
    pinned: bool = False


@dataclass
class Outcome:
    pairs: list[Pair]
    unmatched: list[tuple[MentoringRequest, str]]
    mentors: list[MentorProfile]
    places: dict[int, int]  # mentor profile id: places left before this round
    left_out: list[tuple[MentorProfile, str]] = field(default_factory=list)

    @property
    def total_score(self) -> int:
        return sum(p.score for p in self.pairs)


def published_version(scheme: Scheme) -> FrameworkVersion | None:
    return scheme.framework.versions.filter(status=FrameworkVersion.Status.PUBLISHED).first()


def scheme_attributes(scheme: Scheme) -> list[tuple[str, str]]:
    """(key, name) of the attributes of the scheme's framework, as published now."""
    version = published_version(scheme)
    if version is None:
        return []
    return list(version.attributes.order_by("order", "id").values_list("key", "name"))


def mentors_taking_part(scheme: Scheme) -> list[MentorProfile]:
    """Available profiles of active people: the scheme organisation's, and those offered to
    partners from its network's organisations; coaches only, in a coaching scheme."""
    profiles = MentorProfile.objects.filter(
        is_available=True,
        person__status=Person.Status.ACTIVE,
        organisation_id__in=network_organisations(scheme),
    ).exclude(~Q(organisation_id=scheme.organisation_id) & Q(offered_to_partners=False))
    if scheme.kind == Scheme.Kind.COACHING:
        profiles = profiles.filter(is_coach=True)
    return list(profiles.select_related("person__tier", "organisation").order_by("pk"))


def waiting_requests(scheme: Scheme) -> list[MentoringRequest]:
    return list(
        scheme.requests.filter(status=MentoringRequest.Status.WAITING, person__status=Person.Status.ACTIVE)
        .select_related("person__tier", "organisation")
        .order_by("pk")
    )


def pair_score(request: MentoringRequest, mentor: MentorProfile, keys: list[str]) -> int:
    score = sum(int(request.needs.get(k, 0)) * int(mentor.strengths.get(k, 0)) for k in keys)
    return score + (SCORE_BONUS if request.organisation_id != mentor.organisation_id else 0)


def pair_reason(request: MentoringRequest, mentor: MentorProfile, keys: list[str], names: dict[str, str]) -> str:
    """One line in plain words: where the mentor's strengths meet the mentee's needs, and whether
    they are from another organisation."""
    first = request.person.first_name
    parts = sorted(
        ((int(request.needs.get(k, 0)) * int(mentor.strengths.get(k, 0)), n, k) for n, k in enumerate(keys)),
        key=lambda t: (-t[0], t[1]),
    )
    best = [k for product, _n, k in parts[:2] if product > 0]
    listed = " and ".join(names.get(k, k) for k in best)
    if not best:
        text = f"No strength where {first} asked to grow; the best place left"
    elif all(int(mentor.strengths.get(k, 0)) >= STRONG and int(request.needs.get(k, 0)) >= STRONG for k in best):
        text = f"Strong in {listed}, where {first} most wants to grow"
    else:
        text = f"Can help {first} with {listed}"
    if request.organisation_id != mentor.organisation_id:
        return f"{text}; from another organisation"
    return f"{text}; from the same organisation"


def _rank(person: Person) -> int | None:
    return person.tier.rank if person.tier_id else None


def _ruled_out(request: MentoringRequest, mentor: MentorProfile, chain: set[int], forbidden: set) -> int:
    """Why the pair is ruled out besides the tiers, as bits (0 when it is not)."""
    bits = 0
    if mentor.person_id == request.person_id:
        bits |= SAME_PERSON
    if mentor.person_id in chain:
        bits |= CHAIN
    if (request.pk, mentor.pk) in forbidden:
        bits |= FORBIDDEN
    same_organisation = mentor.organisation_id == request.organisation_id
    preference = request.organisation_preference
    if same_organisation and preference == MentoringRequest.OrganisationPreference.OTHER:
        bits |= WANTS_OTHER_ORGANISATION
    if not same_organisation and preference == MentoringRequest.OrganisationPreference.SAME:
        bits |= WANTS_OWN_ORGANISATION
    if not same_organisation and not mentor.offered_to_partners:
        bits |= NOT_OFFERED
    return bits


def pair_problems(request: MentoringRequest, mentor: MentorProfile, *, chain: set[int], forbidden: set) -> list[str]:
    """The hard rules a pair breaks, in words (capacity apart)."""
    name, other = request.person.full_name, mentor.person.full_name
    problems = []
    mentee_rank, mentor_rank = _rank(request.person), _rank(mentor.person)
    if mentee_rank is None:
        problems.append(f"{name} has no tier, so no mentor can be placed above them.")
    if mentor_rank is None:
        problems.append(f"{other} has no tier, so they cannot be matched.")
    if mentee_rank is not None and mentor_rank is not None and mentor_rank <= mentee_rank:
        problems.append(f"{other}'s tier is not above {name}'s.")
    bits = _ruled_out(request, mentor, chain, forbidden)
    messages = {
        SAME_PERSON: f"{name} cannot be their own mentor.",
        CHAIN: f"{other} is in {name}'s line-management chain.",
        FORBIDDEN: f"The pair of {name} and {other} is forbidden.",
        WANTS_OTHER_ORGANISATION: f"{name} asked for a mentor from another organisation.",
        WANTS_OWN_ORGANISATION: f"{name} asked for a mentor from their own organisation.",
        NOT_OFFERED: f"{other} is not offered to other organisations.",
    }
    problems.extend(message for bit, message in messages.items() if bits & bit)
    return problems


def _plain_exclusions(name: str, rank: int, counts: dict[int, int], full: int) -> str:
    words = {
        CHAIN: "in their line-management chain",
        FORBIDDEN: "forbidden with them",
        WANTS_OTHER_ORGANISATION: "from their own organisation (they asked for another)",
        WANTS_OWN_ORGANISATION: "from another organisation (they asked for their own)",
        NOT_OFFERED: "not offered to other organisations",
        SAME_PERSON: f"{name} themselves",
    }
    parts = [f"{counts[bit]} {text}" if bit != SAME_PERSON else text for bit, text in words.items() if counts.get(bit)]
    if full:
        parts.append(f"{full} with no places left")
    return f"every mentor in a tier above {name}'s is ruled out: " + ", ".join(parts)


def forbidden_pairs(round_: Round) -> set[tuple[int, int]]:
    return set(
        PairRule.objects.filter(scheme_id=round_.scheme_id, kind=PairRule.Kind.FORBID)
        .filter(round__isnull=True)
        .values_list("request_id", "mentor_id")
    ) | set(round_.pair_rules.filter(kind=PairRule.Kind.FORBID).values_list("request_id", "mentor_id"))


def solve(round_: Round) -> Outcome:
    """The round's proposed pairs and unmatched mentees, from the scheme as it is now.
    Raises ValidationError when a pinned pair breaks a hard rule or has no place."""
    scheme = round_.scheme
    attributes = scheme_attributes(scheme)
    keys = [k for k, _name in attributes]
    names = dict(attributes)
    requests = waiting_requests(scheme)
    by_request = {r.pk: r for r in requests}
    mentors = mentors_taking_part(scheme)
    by_mentor = {m.pk: m for m in mentors}
    forbidden = forbidden_pairs(round_)
    pins = list(round_.pair_rules.filter(kind=PairRule.Kind.PIN).values_list("request_id", "mentor_id"))
    taken = mentor_places_taken(list(by_mentor))
    places = {m.pk: max(0, m.capacity - taken[m.pk]) for m in mentors}
    left = dict(places)
    chains = {r.pk: set(managers_above(r.person_id)) for r in requests}

    problems, pairs = [], []
    for request_id, mentor_id in pins:
        request, mentor = by_request.get(request_id), by_mentor.get(mentor_id)
        if request is None or mentor is None:
            problems.append(Problem("A pinned mentee or mentor no longer takes part in this round: unpin them."))
            continue
        broken = pair_problems(request, mentor, chain=chains[request.pk], forbidden=forbidden)
        if left[mentor.pk] <= 0:
            broken.append(f"{mentor.person.full_name} has no place left.")
        problems.extend(Problem(f"Pinned pair: {message}", field="pin") for message in broken)
        left[mentor.pk] -= 1
        reason = "Pinned by the administrator. " + pair_reason(request, mentor, keys, names)
        pairs.append(Pair(request, mentor, pair_score(request, mentor, keys), reason, pinned=True))
    if problems:
        raise ValidationError(problems)
    pinned = {r for r, _m in pins}

    unmatched: list[tuple[MentoringRequest, str]] = []
    mentees = []
    for request in requests:
        if request.pk in pinned:
            continue
        if request.person.tier_id is None:
            unmatched.append(
                (request, f"{request.person.first_name} has no tier, so no mentor can be placed above them")
            )
        else:
            mentees.append(request)
    pool = [m for m in mentors if m.person.tier_id is not None]
    left_out = [(m, "has no tier, so cannot be matched") for m in mentors if m.person.tier_id is None]

    if mentees:
        n, m = len(mentees), len(pool)
        person_position = {p.person_id: j for j, p in enumerate(pool)}
        avoid, bits_of = [], {}
        for i, request in enumerate(mentees):
            for j, mentor in enumerate(pool):
                bits = _ruled_out(request, mentor, chains[request.pk], forbidden) & ~SAME_PERSON
                if bits:
                    avoid.append((i, j))
                    bits_of[(i, j)] = bits
        result = match_mentors(
            needs=np.array([[int(r.needs.get(k, 0)) for k in keys] for r in mentees], np.int64).reshape(n, len(keys)),
            strengths=np.array([[int(p.strengths.get(k, 0)) for k in keys] for p in pool], np.int64).reshape(
                m, len(keys)
            ),
            mentee_levels=np.array([r.person.tier.rank for r in mentees], np.int64),
            mentor_levels=np.array([p.person.tier.rank for p in pool], np.int64),
            mentee_organisations=np.array([r.organisation_id for r in mentees], np.int64),
            mentor_organisations=np.array([p.organisation_id for p in pool], np.int64),
            capacities=np.array([max(0, left[p.pk]) for p in pool], np.int64),
            avoid=np.array(avoid, np.int64).reshape(-1, 2),
            same_person=np.array([person_position.get(r.person_id, -1) for r in mentees], np.int64),
        )
        for i, request in enumerate(mentees):
            j = int(result.mentor[i])
            if j >= 0:
                mentor = pool[j]
                pairs.append(Pair(request, mentor, int(result.score[i]), pair_reason(request, mentor, keys, names)))
                continue
            name, rank = request.person.first_name, request.person.tier.rank
            above = int(result.mentors_above[i])
            if above == 0:
                reason = f"no mentor taking part is in a tier above {name}'s"
            elif int(result.feasible[i]) == 0:
                counts: dict[int, int] = {}
                for j2, mentor in enumerate(pool):
                    if mentor.person.tier.rank <= rank:
                        continue
                    bits = bits_of.get((i, j2), 0) | (SAME_PERSON if mentor.person_id == request.person_id else 0)
                    for bit in (CHAIN, FORBIDDEN, WANTS_OTHER_ORGANISATION, WANTS_OWN_ORGANISATION, NOT_OFFERED):
                        if bits & bit:
                            counts[bit] = counts.get(bit, 0) + 1
                    if bits & SAME_PERSON:
                        counts[SAME_PERSON] = 1
                reason = _plain_exclusions(name, rank, counts, int(result.zero_capacity[i]))
            else:
                reason = unmatched_reason(
                    level=rank,
                    mentors_above=above,
                    excluded_same_person=int(result.excluded_same_person[i]),
                    excluded_manager=int(result.excluded_manager[i]),
                    excluded_avoid=int(result.excluded_avoid[i]),
                    zero_capacity=int(result.zero_capacity[i]),
                    feasible=int(result.feasible[i]),
                    tie=bool(result.tie[i]),
                )
            unmatched.append((request, reason))
    order = {r.pk: n for n, r in enumerate(requests)}
    pairs.sort(key=lambda p: order[p.request.pk])
    unmatched.sort(key=lambda u: order[u[0].pk])
    return Outcome(pairs=pairs, unmatched=unmatched, mentors=mentors, places=places, left_out=left_out)
