"""Every benchmark, once, at a tiny size: the numbers it reports add up and its table prints.

The full-size runs are `make bench`; these keep the benchmarks working as the code moves."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import pages, people_import
from tests.people.test_query_counts import QUERIES

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_the_generator_is_deterministic():
    first, second = people_import.generate(200), people_import.generate(200)
    assert first.csv_bytes() == second.csv_bytes()
    assert people_import.generate(200, seed=1).csv_bytes() != first.csv_bytes()
    assert len(first.rows) == 200 and len(first.existing) == 200
    assert first.new and first.leavers and first.changed
    assert not first.leavers & {staff.number for staff in first.rows}


def test_the_import_benchmark_imports_every_row(capsys):
    result = people_import.measure(200)
    assert result["rows"] == 200
    assert result["existing"] == 200
    assert result["new"] == 20 and result["left"] == 20
    assert 0 < result["changed"] < 180
    assert result["people"] == 220  # everyone still there, leavers included
    assert result["audit_entries"] == result["new"] + result["changed"] + result["left"]
    assert result["total_s"] == pytest.approx(result["plan_s"] + result["apply_s"])
    assert result["rows_per_s"] > 0

    print(people_import.table([result]))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("HR import, full mode, 200 rows over 200 people")
    assert lines[1].split() == [
        *["database", "rows", "new", "changed", "left", "plan", "s", "apply", "s", "total", "s", "rows/s"],
        *["audit", "entries"],
    ]
    assert f"{result['audit_entries']:,}" in lines[3]


def test_the_pages_benchmark_fetches_every_page(capsys):
    results = pages.measure(200, repeat=2, warm_up=1)
    assert [(r["viewer"], r["page"]) for r in results] == [
        (viewer, page)
        for viewer in ("organisation administrator", "line manager")
        for page in ("home", "people list", "people list, page 3", "person")
    ]
    for row in results:
        assert row["status"] == 200 and row["bytes"] > 1000
        assert row["queries"] == QUERIES["people list" if row["page"].startswith("people list") else row["page"]]
        assert 0 < row["median_ms"] <= row["max_ms"]

    print(pages.table(results))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Pages, 200 staff")
    assert len(lines) == 3 + len(results)


def test_make_bench_runs_from_the_command_line(tmp_path):
    """`python -m bench` sets Django up itself, on a temporary SQLite file in WAL mode."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    environment["TMPDIR"] = str(tmp_path)
    finished = subprocess.run(
        [
            *(sys.executable, "-m", "bench", "--rows", "200", "--staff", "200", "--raters", "6"),
            *("--participants", "200", "--people", "60", "--mentees", "150", "--database", "sqlite"),
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    out = finished.stdout
    assert "HR import, full mode, 200 rows over 200 people" in out
    assert "Pages, 200 staff" in out
    assert "360 report page" in out
    assert "360 aggregation, 200 participants" in out
    assert "Group forming, generated cohorts" in out
    assert out.count("(wal)") == 1 + 8 + 2  # one import row, eight page rows, two report-page rows
    assert f"working folder {tmp_path / 'cadre-bench-'}" in finished.stderr
    assert not list(tmp_path.iterdir())  # the database and its folder are removed afterwards
