"""Portfolios and completion: evidence files checked by their contents (and nothing left on disk when
refused), who sees and assesses what, the completion rules one by one, the credential issued once,
the pages' query counts, and programme places in the learning record."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.models import Role
from cadre.credentials.models import Credential
from cadre.programmes.models import Application, Attendance, Evidence, Session, SteeringMember
from cadre.programmes.services import portfolio
from cadre.programmes.services.portfolio import (
    application_complete,
    completion_problems,
    evidence_assess,
    evidence_submit,
)
from tests.factories import OrganisationFactory, user_with_role
from tests.programmes.fixtures import applicant

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def docx_bytes(*, macros: bool = False, word: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if word:
            archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00\x01")
    return buffer.getvalue()


PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
TEXT = "Notes from the rota review: we agreed a fairer pattern. Café.".encode()
KINDS = {
    "report.pdf": (PDF, "application/pdf"),
    "reflection.docx": (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "photo.png": (PNG, "image/png"),
    "whiteboard.jpeg": (JPEG, "image/jpeg"),
    "whiteboard.JPG": (JPEG, "image/jpeg"),
    "notes.txt": (TEXT, "text/plain; charset=utf-8"),
}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def ada(participants):
    return participants[0]


@pytest.fixture
def ben(participants):
    return participants[1]


@pytest.fixture
def assessor(cohort, org):
    user = user_with_role(org, Role.MEMBER, first_name="Asha", last_name="Assessor")
    cohort.assessors.add(user)
    return user


@pytest.fixture
def steering_member(cohort, org):
    user = user_with_role(org, Role.MEMBER, first_name="Sid", last_name="Steering")
    SteeringMember.objects.create(cohort=cohort, user=user, role="Chair")
    return user


def submit(application, key="collaborative", title="Rota review", text="I brought two teams together.", file=None):
    return evidence_submit(
        application=application, actor=application.person.user, key=key, title=title, text=text, file=file
    )


def sessions(cohort, *, past: int, future: int = 0, cancelled: int = 0) -> list[Session]:
    now = timezone.now()
    made = []
    for n in range(past + future + cancelled):
        starts = now - timedelta(days=past - n + 1) if n < past else now + timedelta(days=n + 1)
        made.append(
            Session.objects.create(
                cohort=cohort,
                title=f"Session {n + 1}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                cancelled=n >= past + future,
            )
        )
    return made


def attend(application, held, statuses):
    for session, status in zip(held, statuses, strict=False):
        Attendance.objects.create(session=session, application=application, status=status)


def ready_to_complete(application, assessor):
    """Attends every session held and has both attributes signed off."""
    held = sessions(application.cohort, past=2)
    attend(application, held, [Attendance.Status.PRESENT] * 2)
    for key in ("collaborative", "agile"):
        evidence_assess(evidence=submit(application, key=key), actor=assessor, signed_off=True)
    return Application.objects.get(pk=application.pk)


# -- files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(KINDS))
def test_each_allowed_kind_is_stored_and_served_as_a_download(client, ada, media, name):
    content, content_type = KINDS[name]
    evidence = submit(ada, text="", file=upload(name, content))
    assert evidence.file_name == name
    assert [p.read_bytes() for p in stored_files(media)] == [content]
    assert evidence.file.name.startswith(f"evidence/{ada.cohort_id}/")
    client.force_login(ada.person.user)
    response = client.get(reverse("programmes:evidence_file", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/media/{evidence.file.name}").status_code == 404  # never served directly


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "is called .pdf but its contents are not a PDF"),
        ("photo.pdf", PNG, "is called .pdf but its contents are those of a PNG image"),
        ("report.png", PDF, "is called .png but its contents are those of a PDF"),
        ("page.txt", b"<html>\x00\x01</html>", "is called .txt but its contents are not a plain text file"),
        ("latin1.txt", "Caf\u00e9".encode("latin-1"), "is called .txt but its contents are not a plain text file"),
        ("archive.docx", docx_bytes(word=False), "is called .docx but its contents are not a Word document"),
        ("macros.docx", docx_bytes(macros=True), "is called .docx but its contents are not a Word document"),
        ("notes.jpg", TEXT, "is called .jpg but its contents are those of a plain text file"),
        ("run.exe", b"MZ\x90\x00", "must be a PDF, a Word document (.docx), a PNG or JPEG image, or a plain text"),
        ("page.html", b"<html></html>", "must be a PDF, a Word document (.docx), a PNG or JPEG image"),
        ("no-ending", PDF, "must be a PDF, a Word document (.docx), a PNG or JPEG image"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8, "older Word document (.doc). Save it as .docx"),
        ("empty.pdf", b"", "The selected file is empty."),
        ("huge.txt", b"a" * (10 * MB + 1), "The selected file must be smaller than 10 MB."),
    ],
)
def test_a_wrong_or_oversized_file_is_refused_and_nothing_is_stored(ada, media, name, content, message):
    with pytest.raises(ValidationError) as error:
        submit(ada, file=upload(name, content))
    assert [p.field for p in error.value.problems] == ["file"]
    assert message in error.value.problems[0].message
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_a_file_of_exactly_ten_megabytes_is_taken(ada, media):
    submit(ada, file=upload("long.txt", b"a" * (10 * MB)))
    assert len(stored_files(media)) == 1


def test_the_file_is_deleted_when_the_transaction_fails(ada, media, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(portfolio, "audit_event", broken)
    with pytest.raises(RuntimeError):
        submit(ada, file=upload("report.pdf", PDF))
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_a_participant_who_withdrew_meanwhile_stores_nothing(ada, media):
    Application.objects.filter(pk=ada.pk).update(status=Application.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="while taking part"):
        submit(ada, file=upload("report.pdf", PDF))  # `ada` still says accepted
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_the_page_shows_a_bad_file_in_the_error_summary(client, ada, media):
    client.force_login(ada.person.user)
    url = reverse("programmes:evidence_new", args=[ada.pk])
    response = client.post(
        url, {"key": "agile", "title": "Sprint review", "file": upload("photo.pdf", PNG)}, format="multipart"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "is called .pdf but its contents are those of a PNG image" in page
    assert 'href="#id_file"' in page
    assert not Evidence.objects.exists()
    assert stored_files(media) == []
    response = client.post(url, {"key": "agile", "title": "Sprint review", "file": upload("review.pdf", PDF)})
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:portfolio", args=[ada.pk])
    assert Evidence.objects.get().file_name == "review.pdf"


# -- submitting -----------------------------------------------------------------------------------


def test_evidence_needs_an_attribute_a_title_and_text_or_a_file(ada):
    with pytest.raises(ValidationError) as error:
        submit(ada, key="not-an-attribute", title="  ", text="")
    assert {(p.field, p.message) for p in error.value.problems} == {
        ("key", "Choose the attribute this evidence shows."),
        ("title", "Enter a title for the evidence."),
        ("text", "Describe your evidence, attach a file, or both."),
    }
    with pytest.raises(ValidationError, match="200 characters or fewer"):
        submit(ada, title="x" * 201)
    assert not Evidence.objects.exists()


def test_only_the_participant_adds_evidence_and_only_while_taking_part(ada, ben, admin, participants):
    with pytest.raises(PermissionDenied):
        evidence_submit(application=ada, actor=ben.person.user, key="agile", title="Mine", text="Not mine.")
    with pytest.raises(PermissionDenied):
        evidence_submit(application=ada, actor=admin, key="agile", title="For her", text="On her behalf.")
    cal = participants[2]
    assert cal.status == Application.Status.WAITING
    with pytest.raises(ValidationError, match="while taking part"):
        submit(cal)
    assert not Evidence.objects.exists()


def test_the_selection_criteria_stand_in_when_the_programme_names_no_evidence_attributes(ada, programme):
    programme.evidence_attributes = []
    programme.selection_attributes = ["agile"]
    programme.save()
    ada.cohort.programme = programme
    with pytest.raises(ValidationError):
        submit(ada, key="collaborative")
    assert submit(ada, key="agile").key == "agile"


# -- assessing ------------------------------------------------------------------------------------


def test_an_assessor_signs_off_and_the_participant_is_emailed(
    ada, assessor, mailoutbox, django_capture_on_commit_callbacks
):
    evidence = submit(ada)
    with django_capture_on_commit_callbacks(execute=True):
        evidence_assess(evidence=evidence, actor=assessor, signed_off=True)
    evidence.refresh_from_db()
    assert (evidence.status, evidence.assessor, evidence.assessed_at is not None) == (
        Evidence.Status.SIGNED_OFF,
        assessor,
        True,
    )
    assert [m.to for m in mailoutbox] == [[ada.person.email]]
    assert "signed off" in mailoutbox[0].body
    assert reverse("programmes:evidence", args=[evidence.pk]) in mailoutbox[0].body
    with pytest.raises(ValidationError, match="already been assessed: signed off"):
        evidence_assess(evidence=evidence, actor=assessor, signed_off=False, note="Changed my mind.")


def test_asking_for_more_needs_a_note_and_the_participant_adds_more(
    ada, admin, mailoutbox, django_capture_on_commit_callbacks
):
    evidence = submit(ada)
    with pytest.raises(ValidationError) as error:
        evidence_assess(evidence=evidence, actor=admin, signed_off=False, note="  ")
    assert error.value.problems[0].field == "note"
    with pytest.raises(ValidationError, match="Choose whether"):
        evidence_assess(evidence=evidence, actor=admin, signed_off=None)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        evidence_assess(evidence=evidence, actor=admin, signed_off=False, note="Say what changed for the teams.")
    assert "Say what changed for the teams." in mailoutbox[0].body
    more = submit(ada, title="What changed", text="Sickness absence fell by a third.")
    assert more.status == Evidence.Status.SUBMITTED
    assert list(Evidence.objects.filter(application=ada).values_list("status", flat=True)) == [
        Evidence.Status.MORE_NEEDED,
        Evidence.Status.SUBMITTED,
    ]


def test_nobody_assesses_their_own_evidence_and_steering_members_never_assess(
    cohort, org, admin, manager, ada, ben, steering_member
):
    # An administrator who is also a participant cannot sign off their own evidence.
    ada_admin = ada.person.user
    from cadre.core.models import Membership

    Membership.objects.create(user=ada_admin, organisation=org, role=Role.LD_ADMIN)
    evidence = submit(ada)
    ada_admin = type(ada_admin).objects.get(pk=ada_admin.pk)
    with pytest.raises(PermissionDenied):
        evidence_assess(evidence=evidence, actor=ada_admin, signed_off=True)
    # A steering group member named as an assessor as well is still refused.
    cohort.assessors.add(steering_member)
    with pytest.raises(PermissionDenied):
        evidence_assess(evidence=evidence, actor=steering_member, signed_off=True)
    for someone in (ben.person.user, manager):
        with pytest.raises(PermissionDenied):
            evidence_assess(evidence=evidence, actor=someone, signed_off=True)
    assert Evidence.objects.get().status == Evidence.Status.SUBMITTED


# -- who sees what --------------------------------------------------------------------------------


def _pages(application, evidence):
    return {
        "portfolio": reverse("programmes:portfolio", args=[application.pk]),
        "evidence_new": reverse("programmes:evidence_new", args=[application.pk]),
        "evidence": reverse("programmes:evidence", args=[evidence.pk]),
        "file": reverse("programmes:evidence_file", args=[evidence.pk]),
        "assessments": reverse("programmes:assessments", args=[application.cohort_id]),
        "completion": reverse("programmes:completion", args=[application.pk]),
    }


ALL = {"portfolio", "evidence_new", "evidence", "file", "assessments", "completion"}


@pytest.mark.parametrize(
    ("who", "reaches"),
    [
        ("participant", {"portfolio", "evidence_new", "evidence", "file"}),
        ("assessor", {"portfolio", "evidence", "file", "assessments"}),
        ("admin", {"portfolio", "evidence", "file", "assessments", "completion"}),
        ("steering", set()),
        ("steering_assessor", set()),
        ("other_participant", set()),
        ("line_manager", set()),
        ("other_organisation", set()),
    ],
)
def test_who_reaches_which_portfolio_page(client, ada, ben, admin, manager, assessor, steering_member, who, reaches):
    evidence = submit(ada, file=upload("report.pdf", PDF))
    if who == "steering_assessor":
        ada.cohort.assessors.add(steering_member)
    other_admin = user_with_role(OrganisationFactory(), Role.LD_ADMIN)
    user = {
        "participant": ada.person.user,
        "assessor": assessor,
        "admin": admin,
        "steering": steering_member,
        "steering_assessor": steering_member,
        "other_participant": ben.person.user,
        "line_manager": manager,
        "other_organisation": other_admin,
    }[who]
    client.force_login(user)
    statuses = {name: client.get(url).status_code for name, url in _pages(ada, evidence).items()}
    assert statuses == {name: 200 if name in reaches else 404 for name in ALL}


def test_a_steering_member_cannot_post_either(client, ada, steering_member, media):
    evidence = submit(ada)
    client.force_login(steering_member)
    pages = _pages(ada, evidence)
    assert client.post(pages["evidence"], {"decision": "signed_off"}).status_code == 404
    assert client.post(pages["completion"]).status_code == 404
    assert client.post(pages["evidence_new"], {"key": "agile", "title": "x", "text": "y"}).status_code == 404
    assert Evidence.objects.get().status == Evidence.Status.SUBMITTED


def test_the_assessor_decides_on_the_evidence_page(client, ada, assessor, django_capture_on_commit_callbacks):
    evidence = submit(ada)
    client.force_login(assessor)
    url = reverse("programmes:evidence", args=[evidence.pk])
    page = client.get(url).content.decode()
    assert "Assess this evidence" in page
    response = client.post(url, {"decision": "more_needed", "note": ""})
    assert response.status_code == 200
    assert "Say what more is needed" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "signed_off", "note": "Clear and specific."})
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SIGNED_OFF
    assert "Assess this evidence" not in client.get(url).content.decode()
    # The participant sees the decision and no form.
    client.force_login(ada.person.user)
    page = client.get(url).content.decode()
    assert "Clear and specific." in page
    assert "Assess this evidence" not in page


# -- completion -----------------------------------------------------------------------------------


def test_each_unmet_rule_is_listed(ada, assessor):
    problems = completion_problems(ada)
    assert [p.field for p in problems] == ["attendance", "evidence-collaborative", "evidence-agile"]
    assert "No sessions have taken place yet" in problems[0].message
    held = sessions(ada.cohort, past=4, future=3, cancelled=2)
    attend(ada, held, [Attendance.Status.PRESENT, Attendance.Status.APOLOGIES, Attendance.Status.ABSENT])
    problems = completion_problems(ada)
    assert problems[0].message == (
        "Attended 1 of 4 sessions so far (25%): at least 50% must be attended."
    )  # apologies and absences do not count; future and cancelled sessions are not held
    evidence_assess(evidence=submit(ada, key="collaborative"), actor=assessor, signed_off=True)
    evidence_assess(evidence=submit(ada, key="agile"), actor=assessor, signed_off=False, note="More, please.")
    submit(ada, key="agile", title="Waiting")
    assert [p.message for p in completion_problems(ada)][1:] == ["No evidence signed off yet for Agile."]
    Attendance.objects.filter(application=ada, status=Attendance.Status.APOLOGIES).update(
        status=Attendance.Status.PRESENT
    )
    assert [p.field for p in completion_problems(ada)] == ["evidence-agile"]


def test_no_attendance_rule_when_the_programme_sets_none(ada, programme):
    programme.min_attendance_percent = 0
    programme.evidence_attributes = []
    programme.save()
    ada.cohort.programme = programme
    assert completion_problems(ada) == []


def test_completion_issues_one_credential_and_is_refused_the_second_time(
    ada, admin, assessor, mailoutbox, django_capture_on_commit_callbacks
):
    ada = ready_to_complete(ada, assessor)
    assert completion_problems(ada) == []
    with pytest.raises(PermissionDenied):
        application_complete(application=ada, actor=assessor)  # assessors do not confirm completion
    with django_capture_on_commit_callbacks(execute=True):
        application_complete(application=ada, actor=admin)
    ada.refresh_from_db()
    credential = Credential.objects.get()
    assert ada.status == Application.Status.COMPLETED
    assert ada.completed_at is not None
    assert ada.credential_uuid == credential.id
    assert (credential.achievement_name, credential.person, credential.organisation) == (
        "Aspiring managers programme",
        ada.person,
        ada.cohort.organisation,
    )
    assert credential.recipient_name == ada.person.full_name
    assert "at least 50% of the cohort's sessions (2 of 2)" in credential.criteria
    assert "Collaborative, Agile" in credential.criteria
    assert any(m.to == [ada.person.email] for m in mailoutbox)
    with pytest.raises(ValidationError, match="already completed"):
        application_complete(application=ada, actor=admin)
    stale = Application.objects.get(pk=ada.pk)
    stale.status = Application.Status.ACCEPTED  # as another tab might still think
    with pytest.raises(ValidationError, match="already completed"):
        application_complete(application=stale, actor=admin)
    assert Credential.objects.count() == 1
    # The portfolio is closed once complete.
    with pytest.raises(ValidationError, match="portfolio is closed"):
        submit(ada)


def test_completion_with_unmet_rules_writes_nothing(ada, admin):
    with pytest.raises(ValidationError) as error:
        application_complete(application=ada, actor=admin)
    assert len(error.value.problems) == 3
    ada.refresh_from_db()
    assert (ada.status, ada.completed_at, ada.credential_uuid) == (Application.Status.ACCEPTED, None, None)
    assert not Credential.objects.exists()


def test_a_failed_credential_undoes_the_completion(ada, admin, assessor, monkeypatch):
    ada = ready_to_complete(ada, assessor)
    from cadre.credentials import services as credential_services

    def refuse(**kwargs):
        raise ValidationError("The credential would not meet the Open Badges 3.0 schema.")

    monkeypatch.setattr(credential_services, "credential_issue", refuse)
    with pytest.raises(ValidationError, match="Open Badges"):
        application_complete(application=ada, actor=admin)
    ada.refresh_from_db()
    assert (ada.status, ada.credential_uuid) == (Application.Status.ACCEPTED, None)


def test_nobody_confirms_their_own_completion(ada, org, assessor):
    from cadre.core.models import Membership

    Membership.objects.create(user=ada.person.user, organisation=org, role=Role.LD_ADMIN)
    ada = ready_to_complete(ada, assessor)
    me = type(ada.person.user).objects.get(pk=ada.person.user_id)
    with pytest.raises(PermissionDenied):
        application_complete(application=ada, actor=me)
    assert not Credential.objects.exists()


def test_the_completion_page_shows_unmet_rules_then_confirms(client, ada, admin, assessor):
    client.force_login(admin)
    url = reverse("programmes:completion", args=[ada.pk])
    page = client.get(url).content.decode()
    assert "Not met yet" in page
    assert "No evidence signed off yet for Collaborative." in page
    assert "Confirm completion</button>" not in page
    response = client.post(url)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Credential.objects.exists()
    ready_to_complete(ada, assessor)
    assert "Confirm completion</button>" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    credential = Credential.objects.get()
    page = client.get(reverse("programmes:portfolio", args=[ada.pk])).content.decode()
    assert reverse("credentials:pdf", args=[credential.id]) in page
    assert reverse("credentials:credential", args=[credential.id]) in page
    response = client.post(url)
    assert "already completed" in response.content.decode()
    assert Credential.objects.count() == 1


# -- pages and their queries ----------------------------------------------------------------------


def test_the_portfolio_page_shows_progress_and_what_is_needed(client, ada, assessor):
    held = sessions(ada.cohort, past=3)
    attend(ada, held, [Attendance.Status.PRESENT])
    evidence_assess(evidence=submit(ada, key="collaborative", title="Rota review"), actor=assessor, signed_off=True)
    client.force_login(ada.person.user)
    page = client.get(reverse("programmes:portfolio", args=[ada.pk])).content.decode()
    assert "Your portfolio" in page
    assert "Attended 1 of 3 sessions held so far (33%)" in page
    assert "Attended 1 of 3 sessions so far (33%): at least 50% must be attended." in page
    assert "No evidence signed off yet for Agile." in page
    assert "Rota review" in page
    assert "Add evidence for Agile" in page
    assert "Add evidence for Collaborative" not in page  # signed off already


@pytest.mark.parametrize("pieces", [1, 6])
def test_the_portfolio_page_takes_a_fixed_number_of_queries(client, ada, assessor, pieces, django_assert_num_queries):
    held = sessions(ada.cohort, past=pieces)
    attend(ada, held, [Attendance.Status.PRESENT] * pieces)
    for n in range(pieces):
        evidence = submit(ada, key=("collaborative", "agile")[n % 2], title=f"Piece {n}")
        if n % 3 == 0:
            evidence_assess(evidence=evidence, actor=assessor, signed_off=True)
    client.force_login(assessor)
    url = reverse("programmes:portfolio", args=[ada.pk])
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("people", [2, 6])
def test_the_assessments_page_takes_a_fixed_number_of_queries(
    client, cohort, org, manager, admin, ada, ben, people, django_assert_num_queries
):
    applications = [ada, ben]
    for n in range(people - 2):
        user = applicant(org, manager, first_name=f"Extra{n}")
        applications.append(
            Application.objects.create(
                cohort=cohort, organisation=org, person=user.person, status=Application.Status.ACCEPTED
            )
        )
    held = sessions(cohort, past=2)
    for application in applications:
        attend(application, held, [Attendance.Status.PRESENT])
        submit(application, title=f"From {application.person.first_name}")
    client.force_login(admin)
    url = reverse("programmes:assessments", args=[cohort.pk])
    with django_assert_num_queries(9):
        response = client.get(url)
    page = response.content.decode()
    assert page.count(reverse("programmes:portfolio", args=[ada.pk])) == 1
    assert all(f"From {a.person.first_name}" in page for a in applications)


# -- the learning record --------------------------------------------------------------------------


def test_programme_places_appear_in_the_learning_record(ada, admin, assessor):
    from cadre.learning.record import record_for, registered_sources
    from cadre.programmes.record import programme_places

    assert programme_places in registered_sources()
    entry = next(e for e in record_for(ada.person) if e.source == "programme")
    assert (entry.title, entry.status, entry.label) == ("Aspiring managers programme", "approved", "Taking part")
    assert entry.url == reverse("programmes:portfolio", args=[ada.pk])
    assert ada.cohort.name in entry.duration
    ada = ready_to_complete(ada, assessor)
    application_complete(application=ada, actor=admin)
    entry = next(e for e in record_for(ada.person) if e.source == "programme")
    credential = Credential.objects.get()
    assert (entry.status, entry.completed_on) == ("completed", timezone.localdate())
    assert entry.extra["certificate_url"] == reverse("credentials:pdf", args=[credential.id])
    assert entry.url == reverse("credentials:credential", args=[credential.id])
    assert entry.attributes == ("Collaborative", "Agile")


# -- at the same moment (PostgreSQL) --------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_administrators_confirming_at_once_issue_one_credential(ada, admin, org, assessor):
    import threading

    from django.db import connection

    ada = ready_to_complete(ada, assessor)
    other_admin = user_with_role(org, Role.LD_ADMIN)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def confirm(actor) -> None:
        try:
            barrier.wait()
            application_complete(application=Application.objects.get(pk=ada.pk), actor=actor)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(actor,)) for actor in (admin, other_admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(o == "ok" for o in outcomes) == [False, True], outcomes
    assert any("already completed" in o for o in outcomes)
    assert Credential.objects.count() == 1
    assert Application.objects.get(pk=ada.pk).credential_uuid == Credential.objects.get().id
