import itertools
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadre.kernels.grouping import (
    Infeasible,
    adjacency,
    broken_pairs,
    distance_matrix,
    feasible_start,
    form_groups,
    group_count,
    group_sizes,
    objective,
    work_for_seconds,
)

WORK = 300_000  # enough for a few hundred rounds on a small cohort


def features(people: int, columns: int = 4, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(people, columns))


@pytest.mark.parametrize(
    ("people", "size", "groups"),
    [
        (600, 6, 100),
        (1000, 6, 167),  # 166.67
        (10, 4, 3),  # 2.5: halves round up
        (9, 6, 2),  # 1.5
        (13, 2, 7),  # 6.5
        (7, 6, 1),  # 1.17
        (3, 6, 1),  # 0.5 rounds up to 1
        (2, 5, 1),  # 0.4, but at least one group
        (1, 1, 1),
        (5, 1, 5),
    ],
)
def test_the_number_of_groups_is_people_over_size_with_halves_rounded_up(people, size, groups):
    assert group_count(people, size) == groups


@pytest.mark.parametrize(("people", "groups"), [(10, 3), (600, 100), (1000, 167), (7, 1), (5, 5)])
def test_group_sizes_differ_by_at_most_one_and_add_up(people, groups):
    sizes = group_sizes(people, groups)
    assert len(sizes) == groups and sizes.sum() == people
    assert sizes.max() - sizes.min() <= 1


@pytest.mark.parametrize(("people", "size"), [(23, 4), (10, 4), (31, 6), (12, 3), (7, 7), (5, 1), (1, 1)])
def test_a_grouping_has_the_right_number_of_groups_of_the_right_sizes(people, size):
    result = form_groups(features(people), size=size, work=WORK)
    groups = group_count(people, size)
    assert result.groups == groups
    counts = np.bincount(result.labels, minlength=groups)
    assert len(counts) == groups
    assert sorted(counts) == sorted(group_sizes(people, groups))


def test_groups_are_numbered_in_order_of_first_appearance():
    labels = form_groups(features(40), size=4, work=WORK).labels
    firsts = [int(np.flatnonzero(labels == g)[0]) for g in range(labels.max() + 1)]
    assert labels[0] == 0
    assert firsts == sorted(firsts)


def test_distances_and_objective_are_the_plain_definitions():
    x = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0], [0.0, 1.0]])
    d = distance_matrix(x)
    assert d[0, 1] == 5.0 and d[0, 2] == 10.0 and d[1, 2] == 5.0 and d[0, 3] == 1.0
    assert np.array_equal(d, d.T) and not d.diagonal().any()
    # groups {0, 1} and {2, 3}: 5 + dist((6, 8), (0, 1))
    assert objective(d, np.array([0, 0, 1, 1])) == pytest.approx(5.0 + np.hypot(6, 7))
    assert distance_matrix(np.zeros((3, 0))).shape == (3, 3)


def brute_force_improvement(d, labels, pairs):
    """The best change any allowed exchange or move (between groups whose sizes differ) makes."""
    forbidden = {tuple(sorted(p)) for p in pairs.tolist()}

    def allowed(candidate):
        return not any(candidate[a] == candidate[b] for a, b in forbidden)

    base = objective(d, labels)
    best = -np.inf
    sizes = np.bincount(labels)
    for i, j in itertools.combinations(range(len(labels)), 2):
        if labels[i] != labels[j]:
            candidate = labels.copy()
            candidate[i], candidate[j] = labels[j], labels[i]
            if allowed(candidate):
                best = max(best, objective(d, candidate) - base)
    for i in range(len(labels)):
        for g in range(len(sizes)):
            if sizes[labels[i]] > sizes[g]:
                candidate = labels.copy()
                candidate[i] = g
                if allowed(candidate):
                    best = max(best, objective(d, candidate) - base)
    return best


@pytest.mark.parametrize(("people", "size", "seed"), [(23, 4, 0), (19, 3, 1), (16, 4, 2)])
def test_the_result_is_a_local_maximum_for_exchanges_and_moves(people, size, seed):
    """Checked by brute force, so the search's O(1) exchange and move formulas are right, with
    groups of unequal sizes and forbidden pairs."""
    x = features(people, seed=seed)
    pairs = np.array([[0, 1], [1, 2], [3, 7], [5, 11], [2, 9]])
    result = form_groups(x, size=size, pairs=pairs, work=WORK, seed=seed)
    assert not len(broken_pairs(result.labels, pairs))
    assert brute_force_improvement(distance_matrix(x), result.labels, pairs) <= 1e-9


def test_the_search_improves_on_random_grouping_and_on_one_descent():
    x = features(200, columns=8, seed=1)
    d = distance_matrix(x)
    rng = np.random.default_rng(0)
    random_objectives = [objective(d, rng.permutation(200) % 33) for _ in range(50)]
    one_descent = form_groups(x, size=6, work=0)
    searched = form_groups(x, size=6, work=20_000_000)
    assert searched.objective > max(random_objectives)
    assert searched.objective > 1.05 * np.mean(random_objectives)
    assert searched.objective > one_descent.objective  # the iterated search adds to the first local maximum
    assert searched.rounds > 100 and one_descent.rounds == 0


def test_the_same_seed_and_work_give_the_same_groups():
    x = features(150, seed=3)
    pairs = np.array([[0, 1], [2, 3], [4, 5], [0, 6]])
    first = form_groups(x, size=5, pairs=pairs, work=2_000_000, seed=7)
    second = form_groups(x, size=5, pairs=pairs, work=2_000_000, seed=7)
    other = form_groups(x, size=5, pairs=pairs, work=2_000_000, seed=8)
    assert np.array_equal(first.labels, second.labels) and first.objective == second.objective
    assert first.work == second.work and first.rounds == second.rounds
    assert not np.array_equal(first.labels, other.labels)


def test_the_work_done_is_the_budget_give_or_take_one_round():
    x = features(120)
    result = form_groups(x, size=4, work=5_000_000)
    assert result.budget == 5_000_000
    assert 5_000_000 <= result.work < 5_000_000 + 120 * 120 * 10


def test_seconds_become_work_in_proportion():
    assert work_for_seconds(600, 0) == 0
    assert work_for_seconds(600, 2.0) == pytest.approx(2 * work_for_seconds(600, 1.0), rel=1e-6)
    assert work_for_seconds(600, 1.0) > 10**8


def test_a_deadline_in_the_past_stops_the_search_but_keeps_the_rules():
    x = features(300)
    pairs = np.array([[i, i + 1] for i in range(0, 298, 2)])
    result = form_groups(x, size=6, pairs=pairs, work=10**12, deadline=time.perf_counter() - 1)
    assert result.stopped_at_deadline
    assert result.work < 10**12
    assert not len(broken_pairs(result.labels, pairs))


def test_everyone_in_one_group_and_everyone_alone():
    x = features(7)
    assert set(form_groups(x, size=7, work=WORK).labels) == {0}
    assert sorted(form_groups(x, size=1, work=WORK).labels) == list(range(7))
    assert form_groups(np.zeros((6, 2)), size=2, work=WORK).objective == 0.0  # nothing to tell people apart


def test_a_person_kept_apart_from_too_many_cannot_be_placed():
    # Person 0 conflicts with 8 of the 9 others: a group of 3 needs 2 people they may join.
    pairs = np.array([[0, k] for k in range(1, 9)])
    with pytest.raises(Infeasible) as raised:
        form_groups(features(10), size=3, pairs=pairs, work=WORK)
    assert raised.value.people == [0]
    # With groups of 2 they can still be placed, with person 9.
    result = form_groups(features(10), size=2, pairs=pairs, work=WORK)
    assert result.labels[0] == result.labels[9]


def test_a_rule_set_no_grouping_keeps_is_reported_with_the_pairs_left():
    # Three people who must all be apart, but only two groups.
    pairs = np.array([[0, 1], [1, 2], [0, 2]])
    with pytest.raises(Infeasible) as raised:
        form_groups(features(4), size=2, pairs=pairs, work=WORK)
    assert len(raised.value.pairs) == 1
    assert tuple(sorted(raised.value.pairs[0])) in {(0, 1), (1, 2), (0, 2)}


def test_forbidden_pairs_are_checked():
    with pytest.raises(ValueError, match="themselves"):
        adjacency(3, np.array([[1, 1]]))
    with pytest.raises(ValueError, match="outside"):
        adjacency(3, np.array([[0, 3]]))
    indptr, indices = adjacency(4, np.array([[0, 1], [1, 0], [0, 1], [2, 3]]))
    assert indptr.tolist() == [0, 1, 2, 3, 4] and indices.tolist() == [1, 0, 3, 2]


def test_a_feasible_start_keeps_the_rules():
    pairs = np.array([[i, (i + 1) % 30] for i in range(30)])  # a ring: everyone has two to avoid
    labels = feasible_start(30, size=5, pairs=pairs, seed=4)
    assert not len(broken_pairs(labels, pairs))
    assert sorted(np.bincount(labels)) == [5] * 6


@st.composite
def cohorts(draw, *, guaranteed: bool):
    """People with line managers (a forest) and declared conflicts. With `guaranteed`, nobody
    has as many people to avoid as there are groups, so a grouping that keeps every rule exists
    (Hajnal and Szemerédi: such a graph has an equitable colouring with that many colours)."""
    people = draw(st.integers(min_value=2, max_value=48))
    size = draw(st.integers(min_value=1, max_value=people))
    groups = group_count(people, size)
    seed = draw(st.integers(min_value=0, max_value=2**16))
    rng = np.random.default_rng(seed)
    managers = [int(rng.integers(0, i)) if i and rng.random() < 0.6 else -1 for i in range(people)]
    candidates = [(i, m) for i, m in enumerate(managers) if m >= 0]
    candidates += [tuple(int(v) for v in rng.choice(people, 2, replace=False)) for _ in range(people // 3)]
    pairs, degree = set(), np.zeros(people, dtype=int)
    for a, b in candidates:
        key = (min(a, b), max(a, b))
        if key in pairs:
            continue
        if guaranteed and max(degree[a], degree[b]) + 1 >= groups:
            continue
        pairs.add(key)
        degree[a] += 1
        degree[b] += 1
    return features(people, columns=3, seed=seed), size, np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2), seed


@given(cohorts(guaranteed=False))
def test_no_grouping_ever_breaks_a_rule(cohort):
    x, size, pairs, seed = cohort
    try:
        result = form_groups(x, size=size, pairs=pairs, work=200_000, seed=seed)
    except Infeasible as error:
        assert error.people or error.pairs
        return
    assert not len(broken_pairs(result.labels, pairs))
    sizes = np.bincount(result.labels, minlength=result.groups)
    assert sizes.max() - sizes.min() <= 1 and len(sizes) == group_count(len(x), size)


@given(cohorts(guaranteed=True))
def test_a_grouping_is_found_whenever_one_is_sure_to_exist(cohort):
    x, size, pairs, seed = cohort
    result = form_groups(x, size=size, pairs=pairs, work=200_000, seed=seed)
    assert not len(broken_pairs(result.labels, pairs))
