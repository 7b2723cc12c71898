"""Programme sessions in the browser: an administrator adds a session (after a mistake), takes the
register and follows up an absence; a participant gets their calendar address and gives their
reaction. axe checks every page."""

from datetime import datetime, time, timedelta

from playwright.sync_api import Page, expect

from cadre.programmes.models import Attendance, CalendarFeed, Cohort, Reaction, Session
from cadre.programmes.services.sessions import SessionDetails, session_save
from tests.browser import live_database
from tests.browser.axe import follow, visit
from tests.browser.journeys import sign_in, sign_out

pytestmark = live_database
PASSWORD = "correct horse battery"


def _at(days: int, hour: int) -> datetime:
    from django.utils import timezone

    return datetime.combine(
        timezone.localdate() + timedelta(days=days), time(hour), tzinfo=timezone.get_default_timezone()
    )


def test_sessions_are_arranged_attended_followed_up_and_reviewed(page: Page, cohort, admin, participants):
    from django.utils import timezone

    ada, ben, _cal = participants
    Cohort.objects.filter(pk=cohort.pk).update(
        starts_on=timezone.localdate() - timedelta(days=60), status=Cohort.Status.RUNNING
    )
    cohort.refresh_from_db()
    held = session_save(
        cohort=cohort,
        actor=admin,
        details=SessionDetails(
            title="Paired conversations",
            starts_at=_at(-2, 10),
            ends_at=_at(-2, 12),
            venue="Civic Centre, Room 4",
        ),
    )

    sign_in(page, email=admin.email, password=PASSWORD)
    visit(page, f"/programmes/cohorts/{cohort.pk}/sessions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions")
    follow(page.get_by_role("button", name="Add a session"))
    day = timezone.localdate() + timedelta(days=20)
    page.get_by_label("Title").fill("Development day one")
    date = page.get_by_role("group", name="Date", exact=True)
    date.get_by_label("Day").fill(str(day.day))
    date.get_by_label("Month").fill(str(day.month))
    date.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("9:30am")
    page.get_by_label("End time").fill("9am")
    follow(page.get_by_role("button", name="Add the session"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The session must end after it starts.")
    expect(summary).to_contain_text("Enter a venue, an online meeting link, or both.")
    page.get_by_label("End time").fill("4pm")
    page.get_by_label("Online meeting link").fill("https://meet.example.org/day-one")
    follow(page.get_by_role("button", name="Add the session"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Development day one")
    expect(page.get_by_role("main")).to_contain_text("9:30am to 4pm")
    expect(page.get_by_role("button", name="Add to calendar")).to_be_visible()

    follow(page.get_by_role("link", name="Sessions"))
    follow(page.get_by_role("link", name="Take the register for Paired conversations"))
    page.get_by_role("group", name="Ada Participant").get_by_label("Attended").check()
    follow(page.get_by_role("button", name="Save the register"))
    expect(page.get_by_role("alert")).to_contain_text("Choose whether Ben Participant attended")
    page.get_by_role("group", name="Ben Participant").get_by_label("Absent").check()
    follow(page.get_by_role("button", name="Save the register"))
    expect(page.get_by_role("table", name="Sessions and attendance")).to_contain_text(
        "1 attended, 0 sent apologies, 1 absent"
    )
    follow(page.get_by_role("link", name="Record follow-up for Ben Participant, Paired conversations"))
    page.get_by_label("What was done or agreed").fill("Spoke by phone; catching up from the notes.")
    follow(page.get_by_role("button", name="Record the follow-up"))
    expect(page.get_by_role("main")).to_contain_text("There are no absences waiting to be followed up")
    assert Attendance.objects.get(application=ben).followed_up_at is not None
    sign_out(page)

    sign_in(page, email=ada.person.user.email, password=PASSWORD)
    visit(page, f"/programmes/cohorts/{cohort.pk}/sessions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
    follow(page.get_by_role("button", name="Get your calendar address"))
    token = CalendarFeed.objects.get(person=ada.person).token
    expect(page.get_by_label("Your calendar address")).to_have_value(
        f"{page.url.split('/programmes/')[0]}/programmes/calendar/{token}.ics"
    )
    follow(page.get_by_role("link", name="Give your reaction to Paired conversations"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How was Paired conversations?")
    page.get_by_role("group", name="How useful was the session for you?").get_by_label("4", exact=True).check()
    follow(page.get_by_role("button", name="Send your reaction"))
    expect(page.get_by_role("alert")).to_contain_text("How likely are you to use what you learned at work?")
    page.get_by_role("group", name="How likely are you to use what you learned at work?").get_by_label(
        "5 – very likely"
    ).check()
    page.get_by_role("group", name="How likely are you to recommend the session to a colleague?").get_by_label(
        "3", exact=True
    ).check()
    follow(page.get_by_role("button", name="Send your reaction"))
    expect(page.get_by_role("main")).to_contain_text("your reaction to Paired conversations is saved")
    assert Reaction.objects.filter(session=held).count() == 1
    assert Session.objects.filter(cohort=cohort).count() == 2
