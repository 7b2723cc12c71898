"""Forming groups from cohorts: the rules are never broken, the groups beat random ones, bad
requests write nothing, saving and moving keep the rules."""

import itertools

import pytest

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.models import Role
from cadre.groups import forming as engine
from cadre.groups import services
from cadre.groups.models import Conflict, Forming, LearningSet, SetMember
from cadre.people.models import Person
from cadre.programmes.models import Application
from tests.factories import OrganisationFactory, user_with_role
from tests.groups.conftest import make_cohort

pytestmark = pytest.mark.django_db
KIND = "support_and_challenge"


def _form(admin, cohorts, *, size=5, seed=1, name="Spring groups"):
    return services.forming_start(
        actor=admin, cohort_ids=[c.pk for c in cohorts], size=size, seed=seed, name=name, kind=KIND
    )


def _chain(person: Person) -> list[int]:
    """Everyone above the person, walked one manager at a time (independently of the service)."""
    above, current = [], person.line_manager
    while current is not None and current.pk not in above:
        above.append(current.pk)
        current = current.line_manager
    return above


def _assert_rules_kept(sets: list[LearningSet]):
    groups = [list(s.members.select_related("person__line_manager")) for s in sets]
    sizes = [len(g) for g in groups]
    assert max(sizes) - min(sizes) <= 1, sizes
    conflicts = set(Conflict.objects.values_list("person_id", "other_id"))
    for group in groups:
        ids = {m.person_id for m in group}
        for member in group:
            assert not ids & set(_chain(member.person)), f"{member.person} shares a group with a manager above them"
        for a, b in itertools.permutations(ids, 2):
            assert (a, b) not in conflicts


def test_no_rule_is_ever_broken_and_sizes_differ_by_one_at_most(admin, programme, org, partner):
    cohort, people = make_cohort(programme, people=23, organisations=[org, partner], seed=7)
    # Declared conflicts on top of the line management, both ways round.
    for a, b in [(0, 5), (7, 2), (9, 11), (4, 20)]:
        Conflict.objects.create(person=people[a], other=people[b], declared_by=admin)
    for seed, size in [(1, 4), (2, 5), (3, 6)]:
        forming = _form(admin, [cohort], size=size, seed=seed, name=f"Run {seed}")
        assert forming.status == Forming.Status.READY, forming.problems
        sets = services.forming_save(forming=forming, actor=admin)
        assert sum(s.members.count() for s in sets) == 23
        _assert_rules_kept(sets)


def test_a_manager_anywhere_up_the_line_is_kept_apart_even_through_someone_not_grouped(admin, programme, org):
    cohort, people = make_cohort(programme, people=6, managers=False)
    outside = user_with_role(org, Role.MEMBER).person  # in the line, but not in the cohort
    top, bottom = people[0], people[1]
    outside.line_manager = top
    outside.save()
    bottom.line_manager = outside
    bottom.save()
    reasons = engine.forbidden_pairs([p.pk for p in people])
    assert reasons[(min(top.pk, bottom.pk), max(top.pk, bottom.pk))] == {engine.ABOVE}
    for seed in range(5):
        forming = _form(admin, [cohort], size=3, seed=seed, name=f"Run {seed}")
        labels = dict(zip(forming.people, forming.labels, strict=True))
        assert labels[top.pk] != labels[bottom.pk]


def test_groups_beat_random_groups_on_a_generated_cohort(admin, programme, org, partner):
    cohort, _people = make_cohort(programme, people=30, organisations=[org, partner], seed=3)
    forming = _form(admin, [cohort], size=5)
    assert forming.objective > forming.random_objective
    assert forming.gain > 0.02
    preview = services.forming_preview(forming)
    assert [len(g.members) for g in preview] == [5] * 6
    # Two organisations in every group of five, as mixed as the numbers allow.
    assert all(len(g.organisations) == 2 for g in preview)


def test_several_cohorts_are_grouped_together(admin, programme, org):
    first, _ = make_cohort(programme, name="First", people=6, managers=False)
    second, _ = make_cohort(programme, name="Second", people=6, managers=False, seed=2)
    forming = _form(admin, [first, second], size=4)
    assert len(forming.people) == 12
    assert len(set(forming.labels)) == 3


def test_the_same_seed_gives_the_same_groups(admin, programme):
    cohort, _ = make_cohort(programme, people=16)
    one = _form(admin, [cohort], seed=9, name="One")
    two = _form(admin, [cohort], seed=9, name="Two")
    assert one.labels == two.labels


def test_no_grouping_possible_is_reported_by_name(admin, programme, org):
    cohort, people = make_cohort(programme, people=4, managers=False)
    for other in people[1:]:
        other.line_manager = people[0]
        other.save()
    forming = _form(admin, [cohort], size=4)
    assert forming.status == Forming.Status.FAILED
    assert people[0].full_name in forming.problems[0]
    assert not LearningSet.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cohort_ids": []}, "Choose at least one cohort"),
        ({"size": 1}, "Enter a group size between 2 and 30"),
        ({"size": 31}, "Enter a group size between 2 and 30"),
        ({"size": 13}, "at most 12"),
        ({"seed": -1}, "Enter a seed between 0"),
        ({"name": "  "}, "Enter a name for these groups"),
        ({"name": "x" * 201}, "200 characters or fewer"),
        ({"kind": "book_club"}, "Choose the kind of group"),
    ],
)
def test_bad_requests_are_refused_and_write_nothing(admin, programme, change, message):
    cohort, _ = make_cohort(programme, people=12)
    arguments = {"actor": admin, "cohort_ids": [cohort.pk], "size": 4, "seed": 0, "name": "Groups", "kind": KIND}
    arguments.update(change)
    with pytest.raises(ValidationError) as raised:
        services.forming_start(**arguments)
    assert message in str(raised.value)
    assert not Forming.objects.exists()


def test_cohorts_of_another_organisation_cannot_be_grouped(admin, programme):
    cohort, _ = make_cohort(programme, people=6)
    stranger = user_with_role(OrganisationFactory(), Role.LD_ADMIN)
    with pytest.raises(ValidationError, match="Choose cohorts that your organisation runs"):
        _form(stranger, [cohort])
    assert not Forming.objects.exists()


def test_a_cohort_with_one_participant_cannot_be_grouped(admin, programme):
    cohort, _ = make_cohort(programme, people=1)
    with pytest.raises(ValidationError, match="1 person taking part"):
        _form(admin, [cohort], size=2)


def test_withdrawn_people_are_not_grouped(admin, programme):
    cohort, people = make_cohort(programme, people=8)
    Application.objects.filter(person=people[0]).update(status=Application.Status.WITHDRAWN)
    forming = _form(admin, [cohort], size=4)
    assert people[0].pk not in forming.people and len(forming.people) == 7


def test_saving_is_refused_when_a_conflict_was_declared_since_the_preview(admin, programme):
    cohort, _people = make_cohort(programme, people=8, managers=False)
    forming = _form(admin, [cohort], size=4)
    labels = dict(zip(forming.people, forming.labels, strict=True))
    a, b = [pk for pk in forming.people if labels[pk] == 0][:2]
    services.conflict_declare(actor=admin, person=Person.objects.get(pk=a), other=Person.objects.get(pk=b))
    with pytest.raises(ValidationError, match="a conflict has been declared"):
        services.forming_save(forming=forming, actor=admin)
    assert not LearningSet.objects.exists()


def test_groups_are_saved_once(admin, programme):
    cohort, _ = make_cohort(programme, people=8, managers=False)
    forming = _form(admin, [cohort], size=4)
    services.forming_save(forming=forming, actor=admin)
    with pytest.raises(ValidationError, match="saved already"):
        services.forming_save(forming=forming, actor=admin)
    assert LearningSet.objects.count() == 2


def test_only_administrators_save(admin, programme, manager):
    cohort, _ = make_cohort(programme, people=8, managers=False)
    forming = _form(admin, [cohort], size=4)
    with pytest.raises(PermissionDenied):
        services.forming_save(forming=forming, actor=manager)


def test_more_than_the_inline_limit_goes_through_the_task_backend(
    admin, programme, monkeypatch, django_capture_on_commit_callbacks
):
    cohort, _ = make_cohort(programme, people=8, managers=False)
    monkeypatch.setattr(services, "INLINE_LIMIT", 5)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        forming = _form(admin, [cohort], size=4)
    assert forming.status == Forming.Status.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()  # the immediate backend runs the task as it is enqueued
    forming.refresh_from_db()
    assert forming.status == Forming.Status.READY
    assert services.forming_run(forming.pk) == Forming.Status.READY  # idempotent: left alone


# -- moving people --------------------------------------------------------------------------------


@pytest.fixture
def saved(admin, programme):
    cohort, people = make_cohort(programme, people=9, managers=False)
    forming = _form(admin, [cohort], size=3)
    sets = services.forming_save(forming=forming, actor=admin)
    return sets, people


def _member(learning_set, n=0) -> SetMember:
    return list(learning_set.members.select_related("person", "learning_set__forming").order_by("id"))[n]


def test_a_move_that_would_unbalance_the_sizes_is_refused(admin, saved):
    sets, _ = saved
    member = _member(sets[0])
    with pytest.raises(ValidationError, match="differ in size by one at most"):
        services.member_move(member=member, to_set=sets[1], actor=admin)
    assert SetMember.objects.get(pk=member.pk).learning_set_id == sets[0].pk


def test_an_exchange_that_would_put_someone_with_their_line_manager_is_refused_with_the_reason(admin, saved):
    sets, _ = saved
    member, boss = _member(sets[0]), _member(sets[1])
    member.person.line_manager = boss.person
    member.person.save()
    partner = _member(sets[1], 1)
    with pytest.raises(ValidationError) as raised:
        services.member_move(member=member, to_set=sets[1], exchange_with=partner, actor=admin)
    assert f"{boss.person.full_name} is {member.person.full_name}'s line manager" in str(raised.value)
    assert SetMember.objects.get(pk=member.pk).learning_set_id == sets[0].pk


def test_an_exchange_with_a_declared_conflict_is_refused(admin, saved):
    sets, _ = saved
    member, other = _member(sets[0]), _member(sets[1])
    Conflict.objects.create(person=other.person, other=member.person)
    with pytest.raises(ValidationError, match="a conflict has been declared"):
        services.member_move(member=member, to_set=sets[1], exchange_with=_member(sets[1], 1), actor=admin)


def test_an_exchange_is_made_and_its_effect_on_diversity_reported(admin, saved):
    sets, _ = saved
    member, partner = _member(sets[0]), _member(sets[1])
    expected = services.move_effect(member=member, to_set=sets[1], exchange_with=partner)
    assert not expected.problems
    assert [g.size_after for g in expected.groups] == [3, 3, 3]
    effect = services.member_move(member=member, to_set=sets[1], exchange_with=partner, actor=admin)
    assert effect.objective_after == pytest.approx(expected.objective_after)
    assert SetMember.objects.get(pk=member.pk).learning_set_id == sets[1].pk
    assert SetMember.objects.get(pk=partner.pk).learning_set_id == sets[0].pk
    # Before is what the forming found; after is the sum over the groups' own diversity.
    forming = Forming.objects.get(pk=sets[0].forming_id)
    assert effect.objective_before == pytest.approx(forming.objective, rel=1e-4)
    total = sum(g.diversity_after * 3 for g in effect.groups)  # 3 pairs in a group of 3
    assert effect.objective_after == pytest.approx(total)


def test_moving_to_the_same_group_or_exchanging_with_someone_elsewhere_is_refused(admin, saved):
    sets, _ = saved
    member = _member(sets[0])
    assert "already in" in services.move_effect(member=member, to_set=sets[0]).problems[0].message
    wrong = services.move_effect(member=member, to_set=sets[1], exchange_with=_member(sets[2]))
    assert "Choose someone in" in wrong.problems[0].message


def test_only_administrators_move_people(saved, manager):
    sets, _ = saved
    with pytest.raises(PermissionDenied):
        services.member_move(member=_member(sets[0]), to_set=sets[1], exchange_with=_member(sets[1]), actor=manager)
