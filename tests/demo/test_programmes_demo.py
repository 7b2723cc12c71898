"""The demo's three programmes: what a new user finds when they open the programmes pages."""

import pytest

from cadre.demo.programmes import demo_programmes_load
from cadre.demo.services import demo_load
from cadre.programmes.models import Application, Cohort, Programme, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def programmes(db):
    demo_load()
    demo_programmes_load()
    return {p.title: p for p in Programme.objects.all()}


def test_the_three_programmes_with_cohorts_in_every_state(programmes):
    assert set(programmes) == {
        "Aspiring managers programme",
        "Leading for high performance",
        "Aspiring chief executives programme",
    }
    high = programmes["Leading for high performance"]
    kinds = list(high.stages.values_list("kind", flat=True))
    assert kinds[0] == "pre_reading" and kinds[1] == "paired_conversation" and kinds[-1] == "forum"
    assert kinds.count("development_day") == 5
    assert high.outcomes.count() == 4
    assert high.cohorts.get().steering_members.filter(role="Chair").exists()

    # The finished cohort has who got in and who did not.
    cohort = programmes["Aspiring managers programme"].cohorts.get(status=Cohort.Status.COMPLETED)
    statuses = list(cohort.applications.values_list("status", flat=True))
    assert statuses.count(Application.Status.COMPLETED) == 10
    assert Application.Status.NOT_SELECTED in statuses and Application.Status.NOT_ENDORSED in statuses
    held = cohort.applications.filter(status__in=Application.HOLDS_A_PLACE).count()
    assert held <= cohort.capacity
    assert Session.objects.filter(cohort=cohort, attendance__isnull=False).exists()

    # The regional programme is open to partners and outsiders.
    chiefs = programmes["Aspiring chief executives programme"]
    assert chiefs.audience == Programme.Audience.OPEN and chiefs.network is not None
    cohort = chiefs.cohorts.get()
    assert cohort.status == Cohort.Status.OPEN and cohort.partner_places == 4
    assert cohort.applications.filter(person__role_type="external_participant", pool="partner").count() == 2

    # Loading again writes nothing.
    count = Application.objects.count()
    assert demo_programmes_load() is False
    assert Application.objects.count() == count
