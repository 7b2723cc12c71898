"""360-degree feedback: ratings in, confidential figures out.

The ratings are a dense matrix, one row per response (each rater answers one questionnaire):

- `ratings`: int8 [responses, items]; 0 is "not observed" (or not asked), 1..scale a rating.
- `response_participant`: int32 [responses], the participant (the person rated), 0..P-1. The rows
  need not be sorted.
- `response_group`: int8 [responses], the rater group, 0..R-1. Group 0 is the participant's own
  assessment ("self"): always shown to them, never part of "others".
- `item_attribute`: int16 [items], the attribute each item belongs to, 0..A-1.
- `thresholds`: int [R], how many raters a group needs for its figures to be shown (entry 0, self,
  is ignored); `combined_threshold`: the campaign's threshold, used for a combined group.

The rules, as `aggregate_feedback` applies them (docs/confidentiality.md says the same for readers):

1. A group other than self is withheld as a whole for a participant when fewer than its threshold
   of its raters gave at least one rating. When two or more groups are withheld as a whole and
   each had at least one such rater, and their raters together reach the combined threshold (the
   campaign's threshold, or the largest threshold among those groups if that is higher), all of
   them are shown as one combined group; otherwise their ratings are dropped. The combined group
   holds withheld groups only, so it can never be set against a shown group, and it holds the same
   groups for every item and attribute of that participant. It is all of the withheld groups or
   none: no subset is tried.
2. A figure for a group (or the combined group) on an item is shown only when at least the group's
   threshold of its raters gave a rating to that item. Otherwise those ratings feed nothing at all.
3. A group's attribute figure comes only from its ratings on its shown items in that attribute; its
   count is the number of different raters behind those ratings. It is shown when any of those
   items is shown (the count then reaches the threshold by itself).
4. "Others" (everyone but self) is built only from shown group figures, the combined group's
   included. Self figures are always computed; self has no threshold.
5. mean is the mean of the ratings in the cell, count the number of different raters, spread the
   population standard deviation of the ratings. A withheld cell has count 0 and mean and spread
   NaN: nothing in it comes from the withheld ratings (a reader sees "fewer than N", never how many).

The report-level helpers below (`blind_spots_and_hidden_strengths`, `highest_and_lowest_items`,
`organisation_norm`, `comments_shown`) read only figures that the rules above let through.
"""

from dataclasses import dataclass

import numba
import numpy as np

MAX_GROUPS = 62  # the combined group's members are kept as bits of an int64

_OK = 0
_PARTICIPANT_OUT_OF_RANGE = 1
_GROUP_OUT_OF_RANGE = 2
_NEGATIVE_RATING = 3
_TOO_MANY_RESPONSES = 4
_MOST_RESPONSES = 100_000  # per participant: keeps each item's sum of squares inside int32
_NEVER = 1 << 40  # a threshold no count reaches: the slot is withheld
_ERRORS = {
    _PARTICIPANT_OUT_OF_RANGE: "A response names a participant outside 0..n_participants-1.",
    _GROUP_OUT_OF_RANGE: "A response names a rater group outside 0..len(thresholds)-1.",
    _NEGATIVE_RATING: "A rating is negative: use 0 for not observed and 1 upwards for ratings.",
    _TOO_MANY_RESPONSES: f"A participant has more than {_MOST_RESPONSES:,} responses.",
}


@dataclass(frozen=True)
class FeedbackAggregates:
    """Per participant, per rater group (index R is the combined group), per item and attribute.

    Every withheld or empty cell has count 0 and mean and spread NaN. `combined_groups[p]` has bit g
    set when group g is part of participant p's combined group (0: no combined group), and
    `combined_threshold_used[p]` is the threshold that combined group had to reach (0: none).
    `response_slot[r]` is where response r counts: its own group, R for the combined group, or -1
    when its group is withheld and dropped (use it to choose which comments may be shown)."""

    item_mean: np.ndarray  # float64 [P, R+1, I]
    item_count: np.ndarray  # int32 [P, R+1, I]
    item_spread: np.ndarray  # float64 [P, R+1, I]
    attribute_mean: np.ndarray  # float64 [P, R+1, A]
    attribute_count: np.ndarray  # int32 [P, R+1, A]
    attribute_spread: np.ndarray  # float64 [P, R+1, A]
    others_item_mean: np.ndarray  # float64 [P, I]
    others_item_count: np.ndarray  # int32 [P, I]
    others_item_spread: np.ndarray  # float64 [P, I]
    others_attribute_mean: np.ndarray  # float64 [P, A]
    others_attribute_count: np.ndarray  # int32 [P, A]
    others_attribute_spread: np.ndarray  # float64 [P, A]
    combined_groups: np.ndarray  # int64 [P], a bit per rater group
    combined_threshold_used: np.ndarray  # int32 [P]
    response_slot: np.ndarray  # int8 [responses]

    @property
    def combined(self) -> int:
        """The index of the combined group in the group axis (R)."""
        return self.item_mean.shape[1] - 1

    def combined_members(self, participant: int) -> tuple[int, ...]:
        """The rater groups merged into this participant's combined group, in order (may be empty)."""
        bits = int(self.combined_groups[participant])
        return tuple(g for g in range(self.combined) if bits >> g & 1)


def aggregate_feedback(
    *,
    ratings: np.ndarray,
    response_participant: np.ndarray,
    response_group: np.ndarray,
    item_attribute: np.ndarray,
    thresholds,
    combined_threshold: int,
    n_participants: int | None = None,
    n_attributes: int | None = None,
    line_manager_group: int | None = None,
) -> FeedbackAggregates:
    """Means, counts and spreads per participant × rater group × item and attribute, and for
    "others", with the confidentiality rules in this module's docstring applied.

    Thresholds below 2 are refused except for `line_manager_group`, which may be 1 (its figures
    are then one person's view, and should be labelled so). `n_participants` defaults to the largest
    participant index plus one, `n_attributes` to the largest attribute index plus one."""
    ratings = _as(ratings, np.int8, "ratings")
    if ratings.ndim != 2:
        raise ValueError("ratings must be a matrix: one row per response, one column per item.")
    n_responses, n_items = ratings.shape
    participant = _as(response_participant, np.int32, "response_participant")
    group = _as(response_group, np.int8, "response_group")
    attribute = _as(item_attribute, np.int16, "item_attribute")
    thresholds = _as(thresholds, np.int32, "thresholds")
    if participant.shape != (n_responses,) or group.shape != (n_responses,):
        raise ValueError("response_participant and response_group need one entry per row of ratings.")
    if attribute.shape != (n_items,):
        raise ValueError("item_attribute needs one entry per column of ratings.")
    n_groups = thresholds.shape[0] if thresholds.ndim == 1 else 0
    if not 1 <= n_groups <= MAX_GROUPS:
        raise ValueError(f"thresholds needs one entry per rater group (self first), at most {MAX_GROUPS}.")
    for g in range(1, n_groups):
        lowest = 1 if g == line_manager_group else 2
        if thresholds[g] < lowest:
            raise ValueError(f"Rater group {g} has threshold {thresholds[g]}; the lowest allowed is {lowest}.")
    if combined_threshold < 2:
        raise ValueError("The combined threshold (the campaign's threshold) cannot be below 2.")
    if n_items and attribute.min() < 0:
        raise ValueError("item_attribute holds a negative attribute index.")
    if n_attributes is None:
        n_attributes = int(attribute.max()) + 1 if n_items else 0
    elif n_items and attribute.max() >= n_attributes:
        raise ValueError("item_attribute names an attribute outside 0..n_attributes-1.")
    if n_participants is None:
        n_participants = int(participant.max()) + 1 if n_responses else 0

    slots = n_groups + 1
    shape_items, shape_attributes = (n_participants, slots, n_items), (n_participants, slots, n_attributes)
    result = FeedbackAggregates(
        item_mean=np.empty(shape_items),
        item_count=np.empty(shape_items, dtype=np.int32),
        item_spread=np.empty(shape_items),
        attribute_mean=np.empty(shape_attributes),
        attribute_count=np.empty(shape_attributes, dtype=np.int32),
        attribute_spread=np.empty(shape_attributes),
        others_item_mean=np.empty((n_participants, n_items)),
        others_item_count=np.empty((n_participants, n_items), dtype=np.int32),
        others_item_spread=np.empty((n_participants, n_items)),
        others_attribute_mean=np.empty((n_participants, n_attributes)),
        others_attribute_count=np.empty((n_participants, n_attributes), dtype=np.int32),
        others_attribute_spread=np.empty((n_participants, n_attributes)),
        combined_groups=np.empty(n_participants, dtype=np.int64),
        combined_threshold_used=np.empty(n_participants, dtype=np.int32),
        response_slot=np.empty(n_responses, dtype=np.int8),
    )
    start, order, in_order, status = _group_by_participant(participant, group, n_participants, n_groups)
    if status == _OK and not in_order:
        # Responses not already grouped by participant: copy them into that order first (a tight
        # loop that reads far faster than visiting the rows at random while working on them).
        ratings = _gather_rows(ratings, order)
        group = group[order]
    status = status or _aggregate(
        ratings,
        group,
        start,
        order,
        attribute,
        thresholds,
        np.int32(combined_threshold),
        result.item_mean,
        result.item_count,
        result.item_spread,
        result.attribute_mean,
        result.attribute_count,
        result.attribute_spread,
        result.others_item_mean,
        result.others_item_count,
        result.others_item_spread,
        result.others_attribute_mean,
        result.others_attribute_count,
        result.others_attribute_spread,
        result.combined_groups,
        result.combined_threshold_used,
        result.response_slot,
    )
    if status != _OK:
        raise ValueError(_ERRORS[status])
    return result


def _as(values, dtype, name: str) -> np.ndarray:
    """`values` as a contiguous array of `dtype`, refusing values that would not fit (rather than
    letting them wrap round)."""
    array = np.asarray(values)
    if array.dtype != dtype:
        if array.size and not np.issubdtype(array.dtype, np.integer):
            raise ValueError(f"{name} must hold whole numbers.")
        limits = np.iinfo(dtype)
        if array.size and (array.min() < limits.min or array.max() > limits.max):
            raise ValueError(f"{name} holds a value outside {limits.min}..{limits.max}.")
    return np.ascontiguousarray(array, dtype=dtype)


_JIT = {"cache": True, "nogil": True, "error_model": "numpy"}


@numba.njit(**_JIT)
def _group_by_participant(participant, group, n_participants, n_groups):
    """A counting sort: `order[start[p]:start[p + 1]]` are participant p's responses, in input order.
    Also says whether the input was already in participant order (`order` is then 0, 1, 2, ...),
    and returns an error code (the indices are checked on the way)."""
    n_responses = participant.shape[0]
    start = np.zeros(n_participants + 1, dtype=np.int64)
    order = np.empty(n_responses, dtype=np.int64)
    in_order = True
    for r in range(n_responses):
        p = participant[r]
        if p < 0 or p >= n_participants:
            return start, order, in_order, _PARTICIPANT_OUT_OF_RANGE
        if group[r] < 0 or group[r] >= n_groups:
            return start, order, in_order, _GROUP_OUT_OF_RANGE
        if r > 0 and p < participant[r - 1]:
            in_order = False
        start[p + 1] += 1
    for p in range(n_participants):
        start[p + 1] += start[p]
    filled = start[:-1].copy()
    for r in range(n_responses):
        p = participant[r]
        order[filled[p]] = r
        filled[p] += 1
    return start, order, in_order, _OK


@numba.njit(**_JIT)
def _gather_rows(ratings, order):
    rows = np.empty_like(ratings)
    for j in range(order.shape[0]):
        r = order[j]
        for i in range(ratings.shape[1]):
            rows[j, i] = ratings[r, i]
    return rows


@numba.njit(**_JIT, inline="always")
def _mean_and_spread(n, total, squares):
    """Mean and population standard deviation of n ratings from their sum and sum of squares
    (exact: whole numbers well inside float64's 2**53). NaN for both when n is 0."""
    if n == 0:
        return np.nan, np.nan
    count = np.float64(n)
    inverse = 1.0 / count
    spread = np.sqrt(max(count * np.float64(squares) - np.float64(total) * np.float64(total), 0.0)) * inverse
    return np.float64(total) * inverse, spread


@numba.njit(**_JIT)
def _aggregate(
    ratings,
    group,
    start,
    order,
    attribute,
    thresholds,
    combined_threshold,
    item_mean,
    item_count,
    item_spread,
    attribute_mean,
    attribute_count,
    attribute_spread,
    others_item_mean,
    others_item_count,
    others_item_spread,
    others_attribute_mean,
    others_attribute_count,
    others_attribute_spread,
    combined_groups,
    combined_threshold_used,
    response_slot,
):
    n_items = ratings.shape[1]
    n_participants, slots, n_attributes = attribute_mean.shape
    combined = slots - 1  # the combined group's index; groups are 0..combined-1
    nan = np.nan
    # Rows first..first+count-1 of `ratings` and `group` are participant p's responses; `order`
    # gives each row's index in the caller's arrays.
    most = 0
    for p in range(n_participants):
        most = max(most, start[p + 1] - start[p])
    if most > _MOST_RESPONSES:
        return _TOO_MANY_RESPONSES

    # Which items each attribute holds: in a list (`by_attribute[attribute_start[a]:attribute_start[a
    # + 1]]`) and as bits (64 items to a word).
    by_attribute = np.argsort(attribute, kind="mergesort")
    attribute_start = np.zeros(n_attributes + 1, dtype=np.int64)
    for i in range(n_items):
        attribute_start[attribute[i] + 1] += 1
    for a in range(n_attributes):
        attribute_start[a + 1] += attribute_start[a]
    words = (n_items + 63) // 64
    attribute_bits = np.zeros((n_attributes, words), dtype=np.uint64)
    for i in range(n_items):
        attribute_bits[attribute[i], i >> 6] |= np.uint64(1) << np.uint64(i & 63)

    # Working space for one participant at a time, reused. Sums per group first (index `combined`
    # is filled by adding up the merged groups), then per slot: a group, or the combined group.
    rated_bits = np.zeros((most, words), dtype=np.uint64)  # the items each response rated
    slot_of = np.empty(most, dtype=np.int64)
    responders = np.zeros(slots, dtype=np.int64)
    threshold = np.empty(slots, dtype=np.int64)
    n = np.zeros((slots, n_items), dtype=np.int32)
    total = np.zeros((slots, n_items), dtype=np.int32)
    squares = np.zeros((slots, n_items), dtype=np.int32)
    active = np.zeros(slots, dtype=np.bool_)  # slots with at least one shown item
    shown_bits = np.zeros((slots, words), dtype=np.uint64)
    a_raters = np.zeros((slots, n_attributes), dtype=np.int64)
    o_n = np.zeros(max(n_items, n_attributes), dtype=np.int64)
    o_total = np.zeros(max(n_items, n_attributes), dtype=np.int64)
    o_squares = np.zeros(max(n_items, n_attributes), dtype=np.int64)
    o_raters = np.zeros(n_attributes, dtype=np.int64)
    cumulative_n = np.zeros(n_items + 1, dtype=np.int64)
    cumulative_total = np.zeros(n_items + 1, dtype=np.int64)
    cumulative_squares = np.zeros(n_items + 1, dtype=np.int64)

    for p in range(n_participants):
        first = start[p]
        count = start[p + 1] - first
        for s in range(slots):
            responders[s] = 0
            for i in range(n_items):
                n[s, i] = 0
                total[s, i] = 0
                squares[s, i] = 0
        # One pass over the ratings: sums per group and item, and the items each response rated.
        for k in range(count):
            r = first + k
            g = group[r]
            lowest = 0
            for w in range(words):
                bits = np.uint64(0)
                for i in range(w * 64, min(n_items, w * 64 + 64)):
                    v = ratings[r, i]
                    lowest = min(lowest, v)
                    bits |= np.uint64(v != 0) << np.uint64(i & 63)
                rated_bits[k, w] = bits
            if lowest < 0:
                return _NEGATIVE_RATING
            for i in range(n_items):
                v = np.int32(ratings[r, i])
                n[g, i] += v > 0
                total[g, i] += v
                squares[g, i] += v * v
            any_rating = False
            for w in range(words):
                any_rating |= rated_bits[k, w] != 0
            responders[g] += any_rating

        # Rule 1: groups withheld as a whole, and whether they merge into the combined group.
        members = np.int64(0)
        member_groups = 0
        member_raters = 0
        needed = np.int64(combined_threshold)
        for g in range(1, combined):
            if 0 < responders[g] < thresholds[g]:
                members |= np.int64(1) << np.int64(g)
                member_groups += 1
                member_raters += responders[g]
                needed = max(needed, np.int64(thresholds[g]))
        if member_groups < 2 or member_raters < needed:
            members = 0
        combined_groups[p] = members
        combined_threshold_used[p] = needed if members else 0
        threshold[0] = 1
        for g in range(1, combined):
            # A withheld group's sums are set aside: its threshold cannot be met.
            threshold[g] = thresholds[g] if responders[g] >= thresholds[g] else _NEVER
        threshold[combined] = needed if members else _NEVER
        for i in range(n_items):
            n[combined, i] = 0
            total[combined, i] = 0
            squares[combined, i] = 0
        if members:
            for g in range(1, combined):
                if members >> np.int64(g) & 1:
                    for i in range(n_items):
                        n[combined, i] += n[g, i]
                        total[combined, i] += total[g, i]
                        squares[combined, i] += squares[g, i]
        for k in range(count):
            r = first + k
            g = group[r]
            if threshold[g] != _NEVER:
                slot_of[k] = g
            elif members >> np.int64(g) & 1:
                slot_of[k] = combined
            else:
                slot_of[k] = -1
            response_slot[order[r]] = slot_of[k]

        # Rule 2: a cell is shown when enough of its raters rated the item. The sums of every other
        # cell are cleared here, so nothing below can see them; rule 4 adds up the shown cells of
        # every slot but self for "others".
        for i in range(n_items):
            o_n[i] = 0
            o_total[i] = 0
            o_squares[i] = 0
        for s in range(slots):
            t = threshold[s]
            shown_here = 0
            for i in range(n_items):
                keep = n[s, i] >= t
                shown_here += keep
                n[s, i] = n[s, i] if keep else 0
                total[s, i] = total[s, i] if keep else 0
                squares[s, i] = squares[s, i] if keep else 0
            active[s] = shown_here > 0
            if not active[s]:
                for i in range(n_items):
                    item_count[p, s, i] = 0
                    item_mean[p, s, i] = nan
                    item_spread[p, s, i] = nan
                continue
            for w in range(words):
                shown_bits[s, w] = 0
            for i in range(n_items):
                shown_bits[s, i >> 6] |= np.uint64(n[s, i] > 0) << np.uint64(i & 63)
            for i in range(n_items):
                c = n[s, i]
                item_count[p, s, i] = c
                item_mean[p, s, i], item_spread[p, s, i] = _mean_and_spread(c, total[s, i], squares[s, i])
            if s > 0:
                for i in range(n_items):
                    o_n[i] += n[s, i]
                    o_total[i] += total[s, i]
                    o_squares[i] += squares[s, i]
        for i in range(n_items):
            others_item_count[p, i] = o_n[i]
            others_item_mean[p, i], others_item_spread[p, i] = _mean_and_spread(o_n[i], o_total[i], o_squares[i])

        # Rule 3: attributes, from shown items only (the sums left after rule 2), counting raters.
        for s in range(slots):
            for a in range(n_attributes):
                a_raters[s, a] = 0
        for k in range(count):
            s = slot_of[k]
            if s < 0 or not active[s]:
                continue
            for a in range(n_attributes):
                hit = False
                for w in range(words):
                    hit |= (rated_bits[k, w] & shown_bits[s, w] & attribute_bits[a, w]) != 0
                a_raters[s, a] += hit
        for a in range(n_attributes):
            o_raters[a] = 0
            o_n[a] = 0
            o_total[a] = 0
            o_squares[a] = 0
        for s in range(slots):
            if not active[s]:
                for a in range(n_attributes):
                    attribute_count[p, s, a] = 0
                    attribute_mean[p, s, a] = nan
                    attribute_spread[p, s, a] = nan
                continue
            # Running sums over the items in attribute order: an attribute's sum is a difference.
            run_n = 0
            run_total = 0
            run_squares = 0
            for j in range(n_items):
                i = by_attribute[j]
                run_n += n[s, i]
                run_total += total[s, i]
                run_squares += squares[s, i]
                cumulative_n[j + 1] = run_n
                cumulative_total[j + 1] = run_total
                cumulative_squares[j + 1] = run_squares
            for a in range(n_attributes):
                lo, hi = attribute_start[a], attribute_start[a + 1]
                a_n = cumulative_n[hi] - cumulative_n[lo]
                a_total = cumulative_total[hi] - cumulative_total[lo]
                a_squares = cumulative_squares[hi] - cumulative_squares[lo]
                # A rater is counted once however many of the attribute's items they rated; the
                # count is above 0 exactly when an item is shown, and then reaches the threshold.
                attribute_count[p, s, a] = a_raters[s, a]
                attribute_mean[p, s, a], attribute_spread[p, s, a] = _mean_and_spread(a_n, a_total, a_squares)
                if s > 0:
                    o_raters[a] += a_raters[s, a]
                    o_n[a] += a_n
                    o_total[a] += a_total
                    o_squares[a] += a_squares
        for a in range(n_attributes):
            others_attribute_count[p, a] = o_raters[a]
            others_attribute_mean[p, a], others_attribute_spread[p, a] = _mean_and_spread(
                o_n[a], o_total[a], o_squares[a]
            )
    return _OK


# Report-level helpers: pure functions over one participant's figures.


@dataclass(frozen=True)
class SelfOtherGaps:
    """Attributes where self and others differ by at least `margin` points, largest gap first."""

    blind_spots: tuple[int, ...]  # self at least `margin` above others
    hidden_strengths: tuple[int, ...]  # others at least `margin` above self
    margin: float

    @property
    def rule(self) -> str:
        """The rule in words, for the report."""
        points = f"{self.margin:g} point" + ("" if self.margin == 1 else "s")
        return (
            f"A blind spot is an attribute where your own score is at least {points} above the average "
            f"score from everyone else who rated you. A hidden strength is one where their average is at "
            f"least {points} above your own score. Only attributes with both figures shown are compared."
        )


def blind_spots_and_hidden_strengths(
    *, self_means: np.ndarray, others_means: np.ndarray, margin: float = 1.0
) -> SelfOtherGaps:
    """Compare one participant's self and others attribute means (NaN where not shown).

    Default margin: 1.0 point, meant for a 5-point scale. Ties keep attribute order."""
    if margin <= 0:
        raise ValueError("The margin must be above 0.")
    self_means = np.asarray(self_means, dtype=float)
    others_means = np.asarray(others_means, dtype=float)
    gap = self_means - others_means  # NaN unless both are shown
    both = np.isfinite(gap)
    # A small allowance so that, say, 4.1 - 3.1 counts as 1.0 despite floating point.
    tolerance = 1e-9
    blind = list(np.flatnonzero(both & (gap >= margin - tolerance)))
    hidden = list(np.flatnonzero(both & (-gap >= margin - tolerance)))
    blind.sort(key=lambda a: (-gap[a], a))
    hidden.sort(key=lambda a: (gap[a], a))
    return SelfOtherGaps(
        blind_spots=tuple(int(a) for a in blind), hidden_strengths=tuple(int(a) for a in hidden), margin=margin
    )


def highest_and_lowest_items(*, others_item_means: np.ndarray, n: int = 5) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The `n` items others rated highest and the `n` they rated lowest, among shown items (not NaN).

    Highest first in the first list, lowest first in the second; ties go to the earlier item. No item
    is in both lists: with fewer than 2n shown items, the higher half (and the middle item, when
    there is an odd number) are the highest and the rest the lowest."""
    if n < 1:
        raise ValueError("n must be at least 1.")
    means = np.asarray(others_item_means, dtype=float)
    shown = np.flatnonzero(np.isfinite(means))
    ranked = sorted(shown, key=lambda i: (-means[i], i))
    take_high = min(n, (len(ranked) + 1) // 2)
    take_low = min(n, len(ranked) - take_high)
    highest = tuple(int(i) for i in ranked[:take_high])
    lowest = tuple(int(i) for i in sorted(shown, key=lambda i: (means[i], i))[:take_low])
    return highest, lowest


@dataclass(frozen=True)
class Norm:
    """The organisation's norm per attribute: the mean, over participants, of others' attribute means.

    `mean[a]` is NaN where fewer than `minimum_reports` participants had a shown figure for it;
    `reports[a]` is how many did."""

    mean: np.ndarray  # float64 [A]
    reports: np.ndarray  # int64 [A]
    minimum_reports: int


def organisation_norm(*, others_attribute_means: np.ndarray, minimum_reports: int = 10) -> Norm | None:
    """The norm from many participants' others attribute means ([P, A], NaN where not shown), all from
    the same framework version. None when fewer than `minimum_reports` participants have any shown
    figure at all."""
    if minimum_reports < 1:
        raise ValueError("minimum_reports must be at least 1.")
    means = np.asarray(others_attribute_means, dtype=float)
    if means.ndim != 2:
        raise ValueError("others_attribute_means must be [participants, attributes].")
    shown = np.isfinite(means)
    if int(shown.any(axis=1).sum()) < minimum_reports:
        return None
    reports = shown.sum(axis=0)
    totals = np.where(shown, means, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        norm = np.where(reports >= minimum_reports, totals / reports, np.nan)
    return Norm(mean=norm, reports=reports.astype(np.int64), minimum_reports=minimum_reports)


def comments_shown(aggregates: FeedbackAggregates, *, response_participant: np.ndarray) -> np.ndarray:
    """bool [responses, A]: whether a response's comment on an attribute may be shown.

    Self comments always are. Another rater's comment is shown only when the rater's group (or the
    combined group holding it) has its figure for that attribute shown; comments from dropped
    groups never are. This is stricter than "the group is shown": a comment on an attribute that
    too few of the group rated is held back with the figure."""
    participant = np.asarray(response_participant, dtype=np.int64)
    slot = aggregates.response_slot.astype(np.int64)
    if participant.shape != slot.shape:
        raise ValueError("response_participant needs one entry per response.")
    kept = slot >= 0
    shown = np.zeros((slot.shape[0], aggregates.attribute_count.shape[2]), dtype=bool)
    shown[kept] = aggregates.attribute_count[participant[kept], slot[kept]] > 0
    shown[slot == 0] = True
    return shown
