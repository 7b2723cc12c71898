"""Recording completion: by the person with evidence (a file checked for what it is), by an
administrator, or by the provider through a personal link; refused for anything not approved."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.models import AuditEntry
from cadre.learning import services
from cadre.learning.evidence import MAX_BYTES
from cadre.learning.models import LearningRequest
from tests.learning.conftest import ask, fresh

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def approved(world):
    item = ask(world.person, world.offering)
    return services.request_decide(learning_request=item, actor=fresh(world.manager), approve=True)


def complete(user, item, *, day=None, evidence="", upload=None):
    return services.completion_record(
        learning_request=item,
        actor=fresh(user),
        completed_on=day or timezone.localdate() - timedelta(days=1),
        evidence=evidence,
        evidence_file=upload,
    )


def test_the_person_records_completion_with_a_file_stored_out_of_reach(world, approved, _media):
    done = complete(
        world.person, approved, evidence="Certificate attached.", upload=SimpleUploadedFile("cert.pdf", PDF)
    )
    done.refresh_from_db()
    assert done.status == "completed" and done.recorded_by == "person"
    assert done.recorded_by_user == world.person and done.recorded_by_name == "Sam Smith"
    assert done.evidence == "Certificate attached." and done.evidence_file_name == "cert.pdf"
    assert done.evidence_content_type == "application/pdf"
    stored = done.evidence_file.name
    assert stored.startswith("learning/evidence/") and stored.endswith(".pdf")
    assert "cert" not in stored
    assert len(stored.split("/")[-1]) >= 30  # a random name, not a guessable one
    assert (Path(_media) / stored).read_bytes() == PDF
    assert AuditEntry.objects.filter(event="learning.completed", object_id=done.pk, actor=world.person).exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.txt", b"I learned to plan a restructure.\n"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
        ("letter.docx", docx_bytes()),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20),
    ],
)
def test_word_images_and_text_are_taken(world, approved, name, content):
    done = complete(world.person, approved, upload=SimpleUploadedFile(name, content))
    assert done.status == "completed" and done.evidence_file_name == name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "must be a PDF, a Word document"),
        ("page.html", b"<html></html>", "must be a PDF, a Word document"),
        ("noending", b"%PDF-1.4", "must be a PDF, a Word document"),
        ("fake.pdf", b"MZ\x90\x00 really a program", "is called .pdf but is not a PDF"),
        ("fake.docx", b"PK\x03\x04 not a zip at all", "is called .docx but is not a Word document"),
        ("fake.png", b"GIF89a", "is called .png but is not an image"),
        ("binary.txt", b"abc\x00def", "is called .txt but is not a text file"),
        ("empty.pdf", b"", "The selected file is empty."),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_and_nothing_is_written(world, approved, _media, name, content, message):
    with pytest.raises(ValidationError, match=message) as error:
        complete(world.person, approved, evidence="See file", upload=SimpleUploadedFile(name, content))
    assert error.value.problems[0].field == "evidence_file"
    approved.refresh_from_db()
    assert approved.status == "approved" and not approved.evidence_file and approved.evidence == ""
    assert stored_files(Path(_media)) == []
    assert not AuditEntry.objects.filter(event="learning.completed").exists()


def test_a_file_of_5_mb_or_more_is_refused(world, approved, _media):
    with pytest.raises(ValidationError, match="smaller than 5 MB"):
        complete(world.person, approved, upload=SimpleUploadedFile("big.pdf", PDF + b"0" * (MAX_BYTES + 1 - len(PDF))))
    approved.refresh_from_db()
    assert approved.status == "approved" and stored_files(Path(_media)) == []
    done = complete(world.person, approved, upload=SimpleUploadedFile("fits.pdf", PDF + b"0" * (MAX_BYTES - len(PDF))))
    assert done.status == "completed"


def test_a_failure_after_the_file_is_stored_removes_it(world, approved, _media, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(services, "audit_event", broken)
    with pytest.raises(RuntimeError):
        complete(world.person, approved, upload=SimpleUploadedFile("cert.pdf", PDF))
    approved.refresh_from_db()
    assert approved.status == "approved" and stored_files(Path(_media)) == []


def test_the_person_must_give_evidence_and_a_real_past_date(world, approved):
    with pytest.raises(ValidationError) as error:
        complete(world.person, approved, day=timezone.localdate() + timedelta(days=1))
    assert {p.field for p in error.value.problems} == {"completed_on", "evidence"}
    with pytest.raises(ValidationError, match="Enter the date it was completed"):
        services.completion_record(
            learning_request=approved, actor=fresh(world.person), completed_on=None, evidence="x"
        )
    approved.refresh_from_db()
    assert approved.status == "approved"


def test_an_administrator_records_completion_without_evidence(world, approved):
    done = complete(world.admin, approved)
    assert done.recorded_by == "administrator" and done.recorded_by_name == "Lee Admin"


def test_managers_and_others_do_not_record_completion(world, approved):
    for user in (world.manager, world.director, world.colleague, world.outsider):
        with pytest.raises(PermissionDenied):
            complete(user, approved, evidence="Seen it")
    approved.refresh_from_db()
    assert approved.status == "approved"


def test_completion_is_refused_unless_the_request_is_approved(world):
    waiting = ask(world.person, world.offering)
    with pytest.raises(ValidationError, match="not been approved yet"):
        complete(world.person, waiting, evidence="Done")
    services.request_decide(learning_request=waiting, actor=fresh(world.manager), approve=False, reason="No budget")
    with pytest.raises(ValidationError, match="declined, so there is no completion"):
        complete(world.person, waiting, evidence="Done")
    with pytest.raises(ValidationError, match="declined"):
        complete(world.admin, waiting)
    cancelled = ask(fresh(world.person), world.offering)
    services.request_cancel(learning_request=cancelled, actor=fresh(world.person))
    with pytest.raises(ValidationError, match="cancelled"):
        complete(world.person, cancelled, evidence="Done")
    again = ask(fresh(world.person), world.offering)
    services.request_decide(learning_request=again, actor=fresh(world.manager), approve=True)
    complete(world.person, again, evidence="Done")
    with pytest.raises(ValidationError, match="already recorded"):
        complete(world.admin, again)
    with pytest.raises(ValidationError, match="completed, so it cannot be cancelled"):
        services.request_cancel(learning_request=again, actor=fresh(world.person))
    assert LearningRequest.objects.filter(status="completed").count() == 1


# -- the provider's personal link -------------------------------------------------------------------


def send_link(world, item, email="trainer@skills.example"):
    return services.provider_link_send(learning_request=item, actor=fresh(world.admin), name="Pat Trainer", email=email)


def test_the_provider_confirms_through_their_link_without_an_account(
    client, world, approved, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_link(world, approved)
    assert mailoutbox[-1].to == ["trainer@skills.example"]
    link = services.provider_link_for(sent)
    assert link in mailoutbox[-1].body and "Sam Smith" in mailoutbox[-1].body
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and "Confirm completion" in page.content.decode()
    response = client.post("/" + path, {"completed_on": "3 2 2025", "name": "", "note": "Attended both days."})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == "completed" and sent.recorded_by == "provider"
    assert sent.recorded_by_name == "Pat Trainer" and sent.recorded_by_user is None
    assert sent.completed_on.isoformat() == "2025-02-03" and sent.evidence == "Attended both days."
    assert AuditEntry.objects.filter(event="learning.completed", object_id=sent.pk, actor=None).exists()
    again = client.get("/" + path).content.decode()
    assert "Completion was recorded on 3 February 2025" in again and "<form" not in again.split("</header>")[-1]


def test_a_tampered_replaced_or_expired_link_does_not_work(client, world, approved):
    sent = send_link(world, approved)
    token = sent.provider_token()
    tampered = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert client.get(f"/learning/provider/{sent.pk}/{tampered}/").status_code == 404
    assert client.post(f"/learning/provider/{sent.pk}/{tampered}/", {"completed_on": "1 1 2025"}).status_code == 404
    assert client.get(f"/learning/provider/{sent.pk + 1}/{token}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.provider_completion_confirm(
            learning_request=sent, token=tampered, completed_on=timezone.localdate(), note=""
        )
    resent = send_link(world, sent, email="other@skills.example")
    assert client.get(f"/learning/provider/{sent.pk}/{token}/").status_code == 404  # the old link stopped
    new_token = resent.provider_token()
    resent.provider_link_expires_at = timezone.now() - timedelta(minutes=1)
    resent.save()
    expired = client.get(f"/learning/provider/{sent.pk}/{new_token}/")
    assert expired.status_code == 410 and "This link has expired" in expired.content.decode()
    response = client.post(f"/learning/provider/{sent.pk}/{new_token}/", {"completed_on": "1 1 2025"})
    assert response.status_code == 410
    with pytest.raises(ValidationError, match="expired"):
        services.provider_completion_confirm(
            learning_request=resent, token=new_token, completed_on=timezone.localdate(), note=""
        )
    sent.refresh_from_db()
    assert sent.status == "approved"


def test_an_unsent_link_never_works(client, world, approved):
    assert client.get(f"/learning/provider/{approved.pk}/{approved.provider_token()}/").status_code == 404


def test_the_provider_page_reports_bad_input(client, world, approved):
    sent = send_link(world, approved)
    path = f"/learning/provider/{sent.pk}/{sent.provider_token()}/"
    future = (timezone.localdate() + timedelta(days=3)).strftime("%d %m %Y")
    for data, message in [
        ({"completed_on": ""}, "Enter the date it was completed."),
        ({"completed_on": "31 2 2025"}, "Enter a real date"),
        ({"completed_on": future}, "must be today or in the past"),
    ]:
        response = client.post(path, data)
        assert response.status_code == 200 and "There is a problem" in response.content.decode()
        assert message in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == "approved"


def test_only_administrators_send_links_and_only_for_approved_requests(client, world):
    item = ask(world.person, world.offering)
    with pytest.raises(ValidationError, match="Only an approved request"):
        send_link(world, item)
    services.request_decide(learning_request=item, actor=fresh(world.manager), approve=True)
    with pytest.raises(ValidationError) as error:
        send_link(world, item, email="not an address")
    assert error.value.problems[0].field == "email"
    for user in (world.manager, world.person):
        with pytest.raises(PermissionDenied):
            services.provider_link_send(learning_request=item, actor=fresh(user), name="", email="a@b.example")
        client.force_login(user)
        assert client.get(f"/learning/requests/{item.pk}/provider-link/").status_code == 404
    item.refresh_from_db()
    assert item.provider_link_sent_at is None
    client.force_login(world.admin)
    response = client.post(f"/learning/requests/{item.pk}/provider-link/", {"name": "Pat", "email": "pat@x.example"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.provider_email == "pat@x.example" and item.provider_link_expires_at > timezone.now() + timedelta(
        days=29
    )
