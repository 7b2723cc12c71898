"""Learning requests in the browser: Sam asks for a course from its page in the catalogue, the line
manager declines without a reason (and is told to give one), then approves, Sam records completion
with a certificate, reads the learning record and downloads it. And an administrator asks the provider,
who confirms completion through the personal link. axe checks every page."""

import csv
import io
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone
from playwright.sync_api import Page, expect

from cadre.catalogue import services as catalogue
from cadre.core.models import Role
from cadre.learning import services
from cadre.learning.models import LearningRequest
from tests.browser import live_database
from tests.browser.axe import follow, visit
from tests.browser.journeys import sign_in, sign_out
from tests.factories import OrganisationFactory, user_with_role
from tests.frameworks import builders

pytestmark = live_database
PASSWORD = "correct horse battery"


def test_request_approve_complete_and_read_the_record(page: Page, live_server):
    # The first request to a new server imports every app, which on a busy machine can take longer
    # than a browser step may: make it before the browser does.
    urllib.request.urlopen(live_server.url + "/accounts/login/", timeout=120).read()
    org = OrganisationFactory(name="North Borough Council")
    version = builders.version(builders.framework(organisation=org, name="Officers' framework"), attributes=2)
    attribute = version.attributes.order_by("order").first()
    admin = user_with_role(org, Role.LD_ADMIN, first_name="Lee", last_name="Developer")
    manager = user_with_role(org, Role.MEMBER, first_name="Max", last_name="Manager")
    person = user_with_role(org, Role.MEMBER, first_name="Sam", last_name="Smith", line_manager=manager.person)
    offering = catalogue.offering_save(
        organisation=org,
        actor=admin,
        details=catalogue.OfferingDetails(
            kind="course",
            title="Leading through change",
            summary="Two days on leading a team through a restructure",
            mode="in_person",
            provider="Skills Academy",
            duration="2 days",
            framework=version.framework,
            attributes=[attribute.key],
        ),
    )

    # Sam asks for the course from its page in the catalogue.
    sign_in(page, email=person.email, password=PASSWORD)
    visit(page, f"/catalogue/{offering.pk}/")
    follow(page.get_by_role("button", name="Request this"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Request Leading through change")
    follow(page.get_by_role("button", name="Send request"))
    expect(page.get_by_role("alert")).to_contain_text("Say why you want to do this")
    page.get_by_label("Why do you want to do this?").fill("To lead my team through the restructure.")
    page.get_by_label(attribute.name, exact=True).check()
    page.get_by_label("When would you like to start? (optional)").fill("The May course")
    follow(page.get_by_role("button", name="Send request"))
    expect(page.get_by_role("main")).to_contain_text("Your request is sent. Max Manager will decide it.")
    expect(page.get_by_role("main")).to_contain_text("Waiting for a decision")
    sign_out(page)

    # The line manager declines without a reason, is asked for one, then approves.
    sign_in(page, email=manager.email, password=PASSWORD)
    visit(page, "/learning/to-decide/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("1 waiting for you")
    follow(page.get_by_role("link", name="Decide Sam Smith's request for Leading through change"))
    page.get_by_label("Decline").check()
    expect(page.get_by_label("Why are you declining it?")).to_be_visible()
    follow(page.get_by_role("button", name="Send decision"))
    expect(page.get_by_role("alert")).to_contain_text("Say why the request is declined.")
    page.get_by_label("Approve").check()
    page.get_by_label("Anything to add? (optional)").fill("Good timing.")
    follow(page.get_by_role("button", name="Send decision"))
    expect(page.get_by_role("main")).to_contain_text("Sam Smith's request for Leading through change is approved.")
    expect(page.get_by_role("main")).to_contain_text("There are no requests waiting for your decision.")
    sign_out(page)

    # Sam records completion with a certificate and reads the record.
    sign_in(page, email=person.email, password=PASSWORD)
    visit(page, "/learning/")
    expect(page.get_by_role("row", name="Leading through change")).to_contain_text("Approved")
    follow(page.get_by_role("link", name="Leading through change"))
    follow(page.get_by_role("button", name="Record completion"))
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Date completed").fill(f"{yesterday:%d %m %Y}")
    page.get_by_label("Upload a file (optional)").set_input_files(
        files=[{"name": "program.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"}]
    )
    follow(page.get_by_role("button", name="Record completion"))
    expect(page.get_by_role("alert")).to_contain_text("The selected file must be a PDF")
    page.get_by_label("Evidence").fill("Two days, with a certificate.")
    page.get_by_label("Upload a file (optional)").set_input_files(
        files=[{"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    follow(page.get_by_role("button", name="Record completion"))
    expect(page.get_by_role("main")).to_contain_text("Completion of Leading through change is recorded.")
    expect(page.get_by_role("link", name="Download certificate.pdf")).to_be_visible()
    follow(page.locator("a.govuk-back-link", has_text="My learning"))
    follow(page.get_by_role("link", name="See my whole learning record"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning record: Sam Smith")
    expect(page.get_by_role("row", name="Leading through change")).to_contain_text("Completed")
    expect(page.get_by_role("row", name="Leading through change")).to_contain_text(attribute.name)
    expect(page.get_by_role("main")).to_contain_text(f"Completed in {yesterday.year}")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert rows[0][0] == "Title" and rows[1][0] == "Leading through change" and rows[1][3] == "Completed"
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_an_administrator_asks_the_provider_who_confirms_through_the_link(page: Page, live_server):
    urllib.request.urlopen(live_server.url + "/accounts/login/", timeout=120).read()
    org = OrganisationFactory(name="North Borough Council")
    admin = user_with_role(org, Role.LD_ADMIN, first_name="Lee", last_name="Developer")
    person = user_with_role(org, Role.MEMBER, first_name="Sam", last_name="Smith")  # no line manager
    offering = catalogue.offering_save(
        organisation=org,
        actor=admin,
        details=catalogue.OfferingDetails(kind="e_learning", title="Data protection", summary="An hour", mode="online"),
    )
    item = services.request_create(
        actor=person, offering=offering, details=services.RequestDetails(reason="Required", attributes=[])
    )

    sign_in(page, email=admin.email, password=PASSWORD)
    visit(page, "/learning/to-decide/")
    follow(page.get_by_role("link", name="Decide Sam Smith's request for Data protection"))
    page.get_by_label("Approve").check()
    follow(page.get_by_role("button", name="Send decision"))
    expect(page.get_by_role("table", name="Approved requests waiting for completion")).to_contain_text("Sam Smith")
    follow(page.get_by_role("link", name="Record completion Sam Smith's request for Data protection"))
    follow(page.get_by_role("button", name="Ask the provider to confirm completion"))
    page.get_by_label("Provider's email address").fill("not an address")
    follow(page.get_by_role("button", name="Send the link"))
    expect(page.get_by_role("alert")).to_contain_text("in the right format")
    page.get_by_label("Provider's contact name (optional)").fill("Pat Trainer")
    page.get_by_label("Provider's email address").fill("pat@training.example")
    follow(page.get_by_role("button", name="Send the link"))
    expect(page.get_by_role("main")).to_contain_text("A link to confirm completion is on its way")
    sign_out(page)

    item = LearningRequest.objects.get(pk=item.pk)
    visit(page, urlsplit(services.provider_link_for(item)).path)  # as the provider, signed out
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm completion")
    page.get_by_label("Date completed").fill(f"{timezone.localdate():%d %m %Y}")
    page.get_by_label("Note (optional)").fill("Passed the assessment.")
    follow(page.get_by_role("button", name="Confirm completion"))
    expect(page.get_by_role("main")).to_contain_text("Thank you. Completion is recorded.")
    item.refresh_from_db()
    assert item.status == "completed" and item.recorded_by == "provider" and item.recorded_by_name == "Pat Trainer"
