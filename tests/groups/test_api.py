"""The groups API: forming and saving, reading groups in scope, and the private log (members and
the facilitator only)."""

import json

import pytest

from cadre.groups.models import Forming, LearningSet, LogEntry
from tests.factories import UserFactory
from tests.groups.conftest import make_cohort, members_of

pytestmark = pytest.mark.django_db
SECRET = "I am struggling with my new director"


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_an_administrator_forms_and_saves_groups(client, admin, programme):
    cohort, _ = make_cohort(programme, people=8, managers=False)
    client.force_login(admin)
    made = _post(client, "/api/groups/formings", {"name": "API groups", "cohort_ids": [cohort.pk], "size": 4})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "ready" and body["gain"] is not None
    assert sorted(len(g) for g in body["groups"]) == [4, 4]
    saved = client.post(f"/api/groups/formings/{body['id']}/save")
    assert saved.status_code == 200 and len(saved.json()) == 2
    again = client.post(f"/api/groups/formings/{body['id']}/save")
    assert again.status_code == 409 and "saved already" in again.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"name": "x", "cohort_ids": [], "size": 4}, 422),
        ({"name": "x", "cohort_ids": [1], "size": 1}, 422),
        ({"name": "x", "cohort_ids": [1], "size": "four"}, 422),
        ({"name": "x" * 201, "cohort_ids": [1], "size": 4}, 422),
        ({"name": "x", "cohort_ids": [2**70], "size": 4}, 422),
        ({"name": "x", "kind": "book_club", "cohort_ids": [1], "size": 4}, 422),
    ],
)
def test_bad_forming_requests_are_problem_details(client, admin, programme, body, status):
    cohort, _ = make_cohort(programme, people=8, managers=False)
    body = {**body, "cohort_ids": [cohort.pk if i == 1 else i for i in body["cohort_ids"]]}
    client.force_login(admin)
    response = _post(client, "/api/groups/formings", body)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert not Forming.objects.exists()


def test_members_cannot_form_groups(client, saved_sets):
    client.force_login(members_of(saved_sets[0])[0].person.user)
    response = _post(client, "/api/groups/formings", {"name": "x", "cohort_ids": [1], "size": 3})
    assert response.status_code == 403


def test_groups_in_scope_and_the_log_for_members_only(client, group, admin, saved_sets):
    member = members_of(group)[0].person.user
    client.force_login(member)
    assert [s["id"] for s in client.get("/api/groups/mine").json()] == [group.pk]
    assert client.get(f"/api/groups/sets/{saved_sets[1].pk}").status_code == 404
    detail = client.get(f"/api/groups/sets/{group.pk}").json()
    assert len(detail["members"]) == 3 and detail["facilitator_email"] == group.facilitator.email
    added = _post(client, f"/api/groups/sets/{group.pk}/log", {"kind": "issue", "text": SECRET})
    assert added.status_code == 201
    bad = _post(client, f"/api/groups/sets/{group.pk}/log", {"kind": "issue", "text": " "})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "text"
    wrong_owner = _post(
        client, f"/api/groups/sets/{group.pk}/log", {"kind": "action", "text": "x", "owner_member_id": 10**12}
    )
    assert wrong_owner.status_code == 422
    assert [e["text"] for e in client.get(f"/api/groups/sets/{group.pk}/log").json()] == [SECRET]
    client.force_login(group.facilitator)
    assert client.get(f"/api/groups/sets/{group.pk}/log").status_code == 200

    superuser = UserFactory(is_superuser=True, is_staff=True)
    for outsider in (admin, superuser):
        client.force_login(outsider)
        assert client.get(f"/api/groups/sets/{group.pk}").status_code == 200
        refused = client.get(f"/api/groups/sets/{group.pk}/log")
        assert refused.status_code == 403 and SECRET not in refused.content.decode()
        assert _post(client, f"/api/groups/sets/{group.pk}/log", {"kind": "issue", "text": "x"}).status_code == 403
    assert LogEntry.objects.count() == 1
    assert LearningSet.objects.count() == 3
