"""The personal learning record: who may see it (page, downloads, API and evidence files), what it
holds, its summary, its exports (safe to open in a spreadsheet) and the registry of sources."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from cadre.core.models import Role
from cadre.learning import record, services
from cadre.learning.record import Length, RecordEntry, parse_length, record_for, summary_of
from tests.factories import user_with_role
from tests.learning.conftest import ask, fresh, offering_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def approve(world, item):
    return services.request_decide(learning_request=item, actor=fresh(world.manager), approve=True)


@pytest.fixture
def history(world):
    """Sam: one completed (with a file), one approved, one waiting, one declined and one cancelled."""
    done = approve(world, ask(world.person, world.offering, attributes=[world.version.attributes.first().key]))
    services.completion_record(
        learning_request=done,
        actor=fresh(world.person),
        completed_on=timezone.localdate(),
        evidence='=HYPERLINK("http://evil.example")',
        evidence_file=SimpleUploadedFile("cert.pdf", PDF),
    )
    approved = approve(world, ask(fresh(world.person), offering_in(world.org, world.admin, world.version, "Coaching")))
    waiting = ask(fresh(world.person), offering_in(world.org, world.admin, world.version, "+Budget basics"))
    declined = ask(fresh(world.person), offering_in(world.org, world.admin, world.version, "Declined course"))
    services.request_decide(learning_request=declined, actor=fresh(world.manager), approve=False, reason="No")
    cancelled = ask(fresh(world.person), offering_in(world.org, world.admin, world.version, "Cancelled course"))
    services.request_cancel(learning_request=cancelled, actor=fresh(world.person))
    return {"done": done, "approved": approved, "waiting": waiting}


def viewers(world) -> dict:
    viewer = user_with_role(world.org, Role.EXECUTIVE_VIEWER)
    org_admin = user_with_role(world.org, Role.ORG_ADMIN)
    return {
        "the person": (world.person, True),
        "their line manager": (world.manager, True),
        "their manager's manager": (world.director, True),
        "a learning and development administrator": (world.admin, True),
        "an organisation administrator": (org_admin, True),
        "an unrelated colleague": (world.colleague, False),
        "an executive viewer": (viewer, False),
        "an administrator of another organisation": (world.outsider, False),
    }


def test_the_record_is_seen_by_the_person_their_chain_and_administrators_only(client, world, history):
    person_id = world.person.person.pk
    done = history["done"]
    for who, (user, allowed) in viewers(world).items():
        client.force_login(user)
        expected = 200 if allowed else 404
        page = client.get(f"/learning/people/{person_id}/")
        assert page.status_code == expected, who
        assert client.get(f"/learning/people/{person_id}/record.csv").status_code == expected, who
        assert client.get(f"/learning/people/{person_id}/record.xlsx").status_code == expected, who
        assert client.get(f"/api/learning/people/{person_id}/record").status_code == expected, who
        evidence = client.get(f"/learning/requests/{done.pk}/evidence/")
        assert evidence.status_code == expected, who
        if allowed:
            assert b"".join(evidence.streaming_content) == PDF
            assert (
                evidence["Content-Disposition"].startswith("attachment")
                and "cert.pdf" in evidence["Content-Disposition"]
            )
            assert evidence["Content-Type"] == "application/pdf"
            assert "Learning record: Sam Smith" in page.content.decode()
    client.logout()
    assert client.get(f"/learning/people/{person_id}/").status_code == 302  # to sign in
    assert client.get(f"/learning/requests/{done.pk}/evidence/").status_code == 302


def test_the_record_holds_what_was_asked_approved_and_completed(world, history):
    entries = record_for(world.person.person)
    assert [(e.title, e.status) for e in entries] == [  # latest first; on the same day, by title
        ("+Budget basics", "requested"),
        ("Coaching", "approved"),
        ("Leading through change", "completed"),
    ]
    completed = next(e for e in entries if e.status == "completed")
    assert completed.kind == "Course or workshop" and completed.provider == "Skills Academy"
    assert completed.completed_on == timezone.localdate() and completed.has_evidence_file
    assert completed.attributes == (world.version.attributes.first().name,)
    assert completed.recorded_by == "The person: Sam Smith"
    summary = summary_of(entries)
    assert (summary.completed_this_year, summary.completed, summary.approved, summary.waiting) == (1, 1, 1, 1)
    assert summary.days_this_year == 2 and summary.unknown_length_this_year == 0


def test_the_record_downloads_are_safe_to_open_in_a_spreadsheet(client, world, history):
    client.force_login(world.manager)
    response = client.get(f"/learning/people/{world.person.person.pk}/record.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "learning-record-sam-smith" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Title", "Kind", "Provider", "Status"]
    by_title = {row[0]: row for row in rows[1:]}
    assert "'+Budget basics" in by_title  # not a formula
    done = by_title["Leading through change"]
    assert done[3] == "Completed" and done[10] == '\'=HYPERLINK("http://evil.example")' and done[11] == "Yes"
    response = client.get(f"/learning/people/{world.person.person.pk}/record.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    values = {cell.value for cell in cells}
    assert "'+Budget basics" in values and '\'=HYPERLINK("http://evil.example")' in values
    assert client.get(f"/learning/people/{world.person.person.pk}/record.pdf").status_code == 404


def test_a_source_registered_by_another_app_joins_the_record(world, history, monkeypatch):
    monkeypatch.setattr(record, "_sources", list(record._sources))

    def programmes(person):
        return [
            RecordEntry(
                source="programme",
                title="Aspiring leaders programme",
                kind="Programme",
                status="completed",
                completed_on=date(2020, 6, 1),
                duration="half a day",
            )
        ]

    assert record.register_source(programmes) is programmes
    record.register_source(programmes)  # once, however often
    assert record.registered_sources().count(programmes) == 1
    entries = record_for(world.person.person)
    assert entries[-1].title == "Aspiring leaders programme" and entries[-1].label == "Completed"
    assert summary_of(entries).completed == 2
    assert summary_of(entries).completed_this_year == 1


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("2 days", Length(days=2)),
        ("1 day", Length(days=1)),
        ("Half a day", Length(days=0.5)),
        ("3 hours", Length(hours=3)),
        ("one day and 2 hours", Length(days=1, hours=2)),
        ("90 minutes", None),
        ("9 months part time", None),
        ("6 sessions over 12 weeks", None),
        ("", None),
    ],
)
def test_the_length_of_learning_is_read_from_its_duration(text, length):
    assert parse_length(text) == length


def test_the_summary_counts_this_year_and_lengths(world):
    today = date(2026, 5, 1)
    entries = [
        RecordEntry(title="A", kind="Course", status="completed", completed_on=today, duration="2 days"),
        RecordEntry(title="B", kind="Course", status="completed", completed_on=today, duration="3 hours"),
        RecordEntry(title="C", kind="Course", status="completed", completed_on=today, duration="9 months"),
        RecordEntry(title="D", kind="Course", status="completed", completed_on=today - timedelta(days=365)),
        RecordEntry(title="E", kind="Course", status="approved"),
    ]
    summary = summary_of(entries, today)
    assert (summary.completed_this_year, summary.completed, summary.approved, summary.waiting) == (3, 4, 1, 0)
    assert (summary.days_this_year, summary.hours_this_year, summary.unknown_length_this_year) == (2, 3, 1)
