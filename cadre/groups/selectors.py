"""Reads for groups, scoped to who asks. Nothing here returns a set's log to anyone but its
members and facilitator."""

from django.db.models import Count, Prefetch, Q, QuerySet

from cadre.core.models import Role
from cadre.core.selectors import organisations_where
from cadre.groups.models import Conflict, Forming, LearningSet, LogEntry, Meeting, SetMember
from cadre.groups.rules import may_read_log
from cadre.people.selectors import person_of
from cadre.programmes.models import Application, Cohort

PARTICIPATING = (Application.Status.ACCEPTED, Application.Status.COMPLETED)


def administered(user) -> list[int]:
    return organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN)


def cohorts_to_group(user) -> QuerySet[Cohort]:
    """Cohorts the user may form groups from: those run by organisations they administer, with
    how many people take part in each."""
    return (
        Cohort.objects.filter(organisation_id__in=administered(user))
        .exclude(status=Cohort.Status.CANCELLED)
        .select_related("programme", "organisation")
        .annotate(taking_part=Count("applications", filter=Q(applications__status__in=PARTICIPATING)))
        .order_by("programme__title", "-starts_on", "id")
    )


def formings_visible_to(user) -> QuerySet[Forming]:
    return Forming.objects.filter(organisation_id__in=administered(user)).select_related("organisation", "created_by")


def formings_list(user) -> list[Forming]:
    return list(formings_visible_to(user).prefetch_related("cohorts__programme").annotate(set_count=Count("sets")))


def sets_visible_to(user) -> QuerySet[LearningSet]:
    """Sets of organisations the user administers, sets they facilitate and sets they belong to."""
    if not getattr(user, "is_authenticated", False):
        return LearningSet.objects.none()
    condition = Q(organisation_id__in=administered(user)) | Q(facilitator=user)
    me = person_of(user)
    if me is not None:
        condition |= Q(members__person=me)
    ids = LearningSet.objects.filter(condition).values("pk")
    return LearningSet.objects.filter(pk__in=ids).select_related("organisation", "facilitator", "forming")


def my_sets(user) -> list[LearningSet]:
    """The sets the user belongs to or facilitates, with their next meeting."""
    if not getattr(user, "is_authenticated", False):
        return []
    condition = Q(facilitator=user)
    me = person_of(user)
    if me is not None:
        condition |= Q(members__person=me)
    ids = LearningSet.objects.filter(condition).values("pk")
    return list(
        LearningSet.objects.filter(pk__in=ids)
        .select_related("organisation", "facilitator")
        .annotate(member_count=Count("members", distinct=True))
        .prefetch_related(
            Prefetch("meetings", queryset=Meeting.objects.filter(cancelled=False).order_by("starts_at", "id"))
        )
        .order_by("name", "id")
    )


def set_detail(user, set_id: int) -> LearningSet | None:
    return (
        sets_visible_to(user)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=SetMember.objects.select_related("person__organisation", "person__department", "person__tier"),
            ),
            Prefetch(
                "meetings",
                queryset=Meeting.objects.order_by("starts_at", "id").prefetch_related(
                    Prefetch("rota", queryset=_turns()), "attendance"
                ),
            ),
        )
        .filter(pk=set_id)
        .first()
    )


def _turns():
    from cadre.groups.models import RotaTurn

    return RotaTurn.objects.select_related("member__person").order_by("member__person__last_name", "id")


def forming_sets(forming: Forming) -> list[LearningSet]:
    return list(
        forming.sets.select_related("facilitator").prefetch_related(
            Prefetch(
                "members",
                queryset=SetMember.objects.select_related("person__organisation", "person__department", "person__tier"),
            )
        )
    )


def log_for(user, learning_set: LearningSet) -> list[LogEntry] | None:
    """The set's log for a member or the facilitator; None for anyone else."""
    if not may_read_log(user, learning_set):
        return None
    return list(
        LogEntry.objects.filter(learning_set=learning_set)
        .select_related("author", "owner", "meeting")
        .order_by("created_at", "id")
    )


def conflicts_visible_to(user) -> QuerySet[Conflict]:
    """Administrators: conflicts involving people of their organisations or participants of the
    cohorts they run. Anyone else: the conflicts they declared themselves (never those that
    name them)."""
    orgs = administered(user)
    condition = Q(pk__in=[])
    if orgs:
        cohort_people = Application.objects.filter(
            cohort__organisation_id__in=orgs, status__in=(*PARTICIPATING, *Application.IN_PROGRESS)
        ).values("person_id")
        condition = (
            Q(person__organisation_id__in=orgs)
            | Q(other__organisation_id__in=orgs)
            | Q(person_id__in=cohort_people)
            | Q(other_id__in=cohort_people)
        )
    me = person_of(user)
    if me is not None:
        condition |= Q(person=me, declared_by=user)
    ids = Conflict.objects.filter(condition).values("pk")
    return Conflict.objects.filter(pk__in=ids).select_related(
        "person__organisation", "other__organisation", "declared_by"
    )
