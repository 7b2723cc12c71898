"""Two mentees accept a mentor's last place at the same moment: the database decides, and only
one relationship is made (PostgreSQL; the mentor's profile row is locked while places are counted)."""

import threading
import time

import pytest
from django.db import connection

from cadre.mentoring import services
from cadre.mentoring.models import MentoringRequest, Proposal, Relationship
from tests.mentoring.builders import ask, make_world, mentor, person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_acceptances_for_the_last_place_make_one_relationship(monkeypatch):
    world = make_world()
    mo = mentor(person(world, "Mo", "Mentor", rank=3), capacity=2)
    ask(world, person(world, "Ann", "One", rank=1))
    ask(world, person(world, "Ben", "Two", rank=1))
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    services.round_send(round_=round_, actor=world.admin)
    proposals = list(round_.proposals.select_related("request__person__user", "mentor").order_by("pk"))
    assert len(proposals) == 2
    for p in proposals:
        services.proposal_answer(proposal=p, actor=mo.person.user, accept=True)
    mo.capacity = 1  # one place left for the two of them
    mo.save()

    # Hold each acceptance's transaction open a moment after it has counted the places, so that
    # without the lock the other would count the same free place before this one commits.
    audit = services.audit_event

    def slow_audit(**kwargs):
        time.sleep(0.5)
        return audit(**kwargs)

    monkeypatch.setattr(services, "audit_event", slow_audit)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(proposal: Proposal) -> None:
        try:
            barrier.wait()
            services.proposal_answer(proposal=proposal, actor=proposal.request.person.user, accept=True)
            outcomes.append("agreed")
        except services.NoPlaceLeft as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(p,)) for p in proposals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(o == "agreed" for o in outcomes) == [False, True], outcomes
    assert any("has no place left" in o for o in outcomes)
    assert Relationship.objects.filter(mentor=mo).count() == 1
    statuses = sorted(Proposal.objects.values_list("status", flat=True))
    assert statuses == [Proposal.Status.ACCEPTED, Proposal.Status.LAPSED]
    assert sorted(MentoringRequest.objects.values_list("status", flat=True)) == ["matched", "waiting"]
