"""The 360 report at every surface (page, PDF, CSV, API later), who may read it, and its query count."""

import csv
import io
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.core.models import Role
from cadre.diagnostics import services
from cadre.diagnostics.models import Response
from cadre.diagnostics.reports import report_for
from tests.factories import OrganisationFactory, PersonFactory, user_with_role

pytestmark = pytest.mark.django_db

WITHHELD_COMMENT = "A remark only the two direct reports made"
SHOWN_COMMENT = "Brings people together"


def run_360(admin, org, person, raters: dict[str, list[int]], *, comments=None, release=True):
    """A closed 360 whose raters, by group, gave the ratings listed (one value for every item)."""
    version = person.tier.version
    plan = services.CampaignPlan(
        name="Spring 360", version=version, people=[person], closes_on=timezone.localdate() + timedelta(days=7)
    )
    campaign = services.campaign_create(organisation=org, actor=admin, plan=plan)
    subject = campaign.subjects.get()
    made = []
    for group, values in raters.items():
        for n, value in enumerate(values):
            response = services.rater_nominate(
                subject=subject, actor=admin, group=group, name=f"{group} {n}", email=f"{group}{n}@example.org"
            )
            made.append((response, value))
    services.nominations_submit(subject=subject, actor=admin)
    services.campaign_launch(campaign=campaign, actor=admin)
    items = list(campaign.items.values_list("pk", "attribute_id"))
    self_response = subject.responses.get(group="self")
    services.answers_save(response=self_response, ratings={pk: 5 for pk, _a in items}, submit=True)
    for response, value in made:
        said = {}
        for (group, _n), text in (comments or {}).items():
            if group == response.group:
                said[(items[0][1], "strengths")] = text
        response.refresh_from_db()
        services.answers_save(response=response, ratings={pk: value for pk, _a in items}, comments=said, submit=True)
    services.campaign_close(campaign=campaign, actor=admin)
    if release:
        services.report_release(subject=subject, actor=admin)
    subject.refresh_from_db()
    return subject


@pytest.fixture
def subject(admin, org, subject_user):
    return run_360(
        admin,
        org,
        subject_user.person,
        {"line_manager": [4], "peer": [3, 4, 5], "direct_report": [1, 1]},
        comments={("peer", 0): SHOWN_COMMENT, ("direct_report", 0): WITHHELD_COMMENT},
    )


def test_the_report_shows_only_groups_at_their_threshold(subject):
    report = report_for(subject)
    # The line manager (1 of 3) and direct reports (2 of 3) are each withheld, and together reach 3.
    assert [c.label for c in report.columns] == ["Peers", "Combined: line manager, direct reports"]
    assert report.combined_of == ["Line manager", "Direct reports"] and report.withheld == []


def test_a_withheld_group_feeds_nothing(admin, org, subject_user):
    subject = run_360(
        admin,
        org,
        subject_user.person,
        {"peer": [3, 4, 5], "direct_report": [1, 1]},
        comments={("peer", 0): SHOWN_COMMENT, ("direct_report", 0): WITHHELD_COMMENT},
    )
    report = report_for(subject)
    assert [c.label for c in report.columns] == ["Peers"]
    assert report.withheld == ["Direct reports"] and report.combined_of == []
    for row in report.attributes:
        # "Everyone else" is the peers alone: the direct reports' ratings are in no figure.
        assert row.others == row.groups[0] and row.others.count == 3
    texts = [t for row in report.attributes for ts in row.comments.values() for t in ts]
    assert SHOWN_COMMENT in texts and WITHHELD_COMMENT not in texts


def test_two_withheld_groups_reaching_the_threshold_together_combine(admin, org, subject_user):
    subject = run_360(admin, org, subject_user.person, {"peer": [4, 4, 4], "partner": [2], "direct_report": [2, 2]})
    report = report_for(subject)
    assert [c.label for c in report.columns] == ["Peers", "Combined: direct reports, partners and stakeholders"]
    assert report.withheld == []
    assert report.attributes[0].others.count == 6


def surfaces(client, subject) -> dict[str, str]:
    page = client.get(f"/diagnostics/360/{subject.pk}/report/")
    csv_file = client.get(f"/diagnostics/360/{subject.pk}/report.csv")
    pdf = client.get(f"/diagnostics/360/{subject.pk}/report.pdf")
    assert page.status_code == csv_file.status_code == pdf.status_code == 200
    text = {"page": page.content.decode(), "csv": csv_file.content.decode()}
    assert pdf.content.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
        assert re.search(r"Tagged:\s+yes", info)  # headings and tables readable by screen readers
    if shutil.which("pdftotext"):
        text["pdf"] = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
        ).stdout.decode()
    return text


def test_every_surface_leaves_out_the_withheld_group(client, admin, org, subject_user):
    subject = run_360(
        admin,
        org,
        subject_user.person,
        {"peer": [3, 4, 5], "direct_report": [1, 1]},
        comments={("peer", 0): SHOWN_COMMENT, ("direct_report", 0): WITHHELD_COMMENT},
    )
    client.force_login(subject_user)
    for surface, text in surfaces(client, subject).items():
        assert WITHHELD_COMMENT not in text, surface
        assert "direct_report0@example.org" not in text and "direct_report 0" not in text, surface
        assert "Peers" in text, surface
    rows = list(csv.reader(io.StringIO(surfaces(client, subject)["csv"])))
    assert rows[0] == ["attribute", "item", "group", "mean", "count", "spread"]
    assert {r[2] for r in rows[1:]} == {"Self", "Peers", "Everyone else"}
    assert all(r[3] != "1.00" for r in rows[1:] if r[2] != "Self")


def test_who_reads_a_report(client, admin, org, subject_user, manager):
    subject = run_360(admin, org, subject_user.person, {"peer": [3, 4, 5]}, release=False)
    url = f"/diagnostics/360/{subject.pk}/report/"
    client.force_login(subject_user)
    assert client.get(url).status_code == 404  # not released yet
    for reader in [manager, admin, user_with_role(OrganisationFactory(), Role.LD_ADMIN)]:
        client.force_login(reader)
        assert client.get(url).status_code == 404
    services.report_release(subject=subject, actor=admin)
    client.force_login(subject_user)
    assert client.get(url).status_code == 200
    client.force_login(manager)
    assert client.get(url).status_code == 404
    assert client.get(url.replace("report/", "report.csv")).status_code == 404
    client.force_login(subject_user)
    client.post(url + "share/", {"manager": "on"})
    client.force_login(manager)
    assert client.get(url).status_code == 200
    client.force_login(admin)
    assert client.get(url).status_code == 404  # shared with the line manager only
    # Only the subject decides who reads it.
    assert client.post(url + "share/", {"ld": "on"}).status_code == 404


def test_the_debrief_coach_reads_it_before_it_is_released(client, admin, org, subject_user):
    coach = user_with_role(org, Role.MEMBER)
    subject = run_360(admin, org, subject_user.person, {"peer": [3, 4, 5]}, release=False)
    services.debrief_coach_set(subject=subject, actor=admin, coach=coach.person)
    client.force_login(coach)
    assert client.get(f"/diagnostics/360/{subject.pk}/report/").status_code == 200


def test_the_report_page_takes_the_same_queries_whatever_the_number_of_raters(
    client, admin, org, subject_user, django_assert_num_queries
):
    run_360(admin, org, subject_user.person, {"peer": [4, 4, 4]})  # so both below have a previous 360
    small = run_360(admin, org, subject_user.person, {"peer": [3, 4, 5]})
    client.force_login(subject_user)
    client.get(f"/diagnostics/360/{small.pk}/report/")  # warm the caches
    with django_assert_num_queries(REPORT_QUERIES):
        assert client.get(f"/diagnostics/360/{small.pk}/report/").status_code == 200
    large = run_360(
        admin, org, subject_user.person, {"peer": [3, 4, 5, 2, 4, 5, 1, 3], "direct_report": [4] * 12, "other": [2] * 9}
    )
    assert Response.objects.filter(subject=large, status="submitted").count() == 30
    with django_assert_num_queries(REPORT_QUERIES + 0):
        assert client.get(f"/diagnostics/360/{large.pk}/report/").status_code == 200


# The session, the user, the subject (with campaign, person, tier), the reader's person (twice:
# may read, and is it the subject), the report's own: the subject again with its version, items,
# responses, ratings, comments, the groups invited, the norm's subjects, and the previous 360 (it, its items, its
# responses and ratings).
REPORT_QUERIES = 16


def test_others_means_hold_when_the_last_subject_has_no_answers(admin, org, subject_user):
    """Figures for a group of subjects, the last of them with no answers at all (a norm or a
    programme's evaluation reading many reports at once), are empty for that subject, not an error."""
    from cadre.diagnostics.models import Subject
    from cadre.diagnostics.reports import _items_of, _others_by_attribute_key

    subject = run_360(admin, org, subject_user.person, {"peer": [4, 4, 4]})
    silent = Subject.objects.create(
        campaign=subject.campaign, person=PersonFactory(organisation=org), tier=subject.tier
    )
    items = {(subject.campaign_id, subject.tier_id): _items_of(subject)}
    means = _others_by_attribute_key([subject, silent], items)
    assert means[subject.pk] and all(1 <= value <= 5 for value in means[subject.pk].values())
    assert means[silent.pk] == {}
