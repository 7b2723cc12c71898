"""The demo's mentoring: a scheme across the East Thames network, with profiles, requests, a
round sent, relationships with logs and reviews, every hard rule holding; loaded once."""

import pytest
from django.urls import reverse

from cadre.demo.mentoring import demo_mentoring_load
from cadre.demo.services import demo_load
from cadre.mentoring.models import (
    ClosingReview,
    MentoringRequest,
    MentorProfile,
    Proposal,
    Relationship,
    Scheme,
    SessionLog,
)
from cadre.people.models import Person
from cadre.people.selectors import managers_above

pytestmark = pytest.mark.django_db


def test_the_demo_mentoring(client):
    assert demo_load().loaded  # loads the mentoring scheme too
    assert 35 <= MentoringRequest.objects.count() <= 45
    assert demo_mentoring_load() == 0  # once only
    scheme = Scheme.objects.get()
    assert scheme.network.name == "East Thames Leadership Network"
    assert 25 <= MentorProfile.objects.count() <= 35
    assert MentorProfile.objects.exclude(organisation=scheme.organisation).exists()
    assert MentoringRequest.objects.exclude(organisation=scheme.organisation).exists()
    assert Relationship.objects.filter(status="active").exists()
    assert Relationship.objects.filter(status="closed").count() == 2
    assert ClosingReview.objects.count() == 4 and SessionLog.objects.exists()
    for p in Proposal.objects.select_related("request__person__tier", "mentor__person__tier"):
        mentee, mentor = p.request.person, p.mentor.person
        assert mentor.tier.rank > mentee.tier.rank
        assert mentor.pk not in managers_above(mentee.pk)
    amara = Person.objects.get(first_name="Amara", last_name="Okafor")
    open_proposal = Proposal.objects.get(request__person=amara)
    assert open_proposal.status == "open"
    assert open_proposal.mentor.person.first_name != "Tom" or open_proposal.mentor.person_id != amara.line_manager_id

    client.force_login(amara.user)
    assert "as your mentor" in client.get(reverse("mentoring:mine")).content.decode()
    fiona = Person.objects.get(first_name="Fiona", last_name="MacLeod")
    client.force_login(fiona.user)
    page = client.get(reverse("mentoring:scheme", args=[scheme.pk])).content.decode()
    assert "East Thames mentoring circle" in page
    assert client.get(reverse("mentoring:round", args=[scheme.rounds.get().pk])).status_code == 200
