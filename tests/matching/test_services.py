"""`run`: the files in, MATCHES.csv out, with a reason for every unmatched mentee."""

import csv
import io
import re

import pytest

from cadre.matching import csvio
from cadre.matching.services import Summary, run, unmatched_reason


def read(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_the_matches_file_has_one_row_per_mentee_in_file_order(files):
    mentees, mentors, out = files()
    summary = run(mentees_path=mentees, mentors_path=mentors, out_path=out)
    assert out.read_text(encoding="utf-8").splitlines()[0] == "mentee_id,mentor_id,score,reason"
    assert read(out) == [
        # E1's line manager is R2, so R1 (16); E2 avoids R1, so R2 (2 x 3 + 3 x 3, + 2 across organisations).
        {"mentee_id": "E1", "mentor_id": "R1", "score": "16", "reason": ""},
        {"mentee_id": "E2", "mentor_id": "R2", "score": "17", "reason": ""},
        {"mentee_id": "E3", "mentor_id": "", "score": "", "reason": "no mentor above level 5"},
    ]
    assert (summary.matched, summary.unmatched, summary.total_score) == (2, 1, 33)
    assert re.fullmatch(r"matched=2 unmatched=1 total_score=33 seconds=\d+\.\d\d", summary.line())


def test_the_summary_line_format():
    assert Summary(matched=4741, unmatched=259, total_score=189626, seconds=1.234).line() == (
        "matched=4741 unmatched=259 total_score=189626 seconds=1.23"
    )


def test_columns_in_any_order_with_others_ignored_and_headings_in_any_case(files):
    mentees = (
        "Notes,NEED_DIGITAL,Avoid,Level,Person_ID,Manager_ID,Organisation,need_resilience\n"
        "likes data,1,,1,E1,R2,North Borough,4\n"
        "x,3,R1,2,E2,,South Borough,2\n"
        ",1,,5,E3,,North Borough,1\n"
    )
    mentors = (
        "strength_digital, capacity ,level,organisation,person_id,strength_resilience,email\n"
        "0,1,3,north   borough,R1,4,r1@example.org\n"
        "3,2,4,NORTH BOROUGH,R2,3,\n"
    )
    paths = files(mentees, mentors)
    run(mentees_path=paths[0], mentors_path=paths[1], out_path=paths[2])
    # Organisations compare without regard to case or spacing: E1 and R1 are both North Borough.
    assert [(row["mentee_id"], row["mentor_id"], row["score"]) for row in read(paths[2])] == [
        ("E1", "R1", "16"),
        ("E2", "R2", "17"),
        ("E3", "", ""),
    ]


def test_the_same_files_give_the_same_matches(files, tmp_path):
    mentees = "person_id,organisation,level,manager_id,avoid,need_a\n" + "".join(
        f"E{i},org{i % 3},{1 + i % 3},,,{i % 5}\n" for i in range(60)
    )
    mentors = "person_id,organisation,level,capacity,strength_a\n" + "".join(
        f"R{j},org{j % 4},{3 + j % 3},{1 + j % 2},{(j * 7) % 5}\n" for j in range(12)
    )
    paths = files(mentees, mentors)
    run(mentees_path=paths[0], mentors_path=paths[1], out_path=paths[2])
    again = tmp_path / "again.csv"
    run(mentees_path=paths[0], mentors_path=paths[1], out_path=again)
    assert paths[2].read_bytes() == again.read_bytes()
    rows = read(again)
    assert sum(1 for row in rows if row["mentor_id"]) == 12 + 6  # every place taken: there are more mentees


def test_a_person_in_both_files_is_never_their_own_mentor(files):
    mentees = "person_id,organisation,level,manager_id,avoid,need_a\nP1,org,2,,,4\nE2,org,1,,,0\n"
    mentors = "person_id,organisation,level,capacity,strength_a\nP1,org,2,1,4\nR2,org,4,1,4\n"
    paths = files(mentees, mentors)
    run(mentees_path=paths[0], mentors_path=paths[1], out_path=paths[2])
    rows = read(paths[2])
    assert rows[0]["mentor_id"] == "R2"  # P1 is a mentor too, but never for themselves
    assert rows[1]["mentor_id"] == "P1"


def test_a_manager_outside_the_files_imposes_nothing(files):
    mentees = "person_id,organisation,level,manager_id,avoid,need_a\nE1,org,1,M999,,1\n"
    mentors = "person_id,organisation,level,capacity,strength_a\nR1,org,2,1,1\n"
    paths = files(mentees, mentors)
    assert run(mentees_path=paths[0], mentors_path=paths[1], out_path=paths[2]).matched == 1


def test_every_reason_an_unmatched_mentee_can_have(files):
    mentees = (
        "person_id,organisation,level,manager_id,avoid,need_a\n"
        "TOP,org,5,,,4\n"  # nobody above level 5
        "BOSSED,org,3,R4,,4\n"  # only R4 is above level 3, and R4 is their line manager
        "PICKY,org,3,,R4,4\n"  # avoids the only mentor above level 3
        "EMPTY,org,2,,,4\n"  # only R3z (capacity 0) and R4 (taken below) ... see the assertion
        "KEEN,org,1,,,4\n"
        "MILD,org,1,,,1\n"
    )
    mentors = (
        "person_id,organisation,level,capacity,strength_a\n"
        "R2,org,2,1,4\n"  # level 2: only for KEEN and MILD
        "R3z,org,3,0,4\n"
        "R4,org,4,1,4\n"
    )
    paths = files(mentees, mentors)
    summary = run(mentees_path=paths[0], mentors_path=paths[1], out_path=paths[2])
    reasons = {row["mentee_id"]: (row["mentor_id"], row["reason"]) for row in read(paths[2])}
    assert reasons["TOP"] == ("", "no mentor above level 5")
    assert reasons["BOSSED"] == ("", "the only mentor above level 3 is excluded: their line manager")
    assert reasons["PICKY"] == ("", "the only mentor above level 3 is excluded: 1 on their avoid list")
    # EMPTY, KEEN and MILD compete for R4 and R2: EMPTY (16 with R4) and KEEN (16 with R2) win.
    assert reasons["EMPTY"] == ("R4", "")
    assert reasons["KEEN"] == ("R2", "")
    assert reasons["MILD"] == (
        "",
        "the places with all 2 feasible mentors are taken by matches that give more mentees matched "
        "or a larger total score",
    )
    assert (summary.matched, summary.unmatched, summary.total_score) == (2, 4, 32)


def test_a_tie_is_said_to_be_a_tie(files):
    mentees = "person_id,organisation,level,manager_id,avoid,need_a\nE1,org,1,,,2\nE2,org,1,,,2\n"
    mentors = "person_id,organisation,level,capacity,strength_a\nR1,org,2,1,3\n"
    paths = files(mentees, mentors)
    run(mentees_path=paths[0], mentors_path=paths[1], out_path=paths[2])
    rows = read(paths[2])
    assert [row["mentor_id"] for row in rows].count("R1") == 1
    (left_out,) = (row for row in rows if not row["mentor_id"])
    assert left_out["reason"] == (
        "the places with the only feasible mentor are taken; matching this mentee instead would give the "
        "same total score, not a larger one (a tie)"
    )


@pytest.mark.parametrize(
    ("counts", "reason"),
    [
        ({"mentors_above": 0}, "no mentor above level 2"),
        (
            {"mentors_above": 3, "excluded_manager": 1, "excluded_avoid": 2},
            "every one of the 3 mentors above level 2 is excluded: their line manager, 2 on their avoid list",
        ),
        (
            {"mentors_above": 2, "excluded_same_person": 1, "zero_capacity": 1},
            "every one of the 2 mentors above level 2 is excluded or takes no mentees: "
            "themselves (the same person_id), 1 with capacity 0",
        ),
        (
            {"mentors_above": 1, "zero_capacity": 1},
            "the only mentor above level 2 is excluded or takes no mentees: 1 with capacity 0",
        ),
        (
            {"mentors_above": 5, "feasible": 4},
            "the places with all 4 feasible mentors are taken by matches that give more mentees matched "
            "or a larger total score",
        ),
    ],
)
def test_the_wording_of_each_reason(counts, reason):
    base = {
        "level": 2,
        "mentors_above": 0,
        "excluded_same_person": 0,
        "excluded_manager": 0,
        "excluded_avoid": 0,
        "zero_capacity": 0,
        "feasible": 0,
        "tie": False,
    }
    assert unmatched_reason(**{**base, **counts}) == reason


def test_a_matches_file_is_written_whole_or_not_at_all(tmp_path):
    out = tmp_path / "matches.csv"

    def rows():
        yield ("E1", "R1", "3", "")
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        csvio.write_matches(out, rows())
    assert list(tmp_path.iterdir()) == []  # no matches file, no temporary file
    out.write_text("an earlier run\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        csvio.write_matches(out, rows())
    assert out.read_text(encoding="utf-8") == "an earlier run\n"
    csvio.write_matches(out, [("E1", "", "", "no mentor above level 5")])
    assert out.read_text(encoding="utf-8") == "mentee_id,mentor_id,score,reason\nE1,,,no mentor above level 5\n"
    assert [p.name for p in tmp_path.iterdir()] == ["matches.csv"]


def test_a_folder_that_does_not_exist_is_an_os_error_and_leaves_nothing(files, tmp_path):
    mentees, mentors, _ = files()
    with pytest.raises(OSError):
        run(mentees_path=mentees, mentors_path=mentors, out_path=tmp_path / "missing" / "matches.csv")
    assert not (tmp_path / "missing").exists()
