"""`python -m cadre.grouping`, the light entry point, as a child process: what a user runs."""

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from bench.grouping import generate

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = re.compile(r"objective=(\d+\.\d{3}) violations=0 groups=(\d+) seconds=(\d+\.\d{2})")


def form_groups(*arguments: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "-m", "cadre.grouping", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return finished, time.perf_counter() - started


def test_one_summary_line_whose_seconds_include_the_process_start(tmp_path):
    cohort, conflicts = generate(120, seed=9)
    (tmp_path / "people.csv").write_text(cohort)
    (tmp_path / "pairs.csv").write_text(conflicts)
    out = tmp_path / "groups.csv"
    finished, elapsed = form_groups(
        str(tmp_path / "people.csv"),
        "--size",
        "6",
        "--out",
        str(out),
        "--seconds",
        "0.1",
        "--conflicts",
        str(tmp_path / "pairs.csv"),
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stderr == ""
    found = SUMMARY.fullmatch(finished.stdout.rstrip("\n"))
    assert found and finished.stdout.count("\n") == 1
    assert found.group(2) == "20"
    # The interpreter and the imports are counted: the figure is close to what the parent saw.
    assert 0.7 * elapsed <= float(found.group(3)) <= elapsed + 0.02
    assert out.read_text().count("\n") == 121


def test_bad_input_exits_non_zero_with_the_rows_named_and_no_file(tmp_path):
    (tmp_path / "people.csv").write_text("person_id,x\na,1\nb,2\na,3\n")
    finished, _ = form_groups(str(tmp_path / "people.csv"), "--size", "2", "--out", str(tmp_path / "groups.csv"))
    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr == (
        f"error: {tmp_path / 'people.csv'}: row 4, column person_id: a is also on row 2. "
        "Each person_id must be unique.\n"
    )
    assert not (tmp_path / "groups.csv").exists()


@pytest.mark.skipif(
    "cadre.grouping" not in settings.INSTALLED_APPS, reason="cadre.grouping is not in INSTALLED_APPS yet"
)
def test_cadre_form_groups_is_a_command():
    from django.core.management import get_commands

    assert get_commands()["form_groups"] == "cadre.grouping"
