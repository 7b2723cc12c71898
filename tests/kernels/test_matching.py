"""The mentor matching kernel: exactly optimal (checked against brute force and against scipy's
assignment solver), never breaks a hard rule, the same answer for the same input."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from cadre.kernels.matching import match_mentors


@st.composite
def instances(draw, max_mentees=8, max_mentors=5, max_capacity=3, attributes=(0, 3)):
    """A random problem: small ranges for scores and levels, so ties and exclusions are common."""
    n = draw(st.integers(0, max_mentees))
    m = draw(st.integers(0, max_mentors))
    a = draw(st.integers(*attributes))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    manager = np.where(rng.random(n) < 0.3, rng.integers(0, max(m, 1), n), -1) if m else np.full(n, -1)
    same_person = np.where(rng.random(n) < 0.2, rng.integers(0, max(m, 1), n), -1) if m else np.full(n, -1)
    k = int(rng.integers(0, n + 1)) if n and m else 0
    return {
        "needs": rng.integers(0, 5, (n, a)),
        "strengths": rng.integers(0, 5, (m, a)),
        "mentee_levels": rng.integers(1, 6, n),
        "mentor_levels": rng.integers(1, 6, m),
        "mentee_organisations": rng.integers(0, 3, n),
        "mentor_organisations": rng.integers(0, 3, m),
        "capacities": rng.integers(0, max_capacity + 1, m),
        "manager": manager,
        "same_person": same_person,
        "avoid": np.stack([rng.integers(0, max(n, 1), k), rng.integers(0, max(m, 1), k)], axis=1),
    }


def scores_and_feasible(problem):
    needs, strengths = np.asarray(problem["needs"]), np.asarray(problem["strengths"])
    n, m = len(problem["mentee_levels"]), len(problem["mentor_levels"])
    scores = needs @ strengths.T if needs.size and strengths.size else np.zeros((n, m), int)
    scores = scores + 2 * (np.asarray(problem["mentee_organisations"])[:, None] != problem["mentor_organisations"])
    feasible = np.asarray(problem["mentor_levels"])[None, :] > np.asarray(problem["mentee_levels"])[:, None]
    for i in range(n):
        for j in (problem["manager"][i], problem["same_person"][i]):
            if j >= 0:
                feasible[i, j] = False
    for i, j in problem["avoid"]:
        feasible[i, j] = False
    return scores, feasible


def brute_force(problem) -> tuple[tuple[int, int], set[int]]:
    """The best (matched, total score) over every assignment, and the mentees matched in at
    least one assignment that good."""
    scores, feasible = scores_and_feasible(problem)
    n = feasible.shape[0]
    options = [[-1, *np.flatnonzero(feasible[i]).tolist()] for i in range(n)]
    best, matched_in_a_best = (0, 0), set()
    for choice in itertools.product(*options):
        taken = [c for c in choice if c >= 0]
        if any(taken.count(j) > problem["capacities"][j] for j in set(taken)):
            continue
        value = (len(taken), sum(int(scores[i, j]) for i, j in enumerate(choice) if j >= 0))
        if value > best:
            best, matched_in_a_best = value, set()
        if value == best:
            matched_in_a_best |= {i for i, j in enumerate(choice) if j >= 0}
    return best, matched_in_a_best


def by_scipy(problem) -> tuple[int, int]:
    """scipy's assignment solver, one column per mentor place, weight BIG + score on feasible pairs."""
    scores, feasible = scores_and_feasible(problem)
    n = feasible.shape[0]
    columns = np.repeat(np.arange(feasible.shape[1]), np.minimum(problem["capacities"], n))
    if n == 0 or columns.size == 0:
        return (0, 0)
    big = (int(scores.max()) + 1) * (n + 1)
    weights = np.where(feasible[:, columns], big + scores[:, columns], 0)
    rows, cols = linear_sum_assignment(weights, maximize=True)
    used = weights[rows, cols] > 0
    return int(used.sum()), int(scores[rows[used], columns[cols[used]]].sum())


def assert_keeps_the_rules(problem, result):
    scores, feasible = scores_and_feasible(problem)
    matched = np.flatnonzero(result.mentor >= 0)
    mentors = result.mentor[matched]
    assert feasible[matched, mentors].all()  # level, line manager, avoid list, not themselves
    assert (np.bincount(mentors, minlength=feasible.shape[1]) <= problem["capacities"]).all()
    assert (result.score[matched] == scores[matched, mentors]).all()
    assert (result.score[result.mentor < 0] == -1).all()
    assert result.matched == matched.size
    assert result.total_score == int(result.score[matched].sum())
    # The certificate: non-negative prices whose value equals the matching's weight.
    assert (result.mentee_price >= 0).all() and (result.mentor_price >= 0).all()
    assert result.dual_value == result.big * result.matched + result.total_score
    slack = result.mentee_price[:, None] + result.mentor_price[None, :] - (result.big + scores)
    assert (slack[feasible & (np.asarray(problem["capacities"]) > 0)[None, :]] >= 0).all()


@settings(max_examples=150, deadline=None)
@given(instances(max_mentees=5, max_mentors=3, max_capacity=2))
def test_as_good_as_every_assignment_tried_one_by_one(problem):
    result = match_mentors(**problem)
    assert_keeps_the_rules(problem, result)
    best, matched_in_a_best = brute_force(problem)
    assert (result.matched, result.total_score) == best
    # An unmatched mentee is said to tie exactly when an equally good assignment matches them.
    unmatched = np.flatnonzero(result.mentor < 0)
    assert {int(i) for i in unmatched if result.tie[i]} == matched_in_a_best & {int(i) for i in unmatched}
    assert not result.tie[result.mentor >= 0].any()


@settings(max_examples=120, deadline=None)
@given(instances(max_mentees=40, max_mentors=14, max_capacity=4), st.sampled_from([0, 1, 2, 8, None]))
def test_the_same_optimum_as_scipy_whatever_the_candidate_lists(problem, candidates):
    """Short candidate lists force rounds that add pairs and start again from the last prices."""
    result = match_mentors(**problem, candidates=candidates)
    assert_keeps_the_rules(problem, result)
    assert (result.matched, result.total_score) == by_scipy(problem)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_larger_problems_with_many_ties_match_scipy(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(60, 160)), int(rng.integers(20, 60))
    problem = {
        "needs": rng.integers(0, 2, (n, 2)),  # scores 0..2 (+2): ties everywhere
        "strengths": rng.integers(0, 2, (m, 2)),
        "mentee_levels": rng.choice([1, 2, 3, 4], n, p=[0.4, 0.3, 0.2, 0.1]),
        "mentor_levels": rng.choice([2, 3, 4, 5], m, p=[0.1, 0.2, 0.3, 0.4]),
        "mentee_organisations": rng.integers(0, 4, n),
        "mentor_organisations": rng.integers(0, 4, m),
        "capacities": rng.integers(0, 4, m),
        "manager": np.where(rng.random(n) < 0.3, rng.integers(0, m, n), -1),
        "same_person": np.full(n, -1),
        "avoid": np.stack([rng.integers(0, n, n // 4), rng.integers(0, m, n // 4)], axis=1),
    }
    result = match_mentors(**problem, candidates=int(rng.integers(0, 4)))
    assert_keeps_the_rules(problem, result)
    assert (result.matched, result.total_score) == by_scipy(problem)


def test_more_mentees_matched_comes_before_a_larger_total():
    # Ada's best mentor scores 16 with her, but only that mentor can take Ben: both are matched.
    problem = {
        "needs": [[4], [1]],
        "strengths": [[4], [0]],
        "mentee_levels": [1, 1],
        "mentor_levels": [3, 3],
        "mentee_organisations": [0, 0],
        "mentor_organisations": [0, 0],
        "capacities": [1, 1],
        "manager": [-1, 1],  # Ben's line manager is mentor 1
    }
    result = match_mentors(**problem)
    assert result.mentor.tolist() == [1, 0]
    assert (result.matched, result.total_score) == (2, 4)


def test_a_different_organisation_adds_two():
    result = match_mentors(
        needs=[[1], [1]],
        strengths=[[3]],
        mentee_levels=[1, 1],
        mentor_levels=[2],
        mentee_organisations=[0, 1],
        mentor_organisations=[0],
        capacities=[1],
    )
    assert result.mentor.tolist() == [-1, 0]
    assert result.score.tolist() == [-1, 5]


@pytest.mark.parametrize(
    ("rule", "changes"),
    [
        ("a mentor at the mentee's own level", {"mentor_levels": [2]}),
        ("a mentor below the mentee's level", {"mentor_levels": [1]}),
        ("the line manager", {"manager": [0]}),
        ("a mentor on the avoid list", {"avoid": [[0, 0]]}),
        ("the same person", {"same_person": [0]}),
        ("a mentor with capacity 0", {"capacities": [0]}),
    ],
)
def test_a_hard_rule_leaves_the_mentee_unmatched(rule, changes):
    problem = {
        "needs": [[4]],
        "strengths": [[4]],
        "mentee_levels": [2],
        "mentor_levels": [3],
        "mentee_organisations": [0],
        "mentor_organisations": [1],
        "capacities": [1],
    }
    assert match_mentors(**problem).mentor.tolist() == [0]
    result = match_mentors(**{**problem, **changes})
    assert result.mentor.tolist() == [-1], rule
    assert result.matched == 0 and result.total_score == 0


def test_capacity_is_never_exceeded_and_the_best_pairs_win():
    result = match_mentors(
        needs=[[1], [4], [2], [3]],
        strengths=[[4]],
        mentee_levels=[1, 1, 1, 1],
        mentor_levels=[5],
        mentee_organisations=[0, 0, 0, 0],
        mentor_organisations=[0],
        capacities=[2],
    )
    assert result.mentor.tolist() == [-1, 0, -1, 0]
    assert result.total_score == 16 + 12


def test_the_counts_behind_an_unmatched_mentees_reason():
    result = match_mentors(
        needs=[[1], [1], [1], [1]],
        strengths=[[1], [1], [1], [1]],
        mentee_levels=[5, 2, 2, 1],
        mentor_levels=[3, 3, 4, 2],
        mentee_organisations=[0, 0, 0, 0],
        mentor_organisations=[0, 0, 0, 0],
        capacities=[1, 0, 0, 1],
        manager=[-1, 0, -1, -1],
        avoid=[[1, 2], [1, 0]],
        same_person=[-1, -1, -1, 3],
    )
    assert result.mentors_above.tolist() == [0, 3, 3, 4]
    assert result.excluded_manager.tolist() == [0, 1, 0, 0]
    assert result.excluded_avoid.tolist() == [0, 2, 0, 0]  # mentor 0 is both manager and avoided
    assert result.excluded_same_person.tolist() == [0, 0, 0, 1]
    assert result.zero_capacity.tolist() == [0, 1, 2, 2]
    assert result.feasible.tolist() == [0, 0, 1, 1]
    # Mentees 2 and 3 want the one place with mentor 0, worth the same to both: a tie.
    assert result.mentor.tolist() in ([-1, -1, 0, -1], [-1, -1, -1, 0])
    left_out = 2 if result.mentor[2] < 0 else 3
    assert result.tie[left_out]
    assert not result.tie[0] and not result.tie[1]  # no feasible mentor at all


def test_the_same_input_gives_the_same_output():
    rng = np.random.default_rng(7)
    n, m = 300, 90
    problem = {
        "needs": rng.integers(0, 5, (n, 4)),
        "strengths": rng.integers(0, 5, (m, 4)),
        "mentee_levels": rng.integers(1, 5, n),
        "mentor_levels": rng.integers(2, 6, m),
        "mentee_organisations": rng.integers(0, 5, n),
        "mentor_organisations": rng.integers(0, 5, m),
        "capacities": rng.integers(1, 4, m),
    }
    first, second = match_mentors(**problem), match_mentors(**problem)
    assert first.mentor.tolist() == second.mentor.tolist()
    assert first.mentee_price.tolist() == second.mentee_price.tolist()
    assert first.mentor_price.tolist() == second.mentor_price.tolist()
    unrestricted = {"manager": np.full(n, -1), "same_person": np.full(n, -1), "avoid": np.zeros((0, 2), int)}
    assert (first.matched, first.total_score) == by_scipy({**problem, **unrestricted})


def test_empty_problems_and_huge_capacities():
    result = match_mentors(
        needs=np.zeros((0, 2), int),
        strengths=[[1, 1]],
        mentee_levels=[],
        mentor_levels=[3],
        mentee_organisations=[],
        mentor_organisations=[0],
        capacities=[1],
    )
    assert result.matched == 0 and result.mentor.size == 0
    result = match_mentors(
        needs=[[1, 1]] * 3,
        strengths=np.zeros((0, 2), int),
        mentee_levels=[1, 2, 3],
        mentor_levels=[],
        mentee_organisations=[0, 0, 0],
        mentor_organisations=[],
        capacities=[],
    )
    assert result.mentor.tolist() == [-1, -1, -1]
    result = match_mentors(
        needs=[[1]] * 3,
        strengths=[[1]],
        mentee_levels=[1, 1, 1],
        mentor_levels=[2],
        mentee_organisations=[0, 0, 0],
        mentor_organisations=[0],
        capacities=[10**15],  # read as "all of them"
    )
    assert result.mentor.tolist() == [0, 0, 0]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"needs": [[1, 2]]}, "same attributes"),
        ({"mentee_levels": [1, 2]}, "mentee_levels has 2 entries"),
        ({"capacities": [-1]}, "0 or more"),
        ({"needs": [[0.5]]}, "integers"),
        ({"avoid": [[0, 3]]}, "outside"),
        ({"avoid": [[0, 0, 0]]}, "pairs"),
    ],
)
def test_inputs_of_the_wrong_shape_are_refused(changes, message):
    problem = {
        "needs": [[1]],
        "strengths": [[1]],
        "mentee_levels": [1],
        "mentor_levels": [2],
        "mentee_organisations": [0],
        "mentor_organisations": [0],
        "capacities": [1],
    }
    with pytest.raises(ValueError, match=message):
        match_mentors(**{**problem, **changes})
