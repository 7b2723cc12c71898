"""Sessions and attendance over the API: the register page's rules, at the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.core.models import Role
from cadre.programmes.models import Attendance, Session
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(cohort, participants):
    now = timezone.now()
    return Session.objects.create(
        cohort=cohort, title="Development day one", starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1)
    )


def test_administrators_read_and_take_the_register(client, admin, session, participants):
    ada, ben, _cal = participants
    client.force_login(admin)
    listed = client.get(f"/api/cohorts/{session.cohort_id}/sessions").json()
    assert [s["title"] for s in listed["items"]] == ["Development day one"]
    before = client.get(f"/api/sessions/{session.pk}/attendance").json()
    assert {row["application_id"]: row["status"] for row in before} == {ada.pk: None, ben.pk: None}
    taken = client.post(
        f"/api/sessions/{session.pk}/attendance",
        {"statuses": {str(ada.pk): "present", str(ben.pk): "apologies"}},
        content_type="application/json",
    )
    assert taken.status_code == 200
    assert {row["application_id"]: row["status"] for row in taken.json()} == {ada.pk: "present", ben.pk: "apologies"}


def test_bad_registers_are_refused_and_write_nothing(client, admin, session, participants):
    ada, ben, cal = participants
    client.force_login(admin)
    url = f"/api/sessions/{session.pk}/attendance"
    left_out = client.post(url, {"statuses": {str(ada.pk): "present"}}, content_type="application/json")
    assert left_out.status_code == 422 and left_out["Content-Type"] == "application/problem+json"
    odd = client.post(
        url, {"statuses": {str(ada.pk): "asleep", str(ben.pk): "present"}}, content_type="application/json"
    )
    assert odd.status_code == 422
    stranger = client.post(
        url,
        {"statuses": {str(ada.pk): "present", str(ben.pk): "present", str(cal.pk): "present"}},
        content_type="application/json",
    )
    assert stranger.status_code == 409
    assert not Attendance.objects.exists()


def test_only_administrators_and_assessors_reach_the_register(client, session, participants, org):
    ada = participants[0]
    client.force_login(ada.person.user)
    assert client.get(f"/api/sessions/{session.pk}/attendance").status_code == 403
    client.force_login(user_with_role(OrganisationFactory(), Role.LD_ADMIN))
    assert client.get(f"/api/sessions/{session.pk}/attendance").status_code == 404
    assert client.get(f"/api/cohorts/{session.cohort_id}/sessions").status_code == 404
