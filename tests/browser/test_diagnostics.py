"""A whole 360 in a real browser, every page scanned with axe-core: an L&D administrator sets up a
campaign for one person; the person nominates their raters (and is stopped from rating
themselves); their line manager approves; the administrator launches, past the warning about a
group below its threshold; raters outside the organisation answer from their emailed links with no
account (autosave included); a reminder carries the same link; the administrator closes the
campaign and releases the report; the person reads it and downloads it as a PDF."""

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from datetime import time as clock

from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from cadre.core.models import Role
from cadre.diagnostics import services
from cadre.diagnostics.models import SCALE, Campaign, Rating, Response, Subject
from tests.browser import live_database
from tests.browser.axe import follow, unscanned_pages, visit, watch
from tests.browser.journeys import screenshot, sign_in
from tests.factories import OrganisationFactory, user_with_role
from tests.frameworks import builders

pytestmark = live_database

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
TIMEOUT_MS = 10_000  # as tests/browser/conftest.py

# Each peer's score: positive behaviours get this answer, "does not" ones the mirror image, so that
# every item scores it (negative indicators are scored the other way round).
PEERS = [
    ("Pat Okafor", "pat@example.org", 3),
    ("Chris Lee", "chris@example.org", 4),
    ("Jo Hart", "jo@partner.example", 2),
]
DIRECT_REPORT = ("Dee Walsh", "dee@example.net", 1)  # alone in their group: withheld
MANAGER_SCORE = 5
SELF_SCORES = {"Collaborative": 5, "Agile": 2, "Accountable": 4}
# Everyone else: the peers' and the line manager's ratings pooled, (3 + 4 + 2 + 5) / 4; the direct
# report's 1 must count towards nothing (with it, the figure would be 3.0).
OTHERS = "3.5"


def nav(page: Page):
    return page.get_by_role("navigation", name="Menu")


def banner(page: Page):
    """The notification banner a page shows after an action."""
    return page.locator(".govuk-notification-banner")


@contextmanager
def another_browser(browser: Browser, live_server) -> Iterator[Page]:
    """A tab in a fresh browser context (no cookies, no account), held to the `page` fixture's
    standard: every page it loads must be scanned, and no script may fail."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    script_errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" and message.location.get("url") != tab.url:
            script_errors.append(f"{tab.url}: {message.text} ({message.location.get('url')})")

    tab.on("pageerror", lambda error: script_errors.append(f"{tab.url}: {error}"))
    tab.on("console", console)
    watch(tab)
    try:
        yield tab
        unscanned = unscanned_pages(tab)
        assert not unscanned, f"These pages loaded but were never checked with axe-core: {unscanned}"
        assert not script_errors, "The browser reported errors:\n" + "\n".join(script_errors)
    finally:
        context.close()


def eventually(check: Callable[[], bool], what: str, seconds: float = 10) -> None:
    """Wait for something the browser's background requests do to reach the database."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}")
        time.sleep(0.1)


def links_by_recipient() -> dict[str, str]:
    """The personal link in each email sent so far, as a path on the live server, by recipient."""
    links = {}
    for message in mail.outbox:
        found = re.search(r"https?://\S+?(/feedback/\d+/\w+/)", message.body)
        if found:
            links[message.to[0]] = found.group(1)
    return links


def saved(response: Response) -> tuple[int, set[int]]:
    """How many answers a response holds, and which values."""
    values = list(Rating.objects.filter(response=response).values_list("value", flat=True))
    return len(values), set(values)


def response_of(link: str) -> Response:
    return Response.objects.get(pk=int(link.split("/")[2]))


def answer_everything(page: Page, score: int | dict[str, int]) -> None:
    """Choose an answer for every statement: `score` for positive behaviours (by attribute, when a
    dict), its mirror image for signs that an attribute is missing, which are scored the other way
    round, so that every item scores `score` in the report."""
    statements = page.get_by_role("main").get_by_role("group")
    for n in range(statements.count()):
        statement = statements.nth(n)
        legend = statement.locator("legend").inner_text()
        wanted = score if isinstance(score, int) else next(v for k, v in score.items() if k in legend)
        missing = "A sign the attribute is missing" in statement.inner_text()
        answer = SCALE[6 - wanted] if missing else SCALE[wanted]
        statement.get_by_label(answer, exact=True).check()


def nominate(page: Page, group: str, name: str, email: str) -> None:
    page.get_by_label(group, exact=True).check()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Email address").fill(email)
    follow(page.get_by_role("button", name="Add this rater"))
    expect(banner(page)).to_contain_text(f"{name} added.")


def test_a_whole_360_from_set_up_to_the_report(page: Page, browser: Browser, live_server, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    org = OrganisationFactory(name="North Borough Council")
    version = builders.version(builders.framework(organisation=org, name="Officers' framework"), attributes=3)
    admin = user_with_role(org, Role.LD_ADMIN, first_name="Lee", last_name="Developer")
    manager = user_with_role(org, Role.MEMBER, first_name="Morgan", last_name="Price")
    sam = user_with_role(org, Role.MEMBER, first_name="Sam", last_name="Smith", tier=version.tiers.get(rank=1))
    sam.person.line_manager = manager.person
    sam.person.save()
    closes_on = timezone.localdate() + timedelta(days=10)

    # 1. The administrator sets up a campaign for Sam, with the line manager approving the raters.
    sign_in(page, email=admin.email, password=PASSWORD)
    follow(nav(page).get_by_role("link", name="360 campaigns"))
    expect(page.get_by_role("heading", level=1)).to_have_text("360 campaigns")
    expect(page.get_by_text("No campaigns yet.")).to_be_visible()
    follow(page.get_by_role("button", name="Set up a campaign"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a 360 campaign")
    page.get_by_label("Name", exact=True).fill("Spring 360")
    page.get_by_label("Officers' framework, version 1").check()
    page.get_by_label("Who it asks about").fill(sam.email)
    page.get_by_label("Closing date").fill(f"{closes_on.day} {closes_on.month} {closes_on.year}")
    page.get_by_label("Fewest raters in a group for its figures to show").fill("3")
    page.get_by_label("The same for the line manager").fill("1")
    page.get_by_label("Line managers approve the raters nominated before invitations go").check()
    follow(page.get_by_role("button", name="Set up campaign"))
    expect(banner(page)).to_contain_text("Spring 360 is set up. Raters can now be nominated.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring 360")
    details = page.get_by_role("main").locator("dl").first
    expect(details).to_contain_text("Being set up")
    expect(details).to_contain_text(f"{closes_on.day} {closes_on:%B %Y}")
    expect(details).to_contain_text("9 of 9 behaviour indicators")
    expect(details).to_contain_text("3 raters per group; 1 for the line manager (shown as one person's view)")
    expect(details).to_contain_text("By the line manager")
    expect(page.get_by_role("heading", name="Sam Smith")).to_be_visible()
    campaign = Campaign.objects.get()
    subject = campaign.subjects.get()
    assert (campaign.threshold, campaign.line_manager_threshold, campaign.needs_approval) == (3, 1, True)
    campaign_page = page.url

    # 2. Sam chooses raters: the line manager, three peers outside the council and a direct report.
    with another_browser(browser, live_server) as sams:
        sign_in(sams, email=sam.email, password=PASSWORD)
        follow(nav(sams).get_by_role("link", name="Feedback"))
        expect(sams.get_by_role("heading", level=1)).to_have_text("Feedback and self-assessment")
        follow(sams.get_by_role("link", name="choose who gives you feedback"))
        expect(sams.get_by_role("heading", level=1)).to_have_text("Who gives you feedback")
        nominate(sams, "Line manager", "Morgan Price", manager.email)
        for name, email, _score in PEERS:
            nominate(sams, "Peers", name, email)

        # Sam as one of their own peers: refused, with what was typed kept.
        nominate_form = sams.url
        sams.get_by_label("Peers", exact=True).check()
        sams.get_by_label("Name", exact=True).fill("Sam Smith")
        sams.get_by_label("Email address").fill(sam.email.upper())
        follow(sams.get_by_role("button", name="Add this rater"))
        expect(sams).to_have_title(re.compile("^Error: "))
        summary = sams.get_by_role("alert")
        expect(summary).to_contain_text("There is a problem")
        expect(summary.get_by_role("link")).to_have_text(
            "That is the email address of the person being asked about. Their own view is their "
            "self-assessment, not a rater's."
        )
        expect(sams.get_by_label("Name", exact=True)).to_have_value("Sam Smith")
        expect(sams.get_by_label("Email address")).to_have_value(sam.email.upper())
        expect(sams.get_by_label("Peers", exact=True)).to_be_checked()
        screenshot(sams, "360-nominate-error")

        visit(sams, nominate_form)
        nominate(sams, "Direct reports", *DIRECT_REPORT[:2])
        counts = sams.get_by_role("table", name="Raters in each group")
        expect(counts.get_by_role("row", name=re.compile("^Line manager"))).to_contain_text("1")
        expect(counts.get_by_role("row", name=re.compile("^Peers"))).to_contain_text("3")
        expect(counts.get_by_role("row", name=re.compile("^Direct reports"))).to_contain_text("1")
        expect(sams.get_by_role("table", name="Raters asked").get_by_role("row")).to_have_count(6)
        screenshot(sams, "360-nominate")
        follow(sams.get_by_role("button", name="Send to Morgan to approve"))
        expect(banner(sams)).to_contain_text("Your nominations have gone to your line manager to approve.")
        expect(sams.get_by_text("These raters are waiting for Morgan Price to approve them.")).to_be_visible()
        expect(sams.get_by_role("button", name="Add this rater")).to_have_count(0)
    approval = mail.outbox[-1]
    assert approval.to == [manager.email] and approval.subject == "Approve the raters for Sam Smith's 360"

    # 3. The line manager approves from their Feedback page.
    with another_browser(browser, live_server) as morgans:
        sign_in(morgans, email=manager.email, password=PASSWORD)
        follow(nav(morgans).get_by_role("link", name="Feedback"))
        expect(morgans.get_by_role("heading", name="Waiting for you")).to_be_visible()
        follow(morgans.get_by_role("link", name="Approve the raters for Sam Smith"))
        expect(morgans.get_by_role("heading", level=1)).to_have_text("Approve raters for Sam Smith")
        expect(morgans.get_by_role("table", name="Raters asked")).to_contain_text("jo@partner.example")
        follow(morgans.get_by_role("button", name="Approve these raters"))
        expect(banner(morgans)).to_contain_text("Sam Smith's raters are approved.")
        expect(morgans.get_by_role("heading", name="Waiting for you")).to_have_count(0)
    subject.refresh_from_db()
    assert subject.nominations == Subject.Nominations.APPROVED and subject.approved_by == manager.person

    # 4. The administrator launches, warned that the direct reports' group is below its threshold.
    visit(page, campaign_page)
    expect(page.get_by_role("main")).to_contain_text("Approved")
    follow(page.get_by_role("button", name="Launch"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Launch the campaign")
    expect(page.get_by_text("Some groups have fewer raters than their threshold.")).to_be_visible()
    withheld = page.get_by_role("table", name="Groups that will be withheld as things stand")
    expect(withheld.get_by_role("row")).to_have_count(2)
    expect(withheld.get_by_role("row").nth(1).get_by_role("cell")).to_have_text(
        ["Sam Smith", "Direct reports", "1", "3"]
    )
    screenshot(page, "360-launch")
    mail.outbox.clear()
    follow(page.get_by_role("button", name="Launch anyway"))
    expect(banner(page)).to_contain_text("Spring 360 is open. Invitations are on their way.")
    expect(page.get_by_role("main").locator("dl").first).to_contain_text("Open")
    # The invitations went as the launch was handled (immediate tasks run in the live server's thread).
    links = links_by_recipient()
    raters = [manager.email, *(email for _name, email, _score in PEERS), DIRECT_REPORT[1]]
    assert sorted(links) == sorted([sam.email, *raters])
    assert len(mail.outbox) == 6
    to_pat = next(m for m in mail.outbox if m.to == ["pat@example.org"])
    assert to_pat.subject.lower() == "feedback for sam smith"  # sent with a lower-case initial
    assert "as one of their peers" in to_pat.body and "no account is needed" in to_pat.body
    to_morgan = next(m for m in mail.outbox if m.to == [manager.email])
    assert "labelled as one person's view" in to_morgan.body
    rates = page.get_by_role("table", name="Answers by rater group")
    expect(rates.get_by_role("row", name=re.compile("^Peers"))).to_contain_text("3")

    # 5. Each rater outside the council answers from their link, with no account.
    for n, (name, email, score) in enumerate(PEERS):
        with another_browser(browser, live_server) as rater:
            visit(rater, links[email])
            expect(rater.get_by_role("heading", level=1)).to_have_text("Feedback for Sam Smith")
            expect(
                rater.get_by_text("Sam sees only group figures, and only for groups where at least 3")
            ).to_be_visible()
            expect(nav(rater).get_by_role("link", name="Feedback")).to_have_count(0)
            response = response_of(links[email])
            if n == 0:
                # Autosave: one answer, then "Saved at" and the answer in the database.
                first = rater.get_by_role("main").get_by_role("group").first
                first.get_by_label(SCALE[5], exact=True).check()
                expect(rater.locator("#save-status")).to_contain_text(re.compile(r"Saved at \d\d:\d\d\."))
                eventually(lambda r=response: Rating.objects.filter(response=r, value=5).count() == 1, "autosave")
                screenshot(rater, "360-questionnaire")
                rater.get_by_label("Strengths: collaborative (optional)").fill("Listens well and shares credit.")
            answer_everything(rater, score)
            # Autosaved before sending, the first answer changed from "Almost always" included.
            eventually(lambda r=response, s=score: saved(r) == (9, {s, 6 - s}), f"{name}'s answers autosaved")
            follow(rater.get_by_role("button", name="Send my answers"))
            expect(rater.get_by_role("heading", level=1)).to_have_text("Answers sent")
            expect(rater.get_by_text("There is nothing more to do.")).to_be_visible()
            # The link again: the answers have been sent, and there is nothing to fill in.
            visit(rater, links[email])
            expect(
                rater.get_by_text("These answers have been sent. Thank you: there is nothing more to do.")
            ).to_be_visible()
            expect(rater.get_by_role("button", name="Send my answers")).to_have_count(0)
        response.refresh_from_db()
        assert response.status == Response.Status.SUBMITTED and saved(response) == (9, {score, 6 - score})

    # The line manager answers, told first that their view is shown on its own; Sam assesses themselves.
    with another_browser(browser, live_server) as morgans_link:
        visit(morgans_link, links[manager.email])
        expect(
            morgans_link.get_by_text("As their line manager, your ratings are shown to Sam on their own")
        ).to_be_visible()
        answer_everything(morgans_link, MANAGER_SCORE)
        follow(morgans_link.get_by_role("button", name="Send my answers"))
        expect(morgans_link.get_by_role("heading", level=1)).to_have_text("Answers sent")
    with another_browser(browser, live_server) as sams_link:
        visit(sams_link, links[sam.email])
        expect(sams_link.get_by_role("heading", level=1)).to_have_text("Your self-assessment")
        answer_everything(sams_link, SELF_SCORES)
        follow(sams_link.get_by_role("button", name="Send my answers"))
        expect(sams_link.get_by_role("heading", level=1)).to_have_text("Answers sent")

    # 6. Two days before the close, the one rater yet to answer is reminded, with the same link.
    mail.outbox.clear()
    near_the_close = timezone.make_aware(datetime.combine(closes_on - timedelta(days=2), clock(9)))
    assert services.reminders_send(now=near_the_close) == 1
    reminder = mail.outbox[0]
    assert reminder.to == [DIRECT_REPORT[1]] and reminder.subject == "Reminder: feedback for Sam Smith"
    assert links_by_recipient() == {DIRECT_REPORT[1]: links[DIRECT_REPORT[1]]}
    with another_browser(browser, live_server) as dees:
        visit(dees, links_by_recipient()[DIRECT_REPORT[1]])
        expect(dees.get_by_role("heading", level=1)).to_have_text("Feedback for Sam Smith")
        answer_everything(dees, DIRECT_REPORT[2])
        dees.get_by_label("Strengths: collaborative (optional)").fill("Only the direct report says this.")
        follow(dees.get_by_role("button", name="Send my answers"))
        expect(dees.get_by_role("heading", level=1)).to_have_text("Answers sent")

    # 7. The administrator closes the campaign; a second tab still showing it open tries again.
    visit(page, campaign_page)
    expect(rates.get_by_role("row", name=re.compile("^Peers"))).to_contain_text("100%")
    expect(page.get_by_role("main")).not_to_contain_text("Pat Okafor")
    screenshot(page, "360-campaign-open")
    # Closing asks first; a second tab that confirms later is told it is already closed.
    follow(page.get_by_role("button", name="Close the campaign"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Close Spring 360?")
    stale = page.context.new_page()
    watch(stale)
    visit(stale, page.url)
    follow(page.get_by_role("button", name="Close the campaign"))
    expect(banner(page)).to_contain_text("Spring 360 is closed. It takes no more answers.")
    follow(stale.get_by_role("button", name="Close the campaign"))
    expect(banner(stale)).to_contain_text(f"The campaign was already closed on {timezone.localdate():%-d %B %Y}.")
    assert not unscanned_pages(stale)
    stale.close()
    follow(page.get_by_role("link", name="Release to Sam"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Release Sam Smith's report?")
    follow(page.get_by_role("button", name="Release to Sam"))
    expect(banner(page)).to_contain_text("Sam Smith's report is released to them.")
    expect(page.get_by_role("main")).to_contain_text(f"Released {timezone.localdate():%-d %B %Y}")
    screenshot(page, "360-campaign-closed")
    assert mail.outbox[-1].to == [sam.email] and mail.outbox[-1].subject == "Your 360 feedback report is ready"

    # Sam reads the report and downloads it.
    with another_browser(browser, live_server) as sams:
        sign_in(sams, email=sam.email, password=PASSWORD)
        follow(nav(sams).get_by_role("link", name="Feedback"))
        follow(sams.get_by_role("link", name="read your report"))
        main = sams.get_by_role("main")
        expect(main.get_by_role("heading", level=1)).to_have_text("Your 360 feedback report")
        expect(main.get_by_role("heading", level=2)).to_have_text(
            [
                "Self and others",
                "Blind spots and hidden strengths",
                "By rater group",
                "Highest and lowest rated behaviours",
                "Each attribute in detail",
                "Who else reads this report",
            ]
        )

        chart_figures = main.get_by_role("table", name="The figures in the chart")
        expect(chart_figures.get_by_role("columnheader")).to_have_text(["Attribute", "Self", "Everyone else"])
        for attribute, own in SELF_SCORES.items():
            row = chart_figures.get_by_role("row", name=re.compile(f"^{attribute}"))
            expect(row.get_by_role("cell")).to_have_text([f"{own}.0", OTHERS])
        # Both charts are images with a text alternative; their figures are in the tables.
        expect(main.get_by_role("img")).to_have_count(2)
        expect(main.get_by_role("img", name=re.compile("^Self and others by attribute")).first).to_be_visible()

        expect(main.locator("#gaps ~ .govuk-grid-row").first).to_contain_text("Collaborative: self 5.0, others 3.5")
        expect(main.locator("#gaps ~ .govuk-grid-row").first).to_contain_text("Agile: self 2.0, others 3.5")

        by_group = main.get_by_role("table", name=re.compile("^Average, number of raters and spread"))
        expect(by_group.get_by_role("columnheader")).to_have_text(
            ["Attribute", "Line manager (one person's view)", "Peers"]
        )
        expect(by_group).not_to_contain_text("Direct reports")
        for attribute in SELF_SCORES:
            row = by_group.get_by_role("row", name=re.compile(f"^{attribute}"))
            expect(row.get_by_role("cell")).to_have_text(["5.0 (1 rater)", "3.0 (3 raters, spread 0.8)"])
        expect(main).to_contain_text("Listens well and shares credit.")
        expect(main).not_to_contain_text("Only the direct report says this.")
        screenshot(sams, "360-report")

        with sams.expect_download() as download:
            sams.get_by_role("link", name="Download as PDF").click()
        pdf = tmp_path / download.value.suggested_filename
        download.value.save_as(pdf)
        if os.environ.get("CADRE_SHOTS"):  # kept beside the screenshots, to look at
            shutil.copy(pdf, os.environ["CADRE_SHOTS"])
        assert pdf.name == "sam-smith-spring-360.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Sam Smith" in text and "Peers" in text
        assert "Direct reports" not in text and "Only the direct report says this." not in text
