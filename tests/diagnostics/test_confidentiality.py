"""A rater's answers cannot be traced to the rater: not by the person asked about, not by their
line manager, not through the admin, the audit log, a personal-data export or erasure."""

import json
import re

import pytest

from cadre.core.models import AuditEntry, Role
from cadre.core.privacy import person_erase, person_export
from cadre.diagnostics import services
from cadre.diagnostics.models import Rating, Response
from tests.diagnostics.test_reports import run_360
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

SECRET = "Only Pat would say this about Sam"


@pytest.fixture
def subject(admin, org, subject_user):
    subject = run_360(
        admin, org, subject_user.person, {"peer": [2, 4, 5]}, comments={("peer", 0): SECRET}, release=True
    )
    return subject


def test_no_page_the_subject_or_manager_can_reach_pairs_a_rater_with_their_answers(
    client, subject, subject_user, manager
):
    services.report_share(subject=subject, actor=subject_user, manager=True, ld=False)
    urls = [
        "/",
        "/diagnostics/",
        f"/diagnostics/360/{subject.pk}/raters/",
        f"/diagnostics/360/{subject.pk}/approve/",
        f"/diagnostics/360/{subject.pk}/report/",
        f"/diagnostics/360/{subject.pk}/report.csv",
        "/diagnostics/self/compare/",
    ]
    for reader in (subject_user, manager):
        client.force_login(reader)
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            text = response.content.decode()
            for response_row in subject.responses.exclude(group="self"):
                if response_row.email in text:
                    # Where a rater is named (the subject's own list of who they asked), nothing
                    # about their answers is: no ratings, no comments, not whether they answered.
                    assert SECRET not in text, url
                    assert "submitted" not in text.lower() and "answered" not in text.lower(), url
            # Comments in the report are never next to a name.
            if SECRET in text:
                assert not re.search(r"(peer \d|@example\.org)", text), url


def test_the_admin_has_no_list_of_responses_ratings_or_comments(admin_client, subject):
    for model in ("response", "rating", "comment"):
        assert admin_client.get(f"/admin/diagnostics/{model}/").status_code == 404
    index = admin_client.get("/admin/diagnostics/").content.decode()
    assert "Campaigns" in index and "Responses" not in index and "Ratings" not in index
    campaigns = admin_client.get("/admin/diagnostics/campaign/").content.decode()
    subjects = admin_client.get(f"/admin/diagnostics/subject/{subject.pk}/change/").content.decode()
    for text in (campaigns, subjects):
        assert "peer0@example.org" not in text and SECRET not in text


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_the_audit_log_records_campaign_events_and_never_a_rater_or_an_answer(subject):
    entries = AuditEntry.objects.all()
    assert entries.filter(event="campaign.launched").exists()
    for entry in entries:
        text = json.dumps(entry.changes) + (entry.object_repr or "")
        assert not re.search(r"peer\d@example\.org", text) and SECRET not in text
        assert entry.content_type.model not in {"response", "rating", "comment"}


def test_a_raters_personal_data_export_says_they_were_asked_but_not_what_they_said(admin, org, subject):
    rater = PersonFactory(organisation=org, email="peer0@example.org")
    document = json.dumps(person_export(person=rater, actor=admin))
    assert '"answered": true' in document
    assert SECRET not in document and '"answer"' not in document


def test_erasing_a_rater_removes_their_identity_and_keeps_the_figures(admin, org, subject):
    rater = PersonFactory(organisation=org, email="peer0@example.org")
    ratings = Rating.objects.count()
    person_erase(person=rater, actor=admin)
    assert not Response.objects.filter(email="peer0@example.org").exists()
    assert Rating.objects.count() == ratings


def test_a_subject_cannot_withdraw_an_invited_rater_which_would_show_who_has_answered(client, subject_user, org, admin):
    other = run_360(admin, org, subject_user.person, {"peer": [3, 3, 3]}, release=False)
    response = other.responses.exclude(group="self").first()
    client.force_login(subject_user)
    page = client.get(f"/diagnostics/360/{other.pk}/raters/").content.decode()
    assert "Remove" not in page
    refused = client.post(f"/diagnostics/360/{other.pk}/raters/{response.pk}/withdraw/", follow=True)
    assert "This rater has been invited, so they stay on the list." in refused.content.decode()


def test_another_organisation_sees_nothing(client, subject):
    outsider = user_with_role(OrganisationFactory(), Role.LD_ADMIN)
    client.force_login(outsider)
    for url in (
        f"/diagnostics/360/{subject.pk}/raters/",
        f"/diagnostics/360/{subject.pk}/report/",
        f"/diagnostics/360/{subject.pk}/report.pdf",
        f"/diagnostics/campaigns/{subject.campaign_id}/",
    ):
        assert client.get(url).status_code == 404, url
