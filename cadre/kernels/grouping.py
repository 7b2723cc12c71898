"""Group forming: people into groups of nearly equal size, each group as mixed as it can be,
with every pair who must not share a group kept apart.

Numbers in, numbers out: a feature matrix (one row a person), the pairs who must not share a
group, and the group size asked for; back comes a group for each person. No Django here.

The problem
-----------
N people, G = round(N / K) groups (halves rounded up, at least one), sizes differing by at
most one: N mod G groups of ⌊N/G⌋ + 1 and the rest of ⌊N/G⌋. Maximise the *diversity*

    f = Σ over groups Σ over pairs {i, k} in the group D[i, k],

where D is the Euclidean distance between feature vectors. This is anticlustering with the
diversity objective (Papenberg and Klau 2021), also known as the maximally diverse grouping
problem (MDGP). Forbidden pairs (a person and their line manager, declared conflicts) are hard
rules: no grouping returned ever breaks one.

The search
----------
Two matrices make every question about an exchange cost O(1):

- S[g, i] = Σ_{k in g} D[i, k], the pull of group g on person i;
- C[g, i] = how many people in g person i must not share a group with.

Exchanging i (in a) with j (in b) changes f by S[b,i] − S[a,i] + S[a,j] − S[b,j] − 2·D[i,j],
and is allowed when C[b,i] and C[a,j] are 0 (or both 1 because i and j forbid each other).
Moving i from a group of ⌊N/G⌋ + 1 to one of ⌊N/G⌋ (sizes stay within one) changes f by
S[b,i] − S[a,i] and is allowed when C[b,i] = 0. Applying either updates two rows of S in O(N)
and C in O(number of forbidden partners).

1. Start: people with the most forbidden partners first, each into a random group with room
   and the fewest forbidden partners (a randomised greedy start).
2. Repair, when the start breaks a rule: a min-conflicts tabu search over the same exchanges
   and moves, minimising the number of broken pairs. When it cannot reach 0 the run stops and
   says which pairs it could not separate (`Infeasible`); so does a person with so many
   forbidden partners that no group can take them, before any search.
3. Descent to a local maximum over both neighbourhoods (exchanges and moves), best
   improvement for each person. The change of an exchange between groups a and b depends only
   on a and b, so once every group has been checked, only exchanges touching a group that has
   changed since can improve: the descent keeps a queue of changed groups and checks only those
   (|g| · N work per group, not N²). This is exact: it stops at a true local maximum.
4. Iterated local search: a kick (one allowed random exchange), descent from the two changed
   groups only, then acceptance (record-to-record travel: keep the result when it is within a
   threshold of the best found, 3% of the mean distance between two people; otherwise undo the
   kick and the descent from a log of their steps). The best grouping seen is returned.

Because each kick-and-descent round costs only a few groups' worth of work, the search runs
tens of thousands of rounds a second on hundreds of people; this is what lets it pass the
three-phase search of Yang et al. (2022) and the local-maximum exchange method of Papenberg
and Klau (2021) in less time (figures in docs/group-forming.md).

Repeatable runs
---------------
The search is bounded by an amount of *work* (inner-loop steps counted as it goes), not by the
clock, and stops only between rounds: the same input, seed and budget always give the same
grouping, however fast or busy the machine. `work_for_seconds` turns seconds into work at the
rate measured on the reference machine for that many people. A deadline (wall clock) can be
given as a safety net; a run that reaches it is marked `stopped_at_deadline` and may not be
repeatable. The search also keeps S[g, i] for the group of i in a vector own[i], so that the
inner loop of the descent reads memory in order.

References
----------
- Papenberg, M. and Klau, G. W. (2021). Using anticlustering to partition data sets into
  equivalent parts. Psychological Methods 26(2), 161–174.
- Yang, X., Cai, Z., Jin, T., Tang, Z. and Gao, S. (2022). A three-phase search approach with
  dynamic population size for solving the maximally diverse grouping problem. European Journal
  of Operational Research 302(3), 925–953.
- Lai, X. and Hao, J.-K. (2016). Iterated maxima search for the maximally diverse grouping
  problem. European Journal of Operational Research 254(3), 780–800.
- Lourenço, H. R., Martin, O. C. and Stützle, T. (2003). Iterated local search. In Handbook of
  Metaheuristics, 321–353.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from numba import njit

MAX_PEOPLE = 10_000  # the distance matrix for 10,000 people takes 800 MB
KICK_SWAPS = 1  # random exchanges in each kick
THRESHOLD = 0.03  # acceptance: within this share of the mean distance of the best found
ROUND_WORK = 500  # the fixed cost of a round (calls, loops over groups), in work units
CHUNK_SECONDS = 0.05  # how often (in work) the deadline is looked at

# Work units (inner-loop steps) per second for N people on the reference machine (2 shared
# x86-64 cores, measured when quiet; see docs/group-forming.md), interpolated on log N. Less
# work a second for more people: S and D no longer fit in the processor's caches.
WORK_RATE = (
    (10, 0.9e9),
    (100, 1.2e9),
    (600, 1.6e9),
    (1200, 1.45e9),
    (2000, 1.2e9),
    (3000, 1.1e9),
    (5000, 0.95e9),
    (10_000, 0.6e9),
)


@dataclass(frozen=True)
class Grouping:
    labels: np.ndarray  # the group of each person, 0 to groups − 1, numbered in order of first appearance
    objective: float
    groups: int
    rounds: int  # kick-and-descent rounds of the iterated local search
    work: int  # work done (inner-loop steps)
    budget: int  # work allowed
    stopped_at_deadline: bool  # True when the deadline stopped the search before its budget


class Infeasible(Exception):
    """No grouping keeps every rule: `people` cannot be placed at all, or the search ended
    with `pairs` still sharing a group (index pairs into the feature matrix)."""

    def __init__(self, message: str, *, people: list[int] | None = None, pairs: list[tuple[int, int]] | None = None):
        super().__init__(message)
        self.people = people or []
        self.pairs = pairs or []


# ---------------------------------------------------------------------------------------------
# Plain functions


def group_count(people: int, size: int) -> int:
    """G = round(people / size), halves rounded up, at least 1."""
    if people < 1 or size < 1:
        raise ValueError("people and size must be at least 1")
    return max(1, (2 * people + size) // (2 * size))


def group_sizes(people: int, groups: int) -> np.ndarray:
    """people mod groups groups of ⌊people/groups⌋ + 1, then the rest of ⌊people/groups⌋."""
    small, big = divmod(people, groups)
    return np.array([small + 1] * big + [small] * (groups - big), dtype=np.int64)


def distance_matrix(features: np.ndarray) -> np.ndarray:
    """The N×N Euclidean distances between the rows of `features` (float64)."""
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2:
        raise ValueError("features must be a two-dimensional array")
    return _distances(np.ascontiguousarray(features))


def objective(distances: np.ndarray, labels: np.ndarray) -> float:
    """Σ over groups of the distances between every pair of members."""
    labels = np.asarray(labels)
    order = np.argsort(labels, kind="stable")
    total = 0.0
    for members in np.split(order, np.flatnonzero(np.diff(labels[order])) + 1):
        total += float(distances[np.ix_(members, members)].sum())
    return total / 2


def broken_pairs(labels: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """The forbidden pairs (rows of `pairs`) whose two people share a group."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    labels = np.asarray(labels)
    return pairs[labels[pairs[:, 0]] == labels[pairs[:, 1]]]


def default_seconds(people: int) -> float:
    """The search time used when none is asked for: 0.5 s per 1,000 people, between 0.25 and 5 s."""
    return min(5.0, max(0.25, people / 2000))


def work_for_seconds(people: int, seconds: float) -> int:
    """The work the reference machine does in `seconds` on `people` people."""
    sizes = np.log([n for n, _ in WORK_RATE])
    rates = [rate for _, rate in WORK_RATE]
    rate = float(np.interp(math.log(max(people, 1)), sizes, rates))
    return int(max(0.0, seconds) * rate)


def adjacency(people: int, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forbidden pairs as a symmetric adjacency in CSR form (indptr, indices), duplicates dropped."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if len(pairs) and (pairs.min() < 0 or pairs.max() >= people):
        raise ValueError("a forbidden pair names a person outside the feature matrix")
    if np.any(pairs[:, 0] == pairs[:, 1]):
        raise ValueError("a person cannot be forbidden to share a group with themselves")
    both = np.unique(np.concatenate([pairs, pairs[:, ::-1]]), axis=0)
    indptr = np.zeros(people + 1, dtype=np.int64)
    np.cumsum(np.bincount(both[:, 0], minlength=people), out=indptr[1:])
    return indptr, np.ascontiguousarray(both[:, 1])


def form_groups(
    features: np.ndarray,
    *,
    size: int,
    pairs: np.ndarray | None = None,
    seconds: float | None = None,
    work: int | None = None,
    seed: int = 0,
    deadline: float | None = None,
    distances: np.ndarray | None = None,
) -> Grouping:
    """Group the rows of `features` into groups of about `size`, maximising the diversity.

    `pairs` (M×2 row indices) must not share a group. The search does `work` units of work, or
    `work_for_seconds(N, seconds)`, or (neither given) `default_seconds(N)`'s worth. `deadline`
    (a `time.perf_counter()` reading) stops it early as a safety net. `distances` may be given
    when already computed. Raises `Infeasible` when no grouping that keeps every rule is found."""
    features = np.asarray(features, dtype=np.float64)
    people = features.shape[0]
    if people < 1:
        raise ValueError("there is no one to group")
    if people > MAX_PEOPLE:
        raise ValueError(f"at most {MAX_PEOPLE:,} people can be grouped in one run")
    if not 1 <= size <= people:
        raise ValueError("size must be between 1 and the number of people")
    groups = group_count(people, size)
    small, big = divmod(people, groups)
    pairs = np.zeros((0, 2), dtype=np.int64) if pairs is None else np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    indptr, indices = adjacency(people, pairs)
    if work is None:
        work = work_for_seconds(people, default_seconds(people) if seconds is None else seconds)
    work = min(int(work), 2**62)

    rng = np.array([_seed_state(seed)], dtype=np.uint64)
    labels = _start(people, groups, indptr, indices, rng)

    if distances is None:
        distances = distance_matrix(features)
    distances = np.ascontiguousarray(distances, dtype=np.float64)
    mean_distance = float(distances.sum() / (people * (people - 1))) if people > 1 else 0.0
    rounds = done = 0
    stopped = False
    if groups > 1 and small + (1 if big else 0) > 1 and mean_distance > 0:
        search = _Search(distances, labels, groups, small, indptr, indices, rng, mean_distance)
        chunk = max(1, work_for_seconds(people, CHUNK_SECONDS))
        while search.work < work:
            search.run(min(work, search.work + chunk))
            if deadline is not None and time.perf_counter() > deadline and search.work < work:
                stopped = True
                break
        labels, rounds, done = search.best_labels, search.rounds, search.work

    left = broken_pairs(labels, pairs)
    counts = np.bincount(labels, minlength=groups)
    if len(left) or counts.min() < small or counts.max() > small + (1 if big else 0):
        raise AssertionError("the search broke a rule; this is a bug")  # never a silent violation
    labels = _number_by_first_appearance(labels, groups)
    return Grouping(
        labels=labels,
        objective=objective(distances, labels),
        groups=groups,
        rounds=rounds,
        work=done,
        budget=work,
        stopped_at_deadline=stopped,
    )


def warm_up() -> None:
    """Load (or, the first time, compile) every compiled part on a tiny problem, so that a
    deadline set afterwards measures the search alone."""
    features = np.arange(24, dtype=np.float64).reshape(12, 2) % 5
    form_groups(features, size=3, pairs=np.array([[0, 1], [1, 2]]), work=10_000)


def feasible_start(people: int, *, size: int, pairs: np.ndarray | None = None, seed: int = 0) -> np.ndarray:
    """A random grouping that keeps every rule (steps 1 and 2 of the search), or `Infeasible`."""
    pairs = np.zeros((0, 2), dtype=np.int64) if pairs is None else np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    indptr, indices = adjacency(people, pairs)
    rng = np.array([_seed_state(seed)], dtype=np.uint64)
    return _start(people, group_count(people, size), indptr, indices, rng)


def _start(people: int, groups: int, indptr: np.ndarray, indices: np.ndarray, rng: np.ndarray) -> np.ndarray:
    small, big = divmod(people, groups)
    # A person kept apart from so many others that even the smallest group cannot be filled around them.
    degree = np.diff(indptr)
    stuck = np.flatnonzero(people - 1 - degree < small - 1)
    if len(stuck):
        raise Infeasible(
            f"{len(stuck)} people must not share a group with so many others that no group of {small} can take them.",
            people=[int(i) for i in stuck],
        )
    labels = _construct(people, groups, small, big, indptr, indices, rng)
    remaining = _repair(labels, groups, small, big, indptr, indices, rng, 50 * people + 5_000)
    if remaining:
        left = broken_pairs(labels, _pair_list(indptr, indices))
        raise Infeasible(
            f"No grouping was found that keeps every rule: the best one the search found still had "
            f"{len(left)} forbidden pairs sharing a group.",
            pairs=[(int(a), int(b)) for a, b in left],
        )
    return labels


def _number_by_first_appearance(labels: np.ndarray, groups: int) -> np.ndarray:
    order = np.full(groups, -1, dtype=np.int64)
    _, first = np.unique(labels, return_index=True)
    order[np.unique(labels)] = np.argsort(np.argsort(first))
    return order[labels]


def _pair_list(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    rows = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    keep = rows < indices
    return np.column_stack([rows[keep], indices[keep]])


def _seed_state(seed: int) -> np.uint64:
    return np.uint64((int(seed) * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) % 2**64)


class _Search:
    """The state of the iterated local search, kept between chunks of work."""

    def __init__(self, distances, labels, groups, small, indptr, indices, rng, mean_distance):
        people = len(labels)
        s, c, size, members, pos, own = _build(distances, labels, groups, indptr, indices)
        # Everything the compiled parts share, in one tuple that each of them unpacks in this order.
        self.state = (distances, s, c, labels, size, members, pos, own, indptr, indices)
        self.small = small
        self.rng = rng
        self.dirty = np.ones(groups, dtype=np.bool_)
        self.queue = np.arange(groups, dtype=np.int64)
        self.log = np.zeros((4 * people + 64, 2), dtype=np.int64)
        self.counters = np.array([people * people, 0], dtype=np.int64)  # work (building S counts), rounds
        self.values = np.array([0.0, 0.0, THRESHOLD * mean_distance, 1e-9 * mean_distance])  # current, best, ...
        self.best_labels = labels  # replaced below
        _descend(self.state, small, self.dirty, self.queue, groups, self.log, 0, self.counters, self.values[3])
        self.values[0] = self.values[1] = objective(distances, labels)
        self.best_labels = labels.copy()

    @property
    def work(self) -> int:
        return int(self.counters[0])

    @property
    def rounds(self) -> int:
        return int(self.counters[1])

    def run(self, until: int) -> None:
        _iterate(
            self.state,
            self.small,
            self.dirty,
            self.queue,
            self.log,
            self.counters,
            self.values,
            self.best_labels,
            self.rng,
            until,
            KICK_SWAPS,
        )


# ---------------------------------------------------------------------------------------------
# Compiled parts (numba). Arrays: d N×N distances; s, c G×N as above; labels N; size G;
# members G×(max size) with pos[i] the place of i in its group's row.


@njit(cache=True)
def _distances(x):
    people, columns = x.shape
    d = np.zeros((people, people))
    for i in range(people):
        for j in range(i + 1, people):
            total = 0.0
            for k in range(columns):
                step = x[i, k] - x[j, k]
                total += step * step
            d[i, j] = d[j, i] = math.sqrt(total)
    return d


@njit(cache=True)
def _next(rng):
    """splitmix64: the generator's state is rng[0]."""
    rng[0] += np.uint64(0x9E3779B97F4A7C15)
    z = rng[0]
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def _below(rng, n):
    return np.int64(_next(rng) % np.uint64(n))


@njit(cache=True)
def _forbidden(indptr, indices, i, j):
    for t in range(indptr[i], indptr[i + 1]):  # noqa: SIM110 (numba compiles the plain loop)
        if indices[t] == j:
            return True
    return False


@njit(cache=True)
def _swap_allowed(c, indptr, indices, i, j, a, b):
    """Whether i (in a) and j (in b) may change places."""
    ci = c[b, i]
    cj = c[a, j]
    if ci == 0 and cj == 0:
        return True
    if ci == 1 and cj == 1:
        return _forbidden(indptr, indices, i, j)
    return False


@njit(cache=True)
def _construct(people, groups, small, big, indptr, indices, rng):
    """Most-constrained people first, each into a random group with room and the fewest of
    their forbidden partners (tried at random first, as most people have none anywhere)."""
    keys = np.empty(people)
    for i in range(people):
        keys[i] = -(indptr[i + 1] - indptr[i]) - 0.5 * (_next(rng) >> np.uint64(11)) * (1.0 / 9007199254740992.0)
    order = np.argsort(keys)
    labels = np.full(people, -1, dtype=np.int64)
    size = np.zeros(groups, dtype=np.int64)
    clash = np.zeros(groups, dtype=np.int64)  # forbidden partners of the person being placed, by group
    room = np.arange(groups)  # groups with room, the first `open_count` entries
    where = np.arange(groups)  # where each group is in `room`
    open_count = groups
    bigs = 0
    for i in order:
        for t in range(indptr[i], indptr[i + 1]):
            if labels[indices[t]] >= 0:
                clash[labels[indices[t]]] += 1
        chosen = -1
        for _try in range(8):
            g = room[_below(rng, open_count)]
            if clash[g] == 0:
                chosen = g
                break
        if chosen < 0:
            fewest = people + 1
            ties = 0
            for k in range(open_count):
                g = room[k]
                if clash[g] < fewest:
                    fewest = clash[g]
                    chosen = g
                    ties = 1
                elif clash[g] == fewest:
                    ties += 1
                    if _below(rng, ties) == 0:
                        chosen = g
        for t in range(indptr[i], indptr[i + 1]):
            if labels[indices[t]] >= 0:
                clash[labels[indices[t]]] = 0
        labels[i] = chosen
        size[chosen] += 1
        if size[chosen] == small + 1:
            bigs += 1
            if bigs == big:
                # No more groups of small + 1: those of `small` are full too.
                kept = 0
                for k in range(open_count):
                    if size[room[k]] < small:
                        room[kept] = room[k]
                        where[room[kept]] = kept
                        kept += 1
                open_count = kept
                continue
        if size[chosen] > small or (size[chosen] == small and bigs >= big):
            last = room[open_count - 1]
            room[where[chosen]] = last
            where[last] = where[chosen]
            open_count -= 1
    return labels


@njit(cache=True)
def _repair(labels, groups, small, big, indptr, indices, rng, steps):
    """Min-conflicts tabu search: exchanges (and moves between groups of different sizes) that
    reduce the number of forbidden pairs sharing a group. Leaves the best grouping found in
    `labels` and returns how many pairs it still breaks."""
    people = labels.shape[0]
    broken = 0
    for i in range(people):
        for t in range(indptr[i], indptr[i + 1]):
            if labels[indices[t]] == labels[i]:
                broken += 1
    broken //= 2
    if broken == 0:
        return 0
    c = np.zeros((groups, people), dtype=np.int64)
    size = np.zeros(groups, dtype=np.int64)
    for i in range(people):
        size[labels[i]] += 1
        for t in range(indptr[i], indptr[i + 1]):
            c[labels[i], indices[t]] += 1
    best = broken
    best_labels = labels.copy()
    tabu = np.zeros(people, dtype=np.int64)
    conflicted = np.empty(people, dtype=np.int64)
    for step in range(1, steps + 1):
        count = 0
        for i in range(people):
            if c[labels[i], i] > 0:
                conflicted[count] = i
                count += 1
        i = conflicted[_below(rng, count)]
        a = labels[i]
        chosen_j = -1
        chosen_b = -1
        lowest = 1 << 40
        ties = 0
        for j in range(people):
            b = labels[j]
            if b == a:
                continue
            both = 1 if c[b, i] > 0 and c[a, j] > 0 and _forbidden(indptr, indices, i, j) else 0
            change = c[b, i] + c[a, j] - c[a, i] - c[b, j] - 2 * both
            if tabu[j] > step and broken + change >= best:
                continue
            if change < lowest:
                lowest, chosen_j, chosen_b, ties = change, j, -1, 1
            elif change == lowest:
                ties += 1
                if _below(rng, ties) == 0:
                    chosen_j, chosen_b = j, -1
        if size[a] > small:
            for b in range(groups):
                if size[b] == small:
                    change = c[b, i] - c[a, i]
                    if change < lowest:
                        lowest, chosen_j, chosen_b, ties = change, -1, b, 1
                    elif change == lowest:
                        ties += 1
                        if _below(rng, ties) == 0:
                            chosen_j, chosen_b = -1, b
        if chosen_j < 0 and chosen_b < 0:
            continue
        b = chosen_b if chosen_b >= 0 else labels[chosen_j]
        for t in range(indptr[i], indptr[i + 1]):
            c[a, indices[t]] -= 1
            c[b, indices[t]] += 1
        labels[i] = b
        if chosen_j >= 0:
            j = chosen_j
            for t in range(indptr[j], indptr[j + 1]):
                c[b, indices[t]] -= 1
                c[a, indices[t]] += 1
            labels[j] = a
            tabu[j] = step + 7 + _below(rng, 10)
        else:
            size[a] -= 1
            size[b] += 1
        tabu[i] = step + 7 + _below(rng, 10)
        broken += lowest
        if broken < best:
            best = broken
            best_labels[:] = labels
            if best == 0:
                break
    labels[:] = best_labels
    return best


@njit(cache=True)
def _build(d, labels, groups, indptr, indices):
    """S, C, the group sizes, the members of each group (rows padded with −1), each person's
    place in their group's row, and own[i] = S[group of i, i]."""
    people = labels.shape[0]
    s = np.zeros((groups, people))
    c = np.zeros((groups, people), dtype=np.int32)
    size = np.zeros(groups, dtype=np.int64)
    for i in range(people):
        size[labels[i]] += 1
    members = np.full((groups, size.max() + 1), -1, dtype=np.int64)
    pos = np.zeros(people, dtype=np.int64)
    filled = np.zeros(groups, dtype=np.int64)
    for i in range(people):
        g = labels[i]
        members[g, filled[g]] = i
        pos[i] = filled[g]
        filled[g] += 1
        row = d[i]
        for k in range(people):
            s[g, k] += row[k]
        for t in range(indptr[i], indptr[i + 1]):
            c[g, indices[t]] += 1
    own = np.empty(people)
    for i in range(people):
        own[i] = s[labels[i], i]
    return s, c, size, members, pos, own


@njit(cache=True)
def _refresh_own(s, members, own, g):
    for p in range(members.shape[1]):
        k = members[g, p]
        if k < 0:
            break
        own[k] = s[g, k]


@njit(cache=True)
def _apply_swap(state, i, j):
    d, s, c, labels, _size, members, pos, own, indptr, indices = state
    a = labels[i]
    b = labels[j]
    di = d[i]
    dj = d[j]
    sa = s[a]
    sb = s[b]
    for k in range(d.shape[0]):
        change = dj[k] - di[k]
        sa[k] += change
        sb[k] -= change
    for t in range(indptr[i], indptr[i + 1]):
        c[a, indices[t]] -= 1
        c[b, indices[t]] += 1
    for t in range(indptr[j], indptr[j + 1]):
        c[b, indices[t]] -= 1
        c[a, indices[t]] += 1
    pi = pos[i]
    pj = pos[j]
    members[a, pi] = j
    pos[j] = pi
    members[b, pj] = i
    pos[i] = pj
    labels[i] = b
    labels[j] = a
    _refresh_own(s, members, own, a)
    _refresh_own(s, members, own, b)


@njit(cache=True)
def _apply_move(state, i, b):
    d, s, c, labels, size, members, pos, own, indptr, indices = state
    a = labels[i]
    di = d[i]
    sa = s[a]
    sb = s[b]
    for k in range(d.shape[0]):
        sa[k] -= di[k]
        sb[k] += di[k]
    for t in range(indptr[i], indptr[i + 1]):
        c[a, indices[t]] -= 1
        c[b, indices[t]] += 1
    last = members[a, size[a] - 1]
    members[a, pos[i]] = last
    pos[last] = pos[i]
    members[a, size[a] - 1] = -1
    size[a] -= 1
    members[b, size[b]] = i
    pos[i] = size[b]
    size[b] += 1
    labels[i] = b
    _refresh_own(s, members, own, a)
    _refresh_own(s, members, own, b)


@njit(cache=True)
def _push(dirty, queue, head, count, g):
    if not dirty[g]:
        dirty[g] = True
        queue[(head + count) % queue.shape[0]] = g
        count += 1
    return count


@njit(cache=True)
def _descend(state, small, dirty, queue, count, log, logged, counters, epsilon):
    """Best improvement for each member of each changed group (the queue) until no exchange or
    move improves. Returns (gain, steps logged, True when the log overflowed)."""
    d, s, c, labels, size, members, _pos, own, indptr, indices = state
    people = d.shape[0]
    groups = s.shape[0]
    pull = np.empty(groups)  # pull[b] = S[b, i] for the person i being looked at
    head = 0
    gain = 0.0
    overflow = False
    while count > 0:
        a = queue[head]
        head = (head + 1) % groups
        count -= 1
        dirty[a] = False
        p = 0
        while True:
            chosen_j = -1
            chosen_b = -1
            best = epsilon
            mover = -1
            if p < size[a]:
                # exchanges of member p of a with everyone outside a, and moves out of a
                i = members[a, p]
                for b in range(groups):
                    pull[b] = s[b, i]
                base = -own[i]
                di = d[i]
                sa = s[a]
                for j in range(people):
                    b = labels[j]
                    if b == a:
                        continue
                    change = pull[b] + base + sa[j] - own[j] - 2.0 * di[j]
                    if change > best and _swap_allowed(c, indptr, indices, i, j, a, b):
                        best = change
                        chosen_j = j
                if size[a] > small:
                    for b in range(groups):
                        if size[b] == small and c[b, i] == 0:
                            change = pull[b] + base
                            if change > best:
                                best = change
                                chosen_j = -1
                                chosen_b = b
                counters[0] += people + 2 * groups
                mover = i
            elif size[a] == small:
                # moves into a, one of the smaller groups, from the larger ones
                sa = s[a]
                for i in range(people):
                    if size[labels[i]] > small and c[a, i] == 0:
                        change = sa[i] - own[i]
                        if change > best:
                            best = change
                            mover = i
                            chosen_b = a
                counters[0] += people
            if chosen_j < 0 and chosen_b < 0:
                if p >= size[a]:
                    break
                p += 1
                continue
            if chosen_j >= 0:
                other = labels[chosen_j]
                _apply_swap(state, mover, chosen_j)
                entry = chosen_j
            else:
                other = labels[mover]
                _apply_move(state, mover, chosen_b)
                entry = -1 - other  # undone by moving the mover back
                if other == a:
                    other = chosen_b
            if logged < log.shape[0]:
                log[logged, 0] = mover
                log[logged, 1] = entry
                logged += 1
            else:
                overflow = True
            counters[0] += 2 * people
            gain += best
            count = _push(dirty, queue, head, count, other)
            p = 0
    return gain, logged, overflow


@njit(cache=True)
def _iterate(state, small, dirty, queue, log, counters, values, best_labels, rng, until, kicks):
    """Rounds of kick, descent and acceptance until the work done reaches `until`."""
    d, s, c, labels, _size, _members, _pos, own, indptr, indices = state
    people = d.shape[0]
    current, best, threshold, epsilon = values[0], values[1], values[2], values[3]
    while counters[0] < until:
        counters[1] += 1
        logged = 0
        change = 0.0
        count = 0
        for _ in range(kicks):
            for _try in range(50):
                counters[0] += 20
                i = _below(rng, people)
                j = _below(rng, people)
                a = labels[i]
                b = labels[j]
                if a != b and _swap_allowed(c, indptr, indices, i, j, a, b):
                    change += s[b, i] - own[i] + s[a, j] - own[j] - 2.0 * d[i, j]
                    _apply_swap(state, i, j)
                    log[logged, 0] = i
                    log[logged, 1] = j
                    logged += 1
                    count = _push(dirty, queue, 0, count, a)
                    count = _push(dirty, queue, 0, count, b)
                    counters[0] += 2 * people
                    break
        gain, logged, overflow = _descend(state, small, dirty, queue, count, log, logged, counters, epsilon)
        result = current + change + gain
        if result > best + epsilon:
            best = result
            best_labels[:] = labels
            counters[0] += people
        # Record-to-record acceptance: keep anything within the threshold of the best.
        if result >= best - threshold or overflow:
            current = result
        else:
            for t in range(logged - 1, -1, -1):
                i = log[t, 0]
                j = log[t, 1]
                if j >= 0:
                    _apply_swap(state, i, j)
                else:
                    _apply_move(state, i, -1 - j)
                counters[0] += 2 * people
        counters[0] += people + ROUND_WORK  # what a round costs whatever it does
    values[0] = current
    values[1] = best
