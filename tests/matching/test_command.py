"""`cadre match-mentors`: the management command and the light entry point print the same lines
and exit with the same status."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from cadre.matching import cli
from cadre.matching.management.commands.match_mentors import Command
from tests.matching.conftest import MENTEES

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = re.compile(r"matched=2 unmatched=1 total_score=33 seconds=\d+\.\d\d")


def test_the_management_command_prints_one_summary_line(files, capsys):
    mentees, mentors, out = files()
    call_command(Command(), "--mentees", str(mentees), "--mentors", str(mentors), "--out", str(out))
    printed = capsys.readouterr()
    assert SUMMARY.fullmatch(printed.out.strip())
    assert printed.out.count("\n") == 1
    assert printed.err == ""
    assert out.read_text(encoding="utf-8").startswith("mentee_id,mentor_id,score,reason\nE1,R1,16,\n")


def test_the_management_command_exits_non_zero_on_bad_input(files, capsys):
    mentees, mentors, out = files(MENTEES.replace("E2,South Borough,2,", "E2,South Borough,6,"))
    with pytest.raises(SystemExit) as exited:
        call_command(Command(), "--mentees", str(mentees), "--mentors", str(mentors), "--out", str(out))
    assert exited.value.code == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.splitlines() == [
        "error: mentees.csv, row 3, column level: ‘6’ is not a level: use a whole number from 1 to 5.",
        f"error: nothing was written to {out}.",
    ]
    assert not out.exists()


def test_the_light_entry_point(files, capsys):
    mentees, mentors, out = files()
    assert cli.main(["--mentees", str(mentees), "--mentors", str(mentors), "--out", str(out)]) == 0
    assert SUMMARY.fullmatch(capsys.readouterr().out.strip())
    mentees.write_text("", encoding="utf-8")
    out.unlink()
    assert cli.main(["--mentees", str(mentees), "--mentors", str(mentors), "--out", str(out)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == "error: mentees.csv: the file is empty."
    assert not out.exists()


def test_a_matches_file_that_cannot_be_written(files, capsys, tmp_path):
    mentees, mentors, _ = files()
    out = tmp_path / "no such folder" / "matches.csv"
    assert cli.main(["--mentees", str(mentees), "--mentors", str(mentors), "--out", str(out)]) == 1
    assert capsys.readouterr().err == f"error: {out} cannot be written (No such file or directory).\n"


def test_the_light_entry_point_runs_without_django(files):
    """`python -m cadre.matching` never imports Django, so it starts quickly."""
    mentees, mentors, out = files()
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-X", "importtime", "-m", "cadre.matching"]
    finished = subprocess.run(
        [*command, "--mentees", str(mentees), "--mentors", str(mentors), "--out", str(out)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert SUMMARY.fullmatch(finished.stdout.strip())
    imported = [line.rsplit("|", 1)[-1].strip() for line in finished.stderr.splitlines() if "|" in line]
    assert "cadre.kernels.matching" in imported
    assert not [name for name in imported if name.split(".")[0] == "django"]


def test_the_seconds_count_from_the_start_of_the_process():
    started = cli.process_started()
    assert started <= time.perf_counter()
    if Path("/proc/self/stat").exists():
        assert time.perf_counter() - started > 0.01  # this test process started a while ago
