"""Group forming: `cadre form-groups` on public and generated cohorts, groups of 6.

For each cohort the table shows the whole command (a child process: `python -m
cadre.grouping`, process start included, the figure in its summary line) and the processor
time it used (user and system: about what the clock would show on an idle machine, when other
work shares the processors), beside:

- anticlust's published figures for the two public cohorts (bench/data/README.md; R package
  anticlust 0.8.11, its own timing without R start-up, 2 cores);
- a local-maximum exchange baseline in Python, written for Cadre from the published description
  of Papenberg and Klau (2021): for each person in turn, the best exchange with anyone in
  another group, made when it improves the objective; passes repeated until one improves
  nothing (a local maximum); from 10 random starts that keep the rules, the best kept. It keeps
  the same rules as Cadre; its time is the search alone (no process start);
- random grouping: the mean objective of 5 random groupings (which ignore the rules).

`measure(size)` runs the generated cohorts of size // 3 and size people (1,000 and 3,000 by
default), and the public cohorts when size is at least 1,200; `table(rows)` formats the rows;
`run(size)` prints the tables; `python -m bench.grouping --people N` runs it from the command
line. No database is needed."""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench import format_table

DATA = Path(__file__).resolve().parent / "data"
SIZE = 6
SEED = 20240601
RANDOM_GROUPINGS = 5
RESTARTS = 10

# From bench/data/README.md (a copy of /work/shared/groups/README.md): anticlust 0.8.11.
PUBLISHED = {
    "cohort-600.csv": {"random": 6_840.0, "local_maximum": (7_422.343, 3.7), "three_phase": (7_429.676, 2.9)},
    "cohort-1200.csv": {"random": 13_640.0, "local_maximum": (14_832.238, 35.7), "three_phase": (14_840.547, 16.0)},
}
TARGET_S = {1000: 5.0, 3000: 30.0}  # the targets for generated cohorts, whole command

ORGANISATIONS = 6
DEPARTMENTS = 6
TIERS = (
    ("aspiring_manager", 0.35),
    ("core_manager", 0.38),
    ("developing_manager", 0.16),
    ("aspiring_leader", 0.07),
    ("senior_leader", 0.04),
)
GENDERS = (("female", 0.53), ("male", 0.41), ("prefer_not_to_say", 0.04), ("non_binary", 0.02))
ATTRIBUTES = (
    "strategic",
    "agile",
    "collaborative",
    "accountable",
    "innovative",
    "compassionate",
    "change_agent",
    "financial",
)
MANAGED = 0.46  # the share of people whose line manager is in the cohort
CONFLICTS = 0.01  # declared conflicts, as a share of the people


# --- cohorts ---------------------------------------------------------------------------------


def generate(people: int, seed: int = SEED) -> tuple[str, str]:
    """A cohort like the public ones (INPUT.csv text) and its declared conflicts (PAIRS.csv text):
    organisations of unequal sizes with departments, tiers, gender, line managers (senior and
    aspiring leaders of the same organisation) and eight attribute scores from 1.0 to 5.0."""
    rng = random.Random(seed)
    weights = [rng.paretovariate(1.2) for _ in range(ORGANISATIONS)]
    rows = []
    for n in range(people):
        organisation = rng.choices(range(ORGANISATIONS), weights)[0]
        tier = rng.choices([t for t, _ in TIERS], [w for _, w in TIERS])[0]
        gender = rng.choices([g for g, _ in GENDERS], [w for _, w in GENDERS])[0]
        level = rng.gauss(3.2, 0.45)
        scores = [min(5.0, max(1.0, round(rng.gauss(level, 0.6), 1))) for _ in ATTRIBUTES]
        rows.append(
            {
                "person_id": f"G{n:05d}",
                "organisation": f"org{organisation}",
                "department": f"org{organisation}-dept{rng.randrange(DEPARTMENTS)}",
                "tier": tier,
                "gender": gender,
                "manager_id": "",
                **{a: f"{s:.1f}" for a, s in zip(ATTRIBUTES, scores, strict=True)},
            }
        )
    leaders: dict[str, list[str]] = {}
    for row in rows:
        if row["tier"] in {"senior_leader", "aspiring_leader"}:
            leaders.setdefault(row["organisation"], []).append(row["person_id"])
    for row in rows:
        candidates = [p for p in leaders.get(row["organisation"], []) if p != row["person_id"]]
        if candidates and rng.random() < MANAGED / 0.95:
            row["manager_id"] = rng.choice(candidates)
    ids = [row["person_id"] for row in rows]
    pairs = set()
    while people > 1 and len(pairs) < max(1, int(CONFLICTS * people)):
        a, b = rng.sample(ids, 2)
        pairs.add((min(a, b), max(a, b)))

    cohort = io.StringIO()
    writer = csv.DictWriter(cohort, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    conflicts = "person_a,person_b\n" + "".join(f"{a},{b}\n" for a, b in sorted(pairs))
    return cohort.getvalue(), conflicts


# --- the Python local-maximum baseline ----------------------------------------------------------


def local_maximum(distances: np.ndarray, labels: np.ndarray, forbidden: np.ndarray) -> np.ndarray:
    """Papenberg and Klau's exchange method, repeated to a local maximum: for each person in
    order, the best allowed exchange with someone in another group, made when it improves the
    objective; passes until one changes nothing. `forbidden` is the N×N 0/1 matrix of pairs who
    must not share a group; `labels` must keep every rule and is not changed."""
    labels = labels.copy()
    people = len(labels)
    groups = labels.max() + 1
    onehot = np.zeros((people, groups))
    onehot[np.arange(people), labels] = 1.0
    pull = distances @ onehot  # pull[i, g]: Σ distances from i to the members of g
    clash = forbidden @ onehot  # clash[i, g]: forbidden partners of i in g
    everyone = np.arange(people)
    epsilon = 1e-9 * max(float(distances.mean()), 1e-300)
    improved = True
    while improved:
        improved = False
        for i in range(people):
            a = labels[i]
            gain = pull[i, labels] - pull[i, a] + pull[:, a] - pull[everyone, labels] - 2.0 * distances[i]
            allowed = (clash[i, labels] - forbidden[i] == 0) & (clash[:, a] - forbidden[i] == 0) & (labels != a)
            gain[~allowed] = -np.inf
            j = int(np.argmax(gain))
            if gain[j] <= epsilon:
                continue
            b = labels[j]
            change = distances[j] - distances[i]
            pull[:, a] += change
            pull[:, b] -= change
            clash_change = forbidden[j] - forbidden[i]
            clash[:, a] += clash_change
            clash[:, b] -= clash_change
            labels[i], labels[j] = b, a
            improved = True
    return labels


def baseline(features: np.ndarray, pairs: np.ndarray, *, restarts: int = RESTARTS, seed: int = SEED) -> tuple:
    """The best of `restarts` local maxima from random starts that keep the rules: (objective, seconds)."""
    from cadre.kernels import grouping as kernel

    started = time.perf_counter()
    people = len(features)
    distances = kernel.distance_matrix(features)
    forbidden = np.zeros((people, people))
    forbidden[pairs[:, 0], pairs[:, 1]] = forbidden[pairs[:, 1], pairs[:, 0]] = 1.0
    best = -np.inf
    for restart in range(restarts):
        start = kernel.feasible_start(people, size=SIZE, pairs=pairs, seed=seed + restart)
        labels = local_maximum(distances, start, forbidden)
        if len(kernel.broken_pairs(labels, pairs)):
            raise AssertionError("The baseline broke a rule.")
        best = max(best, kernel.objective(distances, labels))
    return best, time.perf_counter() - started


def random_objective(features: np.ndarray, *, seed: int = SEED) -> float:
    from cadre.kernels import grouping as kernel

    distances = kernel.distance_matrix(features)
    groups = kernel.group_count(len(features), SIZE)
    rng = np.random.default_rng(seed)
    return float(
        np.mean([kernel.objective(distances, rng.permutation(len(features)) % groups) for _ in range(RANDOM_GROUPINGS)])
    )


# --- one cohort ------------------------------------------------------------------------------

SUMMARY = re.compile(r"objective=(\S+) violations=(\d+) groups=(\d+) seconds=(\S+)")


def command(cohort: Path, out: Path, conflicts: Path | None = None, seconds: float | None = None) -> dict:
    """`python -m cadre.grouping` in a child process: the figures of its summary line."""
    arguments = [sys.executable, "-m", "cadre.grouping", str(cohort), "--size", str(SIZE), "--out", str(out)]
    if conflicts:
        arguments += ["--conflicts", str(conflicts)]
    if seconds is not None:
        arguments += ["--seconds", str(seconds)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    finished = subprocess.run(arguments, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = SUMMARY.fullmatch(finished.stdout.strip())
    if finished.returncode or not found:
        raise RuntimeError(f"cadre form-groups failed ({finished.returncode}): {finished.stderr.strip()}")
    objective, violations, groups, wall = found.groups()
    return {
        "objective": float(objective),
        "violations": int(violations),
        "groups": int(groups),
        "s": float(wall),
        # processor time of the child: about what the wall clock would show on an idle machine
        "cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
    }


def measure_one(
    name: str, cohort: Path, conflicts: Path | None, *, restarts: int = RESTARTS, seconds: float | None = None
) -> dict:
    from cadre.grouping.csvio import read_cohort, read_conflicts
    from cadre.kernels import grouping as kernel

    data = read_cohort(cohort.read_bytes())
    pairs = list(data.manager_pairs)
    if conflicts:
        pairs += read_conflicts(conflicts.read_bytes(), cohort=data)
    pairs = np.array(sorted({(min(a, b), max(a, b)) for a, b in pairs}), dtype=np.int64).reshape(-1, 2)
    with tempfile.TemporaryDirectory(prefix="cadre-bench-groups-") as folder:
        out = Path(folder) / "groups.csv"
        ours = command(cohort, out, conflicts, seconds)
        written = list(csv.DictReader(out.open(encoding="utf-8")))
    index = data.index()
    labels = np.zeros(len(data.ids), dtype=np.int64)
    for row in written:
        labels[index[row["person_id"]]] = int(row["group"]) - 1
    checked = kernel.objective(kernel.distance_matrix(data.features), labels)
    if abs(checked - ours["objective"]) > 1e-3 * max(1.0, abs(checked)) or len(kernel.broken_pairs(labels, pairs)):
        raise AssertionError(f"{name}: the written groups do not match the summary line.")
    local, local_s = baseline(data.features, pairs, restarts=restarts)
    rand = random_objective(data.features)
    published = PUBLISHED.get(name, {})
    three_phase = published.get("three_phase", (None, None))
    row = {
        "cohort": name,
        "people": len(data.ids),
        "rules": len(pairs),
        "groups": ours["groups"],
        "objective": ours["objective"],
        "violations": ours["violations"],
        "s": ours["s"],
        "cpu_s": ours["cpu_s"],
        "three_phase": three_phase[0] if three_phase[0] else "",
        "three_phase_s": three_phase[1] if three_phase[1] else "",
        "local": local,
        "local_s": local_s,
        "random": rand,
        "over_random": f"{100 * (ours['objective'] / rand - 1):+.2f}%",
        "over_local": f"{100 * (ours['objective'] / local - 1):+.3f}%",
        "over_three_phase": f"{100 * (ours['objective'] / three_phase[0] - 1):+.3f}%" if three_phase[0] else "",
    }
    target = TARGET_S.get(len(data.ids))
    limit = three_phase[1] or target
    beats = (not three_phase[0] or ours["objective"] >= three_phase[0]) and ours["violations"] == 0
    row["target"] = ("yes" if beats and ours["s"] < limit else "NO") if limit else ""
    return row


def measure(size: int, *, restarts: int = RESTARTS, seconds: float | None = None) -> list[dict]:
    """The public cohorts (when size ≥ 1,200) and generated cohorts of size // 3 and size people."""
    results = []
    if size >= 1200:
        for name in PUBLISHED:
            results.append(measure_one(name, DATA / name, None, restarts=restarts, seconds=seconds))
    with tempfile.TemporaryDirectory(prefix="cadre-bench-cohorts-") as folder:
        for people in (size // 3, size):
            cohort_text, conflicts_text = generate(people)
            cohort, conflicts = Path(folder) / f"generated-{people}.csv", Path(folder) / f"pairs-{people}.csv"
            cohort.write_text(cohort_text, encoding="utf-8")
            conflicts.write_text(conflicts_text, encoding="utf-8")
            results.append(measure_one(f"generated {people:,}", cohort, conflicts, restarts=restarts, seconds=seconds))
    return results


PUBLISHED_COLUMNS = [
    ("cohort", "cohort"),
    ("people", "people"),
    ("rules", "rules"),
    ("groups", "groups"),
    ("objective", "Cadre"),
    ("violations", "broken"),
    ("s", "Cadre s"),
    ("cpu_s", "CPU s"),
    ("three_phase", "three-phase"),
    ("three_phase_s", "s"),
    ("local", "local max (Py)"),
    ("local_s", "s"),
    ("random", "random"),
    ("over_three_phase", "vs three-phase"),
    ("over_local", "vs local max"),
    ("over_random", "vs random"),
    ("target", "target met"),
]
GENERATED_COLUMNS = [column for column in PUBLISHED_COLUMNS if column[0] not in {"three_phase", "three_phase_s"}]
GENERATED_COLUMNS.remove(("over_three_phase", "vs three-phase"))


def table(results: list[dict]) -> str:
    published = [row for row in results if row["three_phase"] != ""]
    generated = [row for row in results if row["three_phase"] == ""]
    tables = []
    if published:
        title = (
            f"Group forming, public cohorts, groups of {SIZE}: Cadre's whole command (process start included; "
            "target: at least anticlust's three-phase objective, 0 broken rules, in less time) against anticlust "
            f"0.8.11 (published figures), a Python local-maximum baseline ({RESTARTS} starts) and random grouping"
        )
        tables.append(format_table(title, PUBLISHED_COLUMNS, published))
    if generated:
        targets = ", ".join(f"{people:,} in under {limit:.0f} s" for people, limit in TARGET_S.items())
        title = (
            f"Group forming, generated cohorts with line managers and declared conflicts, groups of {SIZE} "
            f"(target, whole command: {targets})"
        )
        tables.append(format_table(title, GENERATED_COLUMNS, generated))
    return "\n\n".join(tables)


def run(size: int, *, restarts: int = RESTARTS, seconds: float | None = None) -> None:
    print(table(measure(size, restarts=restarts, seconds=seconds)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.grouping", description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3000, help="the larger generated cohort (default 3,000)")
    parser.add_argument("--restarts", type=int, default=RESTARTS, help="starts of the local-maximum baseline")
    parser.add_argument("--seconds", type=float, help="--seconds for cadre form-groups (default: its own)")
    args = parser.parse_args(argv)
    run(args.people, restarts=args.restarts, seconds=args.seconds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
