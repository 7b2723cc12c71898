"""The report-page benchmark at a tiny size: its figures add up and its table prints."""

import pytest

from bench import report_page
from tests.diagnostics.test_reports import REPORT_QUERIES

pytestmark = pytest.mark.django_db


def test_the_report_page_benchmark_measures_both_sizes_with_the_same_queries(capsys):
    rows = report_page.measure(8, repeat=2)
    assert [r["raters"] for r in rows] == [5, 8]
    assert rows[0]["queries"] == rows[1]["queries"] == REPORT_QUERIES
    assert all(r["median_ms"] > 0 for r in rows)
    print(report_page.table(rows))
    assert "360 report page" in capsys.readouterr().out
