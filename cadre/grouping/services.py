"""Form groups from a cohort file: read and check the files, search, write the groups."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cadre.core.errors import Problem, ValidationError
from cadre.grouping.csvio import Cohort, FileProblems, read_cohort, read_conflicts, write_groups
from cadre.kernels import grouping as kernel

MANAGER = "line manager"
CONFLICT = "declared conflict"
DEADLINE_FACTOR = 3.0  # the clock stops a search that takes this many times its seconds (plus the margin)
DEADLINE_MARGIN = 2.0


@dataclass(frozen=True)
class Summary:
    objective: float
    violations: int
    groups: int
    seconds: float  # wall clock, from `started` (the process start, from the command line)
    people: int
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"objective={self.objective:.3f} violations={self.violations} groups={self.groups} "
            f"seconds={self.seconds:.2f}"
        )


def run(
    *,
    input_path: str | Path,
    size: int,
    out_path: str | Path,
    seconds: float | None = None,
    seed: int = 0,
    conflicts_path: str | Path | None = None,
    started: float | None = None,
) -> Summary:
    """Group the people in `input_path` into groups of about `size` and write `out_path`.

    Raises ValidationError (FileProblems for a file's problems, naming rows) and writes nothing
    when an argument or file is wrong or no grouping keeps every rule. `started` is a
    `time.perf_counter()` reading the summary's seconds count from (default: now)."""
    started = time.perf_counter() if started is None else started
    input_path, out_path = Path(input_path), Path(out_path)
    conflicts_path = Path(conflicts_path) if conflicts_path is not None else None
    _check_arguments(
        size=size, seconds=seconds, input_path=input_path, out_path=out_path, conflicts_path=conflicts_path
    )

    cohort = read_cohort(_read(input_path), source=str(input_path), max_people=kernel.MAX_PEOPLE)
    people = len(cohort.ids)
    if size > people:
        raise ValidationError(
            Problem(f"--size is {size} but {input_path} has only {people} people, so it can be at most {people}.")
        )
    conflicts = []
    if conflicts_path is not None:
        conflicts = read_conflicts(
            _read(conflicts_path), cohort=cohort, source=str(conflicts_path), cohort_source=str(input_path)
        )
    reasons: dict[tuple[int, int], set[str]] = {}
    for pairs, reason in ((cohort.manager_pairs, MANAGER), (conflicts, CONFLICT)):
        for a, b in pairs:
            reasons.setdefault((min(a, b), max(a, b)), set()).add(reason)
    pairs = np.array(sorted(reasons), dtype=np.int64).reshape(-1, 2)

    kernel.warm_up()  # the first run compiles: not against the search's deadline
    distances = kernel.distance_matrix(cohort.features)
    allowed = kernel.default_seconds(people) if seconds is None else seconds
    try:
        grouping = kernel.form_groups(
            cohort.features,
            size=size,
            pairs=pairs,
            seconds=seconds,
            seed=seed,
            deadline=time.perf_counter() + DEADLINE_FACTOR * allowed + DEADLINE_MARGIN,
            distances=distances,
        )
    except kernel.Infeasible as error:
        raise ValidationError(_infeasible_problems(error, cohort, reasons, size)) from error

    violations = len(kernel.broken_pairs(grouping.labels, pairs))
    if violations:  # the kernel checks this too: never write a grouping that breaks a rule
        raise AssertionError(f"The grouping breaks {violations} rules; nothing was written.")
    write_groups(out_path, cohort.ids, (int(g) + 1 for g in grouping.labels))

    notes = [f"The column {name} has fewer than two different values, so it plays no part." for name in cohort.dropped]
    if not cohort.feature_names:
        notes.append("There are no feature columns, so every grouping that keeps the rules is as good as any other.")
    if grouping.stopped_at_deadline:
        notes.append(
            f"The machine was too slow or busy to finish the search's work in time, so it stopped at "
            f"{grouping.work / max(grouping.budget, 1):.0%} of it; running again may give different groups."
        )
    return Summary(
        objective=grouping.objective,
        violations=violations,
        groups=grouping.groups,
        seconds=time.perf_counter() - started,
        people=people,
        notes=notes,
    )


def _check_arguments(*, size, seconds, input_path: Path, out_path: Path, conflicts_path: Path | None) -> None:
    problems = []
    if size < 1:
        problems.append(Problem(f"--size is {size}; it must be at least 1."))
    if seconds is not None and not (math.isfinite(seconds) and seconds >= 0):
        problems.append(Problem(f"--seconds is {seconds}; it must be a number, 0 or more."))
    folder = out_path.parent
    if not folder.is_dir():
        problems.append(Problem(f"The folder for --out, {folder}, does not exist."))
    elif out_path.is_dir():
        problems.append(Problem(f"--out {out_path} is a folder; give a file name."))
    for name, path in (("the input file", input_path), ("the conflicts file", conflicts_path)):
        if path is not None and out_path.resolve() == path.resolve():
            problems.append(Problem(f"--out {out_path} is {name}; choose another file so that it is not overwritten."))
    if problems:
        raise ValidationError(problems)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as error:
        raise FileProblems(str(path), "There is no such file.") from error
    except IsADirectoryError as error:
        raise FileProblems(str(path), "This is a folder, not a file.") from error
    except OSError as error:
        raise FileProblems(str(path), f"The file cannot be read: {error.strerror}.") from error


def _infeasible_problems(
    error: kernel.Infeasible, cohort: Cohort, reasons: dict[tuple[int, int], set[str]], size: int
) -> list[Problem]:
    people = len(cohort.ids)
    groups = kernel.group_count(people, size)
    smallest = people // groups
    problems = []
    if error.people:
        degree: dict[int, int] = {}
        for a, b in reasons:
            degree[a] = degree.get(a, 0) + 1
            degree[b] = degree.get(b, 0) + 1
        count = len(error.people)
        problems.append(
            Problem(
                f"No grouping can keep every rule: {_people(count)} must be kept apart from so many others that "
                f"no group of {smallest} can take {'them' if count > 1 else 'this person'}."
            )
        )
        for i in error.people:
            problems.append(
                Problem(
                    f"{cohort.ids[i]} must be kept apart from {degree.get(i, 0)} of the other {_people(people - 1)}, "
                    f"which leaves too few to fill a group of {smallest} around them.",
                    row=cohort.rows[i],
                )
            )
        return problems
    count = len(error.pairs)
    problems.append(
        Problem(
            f"No grouping was found that keeps every rule: the closest the search came still put "
            f"{count} {'pairs' if count > 1 else 'pair'} who must be kept apart in the same group. Smaller groups "
            f"(a smaller --size) or fewer conflicts would help."
        )
    )
    for a, b in error.pairs:
        first, second = sorted((a, b))
        why = " and ".join(sorted(reasons.get((first, second), {CONFLICT})))
        problems.append(
            Problem(
                f"{cohort.ids[first]} and {cohort.ids[second]} (row {cohort.rows[second]}, {why}) still share a group.",
                row=cohort.rows[first],
            )
        )
    return problems


def _people(count: int) -> str:
    return f"{count:,} {'person' if count == 1 else 'people'}"
