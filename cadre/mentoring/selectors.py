"""Reads for mentoring, scoped to who asks. Something outside a user's scope is not found."""

from dataclasses import dataclass, field
from statistics import mean

from django.db.models import Count, Q, QuerySet

from cadre.core.models import NetworkMembership, Role
from cadre.core.selectors import organisations_where
from cadre.mentoring.models import (
    ClosingReview,
    MentoringRequest,
    MentorProfile,
    Proposal,
    Relationship,
    Round,
    Scheme,
)
from cadre.people.models import Person
from cadre.people.selectors import person_of

CURRENT = (Relationship.Status.AGREED, Relationship.Status.ACTIVE)


def network_organisations(scheme: Scheme) -> set[int]:
    """The organisations a scheme reaches: its own, and its network's when it names one."""
    ids = {scheme.organisation_id}
    if scheme.network_id:
        ids |= set(
            NetworkMembership.objects.filter(network_id=scheme.network_id).values_list("organisation_id", flat=True)
        )
    return ids


def schemes_administered_by(user) -> QuerySet[Scheme]:
    return Scheme.objects.filter(organisation_id__in=organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN))


def schemes_open_to(person: Person | None) -> QuerySet[Scheme]:
    """Open schemes the person may ask to join: their organisation's, and those run for a network
    their organisation belongs to."""
    if person is None:
        return Scheme.objects.none()
    networks = NetworkMembership.objects.filter(organisation_id=person.organisation_id).values("network_id")
    return Scheme.objects.filter(status=Scheme.Status.OPEN).filter(
        Q(organisation_id=person.organisation_id) | Q(network_id__in=networks)
    )


def scheme_list(user) -> list[Scheme]:
    """The schemes the user administers, with their counts, for the schemes list."""
    return list(
        schemes_administered_by(user)
        .select_related("organisation", "network", "framework")
        .annotate(
            waiting=Count("requests", filter=Q(requests__status=MentoringRequest.Status.WAITING), distinct=True),
            current=Count("relationships", filter=Q(relationships__status__in=CURRENT), distinct=True),
        )
        .order_by("name", "id")
    )


def mentor_places_taken(profile_ids) -> dict[int, int]:
    """Per mentor profile: current relationships (agreed or active) and open proposals."""
    taken: dict[int, int] = dict.fromkeys(profile_ids, 0)
    for row in (
        Relationship.objects.filter(mentor_id__in=profile_ids, status__in=CURRENT)
        .values("mentor_id")
        .annotate(n=Count("id"))
    ):
        taken[row["mentor_id"]] += row["n"]
    for row in (
        Proposal.objects.filter(mentor_id__in=profile_ids, status=Proposal.Status.OPEN)
        .values("mentor_id")
        .annotate(n=Count("id"))
    ):
        taken[row["mentor_id"]] += row["n"]
    return taken


@dataclass
class MyMentoring:
    person: Person | None
    profile: MentorProfile | None
    requests: list[MentoringRequest]
    schemes: list[Scheme]  # open schemes they have not asked yet
    to_answer: list[Proposal]
    relationships: list[Relationship]
    places_taken: int = 0


def my_mentoring(user) -> MyMentoring:
    person = person_of(user)
    if person is None:
        return MyMentoring(None, None, [], [], [], [])
    profile = MentorProfile.objects.filter(person=person).first()
    requests = list(
        MentoringRequest.objects.filter(person=person)
        .exclude(status=MentoringRequest.Status.WITHDRAWN)
        .select_related("scheme")
        .order_by("-created_at", "-id")
    )
    asked = {r.scheme_id for r in requests}
    schemes = [s for s in schemes_open_to(person).select_related("organisation").order_by("name") if s.pk not in asked]
    to_answer = list(
        Proposal.objects.filter(status=Proposal.Status.OPEN)
        .filter(Q(request__person=person, mentee_answer="") | Q(mentor__person=person, mentor_answer=""))
        .select_related("request__person", "request__scheme", "mentor__person")
        .order_by("created_at", "id")
    )
    relationships = list(relationships_of(person).select_related("scheme", "mentee", "mentor__person"))
    taken = mentor_places_taken([profile.pk])[profile.pk] if profile else 0
    return MyMentoring(person, profile, requests, schemes, to_answer, relationships, taken)


def relationships_of(person: Person) -> QuerySet[Relationship]:
    return Relationship.objects.filter(Q(mentee=person) | Q(mentor__person=person)).order_by("-agreed_at", "-id")


def relationship_for(user, relationship_id: int) -> Relationship | None:
    """A relationship, for its mentee or mentor only."""
    person = person_of(user)
    if person is None:
        return None
    return (
        relationships_of(person)
        .select_related("scheme__framework", "mentee", "mentor__person", "proposal")
        .filter(pk=relationship_id)
        .first()
    )


def proposal_for(user, proposal_id: int) -> Proposal | None:
    """A sent proposal, for the mentee or the mentor it names only."""
    person = person_of(user)
    if person is None:
        return None
    return (
        Proposal.objects.exclude(status=Proposal.Status.DRAFT)
        .filter(Q(request__person=person) | Q(mentor__person=person))
        .select_related("request__person__organisation", "request__scheme", "mentor__person__organisation", "round")
        .filter(pk=proposal_id)
        .first()
    )


def round_for_admin(user, round_id: int) -> Round | None:
    return (
        Round.objects.filter(scheme__in=schemes_administered_by(user))
        .select_related("scheme__organisation", "scheme__framework", "scheme__network")
        .filter(pk=round_id)
        .first()
    )


def round_proposals(round_: Round) -> list[Proposal]:
    return list(
        round_.proposals.select_related(
            "request__person__tier", "request__person__organisation", "mentor__person__tier", "mentor__organisation"
        ).order_by("request__person__last_name", "request__person__first_name", "id")
    )


@dataclass
class SideFeedback:
    side: str
    count: int
    mean_usefulness: float | None
    what_worked: list[str] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)


def feedback_summary(scheme: Scheme) -> list[SideFeedback]:
    """The closing reviews of the scheme's relationships in aggregate: per side, how many, the mean
    usefulness, and the comments without names, in alphabetical order (not the order given)."""
    rows = list(
        ClosingReview.objects.filter(relationship__scheme=scheme).values_list(
            "side", "usefulness", "what_worked", "feedback"
        )
    )
    summary = []
    for side, label in ClosingReview.Side.choices:
        mine = [r for r in rows if r[0] == side]
        summary.append(
            SideFeedback(
                side=label,
                count=len(mine),
                mean_usefulness=round(mean(r[1] for r in mine), 1) if mine else None,
                what_worked=sorted(r[2].strip() for r in mine if r[2].strip()),
                feedback=sorted(r[3].strip() for r in mine if r[3].strip()),
            )
        )
    return summary
