"""The files of `cadre form-groups`: the cohort in, the declared conflicts in, the groups out.

INPUT.csv (UTF-8, comma-separated, a heading row):

- `person_id` (required): unique, not empty;
- `manager_id` (optional): the person's line manager. When that person is in the file too,
  the two must not share a group; a manager outside the file imposes nothing;
- every other column is a feature, found by its heading in any order.

A feature column is numeric when every non-empty value in it is a number (digits with an
optional sign, decimal point and exponent: `3`, `-0.5`, `.5`, `1e3`); otherwise it is text.

- Text: one-hot, a 0/1 column for each value seen (an empty cell is a value of its own),
  unscaled, in sorted order of the values.
- Numeric: z-scored, (x − mean) / sample standard deviation over the non-empty cells; an empty
  cell takes the mean, so 0 after scaling. A column with fewer than two different values has
  no variance and is dropped.

PAIRS.csv: a heading row with `person_a` and `person_b`, then one declared conflict a row;
both must be in INPUT.csv and differ.

GROUPS.csv: `person_id,group`, one row for each person in the order of INPUT.csv, groups
numbered from 1. Written to a temporary file in the same folder, then renamed over the
target, so a failed run never leaves a partial or stale file behind.

Problems raise `FileProblems` (a `cadre.core.errors.ValidationError`) naming the file, and
the row and column where there is one."""

from __future__ import annotations

import csv
import math
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cadre.core.errors import Problem, ValidationError

PERSON_ID = "person_id"
MANAGER_ID = "manager_id"
PERSON_A = "person_a"
PERSON_B = "person_b"
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
SHOWN = 20  # problems listed before "and N more"


class FileProblems(ValidationError):
    """Problems with one file: `source` names it in every line shown to the user."""

    def __init__(self, source: str, problems: list[Problem] | Problem | str):
        super().__init__(problems)
        self.source = source

    def lines(self) -> list[str]:
        shown = [f"{self.source}: {problem}" for problem in self.problems[:SHOWN]]
        if len(self.problems) > SHOWN:
            shown.append(f"{self.source}: and {len(self.problems) - SHOWN:,} more problems like these.")
        return shown


@dataclass(frozen=True)
class Cohort:
    ids: list[str]  # person_id of each person, in file order
    rows: list[int]  # the line of the file each person is on (the heading row is line 1)
    features: np.ndarray  # one row a person, float64
    feature_names: list[str]  # "tier=senior_leader" for a one-hot column, the heading for a numeric one
    dropped: list[str]  # numeric columns dropped for having no variance
    manager_pairs: list[tuple[int, int]]  # (person, their manager) as indices, both in the file

    def index(self) -> dict[str, int]:
        return {person: i for i, person in enumerate(self.ids)}


@dataclass(frozen=True)
class Table:
    headings: list[str]
    rows: list[tuple[int, list[str]]]  # (line, cells stripped of surrounding spaces)


def decode(data: bytes, source: str, *, needs: str) -> str:
    """UTF-8 text, with or without a byte-order mark. `needs` says what an empty file lacks."""
    if not data.strip():
        raise FileProblems(source, f"The file is empty. It needs {needs}.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileProblems(
            source,
            f"The file is not UTF-8 text: line {line} holds bytes that are not UTF-8. "
            "Save it as CSV (UTF-8) and try again.",
        ) from error
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FileProblems(source, f"The file is not a text file: line {line} holds a null character.")
    return text


def read_table(text: str, source: str) -> Table:
    """The heading row and the rows after it; blank lines are skipped. Every row must have as
    many cells as the heading row."""
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    problems: list[Problem] = []
    headings: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    line = 0
    try:
        for record in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            cells = [cell.strip() for cell in record]
            if headings is None:
                headings = cells
                continue
            if len(cells) != len(headings):
                problems.append(
                    Problem(f"The row has {len(cells)} cells but the heading row has {len(headings)}.", row=start)
                )
                continue
            rows.append((start, cells))
    except csv.Error as error:
        raise FileProblems(source, Problem(f"The file cannot be read as CSV: {error}.", row=reader.line_num)) from error
    if headings is None:
        raise FileProblems(source, "The file is empty: it has no heading row.")
    if problems:
        raise FileProblems(source, problems)
    return Table(headings=headings, rows=rows)


def _columns(headings: list[str], source: str, required: Iterable[str]) -> dict[str, int]:
    """Where each heading is (person_id and the like matched without regard to case)."""
    problems = []
    position: dict[str, int] = {}
    for number, heading in enumerate(headings, start=1):
        key = heading.lower() if heading.lower() in {PERSON_ID, MANAGER_ID, PERSON_A, PERSON_B} else heading
        if not heading:
            problems.append(Problem(f"Column {number} has no heading.", row=1))
        elif key in position:
            problems.append(Problem(f"The heading {heading} is on columns {position[key] + 1} and {number}.", row=1))
        else:
            position[key] = number - 1
    for name in required:
        if name not in position:
            shown = ", ".join(h for h in headings if h) or "nothing"
            problems.append(Problem(f"There is no {name} column. The heading row has: {shown}.", row=1))
    if problems:
        raise FileProblems(source, problems)
    return position


def read_cohort(data: bytes, *, source: str = "INPUT.csv", max_people: int | None = None) -> Cohort:
    """Read, check and encode the cohort file (see the module's docstring for the rules)."""
    text = decode(data, source, needs="a heading row with a person_id column, then a row for each person")
    table = read_table(text, source)
    position = _columns(table.headings, source, [PERSON_ID])
    if not table.rows:
        raise FileProblems(source, "The file has a heading row but no people.")
    if max_people is not None and len(table.rows) > max_people:
        raise FileProblems(
            source, f"The file has {len(table.rows):,} people; at most {max_people:,} can be grouped in one run."
        )

    problems: list[Problem] = []
    ids: list[str] = []
    rows: list[int] = []
    first: dict[str, int] = {}  # person_id -> index of the first row with it
    at_id = position[PERSON_ID]
    for line, cells in table.rows:
        person = cells[at_id]
        if not person:
            problems.append(Problem("The person_id is empty.", row=line, field=PERSON_ID))
        elif person in first:
            problems.append(
                Problem(
                    f"{person} is also on row {rows[first[person]]}. Each person_id must be unique.",
                    row=line,
                    field=PERSON_ID,
                )
            )
        else:
            first[person] = len(ids)
        ids.append(person)
        rows.append(line)

    manager_pairs: list[tuple[int, int]] = []
    if MANAGER_ID in position:
        at_manager = position[MANAGER_ID]
        for i, (line, cells) in enumerate(table.rows):
            manager = cells[at_manager]
            if manager and manager == ids[i]:
                problems.append(
                    Problem(
                        f"{manager} is their own line manager. A person cannot be kept apart from themselves.",
                        row=line,
                        field=MANAGER_ID,
                    )
                )
            elif manager in first:
                manager_pairs.append((i, first[manager]))

    feature_columns = [(h, at) for h, at in position.items() if h not in {PERSON_ID, MANAGER_ID}]
    encoded = []
    for heading, at in feature_columns:
        values = [cells[at] for _, cells in table.rows]
        try:
            encoded.append(encode_column(heading, values))
        except ValueError as error:
            line = table.rows[int(error.args[1])][0]
            problems.append(Problem(str(error.args[0]), row=line, field=heading))
    if problems:
        raise FileProblems(source, problems)

    blocks = [block for block, _, _ in encoded if block is not None]
    features = np.hstack(blocks) if blocks else np.zeros((len(ids), 0))
    return Cohort(
        ids=ids,
        rows=rows,
        features=np.ascontiguousarray(features, dtype=np.float64),
        feature_names=[name for _, names, _ in encoded for name in names],
        dropped=[heading for (_, _, dropped), (heading, _) in zip(encoded, feature_columns, strict=True) if dropped],
        manager_pairs=manager_pairs,
    )


def is_number(value: str) -> bool:
    return NUMBER.fullmatch(value) is not None


def encode_column(heading: str, values: list[str]) -> tuple[np.ndarray | None, list[str], bool]:
    """One feature column as (block of columns or None, their names, dropped for no variance).
    Raises ValueError(message, index of the value) for a number too large to use."""
    if all(is_number(v) for v in values if v):
        return _numeric(heading, values)
    categories = sorted(set(values))
    block = np.zeros((len(values), len(categories)))
    where = {category: k for k, category in enumerate(categories)}
    for i, value in enumerate(values):
        block[i, where[value]] = 1.0
    return block, [f"{heading}={category}" for category in categories], False


def _numeric(heading: str, values: list[str]) -> tuple[np.ndarray | None, list[str], bool]:
    present = [(i, float(v)) for i, v in enumerate(values) if v]
    for i, number in present:
        if not math.isfinite(number):
            raise ValueError(f"{values[i]} is too large a number to use.", i)
    if len({number for _, number in present}) < 2:
        return None, [], True
    x = np.array([number for _, number in present])
    x = x / np.max(np.abs(x))  # z-scores do not change with scale; this keeps the squares finite
    mean = x.mean()
    sd = x.std(ddof=1)
    column = np.zeros((len(values), 1))  # the mean, after scaling
    column[[i for i, _ in present], 0] = (x - mean) / sd
    return column, [heading], False


def read_conflicts(data: bytes, *, cohort: Cohort, source: str = "PAIRS.csv", cohort_source: str = "INPUT.csv"):
    """The declared conflicts as index pairs into the cohort."""
    text = decode(data, source, needs="a heading row person_a,person_b, then a row for each pair")
    table = read_table(text, source)
    position = _columns(table.headings, source, [PERSON_A, PERSON_B])
    index = cohort.index()
    problems: list[Problem] = []
    pairs: list[tuple[int, int]] = []
    for line, cells in table.rows:
        a, b = cells[position[PERSON_A]], cells[position[PERSON_B]]
        bad = False
        for field, person in ((PERSON_A, a), (PERSON_B, b)):
            if not person:
                problems.append(Problem(f"The {field} is empty.", row=line, field=field))
                bad = True
            elif person not in index:
                problems.append(Problem(f"{person} is not in {cohort_source}.", row=line, field=field))
                bad = True
        if bad:
            continue
        if a == b:
            problems.append(
                Problem(f"{a} is paired with themselves. A person cannot be in conflict with themselves.", row=line)
            )
            continue
        pairs.append((index[a], index[b]))
    if problems:
        raise FileProblems(source, problems)
    return pairs


def write_groups(path: Path, ids: list[str], groups: Iterable[int]) -> None:
    """person_id,group for each person, written atomically (a temporary file, then a rename)."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow([PERSON_ID, "group"])
            writer.writerows(zip(ids, groups, strict=True))
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
