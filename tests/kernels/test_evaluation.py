"""Evaluation statistics: worked examples done by hand, cross-checks against scipy and against
Newcombe's published intervals, the cases where numbers do not allow a test, and properties over
random data."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from cadre.kernels.evaluation import (
    MIN_PAIRS,
    PairedChange,
    one_proportion,
    paired_change,
    proportion_change,
)

# --- paired change: worked by hand --------------------------------------------------------------


def test_a_six_pair_example_worked_by_hand():
    before = [3.0, 2.5, 4.0, 3.0, 3.5, 2.0]
    after = [3.5, 3.0, 4.5, 3.0, 4.0, 3.0]
    result = paired_change(before, after)
    # changes: 0.5, 0.5, 0.5, 0, 0.5, 1.0; sum 3.0, mean 0.5
    # deviations from 0.5: 0, 0, 0, -0.5, 0, 0.5; sum of squares 0.5; variance 0.5 / 5 = 0.1
    # sd of changes √0.1 = 0.316228; standard error 0.316228 / √6 = 0.129099
    # t = 0.5 / 0.129099 = 3.872983, df 5; d_z = 0.5 / 0.316228 = 1.581139 (= t / √6)
    # before: mean 3.0, deviations 0, -0.5, 1, 0, 0.5, -1, squares sum 2.5, sd √0.5 = 0.707107
    # after: mean 3.5, deviations 0, -0.5, 1, -0.5, 0.5, -0.5, squares sum 2.0, sd √0.4 = 0.632456
    # average sd (0.707107 + 0.632456) / 2 = 0.669781; d_av = 0.5 / 0.669781 = 0.746512
    # J(5) = Γ(2.5) / (√2.5 Γ(2)) = 1.329340 / 1.581139 = 0.840748; g_av = 0.746512 × 0.840748 = 0.627629
    # t(0.975, 5) = 2.570582; margin 2.570582 × 0.129099 = 0.331861: 0.168139 to 0.831861
    # Wilcoxon: the zero is dropped, five changes remain, all positive: W = 0, exact p = 2 / 2^5 = 0.0625
    assert result.n == 6
    assert result.mean_before == pytest.approx(3.0)
    assert result.mean_after == pytest.approx(3.5)
    assert result.sd_before == pytest.approx(0.7071, abs=5e-5)
    assert result.sd_after == pytest.approx(0.6325, abs=5e-5)
    assert result.mean_change == pytest.approx(0.5)
    assert result.sd_change == pytest.approx(0.3162, abs=5e-5)
    assert result.t == pytest.approx(3.8730, abs=5e-5)
    assert result.df == 5
    assert result.d_z == pytest.approx(1.5811, abs=5e-5)
    assert result.d_av == pytest.approx(0.7465, abs=5e-5)
    assert result.effect_size == pytest.approx(0.6276, abs=5e-5)
    assert result.ci_low == pytest.approx(0.1681, abs=5e-5)
    assert result.ci_high == pytest.approx(0.8319, abs=5e-5)
    assert result.wilcoxon_p == pytest.approx(0.0625)
    assert result.p_value == pytest.approx(2 * stats.t.sf(3.872983, 5), abs=1e-6)
    assert result.reason is None and result.tested


def test_a_ten_pair_example_worked_by_hand():
    before = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
    after = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]
    result = paired_change(before, after)
    # changes: 0, -1, -1, -1, -1, 0, -1, -2, -1, -2; mean -1.0
    # deviations: 1, 0, 0, 0, 0, 1, 0, -1, 0, -1; squares sum 4; variance 4 / 9; sd 0.666667
    # t = -1 / (0.666667 / √10) = -4.743416; d_z = -1 / 0.666667 = -1.5
    # before: mean 8.7, squares of deviations sum 6.1, sd √(6.1 / 9) = 0.823273
    # after: mean 7.7, squares of deviations sum 8.1, sd √(8.1 / 9) = 0.948683
    # average sd 0.885978; d_av = -1 / 0.885978 = -1.128697
    # J(9) = Γ(4.5) / (√4.5 Γ(4)) = 11.631728 / (2.121320 × 6) = 0.913871; g_av = -1.031484
    assert result.mean_change == pytest.approx(-1.0)
    assert result.sd_change == pytest.approx(0.6667, abs=5e-5)
    assert result.t == pytest.approx(-4.7434, abs=5e-5)
    assert result.d_z == pytest.approx(-1.5, abs=5e-5)
    assert result.d_av == pytest.approx(-1.1287, abs=5e-5)
    assert result.effect_size == pytest.approx(-1.0315, abs=5e-5)
    assert result.effect_size_high < 0  # the change is significant, so its effect interval leaves out zero
    assert result.p_value < 0.05


def test_the_effect_size_interval_inverts_the_noncentral_t():
    before = [2.0, 3.0, 3.5, 2.5, 4.0, 3.0, 2.0, 3.5]
    after = [2.5, 3.0, 4.0, 3.5, 4.0, 3.5, 3.0, 3.0]
    result = paired_change(before, after)
    # The bounds, taken back to the noncentrality scale, put the observed t at the 97.5% and 2.5%
    # points of the noncentral t.
    scale = result.sd_change / (math.sqrt(result.n) * ((result.sd_before + result.sd_after) / 2))
    low, high = result.effect_size_low / scale, result.effect_size_high / scale
    assert stats.nct.cdf(result.t, result.df, low) == pytest.approx(0.975, abs=1e-8)
    assert stats.nct.cdf(result.t, result.df, high) == pytest.approx(0.025, abs=1e-8)


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_scipy_paired_t_test(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 60))
    before = rng.normal(3, 0.8, n)
    after = before + rng.normal(0.2, 0.5, n)
    result = paired_change(before, after, confidence=0.9)
    scipy = stats.ttest_rel(after, before)
    interval = scipy.confidence_interval(confidence_level=0.9)
    assert result.t == pytest.approx(scipy.statistic, rel=1e-10)
    assert result.p_value == pytest.approx(scipy.pvalue, rel=1e-8)
    assert result.df == scipy.df
    assert (result.ci_low, result.ci_high) == pytest.approx((interval.low, interval.high), rel=1e-10)
    assert result.wilcoxon_p == pytest.approx(stats.wilcoxon(after - before).pvalue)


@pytest.mark.parametrize("seed", range(8))
def test_wilcoxon_with_ties_and_zeros_matches_scipys_permutation_test(seed):
    # Self-ratings move in half points, so ties and zero changes are the rule. Up to 13 pairs scipy
    # runs an exact permutation test (11 here, to keep it quick): the kernel's direct count must agree.
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 12))
    before = rng.integers(2, 9, n) / 2
    after = before + rng.integers(-2, 4, n) / 2
    after[0] = before[0] + 0.5  # at least one change, so the test has something to rank
    result = paired_change(before, after)
    assert result.wilcoxon_p == pytest.approx(stats.wilcoxon(after - before).pvalue, abs=1e-12)


def test_wilcoxon_with_zeros_is_quick_and_exact_beyond_scipys_permutation_range():
    import time

    change = np.array([0.0] * 6 + [0.5, 0.5, 1.0, -0.5, 0.5, 1.5, 0.5])  # 13 pairs, six unchanged
    started = time.perf_counter()
    result = paired_change(np.full(13, 3.0), 3.0 + change)
    assert time.perf_counter() - started < 0.5  # scipy's permutation test takes seconds here
    # By hand: seven non-zero changes ranked by size: 0.5 ×5 share ranks 1-5 (3 each), 1.0 rank 6,
    # 1.5 rank 7. Positive ranks sum 3 × 4 + 6 + 7 = 25 of 28; only the -0.5 (rank 3) is negative.
    # Sign patterns (of 2^7 = 128) with a positive sum at least 25, i.e. negative sum at most 3: none
    # negative (1), one of the five 0.5s negative (5): 6 of 128; two-sided p = 12 / 128 = 0.09375.
    assert result.wilcoxon_p == pytest.approx(0.09375)
    # Beyond 13 pairs scipy falls back to the normal approximation; the exact count stays close to it.
    rng = np.random.default_rng(11)
    before = rng.integers(2, 9, 40) / 2
    after = before + rng.integers(-1, 3, 40) / 2
    exact = paired_change(before, after).wilcoxon_p
    assert exact == pytest.approx(stats.wilcoxon(after - before).pvalue, abs=0.01)


def test_the_intervals_cover_the_truth_about_as_often_as_they_say():
    # 300 samples of 12 correlated before-and-after scores with a true change of 0.5 and both
    # standard deviations 1: the true d_av is 0.5. Each 95% interval should hold the truth in about
    # 95% of samples; with 300 samples, 90% to 99% is wide enough that a correct method passes.
    rng = np.random.default_rng(2026)
    held_mean = held_effect = 0
    for _ in range(300):
        scores = rng.multivariate_normal([0, 0.5], [[1, 0.6], [0.6, 1]], size=12)
        result = paired_change(scores[:, 0], scores[:, 1])
        held_mean += result.ci_low <= 0.5 <= result.ci_high
        held_effect += result.effect_size_low <= 0.5 <= result.effect_size_high
    assert 0.90 <= held_mean / 300 <= 0.99
    assert 0.90 <= held_effect / 300 <= 0.99


# --- paired change: where numbers do not allow -------------------------------------------------


def test_nobody_with_both_assessments():
    for before, after in (([], []), ([1.0, np.nan], [np.nan, 2.0])):
        result = paired_change(before, after)
        assert result.n == 0
        assert result.mean_before is None and result.mean_change is None and result.p_value is None
        assert result.reason == "No participant has both assessments, so there is no change to report."


def test_one_participant_gives_their_change_and_nothing_more():
    result = paired_change([2.0], [3.5])
    assert (result.n, result.mean_before, result.mean_after, result.mean_change) == (1, 2.0, 3.5, 1.5)
    assert result.sd_change is None and result.sd_before is None
    assert result.ci_low is None and result.effect_size is None and result.t is None and result.wilcoxon_p is None
    assert result.reason == "Too few participants with both assessments to test the change (1; at least 5 needed)."
    assert not result.tested


def test_below_the_minimum_descriptive_figures_only():
    result = paired_change([1, 2, 3], [2, 3, 5])
    assert result.n == 3
    assert result.mean_change == pytest.approx(4 / 3)
    assert result.sd_change == pytest.approx(math.sqrt(1 / 3))  # changes 1, 1, 2
    for name in ("ci_low", "ci_high", "d_z", "d_av", "effect_size", "effect_size_low", "t", "df", "p_value"):
        assert getattr(result, name) is None, name
    assert result.reason == "Too few participants with both assessments to test the change (3; at least 5 needed)."
    # The minimum is a parameter.
    lowered = paired_change([1, 2, 3], [2, 3, 5], min_pairs=3)
    assert lowered.tested and lowered.df == 2 and lowered.reason is None
    assert MIN_PAIRS == 5


def test_everyone_changing_by_the_same_amount_cannot_be_tested():
    result = paired_change([1, 2, 3, 4, 5], [2, 3, 4, 5, 6])
    assert result.mean_change == pytest.approx(1.0) and result.sd_change == 0.0
    assert result.t is None and result.p_value is None and result.ci_low is None and result.d_z is None
    # The spread of the scores themselves still sizes the change: sd 1.5811 both times.
    assert result.d_av == pytest.approx(1 / math.sqrt(2.5))
    assert result.effect_size_low is None
    assert result.wilcoxon_p == pytest.approx(2 / 2**5)  # five positive changes: the exact test still runs
    assert result.reason == (
        "Every participant's score changed by the same amount (+1.00), so there is no spread of changes to test "
        "it against."
    )
    # Rounding in the subtraction (0.1 + 0.2 against 0.3) does not count as spread.
    rounded = paired_change([0.1, 0.2, 1.0, 2.0, 0.7], [0.4, 0.5, 1.3, 2.3, 1.0])
    assert rounded.sd_change == 0.0 and rounded.p_value is None
    assert rounded.wilcoxon_p == pytest.approx(2 / 2**5)  # five equal changes, tied as they should be


def test_nobody_changing_at_all():
    result = paired_change([3, 3, 4, 2, 5], [3, 3, 4, 2, 5])
    assert result.mean_change == 0 and result.sd_change == 0
    assert result.d_av == 0 and result.effect_size == 0
    assert result.wilcoxon_p is None and result.p_value is None
    assert result.reason == "Nobody's score changed, so there is no change to test."
    # Averages worked out two ways differ in the last bit; that is still no change.
    before = [0.3, 0.6, 0.9, 1.2, 0.3]
    after = [0.1 + 0.2, 0.2 + 0.4, 0.4 + 0.5, 0.5 + 0.7, 0.1 + 0.2]
    assert any(a != b for a, b in zip(before, after, strict=True))
    noisy = paired_change(before, after)
    assert noisy.wilcoxon_p is None and noisy.p_value is None
    assert noisy.reason == "Nobody's score changed, so there is no change to test."


def test_missing_scores_drop_their_pairs():
    before = [3.0, np.nan, 2.5, 4.0, 3.0, 3.5, 2.0, 1.0]
    after = [3.5, 4.0, 3.0, 4.5, 3.0, 4.0, 3.0, np.nan]
    result = paired_change(before, after)
    assert result == paired_change([3.0, 2.5, 4.0, 3.0, 3.5, 2.0], [3.5, 3.0, 4.5, 3.0, 4.0, 3.0])
    assert result.n == 6 and result.mean_before == pytest.approx(3.0)  # the means are of the same six people


def test_wrong_input_is_refused():
    with pytest.raises(ValueError, match="one score per participant each"):
        paired_change([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="finite"):
        paired_change([1, 2, np.inf, 4, 5], [1, 2, 3, 4, 5])
    with pytest.raises(ValueError, match="one-dimensional"):
        paired_change([[1, 2], [3, 4]], [[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="between 0 and 1"):
        paired_change([1, 2, 3, 4, 5], [2, 3, 4, 5, 7], confidence=95)
    with pytest.raises(ValueError, match="at least 3"):
        paired_change([1, 2], [2, 4], min_pairs=2)


def test_changes_almost_all_alike_still_get_an_effect_interval():
    # Scores that all rise by 5, give or take a millionth: t is in the millions, beyond what scipy's
    # noncentral t can evaluate, so the interval comes from its large-λ limit, d_av × √(χ² / df).
    rng = np.random.default_rng(3)
    before = np.arange(10.0)
    after = before + 5 + 1e-6 * rng.normal(size=10)
    result = paired_change(before, after)
    assert abs(result.t) > 1e6
    low, high = (result.d_av * math.sqrt(stats.chi2.ppf(q, 9) / 9) for q in (0.025, 0.975))
    assert (result.effect_size_low, result.effect_size_high) == pytest.approx((low, high), rel=1e-9)
    # Where both ways can be worked out (t about a thousand), they agree to four figures.
    moderate = before + 5 + 1e-2 * rng.normal(size=10)
    exact = paired_change(before, moderate)
    assert 300 < abs(exact.t) < 5000
    low, high = (exact.d_av * math.sqrt(stats.chi2.ppf(q, 9) / 9) for q in (0.025, 0.975))
    assert exact.effect_size_low == pytest.approx(low, rel=1e-3)
    assert exact.effect_size_high == pytest.approx(high, rel=1e-3)


# --- paired change: properties ------------------------------------------------------------------

scores = st.floats(min_value=1, max_value=5, allow_nan=False)


@st.composite
def paired_scores(draw):
    n = draw(st.integers(min_value=5, max_value=40))
    before = draw(st.lists(scores, min_size=n, max_size=n))
    after = draw(st.lists(scores, min_size=n, max_size=n))
    return np.array(before), np.array(after)


@settings(max_examples=150, deadline=None)
@given(paired_scores(), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_intervals_hold_their_estimates_and_agree_with_the_test(pair, confidence):
    before, after = pair
    result = paired_change(before, after, confidence)
    assume(result.tested)
    assert result.ci_low <= result.mean_change <= result.ci_high
    assert result.effect_size_low <= result.effect_size <= result.effect_size_high
    assert abs(result.effect_size) <= abs(result.d_av)  # Hedges' correction shrinks towards zero
    assert result.t == pytest.approx(result.d_z * math.sqrt(result.n))
    alpha = 1 - confidence
    assume(abs(result.p_value - alpha) > 1e-6)
    significant = result.p_value < alpha
    assert significant == (result.ci_low > 0 or result.ci_high < 0)
    assert significant == (result.effect_size_low > 0 or result.effect_size_high < 0)


@settings(max_examples=100, deadline=None)
@given(paired_scores())
def test_swapping_before_and_after_negates_the_change(pair):
    before, after = pair
    forward, backward = paired_change(before, after), paired_change(after, before)
    assume(forward.tested)
    assert backward.mean_change == pytest.approx(-forward.mean_change)
    assert (backward.ci_low, backward.ci_high) == pytest.approx((-forward.ci_high, -forward.ci_low))
    assert backward.t == pytest.approx(-forward.t)
    assert backward.d_z == pytest.approx(-forward.d_z) and backward.d_av == pytest.approx(-forward.d_av)
    assert backward.effect_size == pytest.approx(-forward.effect_size)
    assert (backward.effect_size_low, backward.effect_size_high) == pytest.approx(
        (-forward.effect_size_high, -forward.effect_size_low), rel=1e-6, abs=1e-9
    )
    assert backward.p_value == pytest.approx(forward.p_value)
    assert backward.wilcoxon_p == pytest.approx(forward.wilcoxon_p)


@settings(max_examples=50, deadline=None)
@given(paired_scores(), st.floats(min_value=-10, max_value=10))
def test_moving_every_score_by_the_same_amount_changes_only_the_means(pair, shift):
    before, after = pair
    plain, moved = paired_change(before, after), paired_change(before + shift, after + shift)
    assume(plain.tested)
    assert moved.mean_before == pytest.approx(plain.mean_before + shift)
    assert moved.mean_change == pytest.approx(plain.mean_change, abs=1e-9)
    assert moved.effect_size == pytest.approx(plain.effect_size, rel=1e-6, abs=1e-9)
    assert moved.p_value == pytest.approx(plain.p_value, rel=1e-6, abs=1e-12)


def test_the_result_is_a_frozen_record():
    result = paired_change([1, 2, 3, 4, 5], [2, 3, 5, 4, 6])
    assert isinstance(result, PairedChange)
    with pytest.raises(AttributeError):
        result.n = 7


# --- proportions ----------------------------------------------------------------------------------


def test_wilson_interval_matches_newcombes_published_example():
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in
    # Medicine 17: 857-872: 81 out of 263, score method, 0.2553 to 0.3662.
    result = one_proportion(81, 263)
    assert result.rate == pytest.approx(81 / 263)
    assert result.ci_low == pytest.approx(0.2553, abs=5e-5)
    assert result.ci_high == pytest.approx(0.3662, abs=5e-5)
    # Worked by hand: z = 1.959964, z² = 3.841459; centre (81 + 1.920729) / 266.841459 = 0.310749;
    # half-width 1.959964 × √(81 × 182 / 263 + 0.960365) / 266.841459 = 1.959964 × 7.549 / 266.841 = 0.055461
    assert (result.ci_low + result.ci_high) / 2 == pytest.approx(0.310749, abs=5e-6)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [(15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718), (29, 29, 0.8830, 1.0)],
)
def test_wilson_intervals_at_and_near_the_edges(successes, n, low, high):
    result = one_proportion(successes, n)
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), abs=5e-5)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_bounds_solve_the_score_equation(case):
    successes, n = case
    result = one_proportion(successes, n)
    z = stats.norm.ppf(0.975)
    assert 0 <= result.ci_low <= result.rate <= result.ci_high <= 1
    # Each bound p that is not at 0 or 1 satisfies (rate - p)² n = z² p (1 - p).
    for bound in (result.ci_low, result.ci_high):
        if 0 < bound < 1:
            assert (result.rate - bound) ** 2 * n == pytest.approx(z * z * bound * (1 - bound), rel=1e-9, abs=1e-12)
    mirrored = one_proportion(n - successes, n)
    assert (mirrored.ci_low, mirrored.ci_high) == pytest.approx((1 - result.ci_high, 1 - result.ci_low), abs=1e-12)


@pytest.mark.parametrize(
    ("after", "before", "low", "high"),
    [
        # Newcombe (1998), "Interval estimation for the difference between independent proportions:
        # comparison of eleven methods", Statistics in Medicine 17: 873-890, Table II, method 10.
        ((56, 70), (48, 80), 0.0524, 0.3339),
        ((9, 10), (3, 10), 0.1705, 0.8090),
        ((5, 56), (0, 29), -0.0381, 0.1926),
        ((0, 10), (0, 20), -0.1611, 0.2775),
        ((0, 10), (0, 10), -0.2775, 0.2775),
        ((10, 10), (0, 20), 0.6791, 1.0),
        ((10, 10), (0, 10), 0.6075, 1.0),
    ],
)
def test_newcombe_interval_matches_the_published_table(after, before, low, high):
    result = proportion_change(before[0], before[1], after[0], after[1])
    assert result.difference == pytest.approx(after[0] / after[1] - before[0] / before[1])
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), abs=5e-5)


def test_the_test_is_chi_squared_for_large_counts_worked_by_hand():
    result = proportion_change(48, 80, 56, 70)
    # Table: after 56 yes 14 no, before 48 yes 32 no; 150 people, 104 yes, 46 no.
    # Expected: 70 × 104 / 150 = 48.533, 21.467; 80 × 104 / 150 = 55.467, 24.533 (all at least 5).
    # Every cell is 7.467 from its expected count: χ² = 7.467² × (1/48.533 + 1/21.467 + 1/55.467
    # + 1/24.533) = 55.751 × 0.125978 = 7.0234 on 1 degree of freedom, p = 0.0080.
    assert result.test == "Pearson's chi-squared test"
    assert result.p_value == pytest.approx(stats.chi2.sf(7.0234, 1), abs=5e-6)
    assert result.p_value == pytest.approx(0.0080, abs=5e-5)
    assert result.before.rate == pytest.approx(0.6) and result.after.rate == pytest.approx(0.8)
    assert result.reason is None


def test_the_test_is_fishers_exact_for_small_counts():
    result = proportion_change(3, 10, 9, 10)
    assert result.test == "Fisher's exact test"
    assert result.p_value == pytest.approx(stats.fisher_exact([[9, 1], [3, 7]]).pvalue)
    # By hand: with 12 successes among 20, the chance of 9 or more of them in the first 10 is
    # (C(10,9)C(10,3) + C(10,10)C(10,2)) / C(20,12) = (1200 + 45) / 125970 = 0.009883; doubled 0.019766.
    assert result.p_value == pytest.approx(0.019766, abs=5e-6)
    nobody = proportion_change(0, 10, 0, 10)
    assert nobody.test == "Fisher's exact test" and nobody.p_value == 1.0


def test_rates_where_numbers_do_not_allow_a_comparison():
    none_after = proportion_change(4, 20, 0, 0)
    assert none_after.before.rate == 0.2 and none_after.after.rate is None
    assert none_after.difference is None and none_after.p_value is None
    assert none_after.reason == "Nobody was counted after, so the rates cannot be compared."
    assert none_after.after.reason == "Nobody was counted, so there is no rate to give."
    assert (
        proportion_change(0, 0, 0, 0).reason == "Nobody was counted before or after, so the rates cannot be compared."
    )
    few = proportion_change(1, 4, 3, 12)
    assert few.difference == pytest.approx(0.0)
    assert few.ci_low is None and few.p_value is None and few.test is None
    assert few.reason == "Too few people to compare the rates (4 before and 12 after; at least 5 needed in each)."
    assert proportion_change(1, 4, 3, 12, min_n=4).p_value is not None


def test_wrong_counts_are_refused():
    with pytest.raises(ValueError, match="more successes than people"):
        one_proportion(5, 4)
    with pytest.raises(ValueError, match="negative"):
        one_proportion(-1, 4)
    with pytest.raises(ValueError, match="whole numbers"):
        one_proportion(1.5, 4)
    with pytest.raises(ValueError, match="between 0 and 1"):
        proportion_change(1, 10, 2, 10, confidence=0)
    assert one_proportion(np.int64(3), np.int64(9)).rate == pytest.approx(1 / 3)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=5, max_value=300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.integers(min_value=5, max_value=300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
)
def test_newcombe_interval_holds_the_difference_and_swaps_sign(before, after):
    result = proportion_change(before[0], before[1], after[0], after[1])
    assert -1 <= result.ci_low <= result.difference <= result.ci_high <= 1
    assert 0 <= result.p_value <= 1
    swapped = proportion_change(after[0], after[1], before[0], before[1])
    assert swapped.difference == pytest.approx(-result.difference)
    assert (swapped.ci_low, swapped.ci_high) == pytest.approx((-result.ci_high, -result.ci_low), abs=1e-12)
    assert swapped.p_value == pytest.approx(result.p_value)
