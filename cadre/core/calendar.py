"""Calendar invitations (iCalendar, RFC 5545) for programme sessions and anything else with a time.

`calendar_bytes` writes one or more `CalendarEvent`s as a VCALENDAR: a feed to download or
subscribe to (METHOD:PUBLISH), an invitation (REQUEST) or a cancellation (CANCEL), following the
iTIP rules of RFC 5546. `attach_invitation` puts one event into an email so that mail clients show
it as an invitation with accept and decline buttons.

Times are written in UTC (`DTSTART:20260310T093000Z`), so no VTIMEZONE is needed and every client
shows them in its own time zone; start and end must be timezone-aware. Text goes through the
`icalendar` library, which escapes commas, semicolons, backslashes and newlines, quotes parameter
values (RFC 6868 for double quotes in names) and folds lines at 75 octets.

An event keeps its `uid` for life (`event_uid` makes one from what it belongs to), and its
`sequence` goes up by one each time its time, place or status changes: that is how a calendar
knows an update or cancellation replaces the copy it already holds."""

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage as StdlibEmailMessage
from email.mime.text import MIMEText

from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Cadre//Cadre leadership development//EN"
METHODS = ("PUBLISH", "REQUEST", "CANCEL")
CONTENT_TYPE = "text/calendar"


@dataclass(frozen=True)
class CalendarEvent:
    """One event. `attendees` is a sequence of (name, email) pairs (one without an email is left
    out of the calendar); `organiser_name` and `organiser_email` say who sends it (an invitation or
    cancellation needs the email)."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    organiser_name: str = ""
    organiser_email: str = ""
    attendees: Sequence[tuple[str, str]] = ()
    sequence: int = 0
    cancelled: bool = False

    def __post_init__(self) -> None:
        if not self.uid.strip() or any(c in self.uid for c in "\r\n"):
            raise ValueError("An event needs a uid on one line.")
        for label, moment in (("start", self.start), ("end", self.end)):
            if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError(f"The event's {label} must be a timezone-aware datetime.")
        if self.end <= self.start:
            raise ValueError("The event must end after it starts.")
        if not _text(self.summary).strip():
            raise ValueError("An event needs a summary.")
        if isinstance(self.sequence, bool) or not isinstance(self.sequence, int) or self.sequence < 0:
            raise ValueError("The sequence must be a whole number, 0 or more.")
        attendees = tuple((str(name), str(email)) for name, email in self.attendees)
        for email in [self.organiser_email, *(email for _name, email in attendees)]:
            if email and not _plain_email(email):
                raise ValueError(f"{email!r} is not an email address that can go in a calendar.")
        object.__setattr__(self, "attendees", attendees)


def event_uid(kind: str, pk: int, *, domain: str) -> str:
    """A uid that stays the same for the life of the thing it belongs to, such as
    `event_uid("session", 42, domain="cadre.kingsmere.example")` -> "cadre-session-42@cadre.kingsmere.example"."""
    return f"cadre-{kind}-{pk}@{domain}"


def calendar_bytes(
    events: Iterable[CalendarEvent],
    *,
    method: str = "PUBLISH",
    name: str | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """The events as one VCALENDAR, UTF-8 with CRLF line endings.

    - PUBLISH (a feed or a download): attendees are left out, as RFC 5546 asks and so that a shared
      feed does not list who is coming; a cancelled event appears with STATUS:CANCELLED.
    - REQUEST (an invitation or an update): one event uid only, an organiser email, every attendee
      with RSVP=TRUE; a cancelled event cannot be requested.
    - CANCEL: one event uid only, an organiser email; every event is STATUS:CANCELLED.

    `name` titles the calendar (NAME and X-WR-CALNAME); `stamp` is DTSTAMP (now, by default)."""
    if method not in METHODS:
        raise ValueError(f"The method must be one of {', '.join(METHODS)} ({method!r} given).")
    events = list(events)
    if method != "PUBLISH":
        if len({e.uid for e in events}) != 1:
            raise ValueError(f"A {method} carries exactly one event (one uid).")
        if not all(e.organiser_email for e in events):
            raise ValueError(f"A {method} needs the organiser's email.")
    if method == "REQUEST" and any(e.cancelled for e in events):
        raise ValueError("A cancelled event is sent with the method CANCEL, not REQUEST.")
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("name", _one_line(name))
        calendar.add("x-wr-calname", _one_line(name))
    for event in events:
        calendar.add_component(_vevent(event, method=method, stamp=stamp))
    return calendar.to_ical()


def attach_invitation(message, event: CalendarEvent, method: str = "REQUEST", *, stamp: datetime | None = None):
    """Add `event` to an email as an invitation (or, with method="CANCEL", a cancellation).

    The event goes in twice, as mail clients expect: a `text/calendar; method=...` part, which is
    what Outlook, Gmail and Apple Mail turn into an invitation with reply buttons, and an
    `invite.ics` attachment for clients that only offer to save it.

    Works with Django's `EmailMessage` and `EmailMultiAlternatives` (an `EmailMultiAlternatives`
    gets the calendar as an alternative to the text body, the usual shape) and with the standard
    library's `email.message.EmailMessage` (whose body should be set first). Returns the message."""
    data = calendar_bytes([event], method=method, stamp=stamp)
    text = data.decode("utf-8")
    if isinstance(message, StdlibEmailMessage):
        if message.get_content_maintype() == "multipart" and message.get_content_subtype() == "mixed":
            raise ValueError("Add the invitation before any other attachment.")
        message.add_alternative(text, subtype="calendar", params={"method": method})
        message.add_attachment(data, maintype="application", subtype="ics", filename="invite.ics")
        return message
    if hasattr(message, "attach_alternative"):
        message.attach_alternative(text, f"{CONTENT_TYPE}; method={method}")
    elif hasattr(message, "attach"):
        part = MIMEText(text, "calendar", "utf-8")
        part.set_param("method", method)
        message.attach(part)
    else:
        raise TypeError("attach_invitation takes an email message (Django's or the standard library's).")
    message.attach("invite.ics", data, "application/ics")
    return message


def _vevent(event: CalendarEvent, *, method: str, stamp: datetime) -> Event:
    cancelled = event.cancelled or method == "CANCEL"
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", event.start.astimezone(UTC))
    vevent.add("dtend", event.end.astimezone(UTC))
    vevent.add("summary", _text(event.summary))
    if event.description:
        vevent.add("description", _text(event.description))
    if event.location:
        vevent.add("location", _text(event.location))
    if event.url:
        vevent.add("url", event.url)
    if event.organiser_email:
        organiser = vCalAddress(f"mailto:{event.organiser_email}")
        if _display_name(event.organiser_name):
            organiser.params["CN"] = _display_name(event.organiser_name)
        vevent.add("organizer", organiser)
    if method != "PUBLISH":
        for name, email in event.attendees:
            if not email:
                continue  # someone with no email address cannot be invited by one
            attendee = vCalAddress(f"mailto:{email}")
            if _display_name(name):
                attendee.params["CN"] = _display_name(name)
            attendee.params["CUTYPE"] = "INDIVIDUAL"
            attendee.params["ROLE"] = "REQ-PARTICIPANT"
            attendee.params["PARTSTAT"] = "NEEDS-ACTION"
            if method == "REQUEST":
                attendee.params["RSVP"] = "TRUE"
            vevent.add("attendee", attendee)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return vevent


def _text(text: str) -> str:
    """Text as iCalendar allows it: newlines as \\n (whatever form they came in, such as a web
    form's CRLF) and tabs kept, other control characters dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _display_name(name: str) -> str:
    """A name as a parameter value: on one line, and without backslashes, which RFC 5545 leaves
    unescaped in parameters and some readers (icalendar's own among them) take as an escape."""
    return _one_line(name.replace("\\", " "))


def _plain_email(email: str) -> bool:
    local, at, domain = email.rpartition("@")
    return bool(at and local and domain) and not any(c.isspace() or c in '<>",;:' for c in email)
