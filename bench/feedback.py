"""The 360 aggregation kernel at scale, against a plain numpy bincount pass over the same arrays.

`size` participants each get 10 responses (1 self, 1 line manager, and 8 more from peers, direct
reports and others in one of several mixes, so that some groups fall below their threshold and are
withheld alone, dropped, or merged into a combined group), each of 40 items over 8 attributes,
ratings 1 to 5 with about one in ten "not observed" (0), and about one response in fifty with no
ratings at all. Thresholds: line manager 1, every other group 3, combined group 3. Seeded.

Timed, each best of `repeat` runs (the median is printed too, and the best CPU time of this process,
which other work on a shared machine disturbs less; the load average is in the last column):

- the kernel: `cadre.kernels.feedback.aggregate_feedback` from the raw arrays to every output
  (grouping the responses by participant, thresholds, items, attributes, others, output arrays
  allocated and filled). Its first call, on a tiny input, compiles it (or loads it from numba's
  disk cache); that time is reported on its own.
- the baseline: a plain numpy bincount pass giving the same item-level figures without any rule:
  given the flat cell index (participant × rater group × item) of every rating, computed beforehand
  and not timed (not-observed ratings point at one spare bin), one `np.bincount` weighted by the
  ratings (sums), one unweighted (counts) and one weighted by the squared ratings (for the spread;
  squaring is timed). No thresholds, no attributes, no "others", nothing merged. The first two
  bincounts alone (mean and count, no spread) are timed and printed too: the stricter comparison.

The kernel has no `parallel=True`, so it runs on one core (the command line also sets
NUMBA_NUM_THREADS=1); numpy's bincount is single-threaded too.
Both are timed twice: with the responses in participant order (as a query ordered by participant
returns them) and shuffled (the kernel then groups them itself, inside its time).

`measure(size)` returns the rows, `table(rows)` formats them, `run(size)` prints the table; `python
-m bench.feedback --participants N` runs it from the command line. No database is needed.
"""

import argparse
import os
import statistics
import time

import numpy as np

from bench import format_table

SEED = 20240601
RESPONSES_PER_PARTICIPANT = 10
ITEMS = 40
ATTRIBUTES = 8
SCALE = 5
SELF, LINE_MANAGER, PEER, DIRECT_REPORT, OTHER = range(5)
THRESHOLDS = (0, 1, 3, 3, 3)  # self's entry is ignored
COMBINED_THRESHOLD = 3
# The eight responses after self and line manager, and how often each mix occurs.
MIXES = (
    (0.50, (PEER,) * 3 + (DIRECT_REPORT,) * 3 + (OTHER,) * 2),  # others withheld alone: dropped
    (0.20, (PEER,) * 2 + (DIRECT_REPORT,) * 3 + (OTHER,) * 3),  # peers withheld alone: dropped
    (0.15, (PEER,) * 2 + (DIRECT_REPORT,) * 4 + (OTHER,) * 2),  # peers and others merged (4 raters)
    (0.10, (PEER,) * 1 + (DIRECT_REPORT,) * 6 + (OTHER,) * 1),  # one peer and one other: 2 < 3, dropped
    (0.05, (PEER,) * 4 + (DIRECT_REPORT,) * 2 + (OTHER,) * 2),  # direct reports and others merged
)
TARGET_S = 1.0


def generate(size: int, seed: int = SEED) -> dict[str, np.ndarray]:
    """The same arrays for the same size and seed, with responses in participant order."""
    rng = np.random.default_rng(seed)
    weights = np.array([share for share, _ in MIXES])
    patterns = np.array([(SELF, LINE_MANAGER, *mix) for _, mix in MIXES], dtype=np.int8)
    mix = rng.choice(len(MIXES), size=size, p=weights / weights.sum())
    group = patterns[mix].reshape(-1)
    n_responses = size * RESPONSES_PER_PARTICIPANT
    participant = np.repeat(np.arange(size, dtype=np.int32), RESPONSES_PER_PARTICIPANT)
    # Each rater leans a point up, down or not at all, so that figures differ (self from others too,
    # for blind spots); then about one rating in ten is "not observed".
    level = rng.integers(-1, 2, size=n_responses, dtype=np.int8)
    ratings = rng.integers(2, SCALE, size=(n_responses, ITEMS), dtype=np.int8)
    ratings += level[:, None]
    ratings[rng.integers(0, 10, size=(n_responses, ITEMS), dtype=np.int8) == 0] = 0
    ratings[rng.integers(0, 50, size=n_responses) == 0] = 0  # responses with no ratings at all
    item_attribute = np.repeat(np.arange(ATTRIBUTES, dtype=np.int16), ITEMS // ATTRIBUTES)
    return {
        "ratings": ratings,
        "response_participant": participant,
        "response_group": group,
        "item_attribute": item_attribute,
    }


def shuffled(arrays: dict[str, np.ndarray], seed: int = SEED) -> dict[str, np.ndarray]:
    """The same responses in a random order."""
    order = np.random.default_rng(seed + 1).permutation(arrays["ratings"].shape[0])
    return {
        "ratings": arrays["ratings"][order],
        "response_participant": arrays["response_participant"][order],
        "response_group": arrays["response_group"][order],
        "item_attribute": arrays["item_attribute"],
    }


def kernel(arrays: dict[str, np.ndarray], n_participants: int):
    from cadre.kernels.feedback import aggregate_feedback

    return aggregate_feedback(
        **arrays,
        thresholds=THRESHOLDS,
        combined_threshold=COMBINED_THRESHOLD,
        n_participants=n_participants,
        n_attributes=ATTRIBUTES,
        line_manager_group=LINE_MANAGER,
    )


def baseline_cells(arrays: dict[str, np.ndarray], n_participants: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The baseline's input, prepared untimed: each observed rating's flat cell index (participant ×
    group × item), a spare bin for the not-observed ones, and the ratings as a flat vector."""
    ratings = arrays["ratings"]
    n_items = ratings.shape[1]
    groups = len(THRESHOLDS)
    row_cell = (arrays["response_participant"].astype(np.int64) * groups + arrays["response_group"]) * n_items
    cell = (row_cell[:, None] + np.arange(n_items, dtype=np.int64)).reshape(-1)
    spare = n_participants * groups * n_items
    flat = ratings.reshape(-1)
    cell[flat == 0] = spare
    return cell, flat, spare + 1


def baseline(cell: np.ndarray, flat: np.ndarray, bins: int, *, spread: bool = True) -> tuple[np.ndarray, ...]:
    """Sums, counts and (with `spread`) sums of squares per cell: mean, count and spread follow."""
    sums = np.bincount(cell, weights=flat, minlength=bins)
    counts = np.bincount(cell, minlength=bins)
    if not spread:
        return sums, counts
    squared = flat.astype(np.float64)
    squared *= squared
    return sums, counts, np.bincount(cell, weights=squared, minlength=bins)


def timed(function, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of `repeat` calls. CPU time (this process's) is the steadier of the
    two on a machine shared with other work."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def compile_kernel() -> dict:
    """Call the kernel on tiny inputs, in order and shuffled: numba compiles it (or loads it from its
    disk cache). Importing numba itself is left out of the time."""
    from cadre.kernels import feedback

    tiny = generate(3)
    started = time.perf_counter()
    kernel(tiny, 3)
    kernel(shuffled(tiny), 3)
    first_call_s = time.perf_counter() - started
    hits = sum(sum(function.stats.cache_hits.values()) for function in (feedback._aggregate, feedback._gather_rows))
    return {"first_call_s": first_call_s, "compiled": "loaded from numba's cache" if hits else "compiled"}


def check(result, arrays: dict[str, np.ndarray], sums: np.ndarray, counts: np.ndarray, squares: np.ndarray) -> dict:
    """The kernel's shown cells agree with the baseline's sums, and every rule's path was taken."""
    size = result.item_mean.shape[0]
    groups = len(THRESHOLDS)
    counts = counts[:-1].reshape(size, groups, ITEMS)
    sums = sums[:-1].reshape(size, groups, ITEMS)
    squares = squares[:-1].reshape(size, groups, ITEMS)
    own = result.item_count[:, :groups]
    shown = own > 0
    if not np.array_equal(own[shown], counts[shown]):
        raise AssertionError("The kernel's item counts differ from the baseline's on shown cells.")
    if not np.allclose(result.item_mean[:, :groups][shown], sums[shown] / counts[shown]):
        raise AssertionError("The kernel's item means differ from the baseline's on shown cells.")
    variance = squares[shown] / counts[shown] - (sums[shown] / counts[shown]) ** 2
    if not np.allclose(result.item_spread[:, :groups][shown], np.sqrt(np.maximum(variance, 0))):
        raise AssertionError("The kernel's item spreads differ from the baseline's on shown cells.")
    combined = result.combined_groups != 0
    withheld = (counts > 0) & ~shown
    if not (combined.any() and withheld[:, 1:].any() and (~combined & withheld[:, 1:].any(axis=(1, 2))).any()):
        raise AssertionError("The generated data did not exercise withholding, merging and dropping.")
    return {
        "participants": size,
        "ratings": int(arrays["ratings"].size),
        "observed": int(np.count_nonzero(arrays["ratings"])),
        "with_combined": int(combined.sum()),
        "withheld_cells": int(withheld[:, 1:].sum()),
    }


def measure(size: int, *, seed: int = SEED, repeat: int = 3) -> list[dict]:
    """Time the kernel and the baseline on `size` participants, in participant order and shuffled."""
    compiled = compile_kernel()
    rows = []
    in_order = generate(size, seed)
    for order, arrays in (("participant order", in_order), ("shuffled", shuffled(in_order, seed))):
        cell, flat, bins = baseline_cells(arrays, size)
        # Untimed first runs: the check, and the first touch of this much memory (slow on a VM).
        facts = check(kernel(arrays, size), arrays, *baseline(cell, flat, bins))
        kernel_times, kernel_cpu = timed(lambda arrays=arrays: kernel(arrays, size), repeat)
        full_times, full_cpu = timed(lambda cell=cell, flat=flat, bins=bins: baseline(cell, flat, bins), repeat)
        short_times, _ = timed(lambda cell=cell, flat=flat, bins=bins: baseline(cell, flat, bins, spread=False), repeat)
        kernel_s, full_s, short_s = min(kernel_times), min(full_times), min(short_times)
        rows.append(
            {
                "order": order,
                **facts,
                **compiled,
                "kernel_s": kernel_s,
                "kernel_median_s": statistics.median(kernel_times),
                "kernel_cpu_s": min(kernel_cpu),
                "baseline_s": full_s,
                "baseline_median_s": statistics.median(full_times),
                "baseline_cpu_s": min(full_cpu),
                "ratio": kernel_s / full_s,
                "short_baseline_s": short_s,
                "short_ratio": kernel_s / short_s,
                "repeat": repeat,
                "load": os.getloadavg()[0],
            }
        )
        del cell, flat
    return rows


COLUMNS = [
    ("order", "responses"),
    ("participants", "participants"),
    ("with_combined", "combined groups"),
    ("kernel_s", "kernel s"),
    ("kernel_median_s", "median"),
    ("kernel_cpu_s", "cpu"),
    ("baseline_s", "bincount s"),
    ("baseline_median_s", "median"),
    ("baseline_cpu_s", "cpu"),
    ("ratio", "kernel/bincount"),
    ("short_baseline_s", "bincount without spread s"),
    ("short_ratio", "kernel/that"),
    ("load", "load"),
]


def table(results: list[dict]) -> str:
    size = max((r["participants"] for r in results), default=0)
    ratings = max((r["ratings"] for r in results), default=0)
    repeat = max((r["repeat"] for r in results), default=0)
    compiled = results[0]["compiled"] if results else ""
    first_call = results[0]["first_call_s"] if results else 0.0
    title = (
        f"360 aggregation, {size:,} participants, {ratings:,} ratings, one core, best of {repeat} "
        f"(target: under {TARGET_S:.0f} s and no slower than bincount); first call {first_call:.2f} s ({compiled})"
    )
    return format_table(title, COLUMNS, results)


def run(size: int, *, repeat: int = 3) -> None:
    print(table(measure(size, repeat=repeat)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.feedback", description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000, help="participants (10 responses each)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (the best is reported)")
    args = parser.parse_args(argv)
    # One core: the kernel has no parallel loops, and numba starts no thread pool for it either.
    os.environ.setdefault("NUMBA_NUM_THREADS", "1")
    run(args.participants, repeat=args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
