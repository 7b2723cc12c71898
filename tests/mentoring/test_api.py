"""Mentoring over the API: schemes, my profile, my requests, a round's proposals (admins only),
accept and decline, with problem details for every refusal."""

import pytest

from cadre.mentoring import services
from cadre.mentoring.models import MentorProfile, Relationship
from tests.mentoring.builders import KEYS, ask, make_world, mentor, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def sent(world):
    mo = mentor(person(world, "Mo", "Mentor", rank=3))
    sam = ask(world, person(world, "Sam", "Smith", rank=1))
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    services.round_send(round_=round_, actor=world.admin)
    return round_, round_.proposals.get(), sam, mo


def test_schemes_say_which_you_administer(client, world):
    client.force_login(world.admin)
    items = client.get("/api/mentoring/schemes").json()["items"]
    assert [(s["name"], s["administered"]) for s in items] == [("Leaders mentoring leaders", True)]
    client.force_login(person(world, "Pat", "Partner", rank=1, organisation=world.partner).user)
    items = client.get("/api/mentoring/schemes").json()["items"]
    assert [(s["name"], s["administered"]) for s in items] == [("Leaders mentoring leaders", False)]


def test_my_profile_is_written_and_read_with_every_rule(client, world):
    me = person(world, "Mo", "Mentor", rank=3)
    client.force_login(me.user)
    assert client.get("/api/mentoring/profile").status_code == 404
    bad = client.put(
        "/api/mentoring/profile",
        {"strengths": {"agile": 7, "martian": 1}, "is_coach": True},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad["Content-Type"] == "application/problem+json"
    messages = {e["message"] for e in bad.json()["errors"]}
    assert "martian is not an attribute of the framework." in messages
    assert "Each strength is a whole number from 0 to 4." in messages
    assert any("accreditation" in m for m in messages)
    assert not MentorProfile.objects.exists()
    assert client.put("/api/mentoring/profile", {"capacity": 99}, content_type="application/json").status_code == 422
    good = client.put(
        "/api/mentoring/profile", {"strengths": dict.fromkeys(KEYS, 3), "capacity": 2}, content_type="application/json"
    )
    assert good.status_code == 200
    assert client.get("/api/mentoring/profile").json()["strengths"] == dict.fromkeys(KEYS, 3)


def test_round_proposals_are_for_the_schemes_administrators_only(client, world, sent):
    round_, _proposal, sam, mo = sent
    client.force_login(world.admin)
    items = client.get(f"/api/mentoring/rounds/{round_.pk}/proposals").json()["items"]
    assert [(p["mentee_person_id"], p["mentor_person_id"], p["status"]) for p in items] == [
        (sam.person_id, mo.person_id, "open")
    ]
    client.force_login(sam.person.user)
    assert client.get(f"/api/mentoring/rounds/{round_.pk}/proposals").status_code == 404
    assert [r["status"] for r in client.get("/api/mentoring/requests").json()["items"]] == ["proposed"]


def test_accept_and_decline(client, world, sent):
    _round, proposal, sam, mo = sent
    client.force_login(world.admin)
    assert client.post(f"/api/mentoring/proposals/{proposal.pk}/accept").status_code == 404
    client.force_login(sam.person.user)
    assert client.post(f"/api/mentoring/proposals/{proposal.pk}/accept").json()["mentee_answer"] == "accepted"
    again = client.post(f"/api/mentoring/proposals/{proposal.pk}/decline")
    assert again.status_code == 409
    assert "answered this proposal already" in again.json()["detail"]
    client.force_login(mo.person.user)
    assert client.post(f"/api/mentoring/proposals/{proposal.pk}/accept").json()["status"] == "accepted"
    assert Relationship.objects.count() == 1
