"""Sending proposals, answering them, declines back into the next round, the last place taken
(in order; the concurrent proof is in test_capacity_concurrency.py), relationships, session logs
and closing reviews."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.mentoring import services
from cadre.mentoring.models import MentoringRequest, PairRule, Proposal, Relationship, Round
from cadre.mentoring.selectors import feedback_summary
from tests.mentoring.builders import ask, make_world, mentor, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def sent(world, django_capture_on_commit_callbacks):
    """One pair, sent: Sam (tier 1) with Mo (tier 3)."""
    mo = mentor(person(world, "Mo", "Mentor", rank=3))
    sam = ask(world, person(world, "Sam", "Smith", rank=1))
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_send(round_=round_, actor=world.admin)
    return round_.proposals.get(), sam, mo


def test_sending_proposals_emails_both_sides_and_marks_the_requests(world, sent):
    proposal, sam, mo = sent
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.OPEN
    assert MentoringRequest.objects.get(pk=sam.pk).status == MentoringRequest.Status.PROPOSED
    assert Round.objects.get(pk=proposal.round_id).status == Round.Status.SENT
    assert sorted(m.to[0] for m in mail.outbox) == sorted([sam.person.email, mo.person.email])
    assert all(f"/mentoring/proposals/{proposal.pk}/" in m.body for m in mail.outbox)
    with pytest.raises(ValidationError, match="have been sent"):
        services.round_run(round_=proposal.round, actor=world.admin)


def test_no_email_is_sent_when_sending_fails(world):
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    with pytest.raises(ValidationError, match="no proposed pairs"):
        services.round_send(round_=round_, actor=world.admin)
    assert mail.outbox == []


def test_both_accept_makes_an_agreed_relationship(world, sent, django_capture_on_commit_callbacks):
    proposal, sam, mo = sent
    services.proposal_answer(proposal=proposal, actor=sam.person.user, accept=True)
    assert not Relationship.objects.exists()
    with pytest.raises(ValidationError, match="answered this proposal already"):
        services.proposal_answer(proposal=proposal, actor=sam.person.user, accept=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_answer(proposal=proposal, actor=mo.person.user, accept=True)
    relationship = Relationship.objects.get()
    assert (relationship.mentee, relationship.mentor, relationship.status) == (sam.person, mo, "agreed")
    assert MentoringRequest.objects.get(pk=sam.pk).status == MentoringRequest.Status.MATCHED
    assert any("Mentoring agreed" in m.subject for m in mail.outbox)


def test_only_the_pair_answers(world, sent):
    proposal, _sam, _mo = sent
    with pytest.raises(PermissionDenied):
        services.proposal_answer(proposal=proposal, actor=world.admin, accept=True)


def test_a_decline_sends_the_mentee_to_the_next_round_and_forbids_the_pair(world, sent):
    proposal, sam, mo = sent
    services.proposal_answer(proposal=proposal, actor=mo.person.user, accept=False)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED
    assert MentoringRequest.objects.get(pk=sam.pk).status == MentoringRequest.Status.WAITING
    assert PairRule.objects.get(round=None).declined
    # The next round has Sam again, but never with Mo; another mentor is proposed.
    mentor(person(world, "Ola", "Other", rank=2), strengths=(1, 1, 1))
    round_two = services.round_start(scheme=world.scheme, actor=world.admin)
    assert [(p.request_id, p.mentor.person.first_name) for p in round_two.proposals.all()] == [(sam.pk, "Ola")]
    with pytest.raises(ValidationError, match="is forbidden"):
        services.pair_pin(round_=round_two, request_id=sam.pk, mentor_id=mo.pk, actor=world.admin)


def test_the_last_place_lapses_for_the_second_acceptance(world):
    mo = mentor(person(world, "Mo", "Mentor", rank=3), capacity=2)
    ask(world, person(world, "Ann", "One", rank=1))
    ask(world, person(world, "Ben", "Two", rank=1))
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    services.round_send(round_=round_, actor=world.admin)
    mo.capacity = 1  # the mentor has less time now
    mo.save()
    first, second = round_.proposals.order_by("pk")
    for p in (first, second):
        services.proposal_answer(proposal=p, actor=mo.person.user, accept=True)
    services.proposal_answer(proposal=first, actor=first.request.person.user, accept=True)
    with pytest.raises(services.NoPlaceLeft, match="has no place left"):
        services.proposal_answer(proposal=second, actor=second.request.person.user, accept=True)
    second.refresh_from_db()
    assert second.status == Proposal.Status.LAPSED
    assert second.request.status == MentoringRequest.Status.WAITING
    assert Relationship.objects.filter(mentor=mo).count() == 1


@pytest.fixture
def relationship(world, sent):
    proposal, sam, mo = sent
    for who in (sam.person, mo.person):
        services.proposal_answer(proposal=proposal, actor=who.user, accept=True)
    return Relationship.objects.get()


def test_a_session_log_makes_the_relationship_active(relationship):
    today = timezone.localdate()
    services.relationship_log_session(
        relationship=relationship,
        actor=relationship.mentee.user,
        held_on=today,
        topic="Leading a restructure",
        attributes=["agile"],
    )
    relationship.refresh_from_db()
    assert (relationship.status, relationship.started_on) == ("active", today)
    assert relationship.sessions.get().attributes == ["agile"]


@pytest.mark.parametrize(
    ("held_on", "topic", "attributes", "message"),
    [
        (None, "Topic", [], "Enter the date of the session."),
        ("tomorrow", "Topic", [], "today or in the past"),
        ("today", "  ", [], "Enter what the session was about."),
        ("today", "Topic", ["not-an-attribute"], "Choose attributes of the scheme's framework."),
    ],
)
def test_bad_session_logs_are_refused(relationship, held_on, topic, attributes, message):
    day = {"today": timezone.localdate(), "tomorrow": timezone.localdate() + datetime.timedelta(days=1)}.get(held_on)
    with pytest.raises(ValidationError, match=message):
        services.relationship_log_session(
            relationship=relationship, actor=relationship.mentee.user, held_on=day, topic=topic, attributes=attributes
        )
    assert not relationship.sessions.exists()


def test_closing_reviews_from_both_sides_are_summed_up_without_names(world, relationship):
    mentee, mentor_person = relationship.mentee, relationship.mentor.person
    with pytest.raises(ValidationError, match="from 1 to 5"):
        services.relationship_close(relationship=relationship, actor=mentee.user, usefulness=6)
    services.relationship_close(
        relationship=relationship, actor=mentee.user, usefulness=5, what_worked="Honest challenge", feedback="More"
    )
    relationship.refresh_from_db()
    assert relationship.status == "closed"
    with pytest.raises(ValidationError, match="closed"):
        services.relationship_log_session(
            relationship=relationship, actor=mentee.user, held_on=timezone.localdate(), topic="x", attributes=[]
        )
    with pytest.raises(ValidationError, match="already"):
        services.relationship_close(relationship=relationship, actor=mentee.user, usefulness=4)
    services.relationship_close(relationship=relationship, actor=mentor_person.user, usefulness=2, what_worked="")
    summary = {s.side: s for s in feedback_summary(world.scheme)}
    assert (summary["Mentee"].count, summary["Mentee"].mean_usefulness) == (1, 5)
    assert summary["Mentee"].what_worked == ["Honest challenge"]
    assert (summary["Mentor"].count, summary["Mentor"].mean_usefulness, summary["Mentor"].what_worked) == (1, 2, [])


def test_outsiders_cannot_log_or_review(world, relationship):
    with pytest.raises(PermissionDenied):
        services.relationship_log_session(
            relationship=relationship, actor=world.admin, held_on=timezone.localdate(), topic="x", attributes=[]
        )
    with pytest.raises(PermissionDenied):
        services.relationship_close(relationship=relationship, actor=world.admin, usefulness=3)
