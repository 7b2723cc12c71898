"""The 360 aggregation benchmark, once, at a tiny size: its data exercise every rule, its figures
add up and its table prints. The full-size run is `python -m bench.feedback` (no database)."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from bench import feedback

ROOT = Path(__file__).resolve().parents[2]


def test_the_generator_is_deterministic_and_shaped_as_described():
    first, second = feedback.generate(300), feedback.generate(300)
    for name in first:
        assert np.array_equal(first[name], second[name]), name
    assert not np.array_equal(feedback.generate(300, seed=1)["ratings"], first["ratings"])
    ratings = first["ratings"]
    assert ratings.shape == (3000, 40) and ratings.dtype == np.int8
    assert ratings.min() == 0 and ratings.max() == 5
    assert 0.08 < (ratings == 0).mean() < 0.15  # about one in ten not observed
    groups = first["response_group"].reshape(300, 10)
    assert (groups[:, 0] == feedback.SELF).all() and (groups[:, 1] == feedback.LINE_MANAGER).all()
    assert np.array_equal(first["response_participant"], np.repeat(np.arange(300), 10))
    assert np.bincount(first["item_attribute"]).tolist() == [5] * 8


def test_the_benchmark_times_both_orders_and_checks_the_kernel_against_bincount(capsys):
    rows = feedback.measure(300, repeat=1)
    assert [row["order"] for row in rows] == ["participant order", "shuffled"]
    for row in rows:
        assert row["participants"] == 300 and row["ratings"] == 300 * 10 * 40
        assert 0 < row["with_combined"] < 300 and row["withheld_cells"] > 0
        assert row["kernel_s"] > 0 and row["baseline_s"] > 0 and row["short_baseline_s"] > 0
        assert row["ratio"] == row["kernel_s"] / row["baseline_s"]
        assert row["first_call_s"] > 0
    assert rows[0]["with_combined"] == rows[1]["with_combined"]

    print(feedback.table(rows))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("360 aggregation, 300 participants, 120,000 ratings, one core, best of 1")
    assert "kernel s" in lines[1] and "bincount s" in lines[1] and "kernel/bincount" in lines[1]
    assert len(lines) == 3 + 2


def test_the_benchmark_runs_from_the_command_line():
    environment = {k: v for k, v in os.environ.items() if k != "NUMBA_NUM_THREADS"}
    finished = subprocess.run(
        [sys.executable, "-m", "bench.feedback", "--participants", "200", "--repeat", "1"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.startswith("360 aggregation, 200 participants")
    assert "participant order" in finished.stdout and "shuffled" in finished.stdout
