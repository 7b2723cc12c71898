"""Places hold when people act at the same moment (PostgreSQL, real transactions and threads)."""

import threading

import pytest
from django.db import connection

from cadre.core.errors import ValidationError
from cadre.programmes.models import Application
from cadre.programmes.services.applications import application_submit, offer_respond
from tests.programmes.fixtures import applicant, statement

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _together(calls) -> list[str]:
    """Run each call in its own thread and connection, all released at once; 'ok' or the problem."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call) -> None:
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.parametrize("attempt", range(5))
def test_two_offers_for_the_last_place_accepted_at_once_fill_it_once(participants, cohort, attempt):
    _ada, ben, cal = participants
    # Ben gives up his place; Cal is offered it. Then, as a racing fill might, a second offer for the
    # same place goes to Dee.
    from cadre.programmes.services.applications import application_withdraw

    application_withdraw(application=ben, actor=ben.person.user)
    cal.refresh_from_db()
    assert cal.status == Application.Status.OFFERED
    dee = applicant(cohort.organisation, None, first_name="Dee")
    dee_application = Application.objects.create(
        cohort=cohort,
        organisation=cohort.organisation,
        person=dee.person,
        status=Application.Status.OFFERED,
        statement="x",
    )
    outcomes = _together(
        [
            lambda: offer_respond(application=cal, actor=cal.person.user, accept=True),
            lambda: offer_respond(application=dee_application, actor=dee, accept=True),
        ]
    )
    assert sorted(o == "ok" for o in outcomes) == [False, True], outcomes
    assert any("last place has just been taken" in o for o in outcomes)
    home = cohort.applications.filter(pool=Application.Pool.HOME, status=Application.Status.ACCEPTED)
    assert home.count() == cohort.home_places == 2


def test_the_same_application_sent_twice_at_once_is_kept_once(cohort, manager):
    user = applicant(cohort.organisation, manager)
    outcomes = _together([lambda: application_submit(cohort=cohort, actor=user, statement=statement())] * 2)
    assert sorted(outcomes) == ["You have already applied to this cohort.", "ok"]
    assert Application.objects.filter(person=user.person).count() == 1
    assert Application.objects.get(person=user.person).attributes.count() == 1


def test_declines_at_once_never_offer_more_places_than_are_free(participants, cohort, admin, org, manager):
    from cadre.programmes.services.applications import (
        application_decide,
        application_endorse,
        application_withdraw,
    )

    ada, ben, _cal = participants
    extra = []
    for name in ("Dee", "Eve"):
        user = applicant(org, manager, first_name=name)
        application = application_submit(cohort=cohort, actor=user, statement=statement())
        application_endorse(application=application, actor=manager, endorse=True, note="")
        application_decide(application=application, actor=admin, selected=True, reason="Good.")
        extra.append(application)
    outcomes = _together(
        [
            lambda: application_withdraw(application=ada, actor=ada.person.user),
            lambda: application_withdraw(application=ben, actor=ben.person.user),
        ]
    )
    assert outcomes == ["ok", "ok"]
    held = cohort.applications.filter(pool=Application.Pool.HOME, status__in=Application.HOLDS_A_PLACE)
    assert held.count() == 2
    assert set(held.values_list("person__first_name", flat=True)) == {"Cal", "Dee"}
