"""Figures for a programme's evaluation report, level by level (Kirkpatrick):

- level 2, learning: each participant's self-assessment at the start against the end;
- level 3, behaviour: each participant's 360 before against 6 to 12 months after;
- level 4, results: outcome rates such as internal promotion or retention.

`paired_change` takes two arrays of scores, one pair per participant, and gives the mean change
with its confidence interval, an effect size with its interval, the paired t test and, as a check
that does not lean on the changes being roughly normal, the Wilcoxon signed-rank test.
`proportion_change` compares two rates (Wilson interval for each, Newcombe's hybrid score interval
for the difference, Pearson's chi-squared or Fisher's exact test); `one_proportion` gives one rate
with its Wilson interval.

"Where numbers allow": every function returns the figures that can honestly be given and None for
the rest, with `reason` saying in plain English why they are missing. Nothing here raises for thin
data; it raises `ValueError` only for input that is wrong in itself (arrays of different lengths,
more successes than people, a confidence level outside 0 to 1).

Pure numpy and scipy; no Django."""

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

MIN_PAIRS = 5
MIN_GROUP = 5
EFFECT_SIZE_NAME = "Hedges' g (mean change over the average standard deviation)"


@dataclass(frozen=True)
class PairedChange:
    """The change between two measures of the same participants (after minus before).

    `n` counts the participants with both measures; everyone else is left out of every figure,
    the means included, so the before and after means describe the same people.

    Effect sizes:

    - `d_z` is the mean change over the standard deviation of the changes (Cohen's d_z); the paired
      t statistic is d_z × √n.
    - `d_av` is the mean change over the average of the before and after standard deviations
      (Cohen's d_av, as Lakens 2013 defines it).
    - `effect_size`, the headline, is d_av with Hedges' small-sample correction (Hedges' g_av):
      d_av × J(n − 1), J(m) = Γ(m/2) / (√(m/2) Γ((m − 1)/2)), the exact form of ≈ 1 − 3/(4m − 1).

    Why g_av is the headline: it measures the change against how widely people's scores are spread,
    so "half a standard deviation" means the same here as in a study that compared two separate
    groups, and it does not grow just because people's before and after scores are closely
    correlated. d_z does grow that way (two programmes with the same change can show very different
    d_z), which flatters programmes whose participants rate themselves consistently. d_z is kept
    for anyone comparing against a paired-design study that reports it.

    The effect size interval (`effect_size_low`, `effect_size_high`) comes from the noncentral t
    distribution (`scipy.stats.nct`), following Algina and Keselman (2003): the interval for the
    noncentrality of the observed t is found exactly by inverting the noncentral t, then put on the
    d_av scale by the observed ratio of the standard deviation of the changes to the average
    standard deviation (treated as fixed, which is the approximation). It is an interval for the
    population effect, so Hedges' correction, which removes the point estimate's bias, is not
    applied to it. Because it is a rescaled interval for the noncentrality, it leaves out zero
    exactly when the paired t test is significant at the same level. Where scipy cannot evaluate
    the noncentral t (|t| beyond about ten thousand: changes almost all alike), its limit for large
    λ is used instead, λ between t √(χ²_lower / df) and t √(χ²_upper / df), which agrees with the
    exact interval to four figures from |t| = 1,000.

    `ci_low`, `ci_high` bound the mean change (t distribution, n − 1 degrees of freedom); `t`, `df`
    and `p_value` are the paired t test (two-sided); `wilcoxon_p` is the two-sided Wilcoxon
    signed-rank test of the changes (`scipy.stats.wilcoxon`, zero changes dropped; exact under
    ties and zeros up to 50 pairs, see `_wilcoxon`).

    Descriptive figures (means, standard deviations, mean change) are given whenever there are
    enough people to compute them. Everything inferential is None below `min_pairs` participants
    or when every change is the same (no spread to test against); `reason` then says why."""

    n: int
    mean_before: float | None
    mean_after: float | None
    sd_before: float | None
    sd_after: float | None
    mean_change: float | None
    sd_change: float | None
    ci_low: float | None
    ci_high: float | None
    d_z: float | None
    d_av: float | None
    effect_size: float | None
    effect_size_low: float | None
    effect_size_high: float | None
    t: float | None
    df: int | None
    p_value: float | None
    wilcoxon_p: float | None
    confidence: float
    reason: str | None = None

    @property
    def tested(self) -> bool:
        """Whether the paired t test could be run."""
        return self.p_value is not None


@dataclass(frozen=True)
class Proportion:
    """A rate, `successes` out of `n`, with its Wilson score interval (clipped to 0 to 1)."""

    successes: int
    n: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float
    reason: str | None = None


@dataclass(frozen=True)
class ProportionChange:
    """Two rates and the change between them, `difference` = after − before.

    The two groups are taken as independent: different people, or the same population counted in
    two periods. (For the same people counted twice, a paired method such as McNemar's is right
    instead.) The interval is Newcombe's hybrid score interval (Newcombe 1998, method 10), built
    from the two Wilson intervals; `test` names the two-sided test used: Pearson's chi-squared
    without continuity correction when every expected count is at least 5, otherwise Fisher's
    exact test."""

    before: Proportion
    after: Proportion
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    test: str | None
    p_value: float | None
    confidence: float
    reason: str | None = None


# --- paired change --------------------------------------------------------------------------------


def paired_change(before, after, confidence: float = 0.95, *, min_pairs: int = MIN_PAIRS) -> PairedChange:
    """The change from `before` to `after`, pair by pair (see `PairedChange`). NaN in either array
    leaves that pair out; infinite values are refused."""
    _check_confidence(confidence)
    if min_pairs < 3:
        raise ValueError("min_pairs must be at least 3: the small-sample correction needs two degrees of freedom.")
    first, second = _pairs(before, after)
    n = int(first.size)
    blank = dict.fromkeys(
        (
            "mean_before",
            "mean_after",
            "sd_before",
            "sd_after",
            "mean_change",
            "sd_change",
            "ci_low",
            "ci_high",
            "d_z",
            "d_av",
            "effect_size",
            "effect_size_low",
            "effect_size_high",
            "t",
            "df",
            "p_value",
            "wilcoxon_p",
        )
    )
    if n == 0:
        return PairedChange(
            n=0, confidence=confidence, reason="No participant has both assessments, so there is no change to report.",
            **blank,
        )  # fmt: skip
    change = second - first
    figures = {
        **blank,
        "mean_before": float(first.mean()),
        "mean_after": float(second.mean()),
        "mean_change": float(change.mean()),
    }
    if n >= 2:
        figures["sd_before"] = float(first.std(ddof=1))
        figures["sd_after"] = float(second.std(ddof=1))
        figures["sd_change"] = 0.0 if _no_spread(change) else float(change.std(ddof=1))
    if n < min_pairs:
        reason = f"Too few participants with both assessments to test the change ({n}; at least {min_pairs} needed)."
        return PairedChange(n=n, confidence=confidence, reason=reason, **figures)

    df = n - 1
    mean_change, sd_change = figures["mean_change"], figures["sd_change"]
    sd_average = (figures["sd_before"] + figures["sd_after"]) / 2
    correction = _hedges_correction(df)
    if sd_average > 0:
        figures["d_av"] = mean_change / sd_average
        figures["effect_size"] = correction * figures["d_av"]
    figures["wilcoxon_p"] = _wilcoxon(change)

    if sd_change == 0:
        if _no_spread(np.append(change, 0.0)):  # every change is nothing, give or take rounding
            reason = "Nobody's score changed, so there is no change to test."
        else:
            reason = (
                f"Every participant's score changed by the same amount ({mean_change:+.2f}), so there is no "
                "spread of changes to test it against."
            )
        return PairedChange(n=n, confidence=confidence, reason=reason, **figures)

    standard_error = sd_change / math.sqrt(n)
    t = mean_change / standard_error
    margin = float(stats.t.ppf(0.5 + confidence / 2, df)) * standard_error
    low, high = _noncentrality_interval(t, df, confidence)
    figures.update(
        ci_low=mean_change - margin,
        ci_high=mean_change + margin,
        d_z=mean_change / sd_change,
        t=t,
        df=df,
        p_value=float(2 * stats.t.sf(abs(t), df)),
    )
    if sd_average > 0:
        scale = sd_change / (math.sqrt(n) * sd_average)  # noncentrality to d_av
        figures["effect_size_low"] = low * scale
        figures["effect_size_high"] = high * scale
    return PairedChange(n=n, confidence=confidence, **figures)


def _pairs(before, after) -> tuple[np.ndarray, np.ndarray]:
    first = np.asarray(before, dtype=float)
    second = np.asarray(after, dtype=float)
    if first.ndim != 1 or second.ndim != 1:
        raise ValueError("before and after must be one-dimensional: one score per participant.")
    if first.shape != second.shape:
        raise ValueError(
            f"before and after must have one score per participant each ({first.size} and {second.size} given)."
        )
    if np.isinf(first).any() or np.isinf(second).any():
        raise ValueError("Scores must be finite numbers (NaN marks a missing score).")
    both = ~(np.isnan(first) | np.isnan(second))
    return first[both], second[both]


def _no_spread(values: np.ndarray) -> bool:
    """Whether every value is the same, allowing for rounding in the subtraction that made them."""
    return float(np.ptp(values)) <= 1e-9 * max(1.0, float(np.abs(values).max()))


def _hedges_correction(df: int) -> float:
    """J(df) = Γ(df/2) / (√(df/2) Γ((df − 1)/2)), Hedges' exact small-sample correction."""
    return math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)


def _wilcoxon(change: np.ndarray) -> float | None:
    """Two-sided Wilcoxon signed-rank p of the changes, zero changes dropped (Wilcoxon's own rule).

    Without ties or zeros this is `scipy.stats.wilcoxon` as it stands (its exact distribution up to
    50 changes, the normal approximation above). With ties or zeros among up to 50 changes, scipy
    would run a permutation test over all 2^n sign patterns up to 13 changes (seconds of work) and
    fall back to the normal approximation from 14; instead the exact distribution of the
    signed-rank sum given those ties is counted directly, which gives scipy's permutation p exactly
    where it has one, in milliseconds, and stays exact up to 50."""
    change = np.round(change, 9)  # rounding in the subtraction must not break ties or make zeros non-zero
    nonzero = change[change != 0]
    if nonzero.size == 0:
        return None
    tied = np.unique(np.abs(nonzero)).size < nonzero.size
    if (tied or nonzero.size < change.size) and change.size <= 50:
        return _signed_rank_exact_p(nonzero)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = float(stats.wilcoxon(change).pvalue)
    return p if math.isfinite(p) else None


def _signed_rank_exact_p(nonzero: np.ndarray) -> float:
    """Every sign pattern of the ranked changes is equally likely under no change: count the
    patterns by the sum of positive ranks (midranks doubled to whole numbers), then take twice the
    smaller tail, as scipy does."""
    ranks = np.rint(2 * stats.rankdata(np.abs(nonzero))).astype(np.int64)
    observed = int(ranks[nonzero > 0].sum())
    chance = np.zeros(int(ranks.sum()) + 1)
    chance[0] = 1.0
    for rank in ranks:
        shifted = np.zeros_like(chance)
        shifted[rank:] = chance[:-rank]
        chance = (chance + shifted) / 2
    return float(min(1.0, 2 * min(chance[: observed + 1].sum(), chance[observed:].sum())))


def _noncentrality_interval(t: float, df: int, confidence: float) -> tuple[float, float]:
    """The interval for the noncentrality parameter λ of a t statistic observed as `t` with `df`
    degrees of freedom: the λ at which `t` sits at the upper and lower tail quantiles of the
    noncentral t. The cumulative distribution falls as λ rises, so each bound is one root."""
    tail = (1 - confidence) / 2
    try:
        return _nct_root(t, df, 1 - tail), _nct_root(t, df, tail)
    except (ArithmeticError, ValueError, RuntimeError):
        # For large λ, T ≈ λ / √(χ²_df / df), so λ ≈ t √(χ²_df / df).
        low, high = (t * math.sqrt(float(stats.chi2.ppf(q, df)) / df) for q in (tail, 1 - tail))
        return (low, high) if t >= 0 else (high, low)


def _nct_root(t: float, df: int, target: float) -> float:
    def gap(noncentrality: float) -> float:
        return float(stats.nct.cdf(t, df, noncentrality)) - target

    step = max(2.0, abs(t))
    low, high = t - step, t + step
    for _ in range(60):
        low_gap, high_gap = gap(low), gap(high)
        if not (math.isfinite(low_gap) and math.isfinite(high_gap)):
            raise ArithmeticError("The noncentral t could not be evaluated here.")
        if low_gap > 0 > high_gap:
            root = optimize.brentq(gap, low, high, xtol=1e-10, rtol=1e-12, maxiter=200)
            return float(root)
        if low_gap <= 0:
            low -= step
        if high_gap >= 0:
            high += step
        step *= 2
    raise ArithmeticError("No interval for the noncentrality was found.")


# --- proportions ----------------------------------------------------------------------------------


def one_proportion(successes: int, n: int, confidence: float = 0.95) -> Proportion:
    """`successes` out of `n` (say, participants promoted internally) with a Wilson interval."""
    _check_confidence(confidence)
    successes, n = _count(successes, n)
    if n == 0:
        return Proportion(
            successes=0, n=0, rate=None, ci_low=None, ci_high=None, confidence=confidence,
            reason="Nobody was counted, so there is no rate to give.",
        )  # fmt: skip
    low, high = _wilson(successes, n, confidence)
    return Proportion(successes=successes, n=n, rate=successes / n, ci_low=low, ci_high=high, confidence=confidence)


def proportion_change(
    successes_before: int,
    n_before: int,
    successes_after: int,
    n_after: int,
    confidence: float = 0.95,
    *,
    min_n: int = MIN_GROUP,
) -> ProportionChange:
    """The rate before, the rate after and the change (after − before); see `ProportionChange`.
    Below `min_n` people in either group the difference and the test are None, with the reason."""
    _check_confidence(confidence)
    before = one_proportion(successes_before, n_before, confidence)
    after = one_proportion(successes_after, n_after, confidence)
    blank = {"difference": None, "ci_low": None, "ci_high": None, "test": None, "p_value": None}
    if before.n == 0 or after.n == 0:
        missing = "before" if before.n == 0 else "after"
        if before.n == after.n == 0:
            missing = "before or after"
        reason = f"Nobody was counted {missing}, so the rates cannot be compared."
        return ProportionChange(before=before, after=after, confidence=confidence, reason=reason, **blank)
    difference = after.rate - before.rate
    if before.n < min_n or after.n < min_n:
        reason = (
            f"Too few people to compare the rates ({before.n} before and {after.n} after; "
            f"at least {min_n} needed in each)."
        )
        return ProportionChange(
            before=before, after=after, confidence=confidence, reason=reason, **{**blank, "difference": difference}
        )
    # Newcombe's method 10: the difference's interval from the two Wilson intervals.
    low = difference - math.hypot(after.rate - after.ci_low, before.ci_high - before.rate)
    high = difference + math.hypot(after.ci_high - after.rate, before.rate - before.ci_low)
    test, p_value = _two_by_two_test(before, after)
    return ProportionChange(
        before=before,
        after=after,
        difference=difference,
        ci_low=max(-1.0, low),
        ci_high=min(1.0, high),
        test=test,
        p_value=p_value,
        confidence=confidence,
    )


def _two_by_two_test(before: Proportion, after: Proportion) -> tuple[str, float]:
    table = np.array(
        [[after.successes, after.n - after.successes], [before.successes, before.n - before.successes]], dtype=float
    )
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    if expected.min() >= 5:
        _chi2, p, _dof, _expected = stats.chi2_contingency(table, correction=False)
        return "Pearson's chi-squared test", float(p)
    _odds, p = stats.fisher_exact(table.astype(int))
    return "Fisher's exact test", float(min(1.0, p))


def _wilson(successes: int, n: int, confidence: float) -> tuple[float, float]:
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    z2 = z * z
    centre = (successes + z2 / 2) / (n + z2)
    half = z * math.sqrt(successes * (n - successes) / n + z2 / 4) / (n + z2)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def _count(successes, n) -> tuple[int, int]:
    if isinstance(successes, bool) or isinstance(n, bool):
        raise ValueError("Counts must be whole numbers, not true or false.")
    if int(successes) != successes or int(n) != n:
        raise ValueError(f"Counts must be whole numbers ({successes} out of {n} given).")
    successes, n = int(successes), int(n)
    if n < 0 or successes < 0:
        raise ValueError(f"Counts cannot be negative ({successes} out of {n} given).")
    if successes > n:
        raise ValueError(f"There cannot be more successes than people counted ({successes} out of {n} given).")
    return successes, n


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"The confidence level must be between 0 and 1, such as 0.95 ({confidence} given).")
