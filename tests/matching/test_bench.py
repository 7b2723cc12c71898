"""The mentor matching benchmark, once at a tiny size: its checks pass and its table prints.

The full-size run is `python -m bench.matching` (5,000 mentees, 2,000 mentors)."""

from bench import matching


def test_the_generator_is_deterministic():
    first, second = matching.scenario("realistic", 300), matching.scenario("realistic", 300)
    assert (first.mentees_csv, first.mentors_csv) == (second.mentees_csv, second.mentors_csv)
    assert matching.scenario("realistic", 300, seed=1).mentees_csv != first.mentees_csv
    assert len(first.mentee_ids) == 300 and len(first.mentor_ids) == 120
    assert len(matching.scenario("few places", 300).mentor_ids) == 30
    # Some people are in both files, some mentees avoid mentors, some have a manager among them.
    assert set(first.mentee_ids) & set(first.mentor_ids)
    assert ";" in first.mentees_csv or first.mentees_csv.count(",R") > 0
    assert first.excluded


def test_the_benchmark_matches_scipys_optimum_and_beats_greedy(capsys):
    # The light entry point only: the management command is tested on its own (test_command.py).
    results = matching.measure(150, repeat=1, commands=("light",))
    assert [row["scenario"] for row in results] == ["realistic", "few places"]
    for row in results:
        assert row["matched"] + row["unmatched"] == row["mentees"] == 150
        assert row["light_s"] > 0 and row["scipy_s"] > 0 and row["ratio"] > 0
        assert row["light_line"].startswith(f"matched={row['matched']} unmatched={row['unmatched']} ")
        # Exactly optimal: never behind first come, first served (most matched first, then score).
        assert (row["greedy_matched"], row["greedy_total"]) <= (row["matched"], row["total_score"])
    print(matching.table(results))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Mentor matching, 150 mentees, exactly optimal")
    assert lines[1].split()[:4] == ["scenario", "mentees", "mentors", "places"]
    assert lines[3].startswith("realistic") and lines[4].startswith("few places")
