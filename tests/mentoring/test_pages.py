"""Mentoring pages: what each shows, who may see it (others get a 404), bad input on every form
(a clear message, nothing written), and pinned query counts on the list pages."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.diagnostics import services as diagnostics
from cadre.mentoring import services
from cadre.mentoring.models import (
    MentoringRequest,
    MentorProfile,
    PairRule,
    Proposal,
    Relationship,
    Scheme,
    SessionLog,
)
from cadre.mentoring.needs import need_from_score, prefilled_needs
from tests.mentoring.builders import KEYS, ask, make_world, mentor, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def pair(world, n: int):
    """n mentees in tier 1 and n mentors in tier 3, each of capacity 1."""
    for i in range(n):
        mentor(person(world, f"Mentor{i}", "M", rank=3))
        ask(world, person(world, f"Mentee{i}", "E", rank=1))


def agreed(world, n: int) -> list[Relationship]:
    pair(world, n)
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    services.round_send(round_=round_, actor=world.admin)
    for p in round_.proposals.all():
        for who in (p.request.person, p.mentor.person):
            services.proposal_answer(proposal=p, actor=who.user, accept=True)
    return list(Relationship.objects.order_by("pk"))


# --- needs prefilled from diagnostics --------------------------------------------------------------


@pytest.mark.parametrize(("score", "need"), [(1.0, 4), (0.2, 4), (2.6, 2), (3.5, 2), (4.4, 1), (5.0, 0)])
def test_need_is_five_less_the_score_rounded_and_kept_within_0_to_4(score, need):
    assert need_from_score(score) == need


def test_the_request_form_is_prefilled_from_the_latest_self_assessment(client, world):
    sam = person(world, "Sam", "Smith", rank=1)
    sam.tier_set_by_hand = True
    sam.save()
    response = diagnostics.self_assessment_start(person=sam, actor=sam.user)
    items = response.subject.campaign.items.select_related("attribute").values_list("pk", "reverse", "attribute__key")
    scores = {"collaborative": 2, "agile": 4, "accountable": 5}
    diagnostics.answers_save(
        response=response,
        ratings={pk: (6 - scores[key] if reverse else scores[key]) for pk, reverse, key in items},
        submit=True,
    )
    rows = {row.attribute.key: row for row in prefilled_needs(world.version, sam.pk)}
    assert {k: rows[k].need for k in KEYS} == {"collaborative": 3, "agile": 1, "accountable": 0}
    assert rows["agile"].source.startswith("From your self-assessment in ")
    client.force_login(sam.user)
    page = client.get(reverse("mentoring:request", args=[world.scheme.pk])).content.decode()
    assert 'name="need_collaborative" type="number" value="3"' in page.replace('inputmode="numeric" ', "")
    assert "From your self-assessment in" in page


def test_without_diagnostics_needs_start_at_zero_and_say_so(world):
    sam = person(world, "Sam", "Smith", rank=1)
    rows = prefilled_needs(world.version, sam.pk)
    assert [(r.need, r.source) for r in rows] == [(0, "No assessment yet: set it yourself")] * 3


# --- privacy -------------------------------------------------------------------------------------------


def test_session_logs_are_for_the_pair_only(client, world):
    (relationship,) = agreed(world, 1)
    services.relationship_log_session(
        relationship=relationship,
        actor=relationship.mentee.user,
        held_on=timezone.localdate(),
        topic="A confidential matter",
        attributes=[],
    )
    url = reverse("mentoring:relationship", args=[relationship.pk])
    for insider in (relationship.mentee.user, relationship.mentor.person.user):
        client.force_login(insider)
        assert "A confidential matter" in client.get(url).content.decode()
    stranger = person(world, "Nosy", "Neighbour", rank=2).user
    for outsider in (world.admin, stranger):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        post = client.post(reverse("mentoring:relationship_session", args=[relationship.pk]), {"topic": "x"})
        assert post.status_code == 404
        assert client.post(reverse("mentoring:relationship_close", args=[relationship.pk]), {}).status_code == 404
    # The administrators' scheme page does not show the log.
    client.force_login(world.admin)
    assert (
        "A confidential matter" not in client.get(reverse("mentoring:scheme", args=[world.scheme.pk])).content.decode()
    )
    assert SessionLog.objects.count() == 1


def test_proposals_rounds_and_schemes_are_404_outside_their_scope(client, world):
    pair(world, 1)
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    draft = round_.proposals.get()
    mentee = draft.request.person.user
    client.force_login(mentee)
    assert client.get(reverse("mentoring:proposal", args=[draft.pk])).status_code == 404  # not sent yet
    assert client.get(reverse("mentoring:round", args=[round_.pk])).status_code == 404
    assert client.get(reverse("mentoring:scheme", args=[world.scheme.pk])).status_code == 404
    assert client.get(reverse("mentoring:schemes")).status_code == 404
    assert client.post(reverse("mentoring:round_send", args=[round_.pk])).status_code == 404
    services.round_send(round_=round_, actor=world.admin)
    assert client.get(reverse("mentoring:proposal", args=[draft.pk])).status_code == 200
    client.force_login(person(world, "Other", "Person", rank=1).user)
    assert client.get(reverse("mentoring:proposal", args=[draft.pk])).status_code == 404
    assert client.get(reverse("mentoring:proposal", args=[99999999999999])).status_code == 404


def test_a_scheme_of_another_organisation_outside_the_network_is_not_open(client, world):
    from tests.factories import OrganisationFactory

    elsewhere = person(world, "Far", "Away", rank=1, organisation=OrganisationFactory())
    client.force_login(elsewhere.user)
    assert client.get(reverse("mentoring:request", args=[world.scheme.pk])).status_code == 404
    partner = person(world, "Pat", "Partner", rank=1, organisation=world.partner)
    client.force_login(partner.user)
    assert client.get(reverse("mentoring:request", args=[world.scheme.pk])).status_code == 200


# --- bad input on every form -----------------------------------------------------------------------


def _summary(response) -> str:
    page = html.unescape(response.content.decode())
    assert response.status_code in (200, 400)
    assert "There is a problem" in page, page[:2000]
    return page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"capacity": "lots"}, "Enter how many mentees you can take as a whole number"),
        ({"capacity": "21"}, "Enter a number of mentees from 0 to 20."),
        ({"capacity": "-1"}, "Enter a number of mentees from 0 to 20."),
        ({"strength_agile": "9"}, "Enter a strength for Agile from 0 to 4"),
        ({"strength_agile": "x\x00"}, "Enter a strength for Agile from 0 to 4"),
        ({"is_coach": "on"}, "Enter your coaching accreditation"),
        ({"availability": "a" * 301}, "Keep your availability to 300 characters or fewer."),
    ],
)
def test_the_profile_form_refuses_bad_input(client, world, data, message):
    me = person(world, "Sam", "Smith", rank=3)
    client.force_login(me.user)
    good = {"capacity": "2", **{f"strength_{k}": "3" for k in KEYS}, "is_available": "on"}
    page = _summary(client.post(reverse("mentoring:profile"), {**good, **data}))
    assert message in page
    assert not MentorProfile.objects.exists()
    assert client.post(reverse("mentoring:profile"), good).status_code == 302
    assert MentorProfile.objects.get().strengths == dict.fromkeys(KEYS, 3)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"need_agile": "7"}, "Enter a need for Agile from 0 to 4"),
        ({"need_agile": ""}, "Enter a need for Agile from 0 to 4"),
        ({"organisation_preference": "martian"}, "Select a valid choice"),
        ({"organisation_preference": ""}, "Choose whether your mentor should be from another organisation."),
        ({"need_agile": "0", "need_collaborative": "0", "need_accountable": "0"}, "at least one attribute"),
        ({"notes": "n" * 2001}, "Keep this to 2,000 characters or fewer."),
    ],
)
def test_the_request_form_refuses_bad_input(client, world, data, message):
    me = person(world, "Sam", "Smith", rank=1)
    client.force_login(me.user)
    good = {**{f"need_{k}": "2" for k in KEYS}, "organisation_preference": "any"}
    url = reverse("mentoring:request", args=[world.scheme.pk])
    page = _summary(client.post(url, {**good, **data}))
    assert message in page
    assert not MentoringRequest.objects.exists()
    assert client.post(url, good).status_code == 302
    assert MentoringRequest.objects.get().needs == dict.fromkeys(KEYS, 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter the scheme's name."),
        ({"name": "Leaders mentoring leaders"}, "already has a scheme with this name"),
        ({"framework": "999999"}, "Choose the framework whose attributes mentees grow in."),
        ({"network": "999999"}, "Choose a network your organisation belongs to."),
        ({"kind": "knitting"}, "Select a valid choice"),
    ],
)
def test_the_scheme_form_refuses_bad_input(client, world, data, message):
    client.force_login(world.admin)
    good = {
        "name": "Coaching for new managers",
        "kind": "coaching",
        "framework": str(world.scheme.framework_id),
        "network": "",
        "status": "open",
    }
    page = _summary(client.post(reverse("mentoring:scheme_new"), {**good, **data}))
    assert message in page
    assert Scheme.objects.count() == 1
    response = client.post(reverse("mentoring:scheme_new"), good)
    assert response.status_code == 302
    assert Scheme.objects.filter(name="Coaching for new managers", kind="coaching").exists()


def test_the_answer_form_refuses_no_answer(client, world):
    pair(world, 1)
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    services.round_send(round_=round_, actor=world.admin)
    proposal = round_.proposals.get()
    client.force_login(proposal.request.person.user)
    url = reverse("mentoring:proposal", args=[proposal.pk])
    for data in ({}, {"answer": "maybe"}):
        assert "Choose" in _summary(client.post(url, data))
    proposal.refresh_from_db()
    assert proposal.mentee_answer == ""
    assert client.post(url, {"answer": "decline"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"day": "", "month": "", "year": ""}, "Enter the date of the session."),
        ({"day": "31", "month": "2", "year": "2026"}, "must be a real date"),
        ({"day": "1", "month": "", "year": "2026"}, "must include a month"),
        ({"day": "x", "month": "1", "year": "2026"}, "must be a real date"),
        ({"day": "1", "month": "1", "year": "3026"}, "today or in the past"),
        ({"topic": ""}, "Enter what the session was about."),
        ({"attributes": ["martian"]}, "Choose attributes of the scheme's framework."),
    ],
)
def test_the_session_form_refuses_bad_input(client, world, data, message):
    (relationship,) = agreed(world, 1)
    client.force_login(relationship.mentee.user)
    today = timezone.localdate()
    good = {"day": str(today.day), "month": str(today.month), "year": str(today.year), "topic": "Budgets"}
    url = reverse("mentoring:relationship_session", args=[relationship.pk])
    page = _summary(client.post(url, {**good, **data}))
    assert message in page
    assert not SessionLog.objects.exists()
    assert client.post(url, {**good, "attributes": ["agile"]}).status_code == 302
    assert SessionLog.objects.get().attributes == ["agile"]


def test_the_review_form_refuses_bad_input(client, world):
    (relationship,) = agreed(world, 1)
    client.force_login(relationship.mentor.person.user)
    url = reverse("mentoring:relationship_close", args=[relationship.pk])
    for data in ({}, {"usefulness": "9"}, {"usefulness": "three"}):
        assert "Choose how useful the mentoring was, from 1 to 5." in _summary(client.post(url, data))
    relationship.refresh_from_db()
    assert relationship.status == "agreed"
    assert client.post(url, {"usefulness": "4", "feedback": "Good"}).status_code == 302
    relationship.refresh_from_db()
    assert relationship.status == "closed"


@pytest.mark.parametrize("data", [{}, {"request": "abc", "mentor": "1"}, {"request": "1", "mentor": "99999999"}])
def test_pin_and_forbid_refuse_bad_pairs(client, world, data):
    pair(world, 1)
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    client.force_login(world.admin)
    for name in ("mentoring:round_pin", "mentoring:round_forbid"):
        page = _summary(client.post(reverse(name, args=[round_.pk]), data))
        assert "Choose a" in page
    assert client.post(reverse("mentoring:round_rule_remove", args=[round_.pk]), {"rule": "x"}).status_code == 400
    assert not PairRule.objects.exists()


# --- query counts ----------------------------------------------------------------------------------


def _count(django_assert_num_queries, client, url: str, expected: int) -> None:
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [1, 4])
def test_my_mentoring_has_a_fixed_number_of_queries(client, world, django_assert_num_queries, n):
    relationships = agreed(world, n)
    mentee = relationships[0].mentee
    for i in range(n):  # more schemes open, and a request in each
        scheme = Scheme.objects.create(organisation=world.council, framework=world.scheme.framework, name=f"Scheme {i}")
        MentoringRequest.objects.create(scheme=scheme, person=mentee, organisation=mentee.organisation)
    client.force_login(mentee.user)
    _count(django_assert_num_queries, client, reverse("mentoring:mine"), 9)


@pytest.mark.parametrize("n", [1, 4])
def test_the_schemes_list_and_scheme_page_have_fixed_numbers_of_queries(client, world, django_assert_num_queries, n):
    agreed(world, n)
    for i in range(n):
        Scheme.objects.create(organisation=world.council, framework=world.scheme.framework, name=f"Scheme {i}")
    client.force_login(world.admin)
    _count(django_assert_num_queries, client, reverse("mentoring:schemes"), 4)
    _count(django_assert_num_queries, client, reverse("mentoring:scheme", args=[world.scheme.pk]), 8)


@pytest.mark.parametrize("n", [1, 4])
def test_the_round_page_has_a_fixed_number_of_queries(client, world, django_assert_num_queries, n):
    pair(world, n)
    for i in range(n):
        ask(world, person(world, f"Tierless{i}", "T", rank=None))
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    p = round_.proposals.first()
    services.pair_forbid(round_=round_, request_id=p.request_id, mentor_id=p.mentor_id, actor=world.admin)
    client.force_login(world.admin)
    _count(django_assert_num_queries, client, reverse("mentoring:round", args=[round_.pk]), 7)
