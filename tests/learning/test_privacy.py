"""Personal data: the learning section of a person's export, and erasure that keeps the counts."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cadre.core.models import AuditEntry, Role
from cadre.core.privacy import person_erase, person_export, registered_apps
from cadre.learning import services
from cadre.learning.models import LearningRequest
from tests.factories import user_with_role
from tests.learning.conftest import ask, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(world):
    item = ask(world.person, world.offering, reason="Private reasons about my career")
    services.request_decide(learning_request=item, actor=fresh(world.manager), approve=True, reason="Yes, Sam.")
    return services.completion_record(
        learning_request=item,
        actor=fresh(world.person),
        completed_on=timezone.localdate(),
        evidence="My reflections",
        evidence_file=SimpleUploadedFile("cert.pdf", b"%PDF-1.4\n"),
    )


def test_the_export_holds_the_persons_requests(world, completed):
    assert "learning" in registered_apps()
    org_admin = user_with_role(world.org, Role.ORG_ADMIN)
    document = person_export(person=world.person.person, actor=org_admin)
    json.dumps(document)
    [entry] = document["sections"]["learning"]["requests"]
    assert entry["offering"] == "Leading through change" and entry["status"] == "Completed"
    assert entry["reason"] == "Private reasons about my career" and entry["evidence"] == "My reflections"
    assert entry["evidence_file"] == "cert.pdf" and entry["decided_by"] == "Max Manager"


def test_erasure_removes_reasons_evidence_and_files_but_keeps_the_rows(
    world, completed, _media, django_capture_on_commit_callbacks
):
    org_admin = user_with_role(world.org, Role.ORG_ADMIN)
    stored = Path(_media) / completed.evidence_file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=world.person.person, actor=org_admin)
    completed.refresh_from_db()
    assert completed.status == "completed" and completed.offering == world.offering  # still counted
    assert completed.reason == "(erased)" and completed.evidence == "" and not completed.evidence_file
    assert completed.evidence_file_name == "" and completed.decision_reason == "(erased)"
    assert not stored.exists()
    for entry in AuditEntry.objects.filter(object_id=completed.pk, event__startswith="learning."):
        assert "Sam" not in entry.object_repr and "Smith" not in json.dumps(entry.changes)


def test_erasing_an_approver_removes_their_name_from_decisions(world, completed, django_capture_on_commit_callbacks):
    org_admin = user_with_role(world.org, Role.ORG_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=world.manager.person, actor=org_admin)
    completed.refresh_from_db()
    assert completed.decided_by_name == "(erased)"
    assert LearningRequest.objects.filter(reason="Private reasons about my career").exists()  # Sam's own stay
