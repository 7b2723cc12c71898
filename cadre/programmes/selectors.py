"""Reads for programmes and cohorts, scoped to who asks.

A programme is visible to people of its organisation, to people of the organisations in its
network when it is shared, and to external participants it has admitted; draft programmes only to
their administrators. An application is visible to the applicant, the administrators of the
cohort's organisation, its selection panel, and the applicant's endorser."""

from django.db.models import Count, Prefetch, Q, QuerySet

from cadre.core.models import Membership, NetworkMembership, Role
from cadre.core.selectors import organisations_where
from cadre.people.models import Person, RoleType
from cadre.people.selectors import person_of
from cadre.programmes.models import Application, Cohort, Programme, Stage

ADMINISTRATORS = (Role.LD_ADMIN, Role.ORG_ADMIN)


def _organisations_of(user) -> set[int]:
    me = person_of(user)
    ids = set(organisations_where(user, *Role.values))
    if me is not None:
        ids.add(me.organisation_id)
    return ids


def programmes_visible_to(user) -> QuerySet[Programme]:
    if not getattr(user, "is_authenticated", False):
        return Programme.objects.none()
    administered = organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN)
    me = person_of(user)
    published = Q(status=Programme.Status.PUBLISHED)
    if me is not None and me.role_type == RoleType.EXTERNAL_PARTICIPANT:
        # Someone from outside the public sector sees the open programmes of the organisation
        # that holds their account, and whatever they have applied to.
        condition = (published & Q(organisation_id=me.organisation_id, audience=Programme.Audience.OPEN)) | Q(
            cohorts__applications__person=me
        )
    else:
        mine = _organisations_of(user)
        condition = published & (
            Q(organisation_id__in=mine)
            | (~Q(audience=Programme.Audience.OWN) & Q(network__networkmembership__organisation_id__in=mine))
        )
    condition |= Q(organisation_id__in=administered)
    ids = Programme.objects.filter(condition).values("pk")
    return Programme.objects.filter(pk__in=ids).select_related("organisation", "network", "framework")


def programme_detail(user, programme_id: int) -> Programme | None:
    return (
        programmes_visible_to(user)
        .prefetch_related(
            Prefetch("stages", queryset=Stage.objects.order_by("position")),
            "outcomes",
            Prefetch("cohorts", queryset=Cohort.objects.exclude(status=Cohort.Status.CANCELLED).order_by("starts_on")),
        )
        .filter(pk=programme_id)
        .first()
    )


def cohorts_visible_to(user) -> QuerySet[Cohort]:
    """Cohorts of the programmes the user may see, and any cohort they steer, score or assess."""
    programmes = programmes_visible_to(user).values("pk")
    condition = Q(programme__in=programmes)
    if getattr(user, "is_authenticated", False):
        condition |= Q(steering_members__user=user) | Q(panel=user) | Q(assessors=user)
    ids = Cohort.objects.filter(condition).values("pk")
    return Cohort.objects.filter(pk__in=ids).select_related("programme", "organisation", "programme__network")


def cohort_with_counts(cohort_id: int, user) -> Cohort | None:
    held = Q(applications__status__in=Application.HOLDS_A_PLACE)
    return (
        cohorts_visible_to(user)
        .annotate(
            places_held=Count("applications", filter=held),
            home_held=Count("applications", filter=held & Q(applications__pool=Application.Pool.HOME)),
            partner_held=Count("applications", filter=held & Q(applications__pool=Application.Pool.PARTNER)),
            waiting=Count("applications", filter=Q(applications__status=Application.Status.WAITING)),
            applied=Count("applications", filter=~Q(applications__status=Application.Status.NOMINATED)),
        )
        .filter(pk=cohort_id)
        .first()
    )


def applications_visible_to(user) -> QuerySet[Application]:
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    administered = organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN)
    me = person_of(user)
    # Assessors reach what they assess through the portfolio pages, not the applications.
    condition = Q(organisation_id__in=administered) | Q(cohort__panel=user)
    if me is not None:
        condition |= Q(person=me) | Q(person__line_manager=me) | Q(person__endorser=me)
    ids = Application.objects.filter(condition).values("pk")
    return Application.objects.filter(pk__in=ids).select_related(
        "person", "person__organisation", "person__tier", "cohort", "cohort__programme"
    )


def my_applications(user) -> QuerySet[Application]:
    me = person_of(user)
    if me is None:
        return Application.objects.none()
    return (
        Application.objects.filter(person=me)
        .select_related("cohort", "cohort__programme", "cohort__organisation")
        .order_by("-cohort__starts_on", "-id")
    )


def endorsements_waiting_for(user) -> QuerySet[Application]:
    """Applications waiting for this user's endorsement: their direct reports', and those of the
    elected members they endorse."""
    me = person_of(user)
    if me is None:
        return Application.objects.none()
    return (
        Application.objects.filter(status=Application.Status.SUBMITTED)
        .filter(Q(person__line_manager=me) | Q(person__endorser=me))
        .select_related("person", "cohort", "cohort__programme")
        .order_by("submitted_at", "id")
    )


def endorser_of(person: Person) -> Person | None:
    """Whose endorsement an application needs: an elected member's named endorser, otherwise the
    line manager. Only someone with a login can endorse."""
    candidate = person.endorser if person.role_type == RoleType.ELECTED_MEMBER else person.line_manager
    if candidate is None or candidate.user_id is None or candidate.status != Person.Status.ACTIVE:
        return None
    return candidate


def may_be_named_to(cohort: Cohort) -> Q:
    """Who may sit on a cohort's panel or steering group, or assess: people with a login in the
    cohort's organisation (external participants aside) and, on a shared programme, the
    administrators of the network's other organisations."""
    programme = cohort.programme
    outsiders = Person.objects.filter(role_type=RoleType.EXTERNAL_PARTICIPANT, user__isnull=False)
    own = (
        Membership.objects.filter(organisation_id=cohort.organisation_id)
        .exclude(user_id__in=outsiders.values("user_id"))
        .values("user_id")
    )
    staff = Person.objects.filter(
        organisation_id=cohort.organisation_id, status=Person.Status.ACTIVE, user__isnull=False
    ).exclude(role_type=RoleType.EXTERNAL_PARTICIPANT)
    condition = Q(pk__in=own) | Q(pk__in=staff.values("user_id"))
    if programme.audience != Programme.Audience.OWN and programme.network_id:
        partners = NetworkMembership.objects.filter(network_id=programme.network_id).values("organisation_id")
        partner_admins = Membership.objects.filter(organisation_id__in=partners, role__in=ADMINISTRATORS)
        condition |= Q(pk__in=partner_admins.values("user_id"))
    return condition
