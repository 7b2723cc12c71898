"""Calendar invitations: every field written is read back by icalendar's own parser, through
awkward text, folding, the three methods and the three kinds of email message."""

from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail import EmailMessage as DjangoEmailMessage
from django.core.mail import EmailMultiAlternatives
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from cadre.core.calendar import PRODID, CalendarEvent, attach_invitation, calendar_bytes, event_uid

LONDON = ZoneInfo("Europe/London")
STAMP = datetime(2026, 5, 1, 8, 0, 0, tzinfo=UTC)


def session(**changes) -> CalendarEvent:
    fields = {
        "uid": event_uid("session", 42, domain="cadre.kingsmere.example"),
        "start": datetime(2026, 6, 10, 9, 30, tzinfo=LONDON),  # British Summer Time: 08:30 UTC
        "end": datetime(2026, 6, 10, 12, 0, tzinfo=LONDON),
        "summary": "Leading through change: day 2",
        "description": "Bring the plan you started on day 1.",
        "location": "Kingsmere Town Hall, Committee Room 1",
        "url": "https://cadre.kingsmere.example/programmes/sessions/42/",
        "organiser_name": "Fiona MacLeod",
        "organiser_email": "fiona.macleod@kingsmere.example",
        "attendees": [("Amara Okafor", "amara.okafor@kingsmere.example"), ("Tom Gallagher", "tom@kingsmere.example")],
        "sequence": 0,
    }
    return CalendarEvent(**{**fields, **changes})


def parse(data: bytes):
    calendar = Calendar.from_ical(data)
    return calendar, calendar.walk("VEVENT")


def test_an_invitation_carries_every_field():
    data = calendar_bytes([session()], method="REQUEST", name="Leading through change", stamp=STAMP)
    calendar, (event,) = parse(data)
    assert str(calendar["PRODID"]) == PRODID
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["X-WR-CALNAME"]) == "Leading through change"
    assert str(event["UID"]) == "cadre-session-42@cadre.kingsmere.example"
    assert event.decoded("DTSTAMP") == STAMP
    assert event.decoded("DTSTART") == datetime(2026, 6, 10, 8, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 6, 10, 11, 0, tzinfo=UTC)
    assert event.decoded("SEQUENCE") == 0
    assert str(event["SUMMARY"]) == "Leading through change: day 2"
    assert str(event["DESCRIPTION"]) == "Bring the plan you started on day 1."
    assert str(event["LOCATION"]) == "Kingsmere Town Hall, Committee Room 1"
    assert str(event["URL"]) == "https://cadre.kingsmere.example/programmes/sessions/42/"
    assert str(event["STATUS"]) == "CONFIRMED"
    organiser = event["ORGANIZER"]
    assert str(organiser) == "mailto:fiona.macleod@kingsmere.example"
    assert organiser.params["CN"] == "Fiona MacLeod"
    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:amara.okafor@kingsmere.example", "mailto:tom@kingsmere.example"]
    assert [a.params["CN"] for a in attendees] == ["Amara Okafor", "Tom Gallagher"]
    assert all(a.params["RSVP"] == "TRUE" and a.params["PARTSTAT"] == "NEEDS-ACTION" for a in attendees)
    assert all(a.params["ROLE"] == "REQ-PARTICIPANT" for a in attendees)
    # Someone without an email address is left out rather than written as an empty address.
    _calendar, (event,) = parse(
        calendar_bytes([session(attendees=[("No Email", ""), ("Amara", "amara@k.example")])], method="REQUEST")
    )
    assert str(event["ATTENDEE"]) == "mailto:amara@k.example"


def test_times_are_utc_without_time_zone_definitions():
    winter = session(start=datetime(2026, 1, 14, 14, 0, tzinfo=LONDON), end=datetime(2026, 1, 14, 16, 0, tzinfo=LONDON))
    text = calendar_bytes([session(), winter], stamp=STAMP).decode()
    assert "DTSTART:20260610T083000Z" in text  # 09:30 in summer is 08:30 UTC
    assert "DTSTART:20260114T140000Z" in text  # 14:00 in winter is 14:00 UTC
    assert "TZID" not in text and "VTIMEZONE" not in text


def test_special_characters_survive_the_round_trip():
    awkward = session(
        summary="Budgets, risks; and \\ the rest: a 'hard' conversation",
        description='Line one.\nLine two, with "quotes"; and a semicolon.\n\nParagraph two: Zoë, Łukasz, Siân, 日本.',
        location="Room 3; floor 2, Kingsmere Town Hall",
        url="https://cadre.kingsmere.example/s/42/?a=1,2;b=3",
        organiser_name='MacLeod, Fiona "Fi"',
        attendees=[
            ("O'Brien, Zoë; Dr", "zoe.obrien@kingsmere.example"),
            ("Seán Ó Súilleabháin", "sean@kingsmere.example"),
        ],
    )
    _calendar, (event,) = parse(calendar_bytes([awkward], method="REQUEST", stamp=STAMP))
    assert str(event["SUMMARY"]) == awkward.summary
    assert str(event["DESCRIPTION"]) == awkward.description
    assert str(event["LOCATION"]) == awkward.location
    assert str(event["URL"]) == awkward.url
    assert event["ORGANIZER"].params["CN"] == 'MacLeod, Fiona "Fi"'
    assert [a.params["CN"] for a in event["ATTENDEE"]] == ["O'Brien, Zoë; Dr", "Seán Ó Súilleabháin"]
    # A name cannot break the line it sits on.
    broken = session(attendees=[("Amara\nOkafor", "amara@kingsmere.example")])
    _calendar, (event,) = parse(calendar_bytes([broken], method="REQUEST", stamp=STAMP))
    assert event["ATTENDEE"].params["CN"] == "Amara Okafor"


def test_web_form_newlines_and_control_characters_are_tidied():
    typed = session(
        summary="Day 2\x07",
        description="Line one\r\nLine two\rLine three\x00\tend",
        organiser_name="\\",
    )
    _calendar, (event,) = parse(calendar_bytes([typed], method="REQUEST", stamp=STAMP))
    assert str(event["SUMMARY"]) == "Day 2"
    assert str(event["DESCRIPTION"]) == "Line one\nLine two\nLine three\tend"
    assert "CN" not in event["ORGANIZER"].params  # nothing left of the name to show
    with pytest.raises(ValueError, match="summary"):
        session(summary="\x07\x08")


def test_long_lines_are_folded_at_75_octets_without_splitting_characters():
    long = session(
        summary="Developing managers' programme — " + "séance " * 30,
        description="Ceci n'est pas une pipe. " * 40 + "日本語のテキスト" * 20,
    )
    data = calendar_bytes([long], method="PUBLISH", stamp=STAMP)
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # folded continuation lines
    for line in lines:
        line.decode("utf-8")  # no line ends in the middle of a character
    _calendar, (event,) = parse(data)
    assert str(event["SUMMARY"]) == long.summary
    assert str(event["DESCRIPTION"]) == long.description


def test_a_feed_lists_events_without_attendees():
    second = session(uid=event_uid("session", 43, domain="cadre.kingsmere.example"), summary="Day 3")
    cancelled = session(uid=event_uid("session", 44, domain="cadre.kingsmere.example"), cancelled=True, sequence=2)
    calendar, events = parse(calendar_bytes([session(), second, cancelled], method="PUBLISH", stamp=STAMP))
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert [str(e["UID"]) for e in events] == [
        "cadre-session-42@cadre.kingsmere.example",
        "cadre-session-43@cadre.kingsmere.example",
        "cadre-session-44@cadre.kingsmere.example",
    ]
    assert all("ATTENDEE" not in e for e in events)
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert "X-WR-CALNAME" not in calendar  # no name given


def test_an_update_keeps_the_uid_and_raises_the_sequence():
    first = session()
    moved = session(start=first.start + timedelta(days=7), end=first.end + timedelta(days=7), sequence=1)
    _c, (before,) = parse(calendar_bytes([first], method="REQUEST", stamp=STAMP))
    _c, (after,) = parse(calendar_bytes([moved], method="REQUEST", stamp=STAMP))
    assert str(before["UID"]) == str(after["UID"])
    assert (before.decoded("SEQUENCE"), after.decoded("SEQUENCE")) == (0, 1)
    assert after.decoded("DTSTART") - before.decoded("DTSTART") == timedelta(days=7)
    assert event_uid("session", 42, domain="x.example") == event_uid("session", 42, domain="x.example")
    assert event_uid("session", 42, domain="x.example") != event_uid("session", 43, domain="x.example")


def test_a_cancellation_says_cancelled():
    calendar, (event,) = parse(calendar_bytes([session(sequence=3)], method="CANCEL", stamp=STAMP))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("SEQUENCE") == 3
    assert [str(a) for a in event["ATTENDEE"]] == [
        "mailto:amara.okafor@kingsmere.example",
        "mailto:tom@kingsmere.example",
    ]
    assert all("RSVP" not in a.params for a in event["ATTENDEE"])  # nothing to reply to


def test_the_stamp_is_now_by_default():
    _c, (event,) = parse(calendar_bytes([session()]))
    assert abs(event.decoded("DTSTAMP") - datetime.now(UTC)) < timedelta(seconds=10)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": datetime(2026, 6, 10, 9, 30)}, "timezone-aware"),
        ({"end": datetime(2026, 6, 10, 9, 0, tzinfo=LONDON)}, "end after it starts"),
        ({"uid": ""}, "uid"),
        ({"uid": "a\r\nb"}, "uid"),
        ({"summary": "  "}, "summary"),
        ({"sequence": -1}, "sequence"),
        ({"attendees": [("Eve", "eve@kingsmere.example\r\nBCC: all@kingsmere.example")]}, "not an email address"),
        ({"organiser_email": "fiona"}, "not an email address"),
    ],
)
def test_bad_events_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        session(**changes)


def test_methods_keep_to_the_invitation_rules():
    with pytest.raises(ValueError, match="method must be one of"):
        calendar_bytes([session()], method="INVITE")
    two = [session(), session(uid="other@cadre.kingsmere.example")]
    with pytest.raises(ValueError, match="exactly one event"):
        calendar_bytes(two, method="REQUEST")
    with pytest.raises(ValueError, match="organiser's email"):
        calendar_bytes([session(organiser_email="")], method="CANCEL")
    with pytest.raises(ValueError, match="method CANCEL"):
        calendar_bytes([session(cancelled=True)], method="REQUEST")
    assert b"STATUS:CANCELLED" in calendar_bytes([session(cancelled=True)], method="CANCEL")


text = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from('\n,;:\\"'), max_size=200)


@settings(max_examples=150, deadline=None)
@given(summary=text.filter(str.strip), description=text, location=text, name=text)
def test_any_text_round_trips(summary, description, location, name):
    event = session(summary=summary, description=description, location=location, organiser_name=name)
    data = calendar_bytes([event], method="REQUEST", stamp=STAMP)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    _calendar, (parsed,) = parse(data)
    assert str(parsed["SUMMARY"]) == summary
    assert str(parsed.get("DESCRIPTION", "")) == description
    assert str(parsed.get("LOCATION", "")) == location
    assert parsed["ORGANIZER"].params.get("CN", "") == " ".join(name.replace("\\", " ").split())


# --- in an email ----------------------------------------------------------------------------------


def parts(raw: bytes):
    message = BytesParser(policy=policy.default).parsebytes(raw)
    return message, list(message.walk())


def calendar_part(all_parts):
    (part,) = [p for p in all_parts if p.get_content_type() == "text/calendar"]
    return part


def test_an_invitation_in_a_django_email_with_alternatives(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = EmailMultiAlternatives(
        "Invitation: Leading through change, day 2",
        "You are booked on day 2.",
        None,
        ["amara.okafor@kingsmere.example"],
    )
    attach_invitation(message, session(), stamp=STAMP)
    message.send()
    raw = mail.outbox[-1].message().as_bytes()
    top, all_parts = parts(raw)
    assert top.get_content_type() == "multipart/mixed"
    assert [p.get_content_type() for p in all_parts] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/calendar",
        "application/ics",
    ]
    invitation = calendar_part(all_parts)
    assert invitation.get_param("method") == "REQUEST"
    assert invitation.get_content_disposition() is None  # shown inline, as an invitation
    calendar, (event,) = parse(invitation.get_content().encode())
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "cadre-session-42@cadre.kingsmere.example"
    attachment = all_parts[-1]
    assert attachment.get_filename() == "invite.ics"
    assert Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]["SUMMARY"] == "Leading through change: day 2"
    assert all_parts[2].get_content().strip() == "You are booked on day 2."


def test_a_cancellation_in_a_plain_django_email():
    message = DjangoEmailMessage("Cancelled: day 2", "Day 2 is cancelled.", None, ["amara.okafor@kingsmere.example"])
    attach_invitation(message, session(sequence=1), method="CANCEL", stamp=STAMP)
    _top, all_parts = parts(message.message().as_bytes())
    invitation = calendar_part(all_parts)
    assert invitation.get_param("method") == "CANCEL"
    calendar, (event,) = parse(invitation.get_content().encode())
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("SEQUENCE") == 1
    assert any(p.get_filename() == "invite.ics" for p in all_parts)


def test_an_invitation_in_a_standard_library_email():
    message = EmailMessage()
    message["Subject"] = "Invitation"
    message.set_content("You are booked on day 2, Zoë.")
    attach_invitation(message, session(attendees=[("Zoë", "zoe@kingsmere.example")]), stamp=STAMP)
    _top, all_parts = parts(message.as_bytes())
    assert [p.get_content_type() for p in all_parts] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/calendar",
        "application/ics",
    ]
    invitation = calendar_part(all_parts)
    assert invitation.get_param("method") == "REQUEST"
    _calendar, (event,) = parse(invitation.get_content().encode())
    assert event["ATTENDEE"].params["CN"] == "Zoë"
    with pytest.raises(ValueError, match="before any other attachment"):
        attach_invitation(message, session())
    with pytest.raises(TypeError):
        attach_invitation("not a message", session())
