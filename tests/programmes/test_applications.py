"""Applying, nomination, endorsement, scoring, decisions, offers and the waiting list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.models import Role
from cadre.people.models import RoleType
from cadre.programmes.models import Application, Cohort
from cadre.programmes.services.applications import (
    application_decide,
    application_endorse,
    application_nominate,
    application_score,
    application_submit,
    application_withdraw,
    fill_places,
    nomination_complete,
    offer_respond,
    offers_lapse,
    offers_start,
    waiting_order,
)
from cadre.programmes.services.design import CohortDetails, cohort_save
from tests.factories import user_with_role
from tests.programmes.fixtures import applicant, statement

pytestmark = pytest.mark.django_db


def _status(application) -> str:
    return Application.objects.get(pk=application.pk).status


def test_an_application_goes_to_the_line_manager_then_the_panel(
    cohort, manager, admin, org, mailoutbox, django_capture_on_commit_callbacks
):
    user = applicant(org, manager)
    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(cohort=cohort, actor=user, statement=statement())
    assert application.status == Application.Status.SUBMITTED
    assert application.pool == Application.Pool.HOME
    assert [m.to for m in mailoutbox] == [[manager.person.email]]
    application_endorse(application=application, actor=manager, endorse=True, note="Ready for it.")
    assert _status(application) == Application.Status.ENDORSED
    assert list(application.attributes.values_list("key", flat=True)) == ["collaborative"]


def test_applying_twice_is_refused_and_writes_nothing(cohort, manager, org):
    user = applicant(org, manager)
    application_submit(cohort=cohort, actor=user, statement=statement())
    with pytest.raises(ValidationError, match="already applied"):
        application_submit(cohort=cohort, actor=user, statement=statement())
    assert Application.objects.filter(cohort=cohort).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c, p: setattr(c, "status", Cohort.Status.PLANNED), "not open for applications"),
        (lambda c, p: setattr(c, "applications_close_on", timezone.localdate() - timedelta(days=1)), "closed on"),
        (lambda c, p: setattr(p, "tier", None), "tier is not set"),
        (lambda c, p: setattr(p, "status", "left"), "has left"),
    ],
)
def test_ineligible_applicants_are_told_why(cohort, manager, org, change, message):
    user = applicant(org, manager)
    change(cohort, user.person)
    cohort.save()
    user.person.save()
    with pytest.raises(ValidationError, match=message):
        application_submit(cohort=cohort, actor=user, statement=statement())
    assert not Application.objects.exists()


def test_a_tier_outside_the_programme_is_refused(cohort, programme, manager, org):
    programme.eligible_tiers = ["tier-2"]
    programme.save()
    user = applicant(org, manager, tier_rank=1)
    with pytest.raises(ValidationError, match="not for people at the"):
        application_submit(cohort=cohort, actor=user, statement=statement())


def test_the_statement_must_address_the_criteria(cohort, manager, org):
    user = applicant(org, manager)
    with pytest.raises(ValidationError) as caught:
        application_submit(
            cohort=cohort, actor=user, statement=statement().__class__(text=" ", attributes={"made-up": "x"})
        )
    fields = {p.field for p in caught.value.problems}
    assert fields == {"statement", "attributes"}
    assert not Application.objects.exists()


def test_partner_staff_take_partner_places_and_outsiders_none(cohort, partner_org, manager):
    partner = user_with_role(partner_org, Role.MEMBER)
    application = application_submit(cohort=cohort, actor=partner, statement=statement())
    assert application.pool == Application.Pool.PARTNER
    # No line manager with a login: straight to selection.
    assert application.status == Application.Status.ENDORSED
    from tests.factories import OrganisationFactory

    stranger = user_with_role(OrganisationFactory(), Role.MEMBER)
    with pytest.raises(ValidationError, match="not open to people from your organisation"):
        application_submit(cohort=cohort, actor=stranger, statement=statement())


def test_external_participants_apply_only_to_open_programmes(cohort, programme, org):
    outsider = user_with_role(org, Role.MEMBER, role_type=RoleType.EXTERNAL_PARTICIPANT)
    with pytest.raises(ValidationError, match="not open"):
        application_submit(cohort=cohort, actor=outsider, statement=statement(employer="Acme Ltd"))
    programme.audience = programme.Audience.OPEN
    programme.save()
    with pytest.raises(ValidationError, match="who you work for"):
        application_submit(cohort=cohort, actor=outsider, statement=statement())
    application = application_submit(cohort=cohort, actor=outsider, statement=statement(employer="Acme Ltd"))
    assert (application.pool, application.employer) == (Application.Pool.PARTNER, "Acme Ltd")


def test_not_endorsing_needs_a_reason_and_nobody_endorses_themself(cohort, manager, org):
    user = applicant(org, manager)
    application = application_submit(cohort=cohort, actor=user, statement=statement())
    with pytest.raises(PermissionDenied):
        application_endorse(application=application, actor=user, endorse=True, note="")
    with pytest.raises(ValidationError, match="reason"):
        application_endorse(application=application, actor=manager, endorse=False, note="")
    assert _status(application) == Application.Status.SUBMITTED
    colleague = applicant(org, manager)
    with pytest.raises(PermissionDenied):
        application_endorse(application=application, actor=colleague, endorse=True, note="")


def test_a_nomination_waits_for_the_nominees_statement(cohort, manager, org):
    user = applicant(org, manager)
    application = application_nominate(cohort=cohort, actor=manager, person=user.person, reason="Ready to lead.")
    assert application.status == Application.Status.NOMINATED
    with pytest.raises(ValidationError, match="already applied or been nominated"):
        application_nominate(cohort=cohort, actor=manager, person=user.person, reason="Again.")
    with pytest.raises(PermissionDenied):
        nomination_complete(application=application, actor=manager, statement=statement())
    nomination_complete(application=application, actor=user, statement=statement())
    # The line manager nominated, so the nomination is their endorsement.
    assert _status(application) == Application.Status.ENDORSED


def test_a_colleague_cannot_nominate(cohort, manager, org):
    user, colleague = applicant(org, manager), applicant(org, manager)
    with pytest.raises(PermissionDenied):
        application_nominate(cohort=cohort, actor=colleague, person=user.person, reason="x")


def _endorsed(cohort, org, manager, **fields):
    user = applicant(org, manager, **fields)
    application = application_submit(cohort=cohort, actor=user, statement=statement())
    application_endorse(application=application, actor=manager, endorse=True, note="")
    return application


def test_panel_scores_are_checked_and_averaged(cohort, admin, manager, org):
    application = _endorsed(cohort, org, manager)
    panel_member = user_with_role(org, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        application_score(application=application, actor=panel_member, scores={}, notes={})
    cohort.panel.add(panel_member)
    with pytest.raises(ValidationError) as caught:
        application_score(application=application, actor=panel_member, scores={"collaborative": 5}, notes={})
    assert {p.field for p in caught.value.problems} == {"score-collaborative", "score-agile"}
    application_score(application=application, actor=panel_member, scores={"collaborative": 4, "agile": 3}, notes={})
    application_score(application=application, actor=admin, scores={"collaborative": 2, "agile": 2}, notes={})
    assert str(Application.objects.get(pk=application.pk).panel_score) == "2.75"


def test_the_waiting_list_orders_by_score_then_time_and_moves_up_on_decline(
    cohort, admin, manager, org, mailoutbox, django_capture_on_commit_callbacks
):
    low, high, middle = (_endorsed(cohort, org, manager) for _ in range(3))
    for application, score in ((low, 1), (high, 4), (middle, 3)):
        application_score(
            application=application, actor=admin, scores={"collaborative": score, "agile": score}, notes={}
        )
        application_decide(application=application, actor=admin, selected=True, reason="Selected.")
    with pytest.raises(ValidationError, match="reasons"):
        application_decide(application=_endorsed(cohort, org, manager), actor=admin, selected=False, reason="")
    rejected = Application.objects.filter(status=Application.Status.ENDORSED).get()
    application_decide(application=rejected, actor=admin, selected=False, reason="Not enough examples.")
    assert list(waiting_order(cohort, Application.Pool.HOME)) == [high, middle, low]
    offered = offers_start(cohort=cohort, actor=admin)
    # Two home places (one of three is kept for partners).
    assert offered == [high, middle]
    assert _status(low) == Application.Status.WAITING
    offer_respond(application=high, actor=high.person.user, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        offer_respond(application=middle, actor=middle.person.user, accept=False)
    assert _status(middle) == Application.Status.DECLINED
    assert _status(low) == Application.Status.OFFERED
    assert any("offered a place" in m.body for m in mailoutbox if m.to == [low.person.email])


def test_offers_wait_for_every_decision(cohort, admin, manager, org):
    decided = _endorsed(cohort, org, manager)
    application_decide(application=decided, actor=admin, selected=True, reason="Good.")
    _endorsed(cohort, org, manager)
    with pytest.raises(ValidationError, match="still waiting"):
        offers_start(cohort=cohort, actor=admin)
    assert _status(decided) == Application.Status.WAITING


def test_a_lapsed_offer_passes_on_and_cannot_be_accepted(participants, cohort, admin):
    _ada, ben, cal = participants
    application_withdraw(application=ben, actor=ben.person.user, reason="Moving job.")
    assert _status(cal) == Application.Status.OFFERED
    Application.objects.filter(pk=cal.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="lapsed"):
        offer_respond(application=cal, actor=cal.person.user, accept=True)
    assert _status(cal) == Application.Status.LAPSED
    assert offers_lapse() == 0


def test_capacity_cannot_drop_below_places_held(participants, cohort, admin):
    details = CohortDetails(
        name=cohort.name,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        capacity=2,
        partner_places=1,
        status=Cohort.Status.SELECTING,
    )
    with pytest.raises(ValidationError, match="already hold places"):
        cohort_save(programme=cohort.programme, actor=admin, details=details, cohort=cohort)
    assert Cohort.objects.get(pk=cohort.pk).capacity == 3


def test_more_places_go_to_the_waiting_list(participants, cohort, admin):
    cal = participants[2]
    details = CohortDetails(
        name=cohort.name,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        capacity=4,
        partner_places=1,
        status=Cohort.Status.SELECTING,
    )
    cohort_save(programme=cohort.programme, actor=admin, details=details, cohort=cohort)
    assert _status(cal) == Application.Status.OFFERED


def test_an_accepted_place_is_never_over_filled(participants, cohort):
    cal = participants[2]
    # Force a second offer for a full pool, as a race between two fills might.
    Application.objects.filter(pk=cal.pk).update(status=Application.Status.OFFERED)
    with pytest.raises(ValidationError, match="last place has just been taken"):
        offer_respond(application=cal, actor=cal.person.user, accept=True)
    assert _status(cal) == Application.Status.WAITING
    assert cohort.applications.filter(status=Application.Status.ACCEPTED).count() == 2
    fill_places(Cohort.objects.get(pk=cohort.pk))
    assert _status(cal) == Application.Status.WAITING


def test_the_scheduler_passes_lapsed_offers_on(participants, cohort):
    from io import StringIO

    from django.core.management import call_command

    ada, ben, cal = participants
    application_withdraw(application=ben, actor=ben.person.user)
    Application.objects.filter(pk=cal.pk).update(offer_expires_at=timezone.now() - timedelta(hours=1))
    out = StringIO()
    call_command("run_schedule", stdout=out)
    assert "offers_lapsed=1" in out.getvalue()
    assert _status(cal) == Application.Status.LAPSED
    assert _status(ada) == Application.Status.ACCEPTED


def test_nothing_moves_once_a_cohort_is_cancelled(participants, cohort, admin):
    _ada, ben, cal = participants
    application_withdraw(application=ben, actor=ben.person.user)
    assert _status(cal) == Application.Status.OFFERED
    details = CohortDetails(
        name=cohort.name,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        capacity=cohort.capacity,
        partner_places=cohort.partner_places,
        status=Cohort.Status.CANCELLED,
    )
    cohort_save(programme=cohort.programme, actor=admin, details=details, cohort=Cohort.objects.get(pk=cohort.pk))
    assert _status(cal) == Application.Status.LAPSED
    Application.objects.filter(pk=cal.pk).update(status=Application.Status.OFFERED)
    with pytest.raises(ValidationError, match="cancelled"):
        offer_respond(application=cal, actor=cal.person.user, accept=True)
    assert _status(cal) == Application.Status.OFFERED
