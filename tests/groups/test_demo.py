"""The demo's support-and-challenge groups, formed from the running cohort of "Leading for high
performance" with every rule kept."""

import pytest

from cadre.demo.groups import demo_groups_load
from cadre.demo.programmes import demo_programmes_load
from cadre.demo.services import demo_load
from cadre.groups import forming as engine
from cadre.groups.models import Forming, LearningSet, LogEntry, MeetingAttendance, RotaTurn
from cadre.groups.rules import may_read_log

pytestmark = pytest.mark.django_db


def test_the_demo_groups(db):
    demo_load()  # loads the programmes and forms the groups too
    assert demo_programmes_load() is False
    forming = Forming.objects.get()
    assert forming.status == Forming.Status.SAVED and forming.gain > 0
    sets = list(LearningSet.objects.filter(forming=forming).prefetch_related("members"))
    sizes = [s.members.count() for s in sets]
    assert len(sets) >= 2 and max(sizes) - min(sizes) <= 1
    labels = {m.person_id: s.pk for s in sets for m in s.members.all()}
    for (a, b), _why in engine.forbidden_pairs(list(labels)).items():
        assert labels[a] != labels[b]
    first = sets[0]
    assert first.facilitator.email.startswith("tom.gallagher@")
    assert LogEntry.objects.filter(learning_set=first).count() == 5
    assert may_read_log(first.facilitator, first)
    fiona = forming.created_by
    assert not may_read_log(fiona, first)
    assert RotaTurn.objects.filter(meeting__learning_set=first).count() == 8
    assert MeetingAttendance.objects.filter(meeting__learning_set=first).count() == 2 * len(first.members.all())
    assert demo_groups_load() is False  # once only
