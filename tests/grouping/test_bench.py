"""The group-forming benchmark at a tiny size: its figures add up and its table prints.
The full run is `python -m bench.grouping` (see bench/grouping.py)."""

import itertools
import re

import numpy as np

from bench import grouping as bench
from cadre.grouping.csvio import read_cohort, read_conflicts
from cadre.kernels.grouping import broken_pairs, distance_matrix, feasible_start, objective


def test_the_generator_is_deterministic_and_has_managers_and_conflicts():
    first, second, other = bench.generate(300), bench.generate(300), bench.generate(300, seed=1)
    assert first == second and first != other
    cohort = read_cohort(first[0].encode())
    assert len(cohort.ids) == 300
    assert 0.3 < len(cohort.manager_pairs) / 300 < 0.6
    assert len(read_conflicts(first[1].encode(), cohort=cohort)) == 3
    assert cohort.feature_names[-8:] == list(bench.ATTRIBUTES)


def test_the_baseline_stops_at_a_local_maximum_that_keeps_the_rules():
    x = np.random.default_rng(2).normal(size=(18, 3))
    d = distance_matrix(x)
    pairs = np.array([[0, 1], [2, 3], [1, 4]])
    forbidden = np.zeros((18, 18))
    forbidden[pairs[:, 0], pairs[:, 1]] = forbidden[pairs[:, 1], pairs[:, 0]] = 1
    start = feasible_start(18, size=bench.SIZE, pairs=pairs, seed=0)
    labels = bench.local_maximum(d, start, forbidden)
    assert not len(broken_pairs(labels, pairs))
    assert objective(d, labels) >= objective(d, start)
    assert sorted(np.bincount(labels)) == sorted(np.bincount(start))
    for i, j in itertools.combinations(range(18), 2):
        if labels[i] != labels[j]:
            swapped = labels.copy()
            swapped[i], swapped[j] = labels[j], labels[i]
            if not len(broken_pairs(swapped, pairs)):
                assert objective(d, swapped) <= objective(d, labels) + 1e-9


def test_the_published_figures_are_those_of_the_readme():
    readme = (bench.DATA / "README.md").read_text()
    for name, figures in bench.PUBLISHED.items():
        line = next(line for line in readme.splitlines() if line.startswith(f"| {name}"))
        for key in ("local_maximum", "three_phase"):
            value, seconds = figures[key]
            assert f"{value:,.3f} in {seconds} s" in line
        assert f"≈ {figures['random']:,.0f}" in line
    for name, people in (("cohort-600.csv", 600), ("cohort-1200.csv", 1200)):
        assert len(read_cohort((bench.DATA / name).read_bytes()).ids) == people


def test_the_benchmark_runs_and_its_table_prints(capsys):
    results = bench.measure(60, restarts=1, seconds=0.05)
    assert [row["cohort"] for row in results] == ["generated 20", "generated 60"]
    for row in results:
        assert row["violations"] == 0 and row["s"] > 0 and row["local_s"] > 0
        assert 0 < row["cpu_s"] < 2 * row["s"]
        assert row["objective"] > row["random"]
        assert row["objective"] >= row["local"] - 1e-6
        assert re.fullmatch(r"[+-]\d+\.\d{2}%", row["over_random"])
        assert row["three_phase"] == "" and row["target"] == ""
    print(bench.table(results))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Group forming, generated cohorts with line managers and declared conflicts")
    assert lines[1].split() == [
        *["cohort", "people", "rules", "groups", "Cadre", "broken", "Cadre", "s", "CPU", "s", "local", "max", "(Py)"],
        "s",
        *["random", "vs", "local", "max", "vs", "random", "target", "met"],
    ]
    assert len(lines) == 3 + len(results)


def test_the_command_line_passes_its_options_on(monkeypatch, capsys):
    asked = {}

    def measure(size, *, restarts, seconds):
        asked.update(size=size, restarts=restarts, seconds=seconds)
        return []

    monkeypatch.setattr(bench, "measure", measure)
    assert bench.main(["--people", "90", "--restarts", "2", "--seconds", "0.5"]) == 0
    assert asked == {"size": 90, "restarts": 2, "seconds": 0.5}
    assert bench.main([]) == 0
    assert asked == {"size": 3000, "restarts": bench.RESTARTS, "seconds": None}
