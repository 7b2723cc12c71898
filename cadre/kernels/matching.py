"""Mentor matching, exactly optimal: the most mentees matched, then the largest total score.

Inputs are plain arrays (indices are positions in the arrays, not person ids):

- `needs`: int [mentees, attributes], 0..4; `strengths`: int [mentors, attributes], 0..4.
- `mentee_levels`, `mentor_levels`: int, 1 (most junior) to 5.
- `mentee_organisations`, `mentor_organisations`: int codes; equal codes mean the same organisation.
- `capacities`: int [mentors], 0 or more.
- `manager`: int [mentees], the mentor index of the mentee's line manager, or -1.
- `avoid`: int [k, 2], pairs (mentee index, mentor index) that must not be matched.
- `same_person`: int [mentees], the mentor index of the same person, or -1.

A pair (mentee i, mentor j) is feasible when the mentor's level is above the mentee's, the mentor
is not the mentee's line manager, not on their avoid list and not the same person. Its score is
the sum over attributes of need x strength, plus `bonus` (2) when the organisations differ.

The objective is lexicographic: first the number of mentees matched, then the total score. With
integer weights `w_ij = BIG + score_ij`, where `BIG = max_score * min(mentees, total capacity) + 1`,
a matching of the largest weight is exactly such a matching: one more pair is worth more than any
difference in total score between two matchings (each total lies in 0..max_score * matched).

Algorithm (`match_mentors`): a min-cost flow. Every mentee sends one unit, either to a mentor
(cost `max_score - score`, always >= 0; the mentor passes at most `capacity` units on to the sink)
or to "unmatched" (cost `BIG + max_score`). The total cost is `mentees * (BIG + max_score) -
weight`, so the least cost is the largest weight.

1. Candidate pairs. One pass over every pair keeps, for each mentee, their `candidates` best
   feasible mentors at each mentor level, and for each mentor `2 * candidates` feasible mentees
   picked by a fixed hash of the pair (lists of best pairs alone crowd onto the strongest
   mentors, and far fewer mentees can then be matched within them).
2. Solve on the candidates: successive shortest paths with node potentials (the primal-dual
   method). Every residual arc keeps a reduced cost `cost + p(tail) - p(head) >= 0`. Each phase
   runs one Dijkstra from every mentee still to place at once, stopped at the nearest deficit
   (the sink, or a mentor owed a mentee, see 3), moves the potentials so the shortest paths have
   reduced cost 0, then sends flow along as many zero-reduced-cost paths as a depth-first search
   with a current arc per node finds (as in Dinic's algorithm); if it finds none, along the
   Dijkstra path. Sending flow along zero-reduced-cost paths keeps every reduced cost >= 0, so
   when every mentee is placed (with a mentor or unmatched) the flow has the least cost, and the
   matching the largest weight, among matchings that use candidate pairs.
3. Certificate on every pair. The potentials give linear-programming dual prices, `u_i` per
   mentee and `v_j` per mentor, both >= 0, with `u_i + v_j = w_ij` on matched pairs, `u_i = 0`
   for an unmatched mentee and `v_j = 0` for a mentor with a free place. A pass over *every*
   feasible pair (not only the candidates) checks `u_i + v_j >= w_ij`. When that holds, (u, v) is
   a feasible dual solution of the linear programme of the b-matching (max w.x, each mentee at
   most once, each mentor at most `capacity` times) whose value `sum(u) + sum(capacity * v)`
   equals the matching's weight, so by weak duality no matching, fractional or whole, weighs
   more: the matching is exactly optimal. Otherwise the pairs that break the check (and those of
   the same mentees at slack 0) are added to the candidates, those mentees are taken off their
   mentors (who are then owed a mentee: the flow to the sink is kept, so no other arc changes)
   and step 2 goes on from the same potentials. A pair that breaks the check cannot already be a
   candidate (candidate pairs end every solve at slack >= 0), so every round adds pairs and the
   rounds end.
4. The hard rules (level, line manager, avoid, not the same person, capacity) and the equality
   of the primal and dual values are checked again, independently, before the result is
   returned; a failure raises RuntimeError (a bug), never a wrong answer.

Integer arithmetic throughout (int64): no rounding, no tolerance.

Ties: many matchings can be optimal. The result is one of them, the same one for the same input
(single-threaded, integer arithmetic, fixed orders of search).
"""

from dataclasses import dataclass

import numba
import numpy as np

SCORE_BONUS = 2  # added when mentee and mentor belong to different organisations
DEFAULT_CANDIDATES = 8  # per mentee and mentor level
MENTOR_CANDIDATES_FACTOR = 2  # each mentor keeps this many times DEFAULT_CANDIDATES mentees
MAX_LEVEL_GROUPS = 16
NEAR = 1  # with pairs that break the check, add those of the same mentee at slack 0 (ties)
MAX_ADDED_PER_MENTEE = 16
INF = np.int64(1) << np.int64(62)

# Why a pair is excluded, as bits (a pair can be excluded for more than one reason).
EXCLUDED_SAME_PERSON = 1
EXCLUDED_MANAGER = 2
EXCLUDED_AVOID = 4


@dataclass(frozen=True)
class Matching:
    """The optimal assignment and the certificate that proves it.

    `mentor[i]` is the mentor index of mentee i, or -1; `score[i]` its score, or -1.
    `mentee_price` (u) and `mentor_price` (v) are the dual prices of the weights `big + score`;
    `dual_value == big * matched + total_score` is the proof of optimality.
    For the reasons an unmatched mentee gives: `mentors_above` counts mentors above the mentee's
    level; `excluded_*` those of them excluded (a pair excluded for several reasons counts under
    each); `zero_capacity` the remaining ones that take no mentees; `feasible` the rest;
    `tie[i]` is True for an unmatched mentee whom another, equally good, matching matches.
    """

    mentor: np.ndarray
    score: np.ndarray
    matched: int
    total_score: int
    big: int
    mentee_price: np.ndarray
    mentor_price: np.ndarray
    dual_value: int
    mentors_above: np.ndarray
    excluded_same_person: np.ndarray
    excluded_manager: np.ndarray
    excluded_avoid: np.ndarray
    zero_capacity: np.ndarray
    feasible: np.ndarray
    tie: np.ndarray
    rounds: int
    phases: int
    candidate_pairs: int


# --- compiled loops -----------------------------------------------------------------------------


@numba.njit(cache=True, nogil=True)
def _pair_score(needs, strengths, i, j, same_organisation, bonus):
    total = 0
    for a in range(needs.shape[1]):
        total += needs[i, a] * strengths[j, a]
    if not same_organisation:
        total += bonus
    return total


@numba.njit(cache=True, nogil=True, inline="always")
def _tie_hash(i, j):
    """A fixed pseudo-random 31-bit number for the pair (i, j), to order equal scores."""
    x = (i * 0x9E3779B1 + j * 0x85EBCA77 + 0x165667B1) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x2C1B3C6D) & 0xFFFFFFFF
    x ^= x >> 12
    x = (x * 0x297A2D39) & 0xFFFFFFFF
    x ^= x >> 15
    return x & 0x7FFFFFFF


@numba.njit(cache=True, nogil=True)
def _scan_candidates(
    needs, strengths, mentee_levels, mentor_levels, mentee_orgs, mentor_orgs, capacities,
    ex_ptr, ex_col, ex_kind, bonus, mentor_group, n_groups, k_mentee, k_mentor,
):  # fmt: skip
    """One pass over every pair: the best `k_mentee` feasible mentors of each mentee in each
    group of mentors (`mentor_group`, 0..n_groups-1: the mentor levels), so that a mentee's
    candidates reach down to the levels just above theirs; for each mentor, `k_mentor` feasible
    mentees picked by a fixed hash of the pair, so that every mentor with a place is a candidate
    for a spread of mentees (lists of the best pairs alone crowd onto the strongest mentors, and
    then far fewer mentees can be matched within them); and the counts that explain an unmatched
    mentee. Mentors with no capacity are never candidates."""
    n = needs.shape[0]
    m = strengths.shape[0]
    top_j = np.full((n, n_groups, max(k_mentee, 1)), -1, np.int64)
    top_s = np.full((n, n_groups, max(k_mentee, 1)), -1, np.int64)
    top_count = np.zeros((n, n_groups), np.int64)
    # Per mentor, a heap whose root is the worst kept mentee (lowest key, then highest index).
    heap_i = np.full((m, max(k_mentor, 1)), -1, np.int64)
    heap_k = np.full((m, max(k_mentor, 1)), -1, np.int64)
    heap_count = np.zeros(m, np.int64)
    counts = np.zeros((n, 6), np.int64)  # above, same person, manager, avoid, zero capacity, feasible
    row = np.empty(m, np.int64)  # this mentee's score with each mentor, -1 when not feasible
    for i in range(n):
        p = ex_ptr[i]
        end = ex_ptr[i + 1]
        best = -1
        for j in range(m):
            row[j] = -1
            if mentor_levels[j] <= mentee_levels[i]:
                continue
            counts[i, 0] += 1
            while p < end and ex_col[p] < j:
                p += 1
            if p < end and ex_col[p] == j:
                kind = ex_kind[p]
                if kind & 1:
                    counts[i, 1] += 1
                if kind & 2:
                    counts[i, 2] += 1
                if kind & 4:
                    counts[i, 3] += 1
                continue
            if capacities[j] == 0:
                counts[i, 4] += 1
                continue
            counts[i, 5] += 1
            s = _pair_score(needs, strengths, i, j, mentee_orgs[i] == mentor_orgs[j], bonus)
            row[j] = s
            if s > best:
                best = s
            # The mentee's list for this group, best first. Equal scores are ordered by a fixed
            # hash of the pair, not by index, so that mentees with the same scores (often) do
            # not all pick the same mentors.
            key = (s << 32) | _tie_hash(i, j)
            g = mentor_group[j]
            c = top_count[i, g]
            if k_mentee > 0 and (c < k_mentee or key > top_s[i, g, c - 1]):
                pos = c if c < k_mentee else k_mentee - 1
                while pos > 0 and top_s[i, g, pos - 1] < key:
                    top_s[i, g, pos] = top_s[i, g, pos - 1]
                    top_j[i, g, pos] = top_j[i, g, pos - 1]
                    pos -= 1
                top_s[i, g, pos] = key
                top_j[i, g, pos] = j
                if c < k_mentee:
                    top_count[i, g] = c + 1
        if k_mentor == 0:
            continue
        for j in range(m):
            if row[j] < 0:
                continue
            # A fixed pseudo-random choice among the mentor's feasible mentees.
            key = _tie_hash(j, i)
            # The mentor's heap (keys are distinct but for equal hashes: then the lower index wins).
            h = heap_count[j]
            if h < k_mentor:
                pos = h
                heap_count[j] = h + 1
                while pos > 0:
                    parent = (pos - 1) >> 1
                    pk = heap_k[j, parent]
                    if pk > key or (pk == key and heap_i[j, parent] < i):
                        heap_k[j, pos] = pk
                        heap_i[j, pos] = heap_i[j, parent]
                        pos = parent
                    else:
                        break
                heap_k[j, pos] = key
                heap_i[j, pos] = i
            elif key > heap_k[j, 0]:
                pos = 0
                while True:
                    child = 2 * pos + 1
                    if child >= k_mentor:
                        break
                    other = child + 1
                    if other < k_mentor and (
                        heap_k[j, other] < heap_k[j, child]
                        or (heap_k[j, other] == heap_k[j, child] and heap_i[j, other] > heap_i[j, child])
                    ):
                        child = other
                    ck = heap_k[j, child]
                    if ck < key or (ck == key and heap_i[j, child] > i):
                        heap_k[j, pos] = ck
                        heap_i[j, pos] = heap_i[j, child]
                        pos = child
                    else:
                        break
                heap_k[j, pos] = key
                heap_i[j, pos] = i
    return top_j, top_count, heap_i, heap_count, counts


@numba.njit(cache=True, nogil=True)
def _check_duals(
    needs, strengths, mentee_levels, mentor_levels, mentee_orgs, mentor_orgs, capacities,
    ex_ptr, ex_col, bonus, big, u, v, max_added, near,
):  # fmt: skip
    """Every feasible pair against the dual prices: the smallest slack `u_i + v_j - w_ij` of each
    mentee (negative means the prices are not yet a proof) and, per mentee, up to `max_added`
    pairs that break the check, the most broken first."""
    n = needs.shape[0]
    m = strengths.shape[0]
    slack_min = np.full(n, INF, np.int64)
    add_j = np.full((n, max_added), -1, np.int64)
    add_slack = np.zeros((n, max_added), np.int64)
    add_count = np.zeros(n, np.int64)
    for i in range(n):
        p = ex_ptr[i]
        end = ex_ptr[i + 1]
        ui = u[i]
        for j in range(m):
            if mentor_levels[j] <= mentee_levels[i] or capacities[j] == 0:
                continue
            while p < end and ex_col[p] < j:
                p += 1
            if p < end and ex_col[p] == j:
                continue
            w = big + _pair_score(needs, strengths, i, j, mentee_orgs[i] == mentor_orgs[j], bonus)
            slack = ui + v[j] - w
            if slack < slack_min[i]:
                slack_min[i] = slack
            if slack < near:
                c = add_count[i]
                if c < max_added or slack < add_slack[i, c - 1]:
                    pos = c if c < max_added else max_added - 1
                    while pos > 0 and add_slack[i, pos - 1] > slack:
                        add_slack[i, pos] = add_slack[i, pos - 1]
                        add_j[i, pos] = add_j[i, pos - 1]
                        pos -= 1
                    add_slack[i, pos] = slack
                    add_j[i, pos] = j
                    if c < max_added:
                        add_count[i] = c + 1
    return slack_min, add_j, add_count


@numba.njit(cache=True, nogil=True)
def _ties(
    needs, strengths, mentee_levels, mentor_levels, mentee_orgs, mentor_orgs, capacities,
    ex_ptr, ex_col, bonus, big, u, v, mentor,
):  # fmt: skip
    """For each unmatched mentee, whether some other optimal matching matches them (a tie).

    With optimal prices, the optimal matchings are exactly those that use only tight pairs
    (slack 0), leave unmatched only mentees priced 0 and leave free places only with mentors
    priced 0 (complementary slackness). Another optimal matching differs from this one by
    alternating cycles of tight pairs; one that brings in unmatched mentee i runs: i takes a
    tight place with mentor j from j's mentee k, who takes a tight place elsewhere, ..., until a
    mentee priced 0 drops out. So i ties when a tight pair leads to a mentor holding a mentee who
    can drop out that way ("free to leave"): searched backwards from the mentees priced 0, each
    mentor's column of pairs read at most once."""
    n = needs.shape[0]
    m = strengths.shape[0]
    free_to_leave = np.zeros(n, np.bool_)
    column_done = np.zeros(m, np.bool_)
    queue = np.empty(m, np.int64)
    head = 0
    tail = 0
    for k in range(n):
        j = mentor[k]
        if j >= 0 and u[k] == 0:
            free_to_leave[k] = True
            if not column_done[j]:
                column_done[j] = True
                queue[tail] = j
                tail += 1
    tie = np.zeros(n, np.bool_)
    while head < tail:
        j = queue[head]
        head += 1
        for k in range(n):
            if mentor[k] == j or free_to_leave[k] or tie[k] or mentor_levels[j] <= mentee_levels[k]:
                continue
            excluded = False
            for q in range(ex_ptr[k], ex_ptr[k + 1]):
                if ex_col[q] == j:
                    excluded = True
                    break
            if excluded:
                continue
            w = big + _pair_score(needs, strengths, k, j, mentee_orgs[k] == mentor_orgs[j], bonus)
            if u[k] + v[j] != w:
                continue
            if mentor[k] < 0:
                tie[k] = True
            else:
                free_to_leave[k] = True
                if not column_done[mentor[k]]:
                    column_done[mentor[k]] = True
                    queue[tail] = mentor[k]
                    tail += 1
    return tie


@numba.njit(cache=True, nogil=True)
def _add_pairs(row_ptr, col_idx, pair_i, pair_j, needs, strengths, mentee_orgs, mentor_orgs, bonus, max_score):
    """The candidate pairs (CSR by mentee, mentors in increasing order, each once) with the pairs
    (pair_i, pair_j) added, and every pair's cost `max_score - score`."""
    n = row_ptr.shape[0] - 1
    count = np.zeros(n, np.int64)
    for i in range(n):
        count[i] = row_ptr[i + 1] - row_ptr[i]
    for x in range(pair_i.shape[0]):
        count[pair_i[x]] += 1
    ptr = np.zeros(n + 1, np.int64)
    for i in range(n):
        ptr[i + 1] = ptr[i] + count[i]
    cols = np.empty(ptr[n], np.int64)
    fill = ptr[:n].copy()
    for i in range(n):
        for e in range(row_ptr[i], row_ptr[i + 1]):
            cols[fill[i]] = col_idx[e]
            fill[i] += 1
    for x in range(pair_i.shape[0]):
        i = pair_i[x]
        cols[fill[i]] = pair_j[x]
        fill[i] += 1
    # Sort each mentee's mentors and drop repeats.
    new_ptr = np.zeros(n + 1, np.int64)
    out = 0
    for i in range(n):
        segment = np.sort(cols[ptr[i] : ptr[i + 1]])
        previous = -1
        for x in range(segment.shape[0]):
            if segment[x] != previous:
                cols[out] = segment[x]
                out += 1
                previous = segment[x]
        new_ptr[i + 1] = out
    cols = cols[:out].copy()
    cost = np.empty(out, np.int64)
    for i in range(n):
        for e in range(new_ptr[i], new_ptr[i + 1]):
            j = cols[e]
            cost[e] = max_score - _pair_score(needs, strengths, i, j, mentee_orgs[i] == mentor_orgs[j], bonus)
    return new_ptr, cols, cost


_FRESH = 0  # depth-first search states of a column within a phase
_ON_PATH = 1
_DEAD = 2


@numba.njit(cache=True, nogil=True, inline="always")
def _before(d1, n1, d2, n2):
    return d1 < d2 or (d1 == d2 and n1 < n2)


@numba.njit(cache=True, nogil=True)
def _heap_push(heap_d, heap_n, size, d, node):
    pos = size
    while pos > 0:
        parent = (pos - 1) >> 1
        if _before(d, node, heap_d[parent], heap_n[parent]):
            heap_d[pos] = heap_d[parent]
            heap_n[pos] = heap_n[parent]
            pos = parent
        else:
            break
    heap_d[pos] = d
    heap_n[pos] = node
    return size + 1


@numba.njit(cache=True, nogil=True)
def _heap_pop(heap_d, heap_n, size):
    """Remove the root (read it before calling); returns the new size."""
    size -= 1
    d = heap_d[size]
    node = heap_n[size]
    pos = 0
    while True:
        child = 2 * pos + 1
        if child >= size:
            break
        if child + 1 < size and _before(heap_d[child + 1], heap_n[child + 1], heap_d[child], heap_n[child]):
            child += 1
        if _before(heap_d[child], heap_n[child], d, node):
            heap_d[pos] = heap_d[child]
            heap_n[pos] = heap_n[child]
            pos = child
        else:
            break
    heap_d[pos] = d
    heap_n[pos] = node
    return size


@numba.njit(cache=True, nogil=True)
def _carry_out(
    path, path_cost, depth, n, sink, sink_deficit, slot_ptr, slot_row, free_slots, free_top,
    load, out, row_col, row_slot, row_cost,
):  # fmt: skip
    """Send one unit along path[0..depth] (nodes: rows, columns, the sink): first every row leaves
    the column the path takes it from, then every row joins its new column, and the arcs to and
    from the sink change their flow. Returns the sink's new deficit."""
    for x in range(depth):
        a = path[x]
        b = path[x + 1]
        if n <= a < sink and b < n:
            c = a - n
            s = row_slot[b]
            slot_row[s] = -1
            free_slots[slot_ptr[c] + free_top[c]] = s
            free_top[c] += 1
            load[c] -= 1
    for x in range(depth):
        a = path[x]
        b = path[x + 1]
        if a < n:
            c = b - n
            free_top[c] -= 1
            s = free_slots[slot_ptr[c] + free_top[c]]
            slot_row[s] = a
            row_slot[a] = s
            row_col[a] = c
            row_cost[a] = path_cost[x]
            load[c] += 1
        elif a == sink:
            out[b - n] -= 1
            sink_deficit += 1
        elif b == sink:
            out[a - n] += 1
            sink_deficit -= 1
    return sink_deficit


@numba.njit(cache=True, nogil=True)
def _min_cost_assignment(row_ptr, col_idx, cost, capacities, unmatched_cost, row_col, out, p_row, p_col, p_sink):
    """Assign every row (mentee) to a column (mentor) or to "unmatched", at least total cost.

    The network: row -> column arcs (capacity 1, `cost` >= 0, the candidate pairs in CSR form),
    row -> unmatched (cost `unmatched_cost`), column -> sink (capacity `capacities[j]`, cost 0),
    unmatched -> sink (no limit). Every row supplies one unit; the sink takes what arrives.
    Column index m stands for "unmatched" in `row_col`, `out` and `p_col`.

    State, changed in place: `row_col[i]` the row's column, or -1 for a row still to place (a
    source); `out[c]` the flow on column c's arc to the sink, which is more than the column's rows
    when a row has been taken away for a fresh start (the column is then owed a row: a deficit,
    which a path may end at, either by bringing a row or by giving the place back through the
    sink); potentials `p_row`, `p_col` and `p_sink`, with every residual arc's reduced cost `cost
    + p(tail) - p(head)` >= 0, except arcs out of rows still to place, whose potentials are raised
    here first. Returns (p_sink, phases).

    Successive shortest paths, many per phase: a Dijkstra from every row still to place at once,
    stopped at the nearest deficit (the sink, or a column owed a row), moves the potentials so
    that the shortest paths have reduced cost 0, then a depth-first search with a current arc per
    node (as in Dinic's algorithm) sends flow along as many zero-reduced-cost paths as it finds;
    when it finds none (it leaves out some paths through the sink), along the Dijkstra tree's
    path, which has reduced cost 0. Both steps keep every residual arc's reduced cost >= 0 (the
    optimality condition of a min-cost flow), and every phase places at least one row, so the
    last phase ends with the least-cost assignment."""
    n = row_ptr.shape[0] - 1
    m = capacities.shape[0]
    unmatched = m
    sink = n + m + 1
    n_nodes = n + m + 2
    cap = np.empty(m + 1, np.int64)
    cap[:m] = capacities
    cap[m] = n + 1
    slot_ptr = np.zeros(m + 2, np.int64)
    for c in range(m + 1):
        slot_ptr[c + 1] = slot_ptr[c] + cap[c]
    slot_row = np.full(slot_ptr[m + 1], -1, np.int64)
    free_slots = np.empty(slot_ptr[m + 1], np.int64)  # a stack of free slots per column
    free_top = np.zeros(m + 1, np.int64)
    load = np.zeros(m + 1, np.int64)
    row_slot = np.full(n, -1, np.int64)
    row_cost = np.zeros(n, np.int64)
    free_rows = np.empty(n, np.int64)
    n_free = 0
    for i in range(n):
        c = row_col[i]
        if c < 0:
            free_rows[n_free] = i
            n_free += 1
            continue
        s = slot_ptr[c] + load[c]
        slot_row[s] = i
        row_slot[i] = s
        load[c] += 1
        if c == unmatched:
            row_cost[i] = unmatched_cost
        else:
            row_cost[i] = -1
            for e in range(row_ptr[i], row_ptr[i + 1]):
                if col_idx[e] == c:
                    row_cost[i] = cost[e]
            if row_cost[i] < 0:
                raise ValueError("matching: a row is placed on a pair that is not a candidate")
    for c in range(m + 1):
        if load[c] > out[c] or out[c] > cap[c]:
            raise ValueError("matching: a column's flow does not fit its rows and capacity")
        for s in range(slot_ptr[c + 1] - 1, slot_ptr[c] + load[c] - 1, -1):
            free_slots[slot_ptr[c] + free_top[c]] = s
            free_top[c] += 1
    sink_deficit = n
    for c in range(m + 1):
        sink_deficit -= out[c]
    # A row to place has no arc into it: raise its potential until its arcs cost >= 0.
    for f in range(n_free):
        i = free_rows[f]
        best = p_col[unmatched] - unmatched_cost
        for e in range(row_ptr[i], row_ptr[i + 1]):
            need = p_col[col_idx[e]] - cost[e]
            if need > best:
                best = need
        p_row[i] = best

    dist = np.full(n_nodes, INF, np.int64)
    touched = np.empty(n_nodes, np.int64)
    pred = np.full(n_nodes, -1, np.int64)  # the Dijkstra tree
    pred_cost = np.zeros(n_nodes, np.int64)  # a column's arc cost from its tree parent row
    final = np.zeros(n_nodes, np.bool_)
    done = np.empty(n_nodes, np.int64)
    heap_cap = row_ptr[n] + slot_ptr[m + 1] + 3 * n + 3 * m + 16
    heap_d = np.empty(heap_cap, np.int64)
    heap_n = np.empty(heap_cap, np.int64)
    # Depth-first search, per phase: when a node was last seen, its next arc, its state.
    row_seen = np.zeros(n, np.int64)
    row_next = np.zeros(n, np.int64)
    col_seen = np.zeros(m + 1, np.int64)
    col_next = np.zeros(m + 1, np.int64)
    col_sink_tried = np.zeros(m + 1, np.bool_)
    col_state = np.zeros(m + 1, np.int64)
    sink_seen = 0
    sink_next = 0
    path = np.empty(n_nodes + 1, np.int64)
    path_cost = np.empty(n_nodes + 1, np.int64)
    phases = 0

    while n_free > 0:
        phases += 1
        # 1. Dijkstra from every row still to place at once, stopped at the nearest deficit.
        # `touched` lists the nodes given a distance, to reset them afterwards.
        size = 0
        n_touched = 0
        for f in range(n_free):
            i = free_rows[f]
            dist[i] = 0
            pred[i] = -1
            touched[n_touched] = i
            n_touched += 1
            size = _heap_push(heap_d, heap_n, size, 0, i)
        d_sink = INF
        terminal = -1
        n_done = 0
        while size > 0:
            d = heap_d[0]
            node = heap_n[0]
            size = _heap_pop(heap_d, heap_n, size)
            if final[node] or d > dist[node]:
                continue
            if d >= d_sink:
                break
            final[node] = True
            done[n_done] = node
            n_done += 1
            if node < n:
                i = node
                own = row_col[i]
                for e in range(row_ptr[i], row_ptr[i + 1]):
                    c = col_idx[e]
                    if c != own:
                        nd = d + cost[e] + p_row[i] - p_col[c]
                        if nd < dist[n + c]:
                            if dist[n + c] == INF:
                                touched[n_touched] = n + c
                                n_touched += 1
                            dist[n + c] = nd
                            pred[n + c] = i
                            pred_cost[n + c] = cost[e]
                            size = _heap_push(heap_d, heap_n, size, nd, n + c)
                if own != unmatched:
                    nd = d + unmatched_cost + p_row[i] - p_col[unmatched]
                    if nd < dist[n + unmatched]:
                        if dist[n + unmatched] == INF:
                            touched[n_touched] = n + unmatched
                            n_touched += 1
                        dist[n + unmatched] = nd
                        pred[n + unmatched] = i
                        pred_cost[n + unmatched] = unmatched_cost
                        size = _heap_push(heap_d, heap_n, size, nd, n + unmatched)
            elif node < sink:
                c = node - n
                if out[c] > load[c]:
                    d_sink = d  # owed a row: a path ends here
                    terminal = node
                    continue
                for s in range(slot_ptr[c], slot_ptr[c + 1]):
                    k = slot_row[s]
                    if k >= 0:
                        nd = d - row_cost[k] + p_col[c] - p_row[k]
                        if nd < dist[k]:
                            if dist[k] == INF:
                                touched[n_touched] = k
                                n_touched += 1
                            dist[k] = nd
                            pred[k] = node
                            size = _heap_push(heap_d, heap_n, size, nd, k)
                if out[c] < cap[c]:
                    nd = d + p_col[c] - p_sink
                    if nd < dist[sink]:
                        if dist[sink] == INF:
                            touched[n_touched] = sink
                            n_touched += 1
                        dist[sink] = nd
                        pred[sink] = node
                        size = _heap_push(heap_d, heap_n, size, nd, sink)
            else:
                if sink_deficit > 0:
                    d_sink = d
                    terminal = node
                    continue
                for c in range(m + 1):
                    if out[c] > 0:
                        nd = d + p_sink - p_col[c]
                        if nd < dist[n + c]:
                            if dist[n + c] == INF:
                                touched[n_touched] = n + c
                                n_touched += 1
                            dist[n + c] = nd
                            pred[n + c] = sink
                            size = _heap_push(heap_d, heap_n, size, nd, n + c)
        if d_sink == INF:
            raise RuntimeError("matching: rows are left with nowhere to go (this is a bug)")
        # 2. Potentials: p += min(dist, d_sink) - d_sink, so only settled nodes move.
        for x in range(n_done):
            node = done[x]
            delta = dist[node] - d_sink
            if node < n:
                p_row[node] += delta
            elif node < sink:
                p_col[node - n] += delta
            else:
                p_sink += delta
        # 3. Send flow along zero-reduced-cost paths, depth first from each row still to place.
        augmented = 0
        f = 0
        while f < n_free:
            path[0] = free_rows[f]
            depth = 0
            found = False
            while True:
                x = path[depth]
                y = -1
                arc_cost = 0
                if x < n:
                    r = x
                    if row_seen[r] != phases:
                        row_seen[r] = phases
                        row_next[r] = row_ptr[r]
                    own = row_col[r]
                    e = row_next[r]
                    limit = row_ptr[r + 1]
                    while e < limit:
                        c = col_idx[e]
                        if c != own and cost[e] + p_row[r] - p_col[c] == 0:
                            if col_seen[c] != phases:
                                col_seen[c] = phases
                                col_state[c] = _FRESH
                                col_next[c] = slot_ptr[c]
                                col_sink_tried[c] = False
                            if col_state[c] == _FRESH:
                                y = n + c
                                arc_cost = cost[e]
                                break
                        e += 1
                    # Then "unmatched", when its arc has reduced cost 0.
                    if y < 0 and e == limit and own != unmatched and unmatched_cost + p_row[r] == p_col[unmatched]:
                        if col_seen[unmatched] != phases:
                            col_seen[unmatched] = phases
                            col_state[unmatched] = _FRESH
                            col_next[unmatched] = slot_ptr[unmatched]
                            col_sink_tried[unmatched] = False
                        if col_state[unmatched] == _FRESH:
                            y = n + unmatched
                            arc_cost = unmatched_cost
                    row_next[r] = e + 1
                else:
                    c = x - n
                    # The sink first (a free place ends most paths), then the column's rows.
                    if not col_sink_tried[c]:
                        col_sink_tried[c] = True
                        if out[c] < cap[c] and p_col[c] == p_sink:
                            if sink_deficit > 0:
                                y = sink
                            else:
                                # Through the sink straight on to a column owed a row, which
                                # gives that place back. Longer paths through the sink are
                                # left to the Dijkstra path below.
                                if sink_seen != phases:
                                    sink_seen = phases
                                    sink_next = 0
                                while sink_next <= m:
                                    cc = sink_next
                                    if out[cc] > load[cc] and p_col[cc] == p_sink and cc != c:
                                        break
                                    sink_next += 1
                                if sink_next <= m:
                                    path_cost[depth] = 0
                                    depth += 1
                                    path[depth] = sink
                                    y = n + sink_next
                    if y < 0:
                        s = col_next[c]
                        limit = slot_ptr[c + 1]
                        while s < limit and slot_row[s] < 0:
                            s += 1
                        col_next[c] = s + 1
                        if s < limit:
                            y = slot_row[s]
                if y < 0:
                    if x >= n:
                        col_state[x - n] = _DEAD
                    if depth == 0:
                        break
                    depth -= 1
                    continue
                path_cost[depth] = arc_cost
                depth += 1
                path[depth] = y
                if y == sink or (y >= n and out[y - n] > load[y - n]):
                    found = True  # the sink, or a column, owed a unit
                    break
                if y >= n:
                    col_state[y - n] = _ON_PATH
            if not found:
                f += 1
                continue
            sink_deficit = _carry_out(
                path, path_cost, depth, n, sink, sink_deficit, slot_ptr, slot_row, free_slots, free_top,
                load, out, row_col, row_slot, row_cost,
            )  # fmt: skip
            for x in range(depth + 1):
                a = path[x]
                if n <= a < sink:
                    col_state[a - n] = _FRESH
                    col_sink_tried[a - n] = False  # a column may have more free places
            augmented += 1
            n_free -= 1
            free_rows[f] = free_rows[n_free]  # keep scanning from f: the moved row is next
        if augmented == 0:
            # The search above gives up some paths through the sink; the Dijkstra tree's path to
            # the nearest deficit has reduced cost 0 after the potentials moved, so take it.
            depth = 0
            node = terminal
            while node >= 0:
                path[depth] = node
                depth += 1
                node = pred[node]
            depth -= 1
            for x in range(depth // 2 + 1):
                path[x], path[depth - x] = path[depth - x], path[x]
            for x in range(depth):
                path_cost[x] = pred_cost[path[x + 1]]
            if path[0] >= n or row_col[path[0]] != -1:
                raise RuntimeError("matching: the shortest path does not start at a row to place (a bug)")
            sink_deficit = _carry_out(
                path, path_cost, depth, n, sink, sink_deficit, slot_ptr, slot_row, free_slots, free_top,
                load, out, row_col, row_slot, row_cost,
            )  # fmt: skip
            for f in range(n_free - 1, -1, -1):
                if free_rows[f] == path[0]:
                    n_free -= 1
                    free_rows[f] = free_rows[n_free]
                    break
        for x in range(n_touched):
            node = touched[x]
            dist[node] = INF
            final[node] = False
            pred[node] = -1
        # The rows still to place in index order, so the search order, and the result, is fixed.
        free_rows[:n_free] = np.sort(free_rows[:n_free])
    return p_sink, phases


# --- the public function ------------------------------------------------------------------------


def _as_int_array(name: str, value, ndim: int) -> np.ndarray:
    array = np.asarray(value)
    if array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), not {array.ndim}.")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, not {array.dtype}.")
    return np.ascontiguousarray(array, dtype=np.int64)


def exclusions(
    *, mentees: int, mentors: int, manager: np.ndarray, avoid: np.ndarray, same_person: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The excluded pairs of each mentee as sorted lists: (pointer [mentees + 1], mentor, reason
    bits). Out-of-range or negative mentor indices in `manager` and `same_person` mean none."""
    rows, cols, kinds = [], [], []
    for kind, target in ((EXCLUDED_SAME_PERSON, same_person), (EXCLUDED_MANAGER, manager)):
        present = np.flatnonzero((target >= 0) & (target < mentors))
        rows.append(present)
        cols.append(target[present])
        kinds.append(np.full(present.size, kind, np.int64))
    if avoid.size:
        if avoid.min() < 0 or avoid[:, 0].max() >= mentees or avoid[:, 1].max() >= mentors:
            raise ValueError("avoid holds an index outside the mentees or mentors.")
        rows.append(avoid[:, 0])
        cols.append(avoid[:, 1])
        kinds.append(np.full(avoid.shape[0], EXCLUDED_AVOID, np.int64))
    row = np.concatenate(rows).astype(np.int64)
    col = np.concatenate(cols).astype(np.int64)
    kind = np.concatenate(kinds).astype(np.int64)
    order = np.lexsort((col, row))
    row, col, kind = row[order], col[order], kind[order]
    if row.size:
        first = np.ones(row.size, bool)
        first[1:] = (row[1:] != row[:-1]) | (col[1:] != col[:-1])
        group = np.cumsum(first) - 1
        merged = np.zeros(int(group[-1]) + 1, np.int64)
        np.bitwise_or.at(merged, group, kind)
        row, col, kind = row[first], col[first], merged
    pointer = np.zeros(mentees + 1, np.int64)
    np.cumsum(np.bincount(row, minlength=mentees), out=pointer[1:])
    return pointer, col, kind


def match_mentors(
    *,
    needs,
    strengths,
    mentee_levels,
    mentor_levels,
    mentee_organisations,
    mentor_organisations,
    capacities,
    manager=None,
    avoid=None,
    same_person=None,
    bonus: int = SCORE_BONUS,
    candidates: int | None = DEFAULT_CANDIDATES,
) -> Matching:
    """The matching with the most mentees matched and, among those, the largest total score.

    `candidates`: how many best mentors per mentee and mentor level step 1 keeps (mentors keep
    twice as many mentees); None: every feasible pair. It changes the running time, never the
    optimum: the certificate is always checked on every feasible pair. A capacity above the
    number of mentees is read as that number. See the module docstring for the algorithm and
    why the result is exact. Raises ValueError for arrays of the wrong shape or sign."""
    needs = _as_int_array("needs", needs, 2)
    strengths = _as_int_array("strengths", strengths, 2)
    n, m = needs.shape[0], strengths.shape[0]
    if needs.shape[1] != strengths.shape[1]:
        raise ValueError("needs and strengths must have the same attributes (columns).")
    mentee_levels = _as_int_array("mentee_levels", mentee_levels, 1)
    mentor_levels = _as_int_array("mentor_levels", mentor_levels, 1)
    mentee_orgs = _as_int_array("mentee_organisations", mentee_organisations, 1)
    mentor_orgs = _as_int_array("mentor_organisations", mentor_organisations, 1)
    capacities = _as_int_array("capacities", capacities, 1)
    manager = np.full(n, -1, np.int64) if manager is None else _as_int_array("manager", manager, 1)
    same_person = np.full(n, -1, np.int64) if same_person is None else _as_int_array("same_person", same_person, 1)
    if avoid is None or np.size(avoid) == 0:
        avoid = np.zeros((0, 2), np.int64)
    avoid = _as_int_array("avoid", avoid, 2)
    if avoid.shape[1] != 2:
        raise ValueError("avoid must be pairs: an array of shape (k, 2).")
    for name, array, size in (
        ("mentee_levels", mentee_levels, n),
        ("mentee_organisations", mentee_orgs, n),
        ("manager", manager, n),
        ("same_person", same_person, n),
        ("mentor_levels", mentor_levels, m),
        ("mentor_organisations", mentor_orgs, m),
        ("capacities", capacities, m),
    ):
        if array.shape[0] != size:
            raise ValueError(f"{name} has {array.shape[0]} entries, expected {size}.")
    if (needs < 0).any() or (strengths < 0).any() or (capacities < 0).any() or bonus < 0:
        raise ValueError("needs, strengths, capacities and bonus must be 0 or more.")
    # No mentor can take more mentees than there are: a larger capacity changes nothing.
    capacities = np.minimum(capacities, n)

    ex_ptr, ex_col, ex_kind = exclusions(mentees=n, mentors=m, manager=manager, avoid=avoid, same_person=same_person)
    # The largest score any pair can have, so `max_score - score` is never negative.
    best_strength = strengths.max(axis=0) if m else np.zeros(needs.shape[1], np.int64)
    max_score = int((needs @ best_strength).max()) + bonus if n else bonus
    places = int(min(n, int(capacities.sum())))
    big = max_score * places + 1
    unmatched_cost = big + max_score  # every mentee sends one unit: cost = weight subtracted from this
    if unmatched_cost * max(n, 1) * 4 >= int(INF):
        raise ValueError("The problem is too large for 64-bit integer weights.")

    # Mentor groups for the candidate lists: the mentor levels (a few), or one group if many.
    levels_seen, mentor_group = np.unique(mentor_levels, return_inverse=True)
    n_groups = len(levels_seen)
    if n_groups > MAX_LEVEL_GROUPS or candidates is None:
        mentor_group, n_groups = np.zeros(m, np.int64), 1
    if candidates is None:
        k_mentee, k_mentor = m, 0
    else:
        k_mentee = min(max(int(candidates), 0), m)
        k_mentor = min(max(int(candidates) * MENTOR_CANDIDATES_FACTOR, 0), n)
    top_j, top_count, heap_i, heap_count, counts = _scan_candidates(
        needs, strengths, mentee_levels, mentor_levels, mentee_orgs, mentor_orgs, capacities,
        ex_ptr, ex_col, ex_kind, bonus, mentor_group.astype(np.int64).reshape(m), np.int64(max(n_groups, 1)),
        k_mentee, k_mentor,
    )  # fmt: skip
    keep_top = np.arange(top_j.shape[2]) < top_count[:, :, None]
    keep_heap = np.arange(heap_i.shape[1]) < heap_count[:, None]
    row_ptr, col_idx, cost = _add_pairs(
        np.zeros(n + 1, np.int64), np.zeros(0, np.int64),
        np.concatenate([np.repeat(np.arange(n, dtype=np.int64), top_count.sum(axis=1)), heap_i[keep_heap]]),
        np.concatenate([top_j[keep_top], np.repeat(np.arange(m, dtype=np.int64), heap_count)]),
        needs, strengths, mentee_orgs, mentor_orgs, np.int64(bonus), np.int64(max_score),
    )  # fmt: skip

    def score_of(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        scores = np.einsum("ka,ka->k", needs[rows], strengths[cols]) if rows.size else np.zeros(0, np.int64)
        return scores + bonus * (mentee_orgs[rows] != mentor_orgs[cols])

    # The state carried from round to round: every mentee still to place, no flow, potentials 0.
    row_col = np.full(n, -1, np.int64)
    out = np.zeros(m + 1, np.int64)
    p_row = np.zeros(n, np.int64)
    p_col = np.zeros(m + 1, np.int64)
    p_sink = np.int64(0)
    rounds = 0
    phases = 0
    while True:
        rounds += 1
        p_sink, used = _min_cost_assignment(
            row_ptr, col_idx, cost, capacities, np.int64(unmatched_cost), row_col, out, p_row, p_col, p_sink
        )
        phases += int(used)
        # Dual prices of the weights big + score (see the module docstring, step 3).
        u = unmatched_cost - p_sink + p_row
        v = np.maximum(0, p_sink - p_col[:m])
        v[capacities == 0] = unmatched_cost  # no place to price: any price above every weight
        slack_min, add_j, add_count = _check_duals(
            needs, strengths, mentee_levels, mentor_levels, mentee_orgs, mentor_orgs, capacities,
            ex_ptr, ex_col, bonus, np.int64(big), u, v, MAX_ADDED_PER_MENTEE, np.int64(NEAR),
        )  # fmt: skip
        if (slack_min >= 0).all():
            break
        add_count[slack_min >= 0] = 0
        keep = np.arange(add_j.shape[1]) < add_count[:, None]
        row_ptr, col_idx, cost = _add_pairs(
            row_ptr, col_idx, np.repeat(np.arange(n, dtype=np.int64), add_count), add_j[keep],
            needs, strengths, mentee_orgs, mentor_orgs, np.int64(bonus), np.int64(max_score),
        )  # fmt: skip
        # Start the next round from here: potentials read back from the prices (sink and
        # unmatched at 0), which give every pair its slack as reduced cost; the mentees with a
        # broken pair are taken off their mentor (who is then owed a mentee) to be placed again.
        p_sink = np.int64(0)
        p_col[:m] = np.where(capacities > 0, -v, 0)
        p_col[m] = 0
        p_row[:] = u - unmatched_cost
        row_col[add_count > 0] = -1

    mentor = np.where(row_col < m, row_col, -1).astype(np.int64)
    matched_rows = np.flatnonzero(mentor >= 0)
    score = np.full(n, -1, np.int64)
    score[matched_rows] = score_of(matched_rows, mentor[matched_rows])
    tie = _ties(
        needs, strengths, mentee_levels, mentor_levels, mentee_orgs, mentor_orgs, capacities,
        ex_ptr, ex_col, bonus, np.int64(big), u, v, mentor,
    )  # fmt: skip
    result = Matching(
        mentor=mentor,
        score=score,
        matched=int(matched_rows.size),
        total_score=int(score[matched_rows].sum()),
        big=big,
        mentee_price=u,
        mentor_price=v,
        dual_value=int(u.sum() + (capacities * v).sum()),
        mentors_above=counts[:, 0].copy(),
        excluded_same_person=counts[:, 1].copy(),
        excluded_manager=counts[:, 2].copy(),
        excluded_avoid=counts[:, 3].copy(),
        zero_capacity=counts[:, 4].copy(),
        feasible=counts[:, 5].copy(),
        tie=tie,
        rounds=rounds,
        phases=phases,
        candidate_pairs=int(col_idx.size),
    )
    _verify(
        result,
        mentee_levels=mentee_levels,
        mentor_levels=mentor_levels,
        capacities=capacities,
        manager=manager,
        avoid=avoid,
        same_person=same_person,
        slack_min=slack_min,
    )
    return result


def _verify(result: Matching, *, mentee_levels, mentor_levels, capacities, manager, avoid, same_person, slack_min):
    """The hard rules and the certificate, checked again without the solver's bookkeeping."""
    mentor = result.mentor
    rows = np.flatnonzero(mentor >= 0)
    cols = mentor[rows]
    problems = []
    if (mentor_levels[cols] <= mentee_levels[rows]).any():
        problems.append("a mentor is not above their mentee's level")
    if (manager[rows] == cols).any():
        problems.append("a mentee is matched to their line manager")
    if (same_person[rows] == cols).any():
        problems.append("a person is matched to themselves")
    if avoid.size:
        matched_pairs = set(zip(rows.tolist(), cols.tolist(), strict=True))
        if any((a, b) in matched_pairs for a, b in avoid.tolist()):
            problems.append("a mentee is matched to a mentor on their avoid list")
    if (np.bincount(cols, minlength=capacities.size) > capacities).any():
        problems.append("a mentor has more mentees than their capacity")
    if (result.mentee_price < 0).any() or (result.mentor_price < 0).any() or (slack_min < 0).any():
        problems.append("the dual prices are not feasible")
    if result.dual_value != result.big * result.matched + result.total_score:
        problems.append("the dual value differs from the matching's weight")
    if problems:
        raise RuntimeError("matching: the result breaks a rule (this is a bug): " + "; ".join(problems))
