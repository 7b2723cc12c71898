import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadre.grouping.csvio import FileProblems, encode_column, is_number, read_cohort, read_conflicts, write_groups


def cohort(text: str):
    return read_cohort(text.encode("utf-8"), source="people.csv")


def problems_of(text: str | bytes, reader=read_cohort, **kwargs) -> list[str]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(FileProblems) as raised:
        reader(data, **kwargs)
    return raised.value.lines()


def test_the_worked_example_is_encoded_as_the_rules_say():
    """Hand-computed: `team` is text (one-hot, the empty cell a category of its own, unscaled);
    `score` is numeric (mean 8/3 and sample sd √(13/3) over 1, 2 and 5; the empty cell takes
    the mean, 0 after scaling); `flat` has one value only and is dropped; `notes` is text."""
    lines = [
        "person_id,team,score,flat,notes,manager_id",
        "a,red,1,5,,",
        "b,blue,2,5,x,a",
        "c,red,,5,y,zz",
        "d,,5,5.0,x,b",
    ]
    result = cohort("\n".join(lines) + "\n")
    assert result.ids == ["a", "b", "c", "d"]
    assert result.rows == [2, 3, 4, 5]
    assert result.feature_names == ["team=", "team=blue", "team=red", "score", "notes=", "notes=x", "notes=y"]
    assert result.dropped == ["flat"]
    mean, sd = 8 / 3, math.sqrt(13 / 3)
    expected = np.array(
        [
            [0, 0, 1, (1 - mean) / sd, 1, 0, 0],
            [0, 1, 0, (2 - mean) / sd, 0, 1, 0],
            [0, 0, 1, 0.0, 0, 0, 1],
            [1, 0, 0, (5 - mean) / sd, 0, 1, 0],
        ]
    )
    assert result.features == pytest.approx(expected, abs=1e-12)
    assert result.features[:, 3] == pytest.approx([-0.80064, -0.32026, 0.0, 1.12090], abs=1e-5)
    # b is managed by a, d by b; c's manager zz is not in the file and imposes nothing.
    assert result.manager_pairs == [(1, 0), (3, 1)]


@pytest.mark.parametrize("value", ["3", "-2", "+7", "0.5", ".5", "5.", "1e3", "2.5E-2", "-1.5e+10", "007"])
def test_numbers(value):
    assert is_number(value)


@pytest.mark.parametrize(
    "value", ["1,000", "nan", "inf", "-Infinity", "1.2.3", "3 apples", "0x10", "1_000", "e5", "£5"]
)
def test_not_numbers(value):
    assert not is_number(value)


def test_one_word_makes_a_column_text():
    block, names, dropped = encode_column("grade", ["1", "2", "two", ""])
    assert names == ["grade=", "grade=1", "grade=2", "grade=two"]
    assert block.tolist() == [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0]]
    assert not dropped


def test_columns_without_variance_are_dropped():
    for values in (["4", "4", "4.0"], ["", "3", ""], ["", "", ""], ["0.1", "0.1", "0.1"]):
        block, names, dropped = encode_column("x", values)
        assert block is None and names == [] and dropped


def test_a_text_column_with_one_value_stays_and_adds_nothing_to_distances():
    block, names, _ = encode_column("region", ["north", "north"])
    assert names == ["region=north"] and block.tolist() == [[1.0], [1.0]]


@given(
    st.lists(
        st.one_of(st.just(""), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(repr)),
        min_size=2,
        max_size=30,
    )
)
def test_z_scores_have_mean_zero_and_sample_sd_one_over_the_filled_cells(values):
    block, _, dropped = encode_column("x", values)
    filled = [i for i, v in enumerate(values) if v]
    if len({float(values[i]) for i in filled}) < 2:
        assert dropped
        return
    column = block[:, 0]
    assert column[filled].mean() == pytest.approx(0, abs=1e-9)
    assert column[filled].std(ddof=1) == pytest.approx(1, rel=1e-9)
    assert all(column[i] == 0 for i, v in enumerate(values) if not v)


def test_columns_are_found_by_heading_in_any_order():
    first = cohort("person_id,manager_id,a,b\np1,,1,x\np2,p1,2,y\n")
    second = cohort("b,Manager_ID,a,Person_Id\nx,,1,p1\ny,p1,2,p2\n")
    assert first.ids == second.ids and first.manager_pairs == second.manager_pairs == [(1, 0)]
    assert sorted(first.feature_names) == sorted(second.feature_names)


def test_a_byte_order_mark_blank_lines_and_spaces_are_allowed():
    result = read_cohort(b"\xef\xbb\xbfperson_id , x\r\n\r\n p1 , 1\r\np2,2\r\n", source="people.csv")
    assert result.ids == ["p1", "p2"] and result.rows == [3, 4]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["people.csv: The file is empty. It needs a heading row with a person_id column"]),
        ("\n \n", ["people.csv: The file is empty."]),
        ("person_id,x\n", ["people.csv: The file has a heading row but no people."]),
        ("id,x\np1,1\n", ["people.csv: row 1: There is no person_id column. The heading row has: id, x."]),
        (
            "person_id,x\np1,1\np2,2\np1,3\n,4\n",
            [
                "people.csv: row 4, column person_id: p1 is also on row 2. Each person_id must be unique.",
                "people.csv: row 5, column person_id: The person_id is empty.",
            ],
        ),
        ("person_id,x\np1,1\np2,2,3\n", ["people.csv: row 3: The row has 3 cells but the heading row has 2."]),
        ("person_id,x,x\np1,1,2\n", ["people.csv: row 1: The heading x is on columns 2 and 3."]),
        ("person_id,,x\np1,1,2\n", ["people.csv: row 1: Column 2 has no heading."]),
        (
            "person_id,manager_id\np1,\np2,p2\n",
            ["people.csv: row 3, column manager_id: p2 is their own line manager."],
        ),
        ("person_id,x\np1,1\np2,1e999\n", ["people.csv: row 3, column x: 1e999 is too large a number to use."]),
        ('person_id,x\np1,"1\n', ["people.csv: row 2: The file cannot be read as CSV"]),
    ],
)
def test_problems_name_the_file_and_the_row(text, expected):
    lines = problems_of(text, source="people.csv")
    assert len(lines) == len(expected)
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start)


def test_a_file_that_is_not_utf8_is_refused_with_its_line():
    lines = problems_of(b"person_id,x\np1,caf\xe9\n", source="people.csv")
    assert lines == [
        "people.csv: The file is not UTF-8 text: line 2 holds bytes that are not UTF-8. "
        "Save it as CSV (UTF-8) and try again."
    ]
    assert problems_of(b"person_id\np1\x00\n", source="people.csv") == [
        "people.csv: The file is not a text file: line 2 holds a null character."
    ]


def test_too_many_people_are_refused():
    text = "person_id\n" + "".join(f"p{i}\n" for i in range(6))
    assert problems_of(text, source="people.csv", max_people=5) == [
        "people.csv: The file has 6 people; at most 5 can be grouped in one run."
    ]


def test_many_problems_are_listed_up_to_twenty():
    text = "person_id,x\n" + ",1\n" * 25
    lines = problems_of(text, source="people.csv")
    assert len(lines) == 21 and lines[-1] == "people.csv: and 5 more problems like these."


def test_conflicts_are_read_as_index_pairs():
    people = cohort("person_id\na\nb\nc\n")
    pairs = read_conflicts(b"person_b,note,person_a\nb,x,a\n\nc,,a\n", cohort=people)
    assert pairs == [(0, 1), (0, 2)]
    assert read_conflicts(b"person_a,person_b\n", cohort=people) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "person_a,person_b\na,z\nq,b\n",
            [
                "pairs.csv: row 2, column person_b: z is not in people.csv.",
                "pairs.csv: row 3, column person_a: q is not in people.csv.",
            ],
        ),
        (
            "person_a,person_b\nb,b\n",
            ["pairs.csv: row 2: b is paired with themselves. A person cannot be in conflict with themselves."],
        ),
        ("person_a,person_b\na,\n", ["pairs.csv: row 2, column person_b: The person_b is empty."]),
        ("person_a,other\na,b\n", ["pairs.csv: row 1: There is no person_b column."]),
        ("", ["pairs.csv: The file is empty. It needs a heading row person_a,person_b"]),
    ],
)
def test_conflict_problems_name_the_row(text, expected):
    people = cohort("person_id\na\nb\n")
    lines = problems_of(text, reader=read_conflicts, cohort=people, source="pairs.csv", cohort_source="people.csv")
    assert len(lines) == len(expected)
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start)


def test_groups_are_written_with_the_exact_heading(tmp_path: Path):
    out = tmp_path / "groups.csv"
    write_groups(out, ["a", "b", "c"], [1, 2, 1])
    assert out.read_bytes() == b"person_id,group\na,1\nb,2\nc,1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["groups.csv"]


def test_a_failed_write_leaves_neither_a_partial_file_nor_a_changed_one(tmp_path: Path):
    out = tmp_path / "groups.csv"
    out.write_text("before\n")

    def groups():
        yield 1
        raise RuntimeError("stopped half-way")

    with pytest.raises(RuntimeError):
        write_groups(out, ["a", "b"], groups())
    assert out.read_text() == "before\n"
    assert [p.name for p in tmp_path.iterdir()] == ["groups.csv"]
