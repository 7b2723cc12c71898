"""Reads for diagnostics, scoped to who asks. Nothing here returns a rater's answers: only counts
per group, and the subject's own responses."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from cadre.core.models import Role
from cadre.core.selectors import organisations_where
from cadre.diagnostics.models import Campaign, RaterGroup, Response, Subject
from cadre.people.selectors import person_of


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """360 campaigns of the organisations the user runs campaigns for."""
    if getattr(user, "is_superuser", False):
        scope = Campaign.objects.all()
    else:
        scope = Campaign.objects.filter(organisation__in=organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN))
    return scope.filter(kind=Campaign.Kind.FEEDBACK_360).select_related("organisation", "version__framework")


def campaign_list(user) -> list[Campaign]:
    return list(
        campaigns_visible_to(user).annotate(
            subject_count=Count("subjects", distinct=True),
            invited=Count(
                "subjects__responses",
                filter=~Q(subjects__responses__status__in=[Response.Status.NOMINATED, Response.Status.WITHDRAWN]),
                distinct=True,
            ),
            submitted=Count(
                "subjects__responses",
                filter=Q(subjects__responses__status=Response.Status.SUBMITTED),
                distinct=True,
            ),
        )
    )


@dataclass
class GroupRate:
    group: str
    label: str
    invited: int
    submitted: int
    threshold: int

    @property
    def below_threshold(self) -> bool:
        return self.submitted < self.threshold


def response_rates(campaign: Campaign, subject: Subject | None = None) -> list[GroupRate]:
    """Invited and submitted responses per rater group (never who): for the campaign, or one subject."""
    responses = Response.objects.filter(subject__campaign=campaign).exclude(
        status__in=[Response.Status.NOMINATED, Response.Status.WITHDRAWN]
    )
    if subject is not None:
        responses = responses.filter(subject=subject)
    rows = responses.values("group").annotate(
        invited=Count("id"), submitted=Count("id", filter=Q(status=Response.Status.SUBMITTED))
    )
    by_group = {row["group"]: row for row in rows}
    return [
        GroupRate(
            group=group,
            label=RaterGroup(group).label,
            invited=by_group[group]["invited"],
            submitted=by_group[group]["submitted"],
            threshold=campaign.threshold_for(group),
        )
        for group in RaterGroup.values
        if group in by_group
    ]


def rates_by_subject(campaign: Campaign) -> dict[int, list[GroupRate]]:
    """The same per subject, in one query."""
    rows = (
        Response.objects.filter(subject__campaign=campaign)
        .exclude(status__in=[Response.Status.NOMINATED, Response.Status.WITHDRAWN])
        .values("subject_id", "group")
        .annotate(invited=Count("id"), submitted=Count("id", filter=Q(status=Response.Status.SUBMITTED)))
        .order_by("subject_id")
    )
    order = {group: i for i, group in enumerate(RaterGroup.values)}
    rates: dict[int, list[GroupRate]] = {}
    for row in rows:
        rates.setdefault(row["subject_id"], []).append(
            GroupRate(
                group=row["group"],
                label=RaterGroup(row["group"]).label,
                invited=row["invited"],
                submitted=row["submitted"],
                threshold=campaign.threshold_for(row["group"]),
            )
        )
    for subject_rates in rates.values():
        subject_rates.sort(key=lambda rate: order[rate.group])
    return rates


@dataclass
class MyDiagnostics:
    self_assessments: list[Response]
    subjects: list[Subject]  # the user's 360s
    approvals: list[Subject]  # nominations waiting for the user, as line manager
    debriefs: list[Subject]  # reports the user debriefs as coach
    shared: list[Subject]  # reports shared with the user as line manager
    teams: list[Subject]  # leadership team diagnostics the user is a member of


def my_diagnostics(user) -> MyDiagnostics:
    person = person_of(user)
    if person is None:
        return MyDiagnostics([], [], [], [], [], [])
    own = (
        Response.objects.filter(subject__person=person, group=RaterGroup.SELF)
        .select_related("subject__campaign", "subject__tier")
        .order_by("-created_at", "-id")
    )
    return MyDiagnostics(
        self_assessments=[r for r in own if r.subject.campaign.kind == Campaign.Kind.SELF_ASSESSMENT],
        subjects=list(
            Subject.objects.filter(person=person, campaign__kind=Campaign.Kind.FEEDBACK_360)
            .exclude(campaign__status=Campaign.Status.DRAFT, nominations=Subject.Nominations.APPROVED)
            .select_related("campaign")
            .order_by("-campaign__created_at")
        ),
        approvals=list(
            Subject.objects.filter(
                person__line_manager=person, nominations=Subject.Nominations.AWAITING_APPROVAL
            ).select_related("campaign", "person")
        ),
        debriefs=list(
            Subject.objects.filter(debrief_coach=person, campaign__status=Campaign.Status.CLOSED).select_related(
                "campaign", "person"
            )
        ),
        shared=list(
            Subject.objects.filter(
                person__line_manager=person, shared_with_manager=True, released_at__isnull=False
            ).select_related("campaign", "person")
        ),
        teams=list(
            Subject.objects.filter(person=person, campaign__kind=Campaign.Kind.TEAM)
            .select_related("campaign")
            .prefetch_related("responses")
            .order_by("-campaign__created_at")
        ),
    )


def self_response(user, response_id: int) -> Response | None:
    """One of the user's own self-assessment responses."""
    person = person_of(user)
    if person is None:
        return None
    return (
        Response.objects.filter(pk=response_id, subject__person=person, group=RaterGroup.SELF)
        .select_related("subject__campaign", "subject__tier", "subject__person")
        .first()
    )
