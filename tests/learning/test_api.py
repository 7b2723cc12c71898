"""The learning API: the same rules as the pages, with RFC 9457 problem details for every refusal."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cadre.learning import services
from cadre.learning.models import LearningRequest
from tests.learning.conftest import ask, fresh

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    return body


def test_asking_listing_and_reading_requests(client, world):
    client.force_login(world.person)
    key = world.version.attributes.order_by("order").first().key
    response = client.post(
        "/api/learning/requests",
        {"offering_id": world.offering.pk, "reason": "To lead change", "attributes": [key], "preferred_start": "May"},
        content_type="application/json",
    )
    assert response.status_code == 201
    made = response.json()
    assert made["status"] == "requested" and made["offering"]["title"] == "Leading through change"
    assert made["person_name"] == "Sam Smith" and made["attributes"][0]["key"] == key
    assert made["decided_by"] is None and made["has_evidence_file"] is False
    body = client.get("/api/learning/requests/mine").json()
    assert body["count"] == 1 and body["items"][0]["id"] == made["id"]
    assert client.get(f"/api/learning/requests/{made['id']}").json()["reason"] == "To lead change"
    again = problem(
        client.post(
            "/api/learning/requests",
            {"offering_id": world.offering.pk, "reason": "Again"},
            content_type="application/json",
        ),
        409,
    )
    assert "already have a request" in again["detail"]
    bad = problem(
        client.post(
            "/api/learning/requests",
            {"offering_id": world.offering.pk + 1000, "reason": "x"},
            content_type="application/json",
        ),
        404,
    )
    assert bad["title"] == "Not found"
    empty = problem(
        client.post(
            "/api/learning/requests", {"offering_id": world.offering.pk, "reason": " "}, content_type="application/json"
        ),
        422,
    )
    assert empty["errors"][0]["field"] == "reason"
    assert LearningRequest.objects.count() == 1
    client.force_login(world.colleague)
    problem(client.get(f"/api/learning/requests/{made['id']}"), 404)
    assert client.get("/api/learning/requests/mine").json()["items"] == []


def test_deciding_through_the_api(client, world):
    item = ask(world.person, world.offering)
    own = ask(world.admin, world.offering)
    client.force_login(world.manager)
    assert [r["id"] for r in client.get("/api/learning/requests/to-decide").json()["items"]] == [item.pk]
    url = f"/api/learning/requests/{item.pk}/decision"
    refused = problem(client.post(url, {"decision": "decline", "reason": ""}, content_type="application/json"), 422)
    assert refused["errors"][0]["field"] == "reason"
    problem(client.post(url, {"decision": "maybe"}, content_type="application/json"), 422)
    decided = client.post(url, {"decision": "approve", "reason": "Go for it"}, content_type="application/json")
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert decided.json()["decided_by"] == "Max Manager"
    twice = problem(client.post(url, {"decision": "approve"}, content_type="application/json"), 409)
    assert "no longer waiting" in twice["detail"]
    client.force_login(world.director)  # sees it, does not decide it
    problem(client.post(url, {"decision": "approve"}, content_type="application/json"), 403)
    client.force_login(world.admin)
    selfish = problem(
        client.post(
            f"/api/learning/requests/{own.pk}/decision", {"decision": "approve"}, content_type="application/json"
        ),
        403,
    )
    assert "own request" in selfish["detail"]
    client.force_login(world.outsider)
    problem(client.post(url, {"decision": "approve"}, content_type="application/json"), 404)


def test_writes_need_the_csrf_token(world):
    item = ask(world.person, world.offering)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.manager)
    response = strict.post(
        f"/api/learning/requests/{item.pk}/decision", {"decision": "approve"}, content_type="application/json"
    )
    assert "CSRF" in problem(response, 403)["detail"]
    item.refresh_from_db()
    assert item.status == "requested"


def test_recording_completion_through_the_api(client, world, _media):
    item = services.request_decide(
        learning_request=ask(world.person, world.offering), actor=fresh(world.manager), approve=True
    )
    url = f"/api/learning/requests/{item.pk}/completion"
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    client.force_login(world.manager)
    problem(client.post(url, {"completed_on": yesterday, "evidence": "x"}), 403)
    client.force_login(world.person)
    wrong = problem(
        client.post(url, {"completed_on": yesterday, "evidence_file": SimpleUploadedFile("x.pdf", b"MZ")}), 422
    )
    assert wrong["errors"][0]["field"] == "evidence_file"
    problem(client.post(url, {"completed_on": "not a date", "evidence": "x"}), 422)
    item.refresh_from_db()
    assert item.status == "approved" and not item.evidence_file
    done = client.post(
        url, {"completed_on": yesterday, "evidence": "Done", "evidence_file": SimpleUploadedFile("c.pdf", PDF)}
    )
    assert done.status_code == 200 and done.json()["status"] == "completed" and done.json()["has_evidence_file"]
    assert done.json()["recorded_by"] == "person"
    assert "already recorded" in problem(client.post(url, {"completed_on": yesterday, "evidence": "x"}), 409)["detail"]


def test_completion_of_a_declined_request_is_a_conflict(client, world):
    item = ask(world.person, world.offering)
    services.request_decide(learning_request=item, actor=fresh(world.manager), approve=False, reason="No")
    client.force_login(world.person)
    refused = problem(
        client.post(f"/api/learning/requests/{item.pk}/completion", {"completed_on": "2025-01-01", "evidence": "x"}),
        409,
    )
    assert "declined" in refused["detail"]


def test_cancelling_through_the_api(client, world):
    item = ask(world.person, world.offering)
    client.force_login(world.manager)
    problem(client.post(f"/api/learning/requests/{item.pk}/cancel"), 403)
    client.force_login(world.person)
    assert client.post(f"/api/learning/requests/{item.pk}/cancel").json()["status"] == "cancelled"
    problem(client.post(f"/api/learning/requests/{item.pk}/cancel"), 409)


def test_the_record_through_the_api(client, world):
    item = ask(world.person, world.offering)
    client.force_login(world.director)
    body = client.get(f"/api/learning/people/{world.person.person.pk}/record").json()
    assert body["name"] == "Sam Smith" and body["summary"]["waiting"] == 1
    assert body["entries"][0]["title"] == "Leading through change"
    assert body["entries"][0]["status_label"] == "Waiting for a decision"
    services.request_decide(learning_request=item, actor=fresh(world.manager), approve=True)
    assert client.get(f"/api/learning/people/{world.person.person.pk}/record").json()["summary"]["approved"] == 1
    client.force_login(world.colleague)
    problem(client.get(f"/api/learning/people/{world.person.person.pk}/record"), 404)
    problem(client.get("/api/learning/people/999999999/record"), 404)
    client.logout()
    problem(client.get("/api/learning/requests/mine"), 401)
