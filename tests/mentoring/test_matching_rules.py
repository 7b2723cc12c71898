"""The hard rules of a matching round, on the database: tiers, the whole line-management chain,
the same person, capacity, forbidden pairs, organisation preferences and partners; pins and
forbids with re-runs; reasons in plain words."""

import pytest

from cadre.core.errors import ValidationError
from cadre.mentoring import services
from cadre.mentoring.models import PairRule, Proposal, Relationship, Round
from tests.mentoring.builders import ask, make_world, mentor, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def pairs(round_: Round) -> dict[str, str]:
    return {p.request.person.first_name: p.mentor.person.first_name for p in round_.proposals.all()}


def reasons(round_: Round) -> dict[int, str]:
    return {u["request"]: u["reason"] for u in round_.unmatched}


def test_the_best_mentor_is_proposed_with_score_and_reason_in_plain_words(world):
    sam = person(world, "Sam", "Smith", rank=1)
    ask(world, sam, needs=(4, 4, 0))
    mentor(person(world, "Ada", "Partner", rank=3, organisation=world.partner), strengths=(4, 4, 0))
    mentor(person(world, "Bo", "Local", rank=2), strengths=(1, 1, 4))
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    proposal = round_.proposals.get()
    assert proposal.mentor.person.first_name == "Ada"
    assert proposal.score == 4 * 4 + 4 * 4 + 2  # needs x strengths, plus 2 for another organisation
    assert (
        proposal.reason == "Strong in Collaborative and Agile, where Sam most wants to grow; from another organisation"
    )
    assert round_.matched == 1 and round_.total_score == proposal.score


def test_no_one_in_the_whole_line_management_chain_is_proposed(world):
    top = person(world, "Top", "Boss", rank=4)
    middle = person(world, "Mid", "Boss", rank=3, manager=top)
    direct = person(world, "Near", "Boss", rank=2, manager=middle)
    sam = person(world, "Sam", "Smith", rank=1, manager=direct)
    for boss in (top, middle, direct):
        mentor(boss, strengths=(4, 4, 4))
    request = ask(world, sam)
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    assert pairs(round_) == {}
    reason = reasons(round_)[request.pk]
    assert "every mentor in a tier above Sam's is ruled out: 3 in their line-management chain" in reason

    # An outsider, weaker on paper, is the one proposed; the grand-manager never is.
    mentor(person(world, "Out", "Sider", rank=2), strengths=(1, 0, 0))
    round_ = services.round_run(round_=round_, actor=world.admin)
    assert pairs(round_) == {"Sam": "Out"}


def test_a_mentor_must_be_in_a_tier_above_and_people_without_a_tier_are_left_out(world):
    same = person(world, "Same", "Tier", rank=2)
    mentor(same)
    mentor(person(world, "No", "Tier", rank=None))
    sam = ask(world, person(world, "Sam", "Smith", rank=2))
    tierless = ask(world, person(world, "Tia", "Less", rank=None))
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    assert pairs(round_) == {}
    assert reasons(round_)[sam.pk] == "no mentor taking part is in a tier above Sam's"
    assert reasons(round_)[tierless.pk] == "Tia has no tier, so no mentor can be placed above them"


def test_nobody_is_their_own_mentor(world):
    sam = person(world, "Sam", "Smith", rank=3)
    profile = mentor(sam)
    request = ask(world, sam)
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    assert pairs(round_) == {}
    with pytest.raises(ValidationError, match="cannot be their own mentor"):
        services.pair_pin(round_=round_, request_id=request.pk, mentor_id=profile.pk, actor=world.admin)


def test_capacity_counts_current_relationships_and_open_proposals(world):
    busy = mentor(person(world, "Busy", "Mentor", rank=3), capacity=2)
    first = ask(world, person(world, "Ann", "One", rank=1))
    second = ask(world, person(world, "Ben", "Two", rank=1))
    round_one = services.round_start(scheme=world.scheme, actor=world.admin)
    assert pairs(round_one) == {"Ann": "Busy", "Ben": "Busy"}
    services.round_send(round_=round_one, actor=world.admin)
    # Both places are held by open proposals: a third mentee finds none.
    third = ask(world, person(world, "Cat", "Three", rank=1))
    round_two = services.round_start(scheme=world.scheme, actor=world.admin)
    assert pairs(round_two) == {}
    assert "1 with no places left" in reasons(round_two)[third.pk]
    # Once one proposal becomes a relationship, its place is still taken.
    p = Proposal.objects.get(request=first)
    for who in (first.person, busy.person):
        services.proposal_answer(proposal=p, actor=who.user, accept=True)
    assert Relationship.objects.filter(mentor=busy).count() == 1
    round_two = services.round_run(round_=round_two, actor=world.admin)
    assert pairs(round_two) == {}
    del second


def test_pin_and_forbid_then_run_again(world):
    strong = mentor(person(world, "Strong", "Mentor", rank=3), strengths=(4, 4, 4))
    mentor(person(world, "Fair", "Mentor", rank=3), strengths=(2, 2, 2))
    mentor(person(world, "Weak", "Mentor", rank=3), strengths=(1, 1, 1))
    ann = ask(world, person(world, "Ann", "One", rank=1), needs=(4, 4, 4))
    ben = ask(world, person(world, "Ben", "Two", rank=1), needs=(1, 1, 1))
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    assert pairs(round_)["Ann"] == "Strong"
    # Pin Ben to the strong mentor (capacity 1): Ann cannot have them any more.
    services.pair_pin(round_=round_, request_id=ben.pk, mentor_id=strong.pk, actor=world.admin)
    round_.refresh_from_db()
    assert round_.needs_rerun
    with pytest.raises(ValidationError, match="run the round again"):
        services.round_send(round_=round_, actor=world.admin)
    round_ = services.round_run(round_=round_, actor=world.admin)
    assert pairs(round_) == {"Ann": "Fair", "Ben": "Strong"}
    assert round_.proposals.get(request=ben).pinned
    assert round_.proposals.get(request=ben).reason.startswith("Pinned by the administrator. ")
    # Forbid Ann with the fair mentor: the weak one is next.
    fair = round_.proposals.get(request=ann).mentor
    services.pair_forbid(round_=round_, request_id=ann.pk, mentor_id=fair.pk, actor=world.admin)
    round_ = services.round_run(round_=round_, actor=world.admin)
    assert pairs(round_) == {"Ann": "Weak", "Ben": "Strong"}
    # Allowing the pair again brings it back.
    rule = PairRule.objects.get(round=round_, kind=PairRule.Kind.FORBID)
    services.pair_rule_remove(round_=round_, rule_id=rule.pk, actor=world.admin)
    round_ = services.round_run(round_=round_, actor=world.admin)
    assert pairs(round_) == {"Ann": "Fair", "Ben": "Strong"}


def test_a_pin_that_breaks_a_hard_rule_is_refused_and_writes_nothing(world):
    boss = person(world, "Boss", "Above", rank=4)
    manager = person(world, "Line", "Manager", rank=2, manager=boss)
    sam = ask(world, person(world, "Sam", "Smith", rank=1, manager=manager))
    boss_profile = mentor(boss)
    junior = mentor(person(world, "Jun", "Ior", rank=1))
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    with pytest.raises(ValidationError, match="in Sam Smith's line-management chain"):
        services.pair_pin(round_=round_, request_id=sam.pk, mentor_id=boss_profile.pk, actor=world.admin)
    with pytest.raises(ValidationError, match="tier is not above"):
        services.pair_pin(round_=round_, request_id=sam.pk, mentor_id=junior.pk, actor=world.admin)
    services.pair_forbid(round_=round_, request_id=sam.pk, mentor_id=junior.pk, actor=world.admin)
    assert not PairRule.objects.filter(kind=PairRule.Kind.PIN).exists()


def test_a_forbidden_pair_cannot_be_pinned_and_is_never_proposed(world):
    only = mentor(person(world, "Only", "Mentor", rank=3))
    sam = ask(world, person(world, "Sam", "Smith", rank=1))
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    services.pair_forbid(round_=round_, request_id=sam.pk, mentor_id=only.pk, actor=world.admin)
    round_ = services.round_run(round_=round_, actor=world.admin)
    assert pairs(round_) == {}
    assert "1 forbidden with them" in reasons(round_)[sam.pk]
    with pytest.raises(ValidationError, match="is forbidden"):
        services.pair_pin(round_=round_, request_id=sam.pk, mentor_id=only.pk, actor=world.admin)


def test_organisation_preferences_and_partners(world):
    local = mentor(person(world, "Local", "Mentor", rank=3), offered=False)
    mentor(person(world, "Away", "Hidden", rank=3, organisation=world.partner), offered=False)
    wants_other = ask(world, person(world, "Oli", "Other", rank=1), preference="other")
    partner_mentee = ask(world, person(world, "Pat", "Partner", rank=1, organisation=world.partner))
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    # The partner's mentor is not offered to partners, so takes no part; the local mentor is
    # not offered either, so cannot mentor the partner's mentee; Oli wants another organisation.
    assert pairs(round_) == {}
    assert "1 from their own organisation (they asked for another)" in reasons(round_)[wants_other.pk]
    assert "1 not offered to other organisations" in reasons(round_)[partner_mentee.pk]
    local.offered_to_partners = True
    local.save()
    round_ = services.round_run(round_=round_, actor=world.admin)
    assert pairs(round_) == {"Pat": "Local"}


def test_a_coaching_scheme_matches_coaches_only(world):
    world.scheme.kind = "coaching"
    world.scheme.save()
    mentor(person(world, "Men", "Tor", rank=3), strengths=(4, 4, 4))
    mentor(person(world, "Co", "Ach", rank=3), strengths=(1, 1, 1), coach=True)
    ask(world, person(world, "Sam", "Smith", rank=1))
    round_ = services.round_start(scheme=world.scheme, actor=world.admin)
    assert pairs(round_) == {"Sam": "Co"}


def test_only_the_schemes_administrators_run_rounds(world):
    outsider = person(world, "Out", "Sider", rank=2)
    from cadre.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.round_start(scheme=world.scheme, actor=outsider.user)
    assert not Round.objects.exists()
