"""A person's learning record: everything they have asked for, been approved for and completed.

The record is gathered from sources. Each source is a function that takes a person and returns a
list of `RecordEntry`; apps add theirs with `register_source` (usually in their AppConfig.ready).
Learning requests are the first source; programme participations can be another:

    from cadre.learning.record import RecordEntry, register_source

    def programme_places(person):
        return [RecordEntry(source="programme", title=..., kind="Programme", status="completed", ...)]

    register_source(programme_places)

A source is called only for a viewer who may see the person's record (`selectors.may_view_record`),
so it needs no check of its own. Keep each source to a fixed number of queries."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils import timezone

from cadre.core.exports import spreadsheet_safe

STATUS_LABELS = {"requested": "Waiting for a decision", "approved": "Approved", "completed": "Completed"}


@dataclass(frozen=True)
class RecordEntry:
    title: str
    kind: str
    status: str  # "requested", "approved" or "completed" (a source may add its own)
    source: str = "request"
    provider: str = ""
    requested_on: date | None = None
    approved_on: date | None = None
    completed_on: date | None = None
    attributes: tuple[str, ...] = ()
    duration: str = ""
    recorded_by: str = ""
    evidence: str = ""
    has_evidence_file: bool = False
    url: str = ""
    status_label: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def label(self) -> str:
        return self.status_label or STATUS_LABELS.get(self.status, self.status.replace("_", " ").capitalize())

    @property
    def latest(self) -> date:
        return self.completed_on or self.approved_on or self.requested_on or date.min

    @property
    def length(self) -> "Length | None":
        return parse_length(self.duration)


Source = Callable[[object], list[RecordEntry]]
_sources: list[Source] = []


def register_source(source: Source) -> Source:
    """Add a source of record entries (once, however often it is registered). Usable as a decorator."""
    if source not in _sources:
        _sources.append(source)
    return source


def registered_sources() -> list[Source]:
    return list(_sources)


def record_for(person) -> list[RecordEntry]:
    """Every source's entries for the person, latest first."""
    entries: list[RecordEntry] = []
    for source in _sources:
        entries.extend(source(person))
    return sorted(entries, key=lambda e: (-e.latest.toordinal(), e.title.lower()))


# -- length ---------------------------------------------------------------------------------------

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_LENGTH = re.compile(
    r"(?P<number>\d+(?:\.\d+)?|half(?: a)?|an?|one|two|three|four|five|six|seven|eight|nine)[\s-]*"
    r"(?P<unit>days?|hours?|hrs?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Length:
    days: float = 0.0
    hours: float = 0.0


def parse_length(text: str) -> Length | None:
    """The length of an offering from its duration as written ("2 days", "half a day", "3 hours",
    "1 day and 2 hours"), or None when it is not given in days or hours (weeks or months part time
    say nothing about the time spent)."""
    if not text or re.search(r"\b(weeks?|months?|years?|terms?)\b", text, re.IGNORECASE):
        return None
    days = hours = 0.0
    found = False
    for match in _LENGTH.finditer(text):
        word = match["number"].lower()
        if word.startswith("half"):
            number = 0.5
        elif word in ("a", "an"):
            number = 1.0
        elif word in _NUMBER_WORDS:
            number = float(_NUMBER_WORDS[word])
        else:
            number = float(word)
        if match["unit"].lower().startswith("d"):
            days += number
        else:
            hours += number
        found = True
    return Length(days=days, hours=hours) if found else None


# -- summary --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    year: int
    completed_this_year: int
    completed: int
    approved: int
    waiting: int
    days_this_year: float
    hours_this_year: float
    unknown_length_this_year: int


def summary_of(entries: list[RecordEntry], today: date | None = None) -> Summary:
    today = today or timezone.localdate()
    this_year = [e for e in entries if e.status == "completed" and e.completed_on and e.completed_on.year == today.year]
    lengths = [e.length for e in this_year]
    return Summary(
        year=today.year,
        completed_this_year=len(this_year),
        completed=sum(1 for e in entries if e.status == "completed"),
        approved=sum(1 for e in entries if e.status == "approved"),
        waiting=sum(1 for e in entries if e.status == "requested"),
        days_this_year=sum(length.days for length in lengths if length),
        hours_this_year=sum(length.hours for length in lengths if length),
        unknown_length_this_year=sum(1 for length in lengths if length is None),
    )


# -- the first source: learning requests ----------------------------------------------------------


def requests_source(person) -> list[RecordEntry]:
    """The person's learning requests that are waiting, approved or completed (one query)."""
    from cadre.learning.models import LearningRequest

    found = (
        LearningRequest.objects.filter(
            person=person,
            status__in=[
                LearningRequest.Status.REQUESTED,
                LearningRequest.Status.APPROVED,
                LearningRequest.Status.COMPLETED,
            ],
        )
        .select_related("offering")
        .order_by("-created_at", "-id")
    )
    return [
        RecordEntry(
            source="request",
            title=r.offering.title,
            kind=r.offering.get_kind_display(),
            provider=r.offering.provider,
            status=r.status,
            requested_on=timezone.localdate(r.created_at),
            approved_on=timezone.localdate(r.decided_at) if r.decided_at else None,
            completed_on=r.completed_on,
            attributes=tuple(a.get("name") or a.get("key", "") for a in r.attributes),
            duration=r.offering.duration,
            recorded_by=f"{r.get_recorded_by_display()}: {r.recorded_by_name}" if r.recorded_by else "",
            evidence=r.evidence,
            has_evidence_file=bool(r.evidence_file),
            url=reverse("learning:detail", args=[r.pk]),
        )
        for r in found
    ]


# -- export ---------------------------------------------------------------------------------------

HEADER = [
    "Title",
    "Kind",
    "Provider",
    "Status",
    "Requested on",
    "Approved on",
    "Completed on",
    "Attributes built",
    "Length",
    "Recorded by",
    "Evidence",
    "Evidence file",
]


def export_rows(entries: list[RecordEntry]) -> list[list[str]]:
    """The record as rows of text for CSV and XLSX, each cell safe to open in a spreadsheet."""
    rows = [HEADER]
    for e in entries:
        rows.append(
            [
                spreadsheet_safe(cell)
                for cell in (
                    e.title,
                    e.kind,
                    e.provider,
                    e.label,
                    e.requested_on.isoformat() if e.requested_on else "",
                    e.approved_on.isoformat() if e.approved_on else "",
                    e.completed_on.isoformat() if e.completed_on else "",
                    "; ".join(e.attributes),
                    e.duration,
                    e.recorded_by,
                    e.evidence,
                    "Yes" if e.has_evidence_file else "",
                )
            ]
        )
    return rows
