"""Portfolios in the browser: a participant adds evidence (after a file of the wrong kind), an
assessor asks for more and then signs off, an administrator confirms completion, and the
participant downloads the certificate and opens the badge. axe checks every page."""

from datetime import timedelta

from playwright.sync_api import Page, expect

from cadre.core.models import Role
from cadre.credentials.models import Credential
from cadre.programmes.models import Application, Attendance, Evidence, Session, SteeringMember
from tests.browser import live_database
from tests.browser.axe import follow, visit
from tests.browser.journeys import sign_in, sign_out
from tests.factories import user_with_role

pytestmark = live_database
PASSWORD = "correct horse battery"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


def test_evidence_is_signed_off_and_completion_issues_the_certificate_and_badge(
    page: Page, cohort, org, admin, participants, settings, tmp_path
):
    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path / "media"
    ada, _ben, _cal = participants
    assessor = user_with_role(org, Role.MEMBER, first_name="Asha", last_name="Assessor")
    cohort.assessors.add(assessor)
    steering = user_with_role(org, Role.MEMBER, first_name="Sid", last_name="Steering")
    SteeringMember.objects.create(cohort=cohort, user=steering, role="Chair")
    now = timezone.now()
    for days in (14, 7):
        session = Session.objects.create(
            cohort=cohort,
            title=f"Development day, {days} days ago",
            starts_at=now - timedelta(days=days),
            ends_at=now - timedelta(days=days) + timedelta(hours=6),
        )
        Attendance.objects.create(session=session, application=ada, status=Attendance.Status.PRESENT)
    portfolio = f"/programmes/participants/{ada.pk}/portfolio/"

    # Ada adds evidence for both attributes; a picture called .pdf is refused.
    sign_in(page, email=ada.person.user.email, password=PASSWORD)
    visit(page, portfolio)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your portfolio")
    expect(page.get_by_role("main")).to_contain_text("No evidence signed off yet for Collaborative.")
    follow(page.get_by_role("link", name="Add evidence for Collaborative"))
    page.get_by_label("Title").fill("Bringing two teams together")
    page.get_by_label("Describe your evidence").fill("I led the shared rota review with both teams.")
    page.get_by_label("Attach a file (optional)").set_input_files(
        files=[{"name": "rota.pdf", "mimeType": "application/pdf", "buffer": PNG}]
    )
    follow(page.get_by_role("button", name="Add evidence"))
    expect(page.get_by_role("alert")).to_contain_text("The selected file is called .pdf but its contents are those")
    assert not Evidence.objects.exists()
    page.get_by_label("Attach a file (optional)").set_input_files(
        files=[{"name": "rota.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    follow(page.get_by_role("button", name="Add evidence"))
    expect(page.get_by_role("main")).to_contain_text("has been added for an assessor to read")
    follow(page.get_by_role("link", name="Add evidence for Agile"))
    expect(page.get_by_label("Agile")).to_be_checked()
    page.get_by_label("Title").fill("Changing plans mid-project")
    page.get_by_label("Describe your evidence").fill("When funding moved, I re-planned the project in a week.")
    follow(page.get_by_role("button", name="Add evidence"))
    expect(page.get_by_role("table", name="Evidence for Agile")).to_contain_text("Waiting for an assessor")
    sign_out(page)

    # The steering group chair sees none of it.
    sign_in(page, email=steering.email, password=PASSWORD)
    response = visit(page, portfolio)
    assert response is not None and response.status == 404
    sign_out(page)

    # Asha asks for more on one piece, and signs the other off.
    sign_in(page, email=assessor.email, password=PASSWORD)
    visit(page, f"/programmes/cohorts/{cohort.pk}/assessments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evidence to assess")
    follow(page.get_by_role("link", name="Changing plans mid-project"))
    page.get_by_label("Ask for more").check()
    follow(page.get_by_role("button", name="Save decision"))
    expect(page.get_by_role("alert")).to_contain_text("Say what more is needed")
    page.get_by_label("Ask for more").check()
    page.get_by_label("Note for the participant").fill("Say what the re-planning changed for the people involved.")
    follow(page.get_by_role("button", name="Save decision"))
    expect(page.get_by_role("main")).to_contain_text("is sent back for more")
    follow(page.get_by_role("link", name="Bringing two teams together"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download rota.pdf").click()
    assert download.value.path().read_bytes() == PDF
    page.get_by_label("Sign it off").check()
    follow(page.get_by_role("button", name="Save decision"))
    expect(page.get_by_role("main")).to_contain_text("Nothing is waiting for an assessor.")
    sign_out(page)

    # Ada reads the note and adds more; Asha signs it off.
    sign_in(page, email=ada.person.user.email, password=PASSWORD)
    visit(page, portfolio)
    follow(page.get_by_role("link", name="Changing plans mid-project"))
    expect(page.get_by_role("main")).to_contain_text("Say what the re-planning changed for the people involved.")
    follow(page.get_by_role("link", name="Add more evidence for Agile"))
    page.get_by_label("Title").fill("What the re-planning changed")
    page.get_by_label("Describe your evidence").fill("Nobody lost their post, and the project finished on time.")
    follow(page.get_by_role("button", name="Add evidence"))
    sign_out(page)
    sign_in(page, email=assessor.email, password=PASSWORD)
    visit(page, f"/programmes/cohorts/{cohort.pk}/assessments/")
    follow(page.get_by_role("link", name="What the re-planning changed"))
    page.get_by_label("Sign it off").check()
    follow(page.get_by_role("button", name="Save decision"))
    expect(page.get_by_role("row", name="Ada Participant")).to_contain_text("Ready to complete")
    sign_out(page)

    # The administrator confirms completion, which issues the credential.
    sign_in(page, email=admin.email, password=PASSWORD)
    visit(page, f"/programmes/cohorts/{cohort.pk}/assessments/")
    follow(page.get_by_role("link", name="Confirm completion for Ada Participant"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm completion: Ada Participant")
    follow(page.get_by_role("button", name="Confirm completion"))
    expect(page.get_by_role("main")).to_contain_text("Their certificate and badge have been issued.")
    credential = Credential.objects.get()
    assert Application.objects.get(pk=ada.pk).credential_uuid == credential.id
    sign_out(page)

    # Ada downloads the certificate and opens her badge.
    sign_in(page, email=ada.person.user.email, password=PASSWORD)
    visit(page, portfolio)
    expect(page.get_by_role("main")).to_contain_text("Completed")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    follow(page.get_by_role("link", name="See the badge and how to share it"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Aspiring managers programme")
    expect(page.get_by_role("main")).to_contain_text("This credential is genuine and stands")
