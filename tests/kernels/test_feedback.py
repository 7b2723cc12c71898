"""The 360 aggregation kernel: every confidentiality rule on small hand-built cases, then the kernel
against a plain-Python reference written from the rules, and the promise that a withheld rating
changes nothing that is shown."""

import math
import statistics
from collections import Counter, defaultdict

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cadre.kernels.feedback import (
    FeedbackAggregates,
    aggregate_feedback,
    blind_spots_and_hidden_strengths,
    comments_shown,
    highest_and_lowest_items,
    organisation_norm,
)

SELF, MANAGER, PEER, REPORT, OTHER = range(5)
COMBINED = 5  # the combined group's index when there are five rater groups
THRESHOLDS = (0, 1, 3, 3, 3)  # self ignored; line manager 1; peers, direct reports, others 3
NAN = math.nan


def aggregate(responses, *, items=None, thresholds=THRESHOLDS, combined_threshold=3, participants=None):
    """responses: (participant, group, ratings) triples. items: each item's attribute (default: one
    attribute per item)."""
    width = len(responses[0][2]) if responses else len(items or ())
    items = list(range(width)) if items is None else items
    return aggregate_feedback(
        ratings=np.array([r for _, _, r in responses], dtype=np.int8).reshape(len(responses), width),
        response_participant=np.array([p for p, _, _ in responses], dtype=np.int32),
        response_group=np.array([g for _, g, _ in responses], dtype=np.int8),
        item_attribute=np.array(items, dtype=np.int16),
        thresholds=thresholds,
        combined_threshold=combined_threshold,
        n_participants=participants,
        line_manager_group=MANAGER,
    )


def same(actual, expected) -> bool:
    """Equal, NaN equal to NaN."""
    return np.allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float), equal_nan=True)


def withheld(result: FeedbackAggregates, participant: int, group: int) -> bool:
    """Every figure of the group, items and attributes, is withheld: count 0, mean and spread NaN."""
    parts = [
        (result.item_count, result.item_mean, result.item_spread),
        (result.attribute_count, result.attribute_mean, result.attribute_spread),
    ]
    return all(
        not count[participant, group].any()
        and np.isnan(mean[participant, group]).all()
        and np.isnan(spread[participant, group]).all()
        for count, mean, spread in parts
    )


# Rule 1: groups withheld as a whole, merged or dropped.


def test_a_group_at_its_threshold_is_shown_and_one_below_is_withheld():
    result = aggregate(
        [
            (0, SELF, [4, 4]),
            (0, PEER, [3, 5]),
            (0, PEER, [4, 5]),
            (0, PEER, [5, 2]),
            (0, REPORT, [1, 1]),
            (0, REPORT, [2, 2]),
        ]
    )
    assert list(result.item_count[0, PEER]) == [3, 3]
    assert same(result.item_mean[0, PEER], [4.0, 4.0])
    assert same(result.item_spread[0, PEER], [statistics.pstdev([3, 4, 5]), statistics.pstdev([5, 5, 2])])
    assert withheld(result, 0, REPORT)
    # The two direct reports are the only withheld group: nothing to merge with, so dropped.
    assert result.combined_groups[0] == 0 and withheld(result, 0, COMBINED)
    assert list(result.others_item_count[0]) == [3, 3]
    assert same(result.others_item_mean[0], [4.0, 4.0])


def test_not_observed_does_not_count_towards_a_threshold():
    # Three peers were asked, but one marked every item "not observed": two responded.
    result = aggregate([(0, PEER, [3, 3]), (0, PEER, [4, 0]), (0, PEER, [0, 0])])
    assert withheld(result, 0, PEER)
    assert not result.others_item_count.any()
    assert np.isnan(result.others_attribute_mean).all()
    assert list(result.response_slot) == [-1, -1, -1]


def test_the_line_manager_alone_is_shown_when_its_threshold_is_one():
    result = aggregate([(0, SELF, [2]), (0, MANAGER, [4])])
    assert result.item_count[0, MANAGER, 0] == 1 and result.item_mean[0, MANAGER, 0] == 4.0
    assert result.item_spread[0, MANAGER, 0] == 0.0
    assert result.others_item_count[0, 0] == 1  # others is the line manager's view here
    # With the default threshold of 3 a lone line manager is withheld like any other group.
    result = aggregate([(0, SELF, [2]), (0, MANAGER, [4])], thresholds=(0, 3, 3, 3, 3))
    assert withheld(result, 0, MANAGER) and not result.others_item_count.any()


def test_thresholds_below_two_are_refused_except_for_the_line_manager():
    arrays = {
        "ratings": np.ones((1, 1), dtype=np.int8),
        "response_participant": [0],
        "response_group": [1],
        "item_attribute": [0],
    }
    with pytest.raises(ValueError, match="Rater group 2 has threshold 1"):
        aggregate_feedback(**arrays, thresholds=(0, 1, 1), combined_threshold=3, line_manager_group=1)
    with pytest.raises(ValueError, match="Rater group 1 has threshold 1"):
        aggregate_feedback(**arrays, thresholds=(0, 1, 3), combined_threshold=3)  # no line manager named
    with pytest.raises(ValueError, match="lowest allowed is 1"):
        aggregate_feedback(**arrays, thresholds=(0, 0, 3), combined_threshold=3, line_manager_group=1)
    with pytest.raises(ValueError, match="combined threshold"):
        aggregate_feedback(**arrays, thresholds=(0, 1, 3), combined_threshold=1, line_manager_group=1)


def test_two_withheld_groups_that_together_reach_the_threshold_are_shown_combined():
    result = aggregate(
        [
            (0, SELF, [5, 5]),
            (0, PEER, [4, 2]),
            (0, PEER, [4, 0]),
            (0, OTHER, [2, 2]),
            (0, OTHER, [3, 0]),
            (0, REPORT, [1, 1]),
            (0, REPORT, [1, 1]),
            (0, REPORT, [1, 1]),
        ]
    )
    assert result.combined_members(0) == (PEER, OTHER)
    assert result.combined_groups[0] == (1 << PEER) | (1 << OTHER)
    assert result.combined_threshold_used[0] == 3
    assert withheld(result, 0, PEER) and withheld(result, 0, OTHER)
    # Item 0: four raters in the combined group; item 1: only two, so withheld even there.
    assert list(result.item_count[0, COMBINED]) == [4, 0]
    assert same(result.item_mean[0, COMBINED], [13 / 4, NAN])
    assert list(result.response_slot) == [SELF, COMBINED, COMBINED, COMBINED, COMBINED, REPORT, REPORT, REPORT]
    # Others: the direct reports and the combined group, never self.
    assert list(result.others_item_count[0]) == [7, 3]
    assert same(result.others_item_mean[0], [(13 + 3) / 7, 1.0])


def test_a_combination_never_takes_in_a_shown_group():
    # Peers are shown; two direct reports alone would be withheld. Merging them with the peers
    # would let a reader subtract the peers' figure from the combined one, so they are dropped.
    result = aggregate(
        [(0, PEER, [3]), (0, PEER, [3]), (0, PEER, [3]), (0, REPORT, [1]), (0, REPORT, [5])],
    )
    assert result.combined_groups[0] == 0 and withheld(result, 0, COMBINED)
    assert withheld(result, 0, REPORT)
    assert result.item_count[0, PEER, 0] == 3
    assert result.others_item_count[0, 0] == 3 and result.others_item_mean[0, 0] == 3.0


def test_a_combination_below_the_threshold_is_dropped():
    # One direct report and one other: two withheld groups, but only two raters between them.
    result = aggregate([(0, PEER, [3])] * 3 + [(0, REPORT, [1]), (0, OTHER, [5])])
    assert result.combined_groups[0] == 0 and result.combined_threshold_used[0] == 0
    assert withheld(result, 0, REPORT) and withheld(result, 0, OTHER) and withheld(result, 0, COMBINED)
    assert list(result.response_slot) == [PEER, PEER, PEER, -1, -1]
    assert result.others_item_count[0, 0] == 3 and result.others_item_mean[0, 0] == 3.0


def test_a_group_with_no_one_responding_is_not_part_of_a_combination():
    # Two direct reports are withheld; the other group was asked but gave no ratings: one
    # withheld group with raters is nothing to combine, so the direct reports are dropped.
    result = aggregate([(0, REPORT, [2]), (0, REPORT, [4]), (0, OTHER, [0]), (0, OTHER, [0])])
    assert result.combined_groups[0] == 0
    assert not result.others_item_count.any()


def test_the_combined_threshold_is_the_largest_of_the_campaign_and_its_groups():
    responses = [(0, PEER, [2])] * 3 + [(0, OTHER, [4])]
    stricter_peers = (0, 1, 4, 3, 3)
    # Peers need 4 and have 3; others need 3 and have 1: four raters reach max(3, 4, 3) = 4.
    result = aggregate(responses, thresholds=stricter_peers)
    assert result.combined_members(0) == (PEER, OTHER) and result.combined_threshold_used[0] == 4
    assert result.item_count[0, COMBINED, 0] == 4 and result.item_mean[0, COMBINED, 0] == 2.5
    # A campaign threshold of 5 is above every group's: four raters are not enough.
    result = aggregate(responses, thresholds=stricter_peers, combined_threshold=5)
    assert result.combined_groups[0] == 0 and not result.others_item_count.any()
    # A group whose own threshold is above the raters available keeps the combination withheld.
    result = aggregate([*responses, (0, REPORT, [5])], thresholds=(0, 1, 4, 9, 3))
    assert result.combined_groups[0] == 0 and result.combined_threshold_used[0] == 0


def test_all_the_withheld_groups_are_combined_or_none_of_them():
    # Peers (2), direct reports (1) and others (1): four raters, one combined group of all three.
    result = aggregate([(0, PEER, [1]), (0, PEER, [2]), (0, REPORT, [3]), (0, OTHER, [4])])
    assert result.combined_members(0) == (PEER, REPORT, OTHER)
    assert result.item_count[0, COMBINED, 0] == 4


def test_the_combination_is_decided_per_participant():
    result = aggregate(
        [(0, PEER, [1]), (0, PEER, [1]), (0, OTHER, [1]), (1, PEER, [5]), (1, OTHER, [5])],
    )
    assert result.combined_members(0) == (PEER, OTHER) and result.combined_members(1) == ()
    assert result.item_mean[0, COMBINED, 0] == 1.0 and withheld(result, 1, COMBINED)


# Rule 2: items.


def test_an_item_too_few_rated_is_withheld_and_feeds_nothing():
    # Three peers responded, but only two rated item 1; items 0 and 1 make one attribute.
    result = aggregate(
        [(0, SELF, [3, 3]), (0, PEER, [4, 1]), (0, PEER, [4, 0]), (0, PEER, [4, 1])],
        items=[0, 0],
    )
    assert list(result.item_count[0, PEER]) == [3, 0]
    assert same(result.item_mean[0, PEER], [4.0, NAN]) and same(result.item_spread[0, PEER], [0.0, NAN])
    # The attribute figure leaves out item 1's ratings (a mean of 4, not (12 + 2) / 5).
    assert result.attribute_count[0, PEER, 0] == 3 and result.attribute_mean[0, PEER, 0] == 4.0
    assert result.others_attribute_mean[0, 0] == 4.0 and result.others_attribute_count[0, 0] == 3
    assert same(result.others_item_mean[0], [4.0, NAN]) and list(result.others_item_count[0]) == [3, 0]
    # Self has no threshold: its single rating is shown.
    assert list(result.item_count[0, SELF]) == [1, 1]


def test_an_attribute_with_no_shown_item_is_withheld():
    result = aggregate(
        [(0, PEER, [5, 0, 2]), (0, PEER, [5, 3, 0]), (0, PEER, [5, 0, 0])],
        items=[0, 1, 1],
    )
    assert list(result.attribute_count[0, PEER]) == [3, 0]
    assert same(result.attribute_mean[0, PEER], [5.0, NAN])
    assert same(result.others_attribute_mean[0], [5.0, NAN]) and list(result.others_attribute_count[0]) == [3, 0]


# Rules 3 to 5: attributes, others, the figures themselves.


def test_an_attribute_counts_raters_once_and_averages_every_rating():
    # Attribute 0 holds items 0 and 1. Peer ratings: (2, 4), (3, 5), (4, 0), (3, 3).
    result = aggregate(
        [(0, PEER, [2, 4]), (0, PEER, [3, 5]), (0, PEER, [4, 0]), (0, PEER, [3, 3])],
        items=[0, 0],
    )
    values = [2, 4, 3, 5, 4, 3, 3]
    assert result.attribute_count[0, PEER, 0] == 4
    assert result.attribute_mean[0, PEER, 0] == pytest.approx(statistics.fmean(values))
    assert result.attribute_spread[0, PEER, 0] == pytest.approx(statistics.pstdev(values))
    assert list(result.item_count[0, PEER]) == [4, 3]


def test_others_leave_out_self_and_every_withheld_group():
    result = aggregate(
        [
            (0, SELF, [1]),
            (0, MANAGER, [2]),
            (0, PEER, [4]),
            (0, PEER, [4]),
            (0, PEER, [4]),
            (0, REPORT, [5]),  # one direct report: withheld, and nothing to combine with
        ],
    )
    assert result.others_item_count[0, 0] == 4
    assert result.others_item_mean[0, 0] == pytest.approx(14 / 4)
    assert result.others_attribute_count[0, 0] == 4
    assert result.others_attribute_mean[0, 0] == pytest.approx(14 / 4)
    assert result.others_attribute_spread[0, 0] == pytest.approx(statistics.pstdev([2, 4, 4, 4]))
    assert result.item_mean[0, SELF, 0] == 1.0


def test_self_is_always_shown_and_never_part_of_others():
    result = aggregate([(0, SELF, [5, 0])])
    assert list(result.item_count[0, SELF]) == [1, 0]
    assert same(result.item_mean[0, SELF], [5.0, NAN])
    assert result.attribute_count[0, SELF, 0] == 1
    assert not result.others_item_count.any() and np.isnan(result.others_item_mean).all()


def test_a_participant_with_no_responses_has_every_figure_withheld():
    result = aggregate([(1, SELF, [3])], participants=3)
    for participant in (0, 2):
        assert all(withheld(result, participant, g) for g in range(COMBINED + 1))
        assert not result.others_attribute_count[participant].any()
    assert result.item_count.shape == (3, COMBINED + 1, 1)


def test_the_order_of_the_responses_does_not_matter():
    responses = [
        (1, PEER, [1, 2]),
        (0, PEER, [3, 3]),
        (1, SELF, [4, 4]),
        (0, PEER, [5, 1]),
        (1, PEER, [2, 2]),
        (0, PEER, [2, 0]),
        (1, PEER, [3, 5]),
        (0, OTHER, [1, 1]),
    ]
    shuffled = aggregate(responses)
    ordered = aggregate(sorted(responses, key=lambda r: r[0]))
    for name in ("item_mean", "item_count", "attribute_spread", "others_attribute_mean", "combined_groups"):
        assert same(getattr(shuffled, name), getattr(ordered, name)), name
    # response_slot follows the caller's order.
    assert list(shuffled.response_slot) == [PEER, PEER, SELF, PEER, PEER, PEER, PEER, -1]


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="participant outside"):
        aggregate([(3, PEER, [1])], participants=2)
    with pytest.raises(ValueError, match="rater group outside"):
        aggregate([(0, 7, [1])])
    with pytest.raises(ValueError, match="negative"):
        aggregate([(0, PEER, [1]), (0, PEER, [-1])])
    with pytest.raises(ValueError, match=r"outside -128\.\.127"):
        aggregate_feedback(
            ratings=np.array([[300]]),
            response_participant=[0],
            response_group=[1],
            item_attribute=[0],
            thresholds=THRESHOLDS,
            combined_threshold=3,
            line_manager_group=MANAGER,
        )
    with pytest.raises(ValueError, match="one entry per column"):
        aggregate([(0, PEER, [1, 2])], items=[0])


# Comments.


def test_comments_come_only_from_shown_figures():
    participants = [0, 0, 0, 0, 0, 0]
    result = aggregate(
        [
            (0, SELF, [0, 0]),  # rated nothing, but self comments are always shown
            (0, PEER, [4, 1]),
            (0, PEER, [4, 0]),
            (0, PEER, [4, 0]),
            (0, REPORT, [2, 2]),  # withheld and dropped
            (0, MANAGER, [0, 3]),
        ],
        items=[0, 1],
    )
    shown = comments_shown(result, response_participant=participants)
    assert shown.tolist() == [
        [True, True],
        [True, False],  # peers' attribute 1 is withheld (one rating), so are their comments on it
        [True, False],
        [True, False],
        [False, False],
        [False, True],  # the line manager rated only attribute 1
    ]


# Report-level helpers.


def test_blind_spots_and_hidden_strengths_use_the_stated_margin():
    self_means = np.array([4.5, 2.0, 3.0, 5.0, NAN, 4.1])
    others = np.array([3.0, 3.5, 3.5, NAN, 2.0, 3.1])
    gaps = blind_spots_and_hidden_strengths(self_means=self_means, others_means=others)
    assert gaps.blind_spots == (0, 5)  # 1.5 and exactly 1.0; attribute 3 has no others figure
    assert gaps.hidden_strengths == (1,)  # 1.5; attribute 2 differs by only 0.5
    assert "at least 1 point above" in gaps.rule
    wider = blind_spots_and_hidden_strengths(self_means=self_means, others_means=others, margin=1.5)
    assert wider.blind_spots == (0,) and wider.hidden_strengths == (1,)
    assert "1.5 points" in wider.rule
    with pytest.raises(ValueError):
        blind_spots_and_hidden_strengths(self_means=self_means, others_means=others, margin=0)


def test_highest_and_lowest_items_among_shown_items_with_ties_in_item_order():
    means = np.array([4.0, NAN, 2.0, 4.0, 3.0, 1.0, 5.0, 2.0, 3.5, 4.5, 3.0, 2.5])
    highest, lowest = highest_and_lowest_items(others_item_means=means, n=3)
    assert highest == (6, 9, 0)
    assert lowest == (5, 2, 7)
    # Fewer than 2n shown items: split, the middle one with the highest, none in both lists.
    highest, lowest = highest_and_lowest_items(others_item_means=np.array([1.0, NAN, 3.0, 2.0]), n=5)
    assert highest == (2, 3) and lowest == (0,)
    assert highest_and_lowest_items(others_item_means=np.array([NAN, NAN])) == ((), ())


def test_the_norm_needs_enough_reports_and_uses_shown_figures_only():
    means = np.full((12, 2), 3.0)
    means[:, 1] = NAN
    means[:3, 1] = 5.0
    means[0, 0] = 5.0
    norm = organisation_norm(others_attribute_means=means)
    assert norm is not None
    assert norm.mean[0] == pytest.approx((11 * 3 + 5) / 12) and norm.reports[0] == 12
    assert np.isnan(norm.mean[1]) and norm.reports[1] == 3  # three reports are too few
    assert organisation_norm(others_attribute_means=means, minimum_reports=13) is None
    assert organisation_norm(others_attribute_means=means, minimum_reports=3).mean[1] == 5.0
    assert organisation_norm(others_attribute_means=np.full((20, 2), NAN)) is None


# A plain-Python reference, written from the rules, and properties.


def reference(
    ratings, participant, group, item_attribute, thresholds, combined_threshold, n_participants, n_attributes
):
    n_groups, n_items = len(thresholds), len(item_attribute)
    slots = n_groups + 1
    out = {
        "item": np.full((n_participants, slots, n_items, 3), NAN),
        "attribute": np.full((n_participants, slots, n_attributes, 3), NAN),
        "others_item": np.full((n_participants, n_items, 3), NAN),
        "others_attribute": np.full((n_participants, n_attributes, 3), NAN),
        "combined_groups": [0] * n_participants,
        "combined_threshold_used": [0] * n_participants,
        "response_slot": [None] * len(participant),
    }

    def figure(values, raters):
        return (statistics.fmean(values), len(raters), statistics.pstdev(values))

    for p in range(n_participants):
        mine = [r for r in range(len(participant)) if participant[r] == p]
        responded = Counter(group[r] for r in mine if any(v > 0 for v in ratings[r]))
        withheld_groups = [g for g in range(1, n_groups) if 0 < responded[g] < thresholds[g]]
        needed = max([combined_threshold] + [thresholds[g] for g in withheld_groups])
        merged = []
        if len(withheld_groups) >= 2 and sum(responded[g] for g in withheld_groups) >= needed:
            merged = withheld_groups
            out["combined_groups"][p] = sum(1 << g for g in merged)
            out["combined_threshold_used"][p] = needed
        threshold = {0: 1, n_groups: needed, **{g: thresholds[g] for g in range(1, n_groups)}}

        def slot_of(r, merged=merged, responded=responded):
            g = group[r]
            if g == 0 or responded[g] >= thresholds[g]:
                return g
            return n_groups if g in merged else -1

        cells = defaultdict(list)  # (slot, item) -> [(rater, rating)]
        for r in mine:
            out["response_slot"][r] = slot_of(r)
            if slot_of(r) >= 0:
                for i, v in enumerate(ratings[r]):
                    if v > 0:
                        cells[slot_of(r), i].append((r, v))
        shown = {key: cell for key, cell in cells.items() if len(cell) >= threshold[key[0]]}
        for (s, i), cell in shown.items():
            out["item"][p, s, i] = figure([v for _, v in cell], {r for r, _ in cell})
        for i in range(n_items):
            cell = [rv for s in range(1, slots) for rv in shown.get((s, i), [])]
            if cell:
                out["others_item"][p, i] = figure([v for _, v in cell], {r for r, _ in cell})
        for a in range(n_attributes):
            everyone = []
            for s in range(slots):
                cell = [rv for (t, i), c in shown.items() if t == s and item_attribute[i] == a for rv in c]
                if cell:
                    out["attribute"][p, s, a] = figure([v for _, v in cell], {r for r, _ in cell})
                if s > 0:
                    everyone += cell
            if everyone:
                out["others_attribute"][p, a] = figure([v for _, v in everyone], {r for r, _ in everyone})
    return out


def check_against_reference(result: FeedbackAggregates, expected) -> None:
    def split(mean, count, spread, key):
        want = expected[key]
        assert np.array_equal(count, np.nan_to_num(want[..., 1]).astype(int)), key
        assert same(mean, want[..., 0]), key
        assert same(spread, want[..., 2]), key

    split(result.item_mean, result.item_count, result.item_spread, "item")
    split(result.attribute_mean, result.attribute_count, result.attribute_spread, "attribute")
    split(result.others_item_mean, result.others_item_count, result.others_item_spread, "others_item")
    split(
        result.others_attribute_mean, result.others_attribute_count, result.others_attribute_spread, "others_attribute"
    )
    assert list(result.combined_groups) == expected["combined_groups"]
    assert list(result.combined_threshold_used) == expected["combined_threshold_used"]
    assert list(result.response_slot) == expected["response_slot"]


@st.composite
def campaigns(draw):
    n_groups = draw(st.integers(2, 5))
    n_items = draw(st.integers(1, 6))
    n_attributes = draw(st.integers(1, 3))
    n_participants = draw(st.integers(1, 3))
    manager_threshold = draw(st.integers(1, 3))
    thresholds = [0] + [manager_threshold] + [draw(st.integers(2, 4)) for _ in range(n_groups - 2)]
    n_responses = draw(st.integers(0, 14))
    rating = st.one_of(st.just(0), st.integers(1, 5))  # "not observed" is common
    row = st.lists(rating, min_size=n_items, max_size=n_items)
    ratings = draw(st.lists(row, min_size=n_responses, max_size=n_responses))
    return {
        "ratings": ratings,
        "participant": draw(st.lists(st.integers(0, n_participants - 1), min_size=n_responses, max_size=n_responses)),
        "group": draw(st.lists(st.integers(0, n_groups - 1), min_size=n_responses, max_size=n_responses)),
        "item_attribute": draw(st.lists(st.integers(0, n_attributes - 1), min_size=n_items, max_size=n_items)),
        "thresholds": thresholds,
        "combined_threshold": draw(st.integers(2, 4)),
        "n_participants": n_participants,
        "n_attributes": n_attributes,
    }


def run(case) -> FeedbackAggregates:
    return aggregate_feedback(
        ratings=np.array(case["ratings"], dtype=np.int8).reshape(len(case["ratings"]), len(case["item_attribute"])),
        response_participant=np.array(case["participant"], dtype=np.int32),
        response_group=np.array(case["group"], dtype=np.int8),
        item_attribute=np.array(case["item_attribute"], dtype=np.int16),
        thresholds=case["thresholds"],
        combined_threshold=case["combined_threshold"],
        n_participants=case["n_participants"],
        n_attributes=case["n_attributes"],
        line_manager_group=1,
    )


@given(campaigns())
def test_the_kernel_agrees_with_the_reference(case):
    expected = reference(
        case["ratings"],
        case["participant"],
        case["group"],
        case["item_attribute"],
        case["thresholds"],
        case["combined_threshold"],
        case["n_participants"],
        case["n_attributes"],
    )
    check_against_reference(run(case), expected)


OUTPUTS = (
    "item_mean",
    "item_count",
    "item_spread",
    "attribute_mean",
    "attribute_count",
    "attribute_spread",
    "others_item_mean",
    "others_item_count",
    "others_item_spread",
    "others_attribute_mean",
    "others_attribute_count",
    "others_attribute_spread",
    "combined_groups",
    "combined_threshold_used",
    "response_slot",
)


def withheld_ratings(case, result: FeedbackAggregates) -> list[tuple[int, int]]:
    """(response, item) of every rating that sits in a withheld cell: its group is dropped, or its
    group's (or the combined group's) figure for the item is withheld."""
    found = []
    for r, row in enumerate(case["ratings"]):
        slot = result.response_slot[r]
        for i, v in enumerate(row):
            if v > 0 and (slot < 0 or result.item_count[case["participant"][r], slot, i] == 0):
                found.append((r, i))
    return found


@given(campaigns(), st.data())
def test_changing_a_withheld_rating_changes_nothing_shown(case, data):
    before = run(case)
    candidates = withheld_ratings(case, before)
    assume(candidates)
    r, i = data.draw(st.sampled_from(candidates))
    old = case["ratings"][r][i]
    case["ratings"][r][i] = data.draw(st.integers(1, 5).filter(lambda v: v != old))
    after = run(case)
    for name in OUTPUTS:
        assert same(getattr(after, name), getattr(before, name)), name


@given(campaigns(), st.data())
def test_adding_or_removing_a_withheld_rating_changes_nothing_shown(case, data):
    """Not even a withheld cell's count leaks: a rating added to or taken from a cell that stays
    withheld (by a rater who still responded) changes no output."""
    before = run(case)
    n_groups = len(case["thresholds"])
    candidates = []
    for r, row in enumerate(case["ratings"]):
        slot, p = before.response_slot[r], case["participant"][r]
        if slot == 0:
            continue  # self has no threshold: every self rating is shown
        for i, v in enumerate(row):
            if not any(w > 0 for j, w in enumerate(row) if j != i):
                continue  # the rater must still have responded after the change
            if slot == -1:
                candidates.append((r, i))
                continue
            needed = before.combined_threshold_used[p] if slot == n_groups else case["thresholds"][slot]
            rated = sum(
                1
                for q, other in enumerate(case["ratings"])
                if case["participant"][q] == p and before.response_slot[q] == slot and other[i] > 0
            )
            if rated < needed and rated + (1 if v == 0 else -1) < needed:  # withheld before and after
                candidates.append((r, i))
    assume(candidates)
    r, i = data.draw(st.sampled_from(candidates))
    case["ratings"][r][i] = 0 if case["ratings"][r][i] > 0 else data.draw(st.integers(1, 5))
    after = run(case)
    for name in OUTPUTS:
        assert same(getattr(after, name), getattr(before, name)), name


@given(campaigns(), st.randoms(use_true_random=False))
def test_shuffling_the_responses_changes_no_figure(case, random):
    order = list(range(len(case["ratings"])))
    random.shuffle(order)
    shuffled = {
        **case,
        "ratings": [case["ratings"][r] for r in order],
        "participant": [case["participant"][r] for r in order],
        "group": [case["group"][r] for r in order],
    }
    before, after = run(case), run(shuffled)
    for name in OUTPUTS[:-1]:
        assert same(getattr(after, name), getattr(before, name)), name
    assert list(after.response_slot) == [before.response_slot[r] for r in order]
