import csv
import io
import re
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from bench.grouping import generate
from cadre.core.errors import ValidationError
from cadre.grouping.command import execute
from cadre.grouping.csvio import FileProblems, read_cohort, read_conflicts
from cadre.grouping.management.commands.form_groups import Command
from cadre.grouping.services import run
from cadre.kernels.grouping import broken_pairs

SUMMARY = re.compile(r"objective=\d+\.\d{3} violations=0 groups=\d+ seconds=\d+\.\d{2}")
SECONDS = 0.05


@pytest.fixture
def files(tmp_path: Path):
    cohort, conflicts = generate(90, seed=5)
    (tmp_path / "people.csv").write_text(cohort, encoding="utf-8")
    (tmp_path / "pairs.csv").write_text(conflicts, encoding="utf-8")
    return tmp_path


def read_groups(path: Path) -> list[dict]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_a_run_writes_every_person_once_in_file_order_and_keeps_every_rule(files):
    out = files / "groups.csv"
    summary = run(
        input_path=files / "people.csv",
        size=6,
        out_path=out,
        seconds=SECONDS,
        conflicts_path=files / "pairs.csv",
    )
    assert out.read_text(encoding="utf-8").startswith("person_id,group\n")
    rows = read_groups(out)
    people = read_cohort((files / "people.csv").read_bytes())
    assert [row["person_id"] for row in rows] == people.ids
    groups = np.array([int(row["group"]) for row in rows])
    assert sorted(set(groups)) == list(range(1, 16)) and summary.groups == 15
    assert np.bincount(groups)[1:].tolist() == [6] * 15
    pairs = np.array(people.manager_pairs + read_conflicts((files / "pairs.csv").read_bytes(), cohort=people))
    assert len(people.manager_pairs) > 10 and len(pairs) > len(people.manager_pairs)
    assert not len(broken_pairs(groups, pairs))
    assert summary.violations == 0
    assert SUMMARY.fullmatch(summary.line())
    assert summary.line().startswith(f"objective={summary.objective:.3f} violations=0 groups=15 seconds=")


def test_the_same_seed_and_seconds_give_the_same_file(files):
    outputs = []
    for seed, name in ((3, "one.csv"), (3, "two.csv"), (4, "three.csv")):
        run(input_path=files / "people.csv", size=4, out_path=files / name, seconds=SECONDS, seed=seed)
        outputs.append((files / name).read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] != outputs[2]


def test_groups_of_unequal_sizes(tmp_path: Path):
    (tmp_path / "people.csv").write_text("person_id,x\n" + "".join(f"p{i},{i % 7}\n" for i in range(10)))
    summary = run(input_path=tmp_path / "people.csv", size=4, out_path=tmp_path / "groups.csv", seconds=SECONDS)
    sizes = np.bincount([int(row["group"]) for row in read_groups(tmp_path / "groups.csv")])[1:]
    assert summary.groups == 3 and sorted(sizes) == [3, 3, 4]  # 10 / 4 = 2.5 rounds up to 3 groups


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


PEOPLE = "person_id,manager_id,x\na,,1\nb,a,2\nc,,3\nd,,4\n"
BAD_INPUTS = [
    # (case, people.csv, pairs.csv or None, size, the lines expected, each at its start)
    ("missing person_id", "id,x\na,1\n", None, 2, ["people.csv: row 1: There is no person_id column."]),
    (
        "duplicate ids",
        "person_id,x\na,1\nb,2\na,3\n",
        None,
        2,
        ["people.csv: row 4, column person_id: a is also on row 2. Each person_id must be unique."],
    ),
    ("unknown id in pairs", PEOPLE, "person_a,person_b\na,zz\n", 2, ["pairs.csv: row 2, column person_b: zz is not"]),
    ("self conflict", PEOPLE, "person_a,person_b\nc,c\n", 2, ["pairs.csv: row 2: c is paired with themselves."]),
    ("own line manager", "person_id,manager_id\na,a\nb,\n", None, 1, ["people.csv: row 2, column manager_id: a is"]),
    (
        "the same rules without the impossible one",
        PEOPLE,
        "person_a,person_b\nc,a\nc,d\n",  # {b, c} and {a, d} keep them all
        2,
        None,  # so the run succeeds
    ),
    (
        "a person no group can take",
        PEOPLE,
        "person_a,person_b\nc,a\nc,b\nc,d\n",
        2,
        [
            "No grouping can keep every rule: 1 person must be kept apart from so many others that no group of 2",
            "row 4: c must be kept apart from 3 of the other 3 people",
        ],
    ),
    (
        "no grouping keeps every rule",
        PEOPLE,
        "person_a,person_b\na,c\nb,c\n",  # a, b (line manager) and c all apart, in two groups
        2,
        [
            "No grouping was found that keeps every rule: the closest the search came still put 1 pair",
            "still share a group.",
        ],
    ),
    ("size 0", PEOPLE, None, 0, ["--size is 0; it must be at least 1."]),
    ("size larger than the file", PEOPLE, None, 5, ["people.csv has only 4 people, so it can be at most 4."]),
    ("empty file", "", None, 2, ["people.csv: The file is empty."]),
    ("empty pairs file", PEOPLE, "", 2, ["pairs.csv: The file is empty."]),
    ("not UTF-8", b"person_id,x\na,\xff\n", None, 2, ["people.csv: The file is not UTF-8 text: line 2"]),
]


@pytest.mark.parametrize(
    ("people", "pairs", "size", "expected"),
    [case[1:] for case in BAD_INPUTS],
    ids=[f"{i}-{case[0]}" for i, case in enumerate(BAD_INPUTS)],
)
def test_bad_input_is_refused_with_a_clear_message_and_writes_nothing(tmp_path, people, pairs, size, expected):
    people_path = write(tmp_path, "people.csv", people)
    pairs_path = write(tmp_path, "pairs.csv", pairs) if pairs is not None else None
    out, err = io.StringIO(), io.StringIO()
    status = execute(
        input_file=str(people_path),
        size=size,
        out=str(tmp_path / "groups.csv"),
        seconds=SECONDS,
        seed=0,
        conflicts=str(pairs_path) if pairs_path else None,
        stdout=out,
        stderr=err,
    )
    if expected is None:
        assert status == 0 and SUMMARY.fullmatch(out.getvalue().strip())
        return
    assert status == 1
    assert out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert len(lines) >= len(expected)
    assert all(line.startswith("error: ") for line in lines)
    for line, fragment in zip(lines, expected, strict=False):
        assert fragment in line
    assert not (tmp_path / "groups.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["people.csv"] + (["pairs.csv"] if pairs_path else []))


def test_the_pairs_left_together_are_named_with_their_rows_and_reasons(tmp_path):
    people = write(tmp_path, "people.csv", PEOPLE)
    pairs = write(tmp_path, "pairs.csv", "person_a,person_b\na,c\nb,c\n")
    with pytest.raises(ValidationError) as raised:
        run(input_path=people, size=2, out_path=tmp_path / "groups.csv", seconds=SECONDS, conflicts_path=pairs)
    detail = [str(problem) for problem in raised.value.problems[1:]]
    assert len(detail) == 1
    assert detail[0] in {
        "row 2: a and b (row 3, line manager) still share a group.",
        "row 2: a and c (row 4, declared conflict) still share a group.",
        "row 3: b and c (row 4, declared conflict) still share a group.",
    }


def test_an_existing_groups_file_is_left_alone_when_the_run_fails(tmp_path):
    out = write(tmp_path, "groups.csv", "person_id,group\nold,1\n")
    with pytest.raises(FileProblems):
        run(input_path=write(tmp_path, "people.csv", "id\n"), size=2, out_path=out, seconds=SECONDS)
    assert out.read_text() == "person_id,group\nold,1\n"


def test_arguments_are_checked_before_any_file_is_read(tmp_path):
    missing = tmp_path / "nowhere" / "groups.csv"
    with pytest.raises(ValidationError) as raised:
        run(input_path=tmp_path / "people.csv", size=2, out_path=missing, seconds=-1)
    assert [str(p) for p in raised.value.problems] == [
        "--seconds is -1; it must be a number, 0 or more.",
        f"The folder for --out, {missing.parent}, does not exist.",
    ]
    people = write(tmp_path, "people.csv", PEOPLE)
    with pytest.raises(ValidationError, match="is the input file"):
        run(input_path=people, size=2, out_path=people, seconds=SECONDS)
    assert people.read_text() == PEOPLE
    with pytest.raises(FileProblems, match="There is no such file"):
        run(input_path=tmp_path / "absent.csv", size=2, out_path=tmp_path / "groups.csv")


def test_a_column_that_plays_no_part_is_noted(tmp_path):
    people = write(tmp_path, "people.csv", "person_id,x,same\na,1,3\nb,2,3\nc,3,3\nd,4,3\n")
    out, err = io.StringIO(), io.StringIO()
    status = execute(
        input_file=str(people),
        size=2,
        out=str(tmp_path / "groups.csv"),
        seconds=SECONDS,
        seed=0,
        conflicts=None,
        stdout=out,
        stderr=err,
    )
    assert status == 0
    assert err.getvalue() == "note: The column same has fewer than two different values, so it plays no part.\n"
    assert SUMMARY.fullmatch(out.getvalue().strip()) and out.getvalue().count("\n") == 1


def test_the_management_command_prints_one_summary_line(files, capsys):
    out = files / "groups.csv"
    call_command(
        Command(),
        str(files / "people.csv"),
        "--size",
        "6",
        "--out",
        str(out),
        "--seconds",
        str(SECONDS),
        "--conflicts",
        str(files / "pairs.csv"),
    )
    printed = capsys.readouterr().out
    assert SUMMARY.fullmatch(printed.strip()) and printed.count("\n") == 1
    assert len(read_groups(out)) == 90


def test_the_management_command_exits_non_zero_on_bad_input(tmp_path, capsys):
    people = write(tmp_path, "people.csv", "id\n")
    with pytest.raises(SystemExit) as raised:
        call_command(Command(), str(people), "--size", "2", "--out", str(tmp_path / "groups.csv"))
    assert raised.value.code == 1
    assert "There is no person_id column" in capsys.readouterr().err
    assert not (tmp_path / "groups.csv").exists()
