"""The mentee and mentor files in, the matches file out. No Django: `cadre match-mentors` can run
without setting it up.

MENTEES.csv: person_id, organisation, level (1 most junior to 5), manager_id (may be empty),
avoid (mentor ids separated by `;`, may be empty) and need_<attribute> columns (0 to 4).
MENTORS.csv: person_id, organisation, level, capacity (0 or more) and strength_<attribute>
columns (0 to 4) for the same attributes. Columns are found by their heading (case and spaces
around it do not matter), in any order; other columns are ignored.

Every problem in the files is collected and raised together as `InputError`, each naming the
file, the rows and the column, before anything is written.
"""

import csv
import io
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cadre.core.errors import ValidationError

MENTEE_COLUMNS = ("person_id", "organisation", "level", "manager_id", "avoid")
MENTOR_COLUMNS = ("person_id", "organisation", "level", "capacity")
NEED_PREFIX = "need_"
STRENGTH_PREFIX = "strength_"
LEVELS = range(1, 6)
SCORES = range(0, 5)
MAX_CAPACITY = 1_000_000  # more places than anyone could use; larger numbers are read as this
MATCHES_HEADER = ("mentee_id", "mentor_id", "score", "reason")


@dataclass(frozen=True)
class FileProblem:
    """One thing wrong with an input file: the file, the rows (as a spreadsheet numbers them,
    the heading row being row 1) and the column it is in, when it is in one."""

    file: str
    message: str
    rows: tuple[int, ...] = ()
    column: str | None = None

    # cadre.core.errors.Problem's names, so code that reads problems can read these too.
    @property
    def field(self) -> str | None:
        return self.column

    @property
    def row(self) -> int | None:
        return self.rows[0] if self.rows else None

    def __str__(self) -> str:
        where = [self.file]
        if self.rows:
            where.append(f"row {self.rows[0]}" if len(self.rows) == 1 else f"rows {_and_list(self.rows)}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class InputError(ValidationError):
    """The input files cannot be matched as they are. Nothing has been written."""

    def __init__(self, problems: list[FileProblem]):
        super().__init__(problems)
        self.problems: list[FileProblem] = list(problems)


def _and_list(items: Iterable) -> str:
    items = [str(item) for item in items]
    if len(items) > 6:
        return ", ".join(items[:5]) + f" and {len(items) - 5} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@dataclass
class People:
    """One input file, read and checked. `scores` are needs (mentees) or strengths (mentors),
    one column per attribute, in the order of `attributes`."""

    file: str
    rows: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)
    scores: list[list[int]] = field(default_factory=list)
    manager_ids: list[str] = field(default_factory=list)  # mentees only
    avoid: list[list[str]] = field(default_factory=list)  # mentees only
    capacities: list[int] = field(default_factory=list)  # mentors only


# --- reading -------------------------------------------------------------------------------------


def _read_rows(path: Path, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The heading row and the other rows (with their row numbers), or InputError."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError([FileProblem(name, f"the file cannot be read ({error.strerror or error}).")]) from error
    if not data.strip():
        raise InputError([FileProblem(name, "the file is empty.")])
    if b"\x00" in data:
        raise InputError([FileProblem(name, "the file is not a CSV text file. Save it as CSV UTF-8 and try again.")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            [FileProblem(name, f"the file is not UTF-8 text (line {line}). Save it as CSV UTF-8 and try again.")]
        ) from error
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        heading = next(reader)
        # Rows numbered as a spreadsheet shows them: the heading is row 1, blank rows count, and
        # a quoted value running over several lines is still one row.
        for number, cells in enumerate(reader, start=2):
            rows.append((number, [cell.strip() for cell in cells]))
    except csv.Error as error:
        text = str(error)
        if "expected after" in text or "end of data" in text:
            text = "a value in double quotes is not closed properly"
        elif "field larger" in text:
            text = "a value is too long"
        raise InputError(
            [FileProblem(name, f"the file is not valid CSV near line {reader.line_num}: {text}.")]
        ) from error
    heading = [cell.strip() for cell in heading]
    if len(heading) < 2 or not any(heading):
        raise InputError([FileProblem(name, "the first row is not a heading row of comma-separated column names.")])
    rows = [(number, cells) for number, cells in rows if any(cells)]
    if not rows:
        raise InputError([FileProblem(name, "the file has a heading row but no people below it.")])
    return heading, rows


def _columns(
    heading: list[str], name: str, required: tuple[str, ...], prefix: str
) -> tuple[dict[str, int], dict[str, int], list[FileProblem]]:
    """Positions of the required columns and of the attribute columns (by attribute name)."""
    problems = []
    positions: dict[str, list[int]] = {}
    for index, title in enumerate(heading):
        if title:
            positions.setdefault(title.lower(), []).append(index)
    for title, found in positions.items():
        if len(found) > 1 and (title in required or title.startswith(prefix)):
            numbers = _and_list(index + 1 for index in found)
            problems.append(FileProblem(name, f"the column {title} appears more than once (columns {numbers})."))
    missing = [title for title in required if title not in positions]
    if missing:
        noun = "column" if len(missing) == 1 else "columns"
        problems.append(
            FileProblem(
                name,
                f"the {noun} {_and_list(missing)} {'is' if len(missing) == 1 else 'are'} missing. "
                f"The heading row must name {_and_list(required)}, and {prefix}<attribute> columns.",
            )
        )
    columns = {title: found[0] for title, found in positions.items() if title in required}
    attributes = {}
    for title, found in positions.items():
        if title.startswith(prefix):
            attribute = title[len(prefix) :].strip()
            if not attribute:
                problems.append(FileProblem(name, f"the column {title} does not name an attribute after {prefix}."))
            else:
                attributes[attribute] = found[0]
    return columns, attributes, problems


def _whole_number(text: str) -> int | None:
    text = text.strip()
    if text.startswith("+"):
        text = text[1:]
    if not text or not text.isascii() or not text.isdigit():
        return None
    return int(text)


class _RowProblems:
    """Problems of one file, grouped so that the same message in the same column lists its rows."""

    def __init__(self, name: str):
        self.name = name
        self.grouped: dict[tuple[str | None, str], list[int]] = {}

    def add(self, row: int, column: str | None, message: str) -> None:
        self.grouped.setdefault((column, message), []).append(row)

    def problems(self) -> list[FileProblem]:
        found = [
            FileProblem(self.name, message, tuple(rows), column) for (column, message), rows in self.grouped.items()
        ]
        return sorted(found, key=lambda p: (p.rows[0] if p.rows else 0, p.column or ""))


def _read_people(path: Path, *, name: str, required: tuple[str, ...], prefix: str) -> People:
    heading, rows = _read_rows(path, name)
    columns, attributes, problems = _columns(heading, name, required, prefix)
    if not attributes and not any(p.message.startswith("the column") for p in problems):
        problems.append(FileProblem(name, f"there are no {prefix}<attribute> columns, such as {prefix}resilience."))
    if problems:
        raise InputError(problems)
    people = People(file=name, attributes=sorted(attributes))
    found = _RowProblems(name)
    first_row: dict[str, int] = {}
    repeated: dict[str, list[int]] = {}
    width = len(heading)
    for number, cells in rows:
        if len(cells) > width and any(cells[width:]):
            found.add(
                number,
                None,
                f"the row has {len(cells)} cells but the heading row has {width} "
                "(a comma inside a value must be inside double quotes).",
            )

        def cell(title: str, cells=cells) -> str:
            index = columns[title]
            return cells[index] if index < len(cells) else ""

        person_id = cell("person_id")
        if not person_id:
            found.add(number, "person_id", "the person_id is empty.")
        elif person_id in first_row:
            repeated.setdefault(person_id, [first_row[person_id]]).append(number)
        else:
            first_row[person_id] = number
        organisation = cell("organisation")
        if not organisation:
            found.add(number, "organisation", "the organisation is empty.")
        level = _whole_number(cell("level"))
        if level not in LEVELS:
            found.add(number, "level", f"{_shown(cell('level'))} is not a level: use a whole number from 1 to 5.")
        scores = []
        for attribute in people.attributes:
            index = attributes[attribute]
            text = cells[index] if index < len(cells) else ""
            value = _whole_number(text)
            if value not in SCORES:
                found.add(
                    number, f"{prefix}{attribute}", f"{_shown(text)} is not a score: use a whole number from 0 to 4."
                )
            scores.append(value or 0)
        people.rows.append(number)
        people.ids.append(person_id)
        people.organisations.append(" ".join(organisation.casefold().split()))
        people.levels.append(level or 0)
        people.scores.append(scores)
        if "capacity" in columns:
            capacity = _whole_number(cell("capacity"))
            if capacity is None:
                found.add(
                    number,
                    "capacity",
                    f"{_shown(cell('capacity'))} is not a capacity: use a whole number, 0 or more.",
                )
            people.capacities.append(min(capacity or 0, MAX_CAPACITY))
        if "manager_id" in columns:
            people.manager_ids.append(cell("manager_id"))
        if "avoid" in columns:
            people.avoid.append([item.strip() for item in cell("avoid").split(";") if item.strip()])
    for person_id, numbers in repeated.items():
        found.add(numbers[0], "person_id", f"the person_id {person_id} appears more than once.")
        found.grouped[("person_id", f"the person_id {person_id} appears more than once.")] = numbers
    if found.grouped:
        raise InputError(found.problems())
    return people


def _shown(text: str) -> str:
    return f"‘{text}’" if text else "an empty cell"


def read_mentees(path: Path | str) -> People:
    path = Path(path)
    return _read_people(path, name=path.name, required=MENTEE_COLUMNS, prefix=NEED_PREFIX)


def read_mentors(path: Path | str) -> People:
    path = Path(path)
    return _read_people(path, name=path.name, required=MENTOR_COLUMNS, prefix=STRENGTH_PREFIX)


def check_together(mentees: People, mentors: People) -> None:
    """What can only be checked with both files: the same attributes, and avoid lists that name
    mentors in the mentor file."""
    problems = []
    only_needs = [a for a in mentees.attributes if a not in mentors.attributes]
    only_strengths = [a for a in mentors.attributes if a not in mentees.attributes]
    if only_needs:
        columns = _and_list(NEED_PREFIX + a for a in only_needs)
        wanted = _and_list(STRENGTH_PREFIX + a for a in only_needs)
        problems.append(FileProblem(mentees.file, f"{columns} has no matching {wanted} column in {mentors.file}."))
    if only_strengths:
        columns = _and_list(STRENGTH_PREFIX + a for a in only_strengths)
        wanted = _and_list(NEED_PREFIX + a for a in only_strengths)
        problems.append(FileProblem(mentors.file, f"{columns} has no matching {wanted} column in {mentees.file}."))
    known = set(mentors.ids)
    unknown = _RowProblems(mentees.file)
    for number, avoid in zip(mentees.rows, mentees.avoid, strict=True):
        for mentor_id in avoid:
            if mentor_id not in known:
                unknown.add(number, "avoid", f"{mentor_id} is not a person_id in {mentors.file}.")
    problems.extend(unknown.problems())
    if problems:
        raise InputError(problems)


# --- writing -------------------------------------------------------------------------------------


def write_matches(path: Path | str, rows: Iterable[tuple[str, str, str, str]]) -> None:
    """Write the matches file whole or not at all: to a temporary file beside it, then renamed
    over it in one step, so a failure never leaves a half-written or stale-looking file."""
    path = Path(path)
    umask = os.umask(0)
    os.umask(umask)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(MATCHES_HEADER)
            writer.writerows(rows)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file would be
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
