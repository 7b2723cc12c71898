"""The programmes API: programmes and cohorts scoped to who asks, a cohort's places per pool,
applications for the panel and administrators only, and each write through the same service as the
pages, with RFC 9457 problems: 404 outside your scope, 422 for bad input, 409 for a refusal of state
(applying twice, an offer no longer open), and places never overfilled."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.api.people import MAX_ID
from cadre.core.models import Role
from cadre.programmes.models import Application, PanelScore
from cadre.programmes.services.applications import application_endorse, application_score, application_submit
from tests.factories import OrganisationFactory, user_with_role
from tests.programmes.fixtures import applicant, statement

pytestmark = pytest.mark.django_db

Status = Application.Status


def post(client, url: str, body: dict | str):
    return client.post(url, body if isinstance(body, str) else json.dumps(body), content_type="application/json")


def is_problem(response, status: int) -> bool:
    return response.status_code == status and response["Content-Type"] == "application/problem+json"


@pytest.fixture
def other_admin():
    return user_with_role(OrganisationFactory(), Role.LD_ADMIN)


def test_programmes_are_scoped_to_who_asks(client, programme, cohort, admin, manager, partner_org, other_admin):
    programme.outcomes.create(position=1, title="Managers stay", measure="recorded")
    client.force_login(manager)
    listed = client.get("/api/programmes").json()
    assert [p["title"] for p in listed["items"]] == ["Aspiring managers programme"]
    detail = client.get(f"/api/programmes/{programme.pk}").json()
    assert [s["title"] for s in detail["stages"]] == [
        "Reading before you start",
        "Development day one",
        "Closing forum",
    ]
    assert [o["title"] for o in detail["outcomes"]] == ["Managers stay"]
    assert [c["id"] for c in detail["cohorts"]] == [cohort.pk]
    # A partner in the programme's network sees it; another organisation does not.
    client.force_login(user_with_role(partner_org, Role.MEMBER))
    assert client.get("/api/programmes").json()["count"] == 1
    client.force_login(other_admin)
    assert client.get("/api/programmes").json()["count"] == 0
    for url in (f"/api/programmes/{programme.pk}", f"/api/cohorts/{cohort.pk}", f"/api/programmes/{MAX_ID}"):
        assert is_problem(client.get(url), 404), url
    assert is_problem(client.get(f"/api/programmes/{MAX_ID + 1}"), 422)
    client.logout()
    assert is_problem(client.get("/api/programmes"), 401)


def test_a_cohort_counts_places_held_per_pool_and_the_waiting_list(client, participants, cohort, manager):
    client.force_login(manager)
    body = client.get(f"/api/cohorts/{cohort.pk}").json()
    assert body["home"] == {"places": 2, "held": 2}
    assert body["partner"] == {"places": 1, "held": 0}
    assert (body["waiting"], body["applied"], body["status"]) == (1, 3, "selecting")


def test_applying_bad_input_and_applying_twice(client, cohort, org, manager):
    user = applicant(org, manager)
    client.force_login(user)
    url = f"/api/cohorts/{cohort.pk}/applications"
    response = post(client, url, {"statement": " ", "attributes": {"made-up": "x"}})
    assert is_problem(response, 422)
    assert {e["field"] for e in response.json()["errors"]} == {"statement", "attributes"}
    assert is_problem(post(client, url, {"attributes": {}}), 422)
    assert post(client, url, "{not json").status_code == 400
    assert is_problem(post(client, url, {"statement": "x" * 20_001}), 422)
    assert is_problem(post(client, url, {"statement": "y" * 5_001, "attributes": {"agile": "z"}}), 422)
    assert not Application.objects.exists()
    body = {"statement": "I want to manage well.\x00", "attributes": {"agile": "I changed a rota in a day."}}
    response = post(client, url, body)
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["status"], made["pool"], made["statement"]) == ("submitted", "home", "I want to manage well.")
    assert made["attributes"] == [{"key": "agile", "text": "I changed a rota in a day."}]
    again = post(client, url, body)
    assert is_problem(again, 409) and "already applied" in again.json()["detail"]
    assert Application.objects.count() == 1
    assert is_problem(post(client, f"/api/cohorts/{MAX_ID}/applications", body), 404)


def test_applying_to_another_organisations_cohort_is_a_404(client, cohort, other_admin):
    client.force_login(other_admin)
    response = post(client, f"/api/cohorts/{cohort.pk}/applications", {"statement": "Me", "attributes": {"agile": "x"}})
    assert is_problem(response, 404)
    assert not Application.objects.exists()


def test_a_closed_cohort_refuses_with_a_409(client, cohort, org, manager):
    cohort.applications_close_on = timezone.localdate() - timedelta(days=1)
    cohort.save()
    client.force_login(applicant(org, manager))
    response = post(client, f"/api/cohorts/{cohort.pk}/applications", {"statement": "Me", "attributes": {"agile": "x"}})
    assert is_problem(response, 409) and "closed on" in response.json()["detail"]


def test_applications_are_for_the_panel_and_administrators(client, cohort, org, admin, manager, other_admin):
    user = applicant(org, manager)
    panel = user_with_role(org, Role.MEMBER)
    cohort.panel.add(panel)
    application = application_submit(cohort=cohort, actor=user, statement=statement())
    application_endorse(application=application, actor=manager, endorse=True, note="")
    application_score(application=application, actor=panel, scores={"collaborative": 2, "agile": 3}, notes={})
    application_score(
        application=application, actor=admin, scores={"collaborative": 4, "agile": 4}, notes={"agile": "Admin note"}
    )
    url = f"/api/cohorts/{cohort.pk}/applications"
    client.force_login(admin)
    listed = client.get(url).json()["items"]
    assert len(listed) == 1 and len(listed[0]["scores"]) == 4 and listed[0]["panel_score"] == "3.25"
    client.force_login(panel)
    listed = client.get(url).json()["items"]
    assert {s["panel_member_id"] for s in listed[0]["scores"]} == {panel.pk}
    assert "Admin note" not in json.dumps(listed)
    for refused in (manager, user):
        client.force_login(refused)
        assert is_problem(client.get(url), 403)
    client.force_login(other_admin)
    assert is_problem(client.get(url), 404)

    # One application: the applicant sees no scores and no mean; strangers see nothing.
    client.force_login(user)
    mine = client.get(f"/api/applications/{application.pk}").json()
    assert (mine["scores"], mine["panel_score"], mine["status"]) == ([], None, "endorsed")
    for stranger in (other_admin, applicant(org, None)):
        client.force_login(stranger)
        assert is_problem(client.get(f"/api/applications/{application.pk}"), 404)
        assert is_problem(post(client, f"/api/applications/{application.pk}/withdrawal", {}), 404)


def test_endorsing_scoring_and_deciding(client, cohort, org, admin, manager):
    user = applicant(org, manager)
    panel = user_with_role(org, Role.MEMBER)
    cohort.panel.add(panel)
    application = application_submit(cohort=cohort, actor=user, statement=statement())
    base = f"/api/applications/{application.pk}"

    client.force_login(panel)
    assert is_problem(post(client, f"{base}/endorsement", {"endorse": True}), 403)
    client.force_login(manager)
    response = post(client, f"{base}/endorsement", {"endorse": False, "note": " "})
    assert is_problem(response, 422) and response.json()["errors"][0]["field"] == "note"
    assert is_problem(post(client, f"{base}/endorsement", {"endorse": "perhaps"}), 422)
    assert post(client, f"{base}/endorsement", {"endorse": True, "note": "Ready."}).json()["status"] == "endorsed"
    assert is_problem(post(client, f"{base}/endorsement", {"endorse": True}), 409)

    client.force_login(panel)
    response = post(client, f"{base}/score", {"scores": {"collaborative": 3}})
    assert is_problem(response, 422) and response.json()["errors"][0]["field"] == "score-agile"
    response = post(client, f"{base}/score", {"scores": {"collaborative": 3, "agile": 9}})
    assert is_problem(response, 422)
    response = post(client, f"{base}/score", {"scores": {"collaborative": 3, "agile": 2, "made-up": 1}})
    assert is_problem(response, 422) and response.json()["errors"][0]["field"] == "scores"
    assert not PanelScore.objects.exists()
    scored = post(client, f"{base}/score", {"scores": {"collaborative": 3, "agile": 2}, "notes": {"agile": "Thin"}})
    assert scored.json()["panel_score"] == "2.50" and len(scored.json()["scores"]) == 2
    assert is_problem(post(client, f"{base}/decision", {"selected": True, "reason": "Good"}), 403)

    client.force_login(admin)
    response = post(client, f"{base}/decision", {"selected": True, "reason": " "})
    assert is_problem(response, 422) and response.json()["errors"][0]["field"] == "reason"
    assert is_problem(post(client, f"{base}/decision", {"reason": "No choice"}), 422)
    decided = post(client, f"{base}/decision", {"selected": True, "reason": "Clear examples."}).json()
    assert (decided["status"], decided["decision_reason"]) == ("waiting", "Clear examples.")


def test_offers_keep_to_the_places_and_pass_down_the_waiting_list(client, participants, cohort, admin):
    ada, ben, cal = participants
    # Ben gives his place up: Cal, first in line, is offered it.
    client.force_login(ben.person.user)
    assert post(client, f"/api/applications/{ben.pk}/withdrawal", {"reason": "New job"}).json()["status"] == "withdrawn"
    assert is_problem(post(client, f"/api/applications/{ben.pk}/withdrawal", {}), 409)
    client.force_login(cal.person.user)
    offer = client.get(f"/api/applications/{cal.pk}").json()
    assert offer["status"] == "offered" and offer["offer_expires_at"]
    assert is_problem(post(client, f"/api/applications/{cal.pk}/response", {}), 422)
    assert post(client, f"/api/applications/{cal.pk}/response", {"accept": True}).json()["status"] == "accepted"
    assert is_problem(post(client, f"/api/applications/{cal.pk}/response", {"accept": False}), 409)
    client.force_login(admin)
    counts = client.get(f"/api/cohorts/{cohort.pk}").json()
    assert counts["home"] == {"places": 2, "held": 2} and counts["waiting"] == 0
    # Only the person offered answers; someone else's answer is refused.
    assert is_problem(post(client, f"/api/applications/{ada.pk}/response", {"accept": False}), 403)
    assert Application.objects.get(pk=ada.pk).status == Status.ACCEPTED


def test_an_offer_answered_too_late_lapses_and_passes_on(client, participants, cohort, org, manager, admin):
    _ada, ben, cal = participants
    client.force_login(ben.person.user)
    post(client, f"/api/applications/{ben.pk}/withdrawal", {})
    Application.objects.filter(pk=cal.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(cal.person.user)
    response = post(client, f"/api/applications/{cal.pk}/response", {"accept": True})
    assert is_problem(response, 409) and "lapsed" in response.json()["detail"]
    assert Application.objects.get(pk=cal.pk).status == Status.LAPSED
    client.force_login(admin)
    assert client.get(f"/api/cohorts/{cohort.pk}").json()["home"]["held"] == 1
