"""Bad input: every problem named with its file, rows and column, and no matches file written."""

import pytest

from cadre.matching.csvio import InputError
from cadre.matching.services import run
from tests.matching.conftest import MENTEES, MENTORS


def problems_with(paths) -> list[str]:
    mentees, mentors, out = paths
    out.write_text("an earlier run\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        run(mentees_path=mentees, mentors_path=mentors, out_path=out)
    # Nothing written: the earlier matches file is as it was, and no temporary file is left.
    assert out.read_text(encoding="utf-8") == "an earlier run\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["matches.csv", "mentees.csv", "mentors.csv"]
    return [str(problem) for problem in caught.value.problems]


def test_missing_columns_are_named(files):
    mentees = MENTEES.replace("level,", "grade,").replace(",avoid", ",avoids")
    assert problems_with(files(mentees)) == [
        "mentees.csv: the columns level and avoid are missing. The heading row must name person_id, "
        "organisation, level, manager_id and avoid, and need_<attribute> columns."
    ]


def test_a_file_with_no_attribute_columns(files):
    mentors = "person_id,organisation,level,capacity\nR1,org,3,1\n"
    assert problems_with(files(mentors=mentors)) == [
        "mentors.csv: there are no strength_<attribute> columns, such as strength_resilience."
    ]


def test_attribute_columns_on_one_side_only(files):
    mentees = MENTEES.replace("need_digital", "need_finance")
    assert problems_with(files(mentees)) == [
        "mentees.csv: need_finance has no matching strength_finance column in mentors.csv.",
        "mentors.csv: strength_digital has no matching need_digital column in mentees.csv.",
    ]


def test_scores_that_are_not_whole_numbers_from_0_to_4(files):
    mentees = MENTEES.replace("E1,North Borough,1,R2,,4,1", "E1,North Borough,1,R2,,high,1").replace(
        "E2,South Borough,2,,R1,2,3", "E2,South Borough,2,,R1,5,-1"
    )
    mentors = MENTORS.replace("R1,North Borough,3,1,4,0", "R1,North Borough,3,1,4,2.5")
    assert problems_with(files(mentees, mentors)) == [
        "mentees.csv, row 2, column need_resilience: ‘high’ is not a score: use a whole number from 0 to 4.",
        "mentees.csv, row 3, column need_digital: ‘-1’ is not a score: use a whole number from 0 to 4.",
        "mentees.csv, row 3, column need_resilience: ‘5’ is not a score: use a whole number from 0 to 4.",
        "mentors.csv, row 2, column strength_digital: ‘2.5’ is not a score: use a whole number from 0 to 4.",
    ]


def test_the_same_problem_on_many_rows_is_one_message_naming_the_rows(files):
    mentees = "person_id,organisation,level,manager_id,avoid,need_a\n" + "".join(
        f"E{i},org,{7 if i % 2 else 1},,,1\n" for i in range(10)
    )
    mentors = "person_id,organisation,level,capacity,strength_a\nR1,org,3,1,1\n"
    assert problems_with(files(mentees, mentors)) == [
        "mentees.csv, rows 3, 5, 7, 9 and 11, column level: ‘7’ is not a level: use a whole number from 1 to 5."
    ]


def test_duplicate_ids(files):
    mentees = MENTEES + "E1,North Borough,2,,,1,1\n"
    mentors = MENTORS + "R3,North Borough,4,1,1,1\nR1,North Borough,4,1,1,1\n"
    assert problems_with(files(mentees, mentors)) == [
        "mentees.csv, rows 2 and 5, column person_id: the person_id E1 appears more than once.",
        "mentors.csv, rows 2 and 5, column person_id: the person_id R1 appears more than once.",
    ]


def test_an_unknown_id_on_an_avoid_list(files):
    mentees = MENTEES.replace("E2,South Borough,2,,R1,2,3", "E2,South Borough,2,,R1; R9 ;,2,3")
    assert problems_with(files(mentees)) == ["mentees.csv, row 3, column avoid: R9 is not a person_id in mentors.csv."]


@pytest.mark.parametrize(
    ("mentees", "mentors", "expected"),
    [
        (b"", MENTORS, "mentees.csv: the file is empty."),
        (MENTEES, "  \n\n", "mentors.csv: the file is empty."),
        (MENTEES.splitlines()[0] + "\n\n", MENTORS, "mentees.csv: the file has a heading row but no people below it."),
        (
            MENTEES.replace("North", "Nörth").encode("latin-1"),
            MENTORS,
            "mentees.csv: the file is not UTF-8 text (line 2). Save it as CSV UTF-8 and try again.",
        ),
        (
            b"PK\x03\x04\x00\x00binary",
            MENTORS,
            "mentees.csv: the file is not a CSV text file. Save it as CSV UTF-8 and try again.",
        ),
        (
            MENTEES,
            MENTORS.replace("R1,North Borough", 'R1,"North Borough'),
            "mentors.csv: the file is not valid CSV near line 3: a value in double quotes is not closed properly.",
        ),
        (
            "just some text\n",
            MENTORS,
            "mentees.csv: the first row is not a heading row of comma-separated column names.",
        ),
    ],
)
def test_files_that_are_not_csv_or_are_empty(files, mentees, mentors, expected):
    assert problems_with(files(mentees, mentors)) == [expected]


def test_levels_outside_1_to_5_and_capacities_below_0(files):
    mentees = MENTEES.replace("E1,North Borough,1,", "E1,North Borough,0,").replace(
        "E3,North Borough,5,", "E3,North Borough,two,"
    )
    mentors = MENTORS.replace("R1,North Borough,3,1,", "R1,North Borough,6,-1,").replace(
        "R2,North Borough,4,2,", "R2,North Borough,4,,"
    )
    assert problems_with(files(mentees, mentors)) == [
        "mentees.csv, row 2, column level: ‘0’ is not a level: use a whole number from 1 to 5.",
        "mentees.csv, row 4, column level: ‘two’ is not a level: use a whole number from 1 to 5.",
        "mentors.csv, row 2, column capacity: ‘-1’ is not a capacity: use a whole number, 0 or more.",
        "mentors.csv, row 2, column level: ‘6’ is not a level: use a whole number from 1 to 5.",
        "mentors.csv, row 3, column capacity: an empty cell is not a capacity: use a whole number, 0 or more.",
    ]


def test_empty_ids_and_organisations_repeated_headings_and_long_rows(files):
    mentees = (
        "person_id,organisation,level,manager_id,avoid,need_a,need_a\n,org,1,,,1,1\nE2,,1,,,1,1\nE3,org,1,,,1,1,extra\n"
    )
    assert problems_with(files(mentees)) == [
        "mentees.csv: the column need_a appears more than once (columns 6 and 7).",
    ]
    mentees = "person_id,organisation,level,manager_id,avoid,need_resilience,need_digital\n"
    mentees += ",org,1,,,1,1\nE2,,1,,,1,1\nE3,org,1,,,1,1,extra\nE4,org,1,,,1,1,,\n"
    assert problems_with(files(mentees)) == [
        "mentees.csv, row 2, column person_id: the person_id is empty.",
        "mentees.csv, row 3, column organisation: the organisation is empty.",
        "mentees.csv, row 4: the row has 8 cells but the heading row has 7 (a comma inside a value must be "
        "inside double quotes).",
    ]


def test_problems_in_both_files_are_reported_together(files, tmp_path):
    mentees = MENTEES.replace("E1,North Borough,1,", "E1,North Borough,9,")
    mentors = MENTORS.replace(",capacity,", ",places,")
    assert problems_with(files(mentees, mentors)) == [
        "mentees.csv, row 2, column level: ‘9’ is not a level: use a whole number from 1 to 5.",
        "mentors.csv: the column capacity is missing. The heading row must name person_id, organisation, "
        "level and capacity, and strength_<attribute> columns.",
    ]


def test_a_file_that_cannot_be_read(files, tmp_path):
    mentees, mentors, out = files()
    mentees.unlink()
    with pytest.raises(InputError) as caught:
        run(mentees_path=mentees, mentors_path=mentors, out_path=out)
    assert [str(p) for p in caught.value.problems] == [
        "mentees.csv: the file cannot be read (No such file or directory)."
    ]
    assert caught.value.problems[0].field is None and caught.value.problems[0].row is None
    assert not out.exists()


def test_a_problem_reads_like_cadres_other_problems(files):
    mentees = MENTEES.replace("E1,North Borough,1,", "E1,North Borough,9,")
    paths = files(mentees)
    with pytest.raises(InputError) as caught:
        run(mentees_path=paths[0], mentors_path=paths[1], out_path=paths[2])
    (problem,) = caught.value.problems
    assert (problem.file, problem.rows, problem.column, problem.field, problem.row) == (
        "mentees.csv",
        (2,),
        "level",
        "level",
        2,
    )
    assert str(caught.value) == str(problem)


def test_rows_are_numbered_as_a_spreadsheet_numbers_them(files):
    mentees = (
        "person_id,organisation,level,manager_id,avoid,need_resilience,need_digital\n"
        '"E1","North\nBorough",1,,,1,1\n'  # one row over two lines
        "\n"  # a blank row
        "E2,North Borough,0,,,1,1\n"
    )
    assert problems_with(files(mentees)) == [
        "mentees.csv, row 4, column level: ‘0’ is not a level: use a whole number from 1 to 5."
    ]
