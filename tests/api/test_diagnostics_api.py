"""The diagnostics API: campaigns for their administrators (counts, never who), a person's own 360s,
reports under the confidentiality rules, closing and extending, tenancy and problem details."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cadre.api.people import MAX_ID
from cadre.core.models import Role
from cadre.diagnostics import services
from cadre.diagnostics.models import Campaign, Response
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db

WITHHELD_COMMENT = "Zebra-crossing remark only the two direct reports made"
SHOWN_COMMENT = "Brings people together across the directorate"
SELF_COMMENT = "I try to listen first"


# -- building a whole 360 quickly (after tests/diagnostics/test_reports.py) -------------------------

# The organisation, its administrator, a line manager and Sam Smith come from tests/diagnostics/fixtures.py.


def rater_name(group: str, n: int) -> str:
    return f"Rater {group} number {n}"


def rater_email(group: str, n: int) -> str:
    return f"{group}{n}@raters.example.org"


def nominated_360(admin, org, person, raters: dict[str, list[int]], **settings) -> tuple[Campaign, list]:
    """A 360 being set up, its raters nominated: [(response, the value they will give)]."""
    plan = services.CampaignPlan(
        name="Spring 360",
        version=person.tier.version,
        people=[person],
        closes_on=timezone.localdate() + timedelta(days=7),
        **settings,
    )
    campaign = services.campaign_create(organisation=org, actor=admin, plan=plan)
    subject = campaign.subjects.get()
    made = []
    for group, values in raters.items():
        for n, value in enumerate(values):
            response = services.rater_nominate(
                subject=subject, actor=admin, group=group, name=rater_name(group, n), email=rater_email(group, n)
            )
            made.append((response, value))
    return campaign, made


def answer(campaign: Campaign, made: list, comments: dict | None = None, self_comment: str = "") -> None:
    """The subject and every rater answer: each rater gives their value to every item."""
    subject = campaign.subjects.get()
    items = list(campaign.items.values_list("pk", "attribute_id"))
    self_response = subject.responses.get(group="self")
    self_said = {(items[0][1], "more"): self_comment} if self_comment else {}
    services.answers_save(response=self_response, ratings={pk: 5 for pk, _a in items}, comments=self_said, submit=True)
    for response, value in made:
        said = {}
        for (group, n), text in (comments or {}).items():
            if response.email == rater_email(group, n):
                said[(items[0][1], "strengths")] = text
        response.refresh_from_db()
        services.answers_save(response=response, ratings={pk: value for pk, _a in items}, comments=said, submit=True)


def run_360(admin, org, person, raters, *, comments=None, self_comment="", release=True, **settings):
    """A closed 360 whose raters, by group, gave the ratings listed (one value for every item)."""
    campaign, made = nominated_360(admin, org, person, raters, **settings)
    subject = campaign.subjects.get()
    services.nominations_submit(subject=subject, actor=admin)
    services.campaign_launch(campaign=campaign, actor=admin)
    answer(campaign, made, comments, self_comment)
    services.campaign_close(campaign=campaign, actor=admin)
    if release:
        services.report_release(subject=subject, actor=admin)
    subject.refresh_from_db()
    return subject


def open_360(admin, org, person, raters) -> Campaign:
    campaign, _made = nominated_360(admin, org, person, raters)
    services.nominations_submit(subject=campaign.subjects.get(), actor=admin)
    services.campaign_launch(campaign=campaign, actor=admin)
    campaign.refresh_from_db()
    return campaign


RATERS = {"peer": [3, 4, 5], "direct_report": [1, 1]}
COMMENTS = {("peer", 0): SHOWN_COMMENT, ("direct_report", 0): WITHHELD_COMMENT}


@pytest.fixture
def subject(admin, org, subject_user):
    """Peers 3 (shown) and direct reports 2 (withheld: below 3, and no other group to combine with)."""
    return run_360(admin, org, subject_user.person, RATERS, comments=COMMENTS, self_comment=SELF_COMMENT)


def identifiers(raters: dict[str, list[int]]) -> list[str]:
    """Every rater's name and email address."""
    people = [(group, n) for group, values in raters.items() for n in range(len(values))]
    return [f(group, n) for group, n in people for f in (rater_name, rater_email)]


def keys_in(body) -> set[str]:
    if isinstance(body, dict):
        return set(body) | {k for value in body.values() for k in keys_in(value)}
    if isinstance(body, list):
        return {k for value in body for k in keys_in(value)}
    return set()


def figures_in(body) -> list[dict]:
    """Every figure (anything with a mean) anywhere in a body."""
    found = []
    if isinstance(body, dict):
        if "mean" in body:
            found.append(body)
        for value in body.values():
            found.extend(figures_in(value))
    elif isinstance(body, list):
        for value in body:
            found.extend(figures_in(value))
    return found


def is_problem(response, status: int) -> bool:
    return (
        response.status_code == status
        and response["Content-Type"] == "application/problem+json"
        and response.json()["status"] == status
    )


# -- campaigns, for their administrators -----------------------------------------------------------


def test_campaigns_are_listed_for_their_administrators_with_counts(client, admin, subject):
    campaign = subject.campaign
    client.force_login(admin)
    body = client.get("/api/diagnostics/campaigns").json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item == {
        "id": campaign.pk,
        "organisation_id": campaign.organisation_id,
        "name": "Spring 360",
        "status": "closed",
        "kind": "360",
        "version": {
            "framework_id": campaign.version.framework_id,
            "framework": campaign.version.framework.name,
            "number": campaign.version.number,
        },
        "closes_on": str(campaign.closes_on),
        "opened_at": item["opened_at"],
        "closed_at": item["closed_at"],
        "threshold": 3,
        "line_manager_threshold": 3,
        "needs_approval": False,
        "debrief_first": False,
        "subjects": 1,
        "invited": 6,  # five raters and the self-assessment
        "submitted": 6,
    }
    assert item["opened_at"] and item["closed_at"]


# The session, the user, their roles, and the campaigns with their counts (one query).
CAMPAIGN_LIST_QUERIES = 4


def test_the_campaign_list_is_paginated_in_a_fixed_number_of_queries(client, admin, org, subject_user):
    for _ in range(3):
        open_360(admin, org, subject_user.person, {"peer": [3, 3, 3]})
    client.force_login(admin)
    client.get("/api/diagnostics/campaigns")  # warm the caches
    with CaptureQueriesContext(connection) as few:
        page = client.get("/api/diagnostics/campaigns?limit=2").json()
    assert page["count"] == 3 and len(page["items"]) == 2
    for _ in range(3):
        open_360(admin, org, subject_user.person, {"peer": [3, 3, 3, 3]})
    with CaptureQueriesContext(connection) as more:
        assert client.get("/api/diagnostics/campaigns?limit=2").json()["count"] == 6
    assert len(few) == len(more) == CAMPAIGN_LIST_QUERIES


def test_a_campaign_has_counts_per_rater_group_and_nothing_about_who(client, admin, subject):
    client.force_login(admin)
    response = client.get(f"/api/diagnostics/campaigns/{subject.campaign_id}")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "closed"
    assert body["rates"] == [
        {"group": "self", "label": "Self", "invited": 1, "submitted": 1, "threshold": 1, "below_threshold": False},
        {"group": "peer", "label": "Peers", "invited": 3, "submitted": 3, "threshold": 3, "below_threshold": False},
        {
            "group": "direct_report",
            "label": "Direct reports",
            "invited": 2,
            "submitted": 2,
            "threshold": 3,
            "below_threshold": True,
        },
    ]
    assert (body["subjects"], body["invited"], body["submitted"]) == (1, 6, 6)
    text = response.content.decode()
    assert not any(found in text for found in identifiers(RATERS))


def test_subjects_show_nominations_release_and_counts_never_raters(client, admin, org, subject, subject_user):
    coach = user_with_role(org, Role.MEMBER, first_name="Cora", last_name="Coach")
    released_at = subject.released_at
    type(subject).objects.filter(pk=subject.pk).update(released_at=None)  # a coach is named before release
    subject.refresh_from_db()
    services.debrief_coach_set(subject=subject, actor=admin, coach=coach.person)
    type(subject).objects.filter(pk=subject.pk).update(released_at=released_at)
    client.force_login(admin)
    response = client.get(f"/api/diagnostics/campaigns/{subject.campaign_id}/subjects")
    body = response.json()
    assert body["count"] == 1
    (row,) = body["items"]
    assert row["id"] == subject.pk and row["person_id"] == subject_user.person.pk
    assert row["name"] == "Sam Smith" and row["nominations"] == "approved"
    assert row["released_at"] is not None and row["debrief_held_on"] is None
    assert row["debrief_coach"] == {"person_id": coach.person.pk, "name": "Cora Coach"}
    assert [(r["group"], r["invited"], r["submitted"]) for r in row["rates"]] == [
        ("self", 1, 1),
        ("peer", 3, 3),
        ("direct_report", 2, 2),
    ]
    text = response.content.decode()
    assert not any(found in text for found in identifiers(RATERS))
    assert "email" not in keys_in(body) and "status" not in keys_in(body)


def test_subjects_and_invitations_take_a_fixed_number_of_queries(client, admin, org, subject_user):
    people = [subject_user.person]
    for _ in range(3):
        someone = user_with_role(org, Role.MEMBER).person
        someone.tier, someone.line_manager = subject_user.person.tier, subject_user.person.line_manager
        someone.save()
        people.append(someone)
    campaigns = []
    for cohort in (people[:1], people):
        plan = services.CampaignPlan(name="Cohort 360", version=people[0].tier.version, people=cohort)
        campaign = services.campaign_create(organisation=org, actor=admin, plan=plan)
        for subject in campaign.subjects.all():
            for n in range(3):
                services.rater_nominate(
                    subject=subject, actor=admin, group="peer", name=f"Peer {n}", email=f"p{n}.{subject.pk}@example.org"
                )
        campaigns.append(campaign)
    client.force_login(admin)
    for kind in ("subjects", "invitations"):
        counted = []
        for campaign in campaigns:
            client.get(f"/api/diagnostics/campaigns/{campaign.pk}/{kind}")
            with CaptureQueriesContext(connection) as queries:
                body = client.get(f"/api/diagnostics/campaigns/{campaign.pk}/{kind}").json()
            assert body["count"] == campaign.subjects.count()
            counted.append(len(queries))
        assert counted == [LIST_QUERIES, LIST_QUERIES], kind


# The session, the user, their roles, the campaign, the counts per subject and group, the subjects.
LIST_QUERIES = 6


def test_invitations_are_counts_per_subject_and_group_without_names(client, admin, org, subject_user):
    campaign, _made = nominated_360(admin, org, subject_user.person, {"peer": [3, 3, 3], "line_manager": [4]})
    client.force_login(admin)
    url = f"/api/diagnostics/campaigns/{campaign.pk}/invitations"
    (before,) = client.get(url).json()["items"]
    assert before["subject_id"] == campaign.subjects.get().pk and before["nominations"] == "open"
    assert [(g["group"], g["nominated"], g["invited"], g["submitted"]) for g in before["groups"]] == [
        ("self", 1, 0, 0),
        ("line_manager", 1, 0, 0),
        ("peer", 3, 0, 0),
    ]
    services.nominations_submit(subject=campaign.subjects.get(), actor=admin)
    services.campaign_launch(campaign=campaign, actor=admin)
    peer = Response.objects.get(subject__campaign=campaign, email=rater_email("peer", 1))
    ratings = dict.fromkeys(campaign.items.values_list("pk", flat=True), 4)
    services.answers_save(response=peer, ratings=ratings, submit=True)
    response = client.get(url)
    (after,) = response.json()["items"]
    assert after["groups"][2] == {
        "group": "peer",
        "label": "Peers",
        "nominated": 0,
        "invited": 3,
        "submitted": 1,
        "outstanding": 2,
        "threshold": 3,
    }
    text = response.content.decode()
    assert not any(found in text for found in identifiers({"peer": [3, 3, 3], "line_manager": [4]}))
    assert not {"email", "name_of_rater", "invited_at", "status"} & keys_in(response.json())


# -- the person asked about -----------------------------------------------------------------------


def test_my_360s_list_my_raters_without_their_status_and_link_my_report(client, subject, subject_user):
    client.force_login(subject_user)
    response = client.get("/api/diagnostics/me/360s")
    (mine,) = response.json()
    assert mine["subject_id"] == subject.pk and mine["campaign"]["name"] == "Spring 360"
    assert mine["campaign"]["status"] == "closed" and mine["nominations"] == "approved"
    assert mine["raters"] == [
        {
            "name": rater_name("direct_report", 0),
            "email": rater_email("direct_report", 0),
            "group": "direct_report",
            "label": "Direct reports",
        },
        {
            "name": rater_name("direct_report", 1),
            "email": rater_email("direct_report", 1),
            "group": "direct_report",
            "label": "Direct reports",
        },
        {"name": rater_name("peer", 0), "email": rater_email("peer", 0), "group": "peer", "label": "Peers"},
        {"name": rater_name("peer", 1), "email": rater_email("peer", 1), "group": "peer", "label": "Peers"},
        {"name": rater_name("peer", 2), "email": rater_email("peer", 2), "group": "peer", "label": "Peers"},
    ]
    # How many were asked in each group, never how many have answered.
    assert [(r["group"], r["invited"]) for r in mine["rates"]] == [("self", 1), ("peer", 3), ("direct_report", 2)]
    assert all("submitted" not in r for r in mine["rates"])
    assert mine["released"] is True and mine["report_url"] == f"/api/diagnostics/reports/{subject.pk}"
    assert client.get(mine["report_url"]).status_code == 200
    # No answers here, and nothing per rater but who they are.
    assert not {"mean", "self_value", "comments", "items"} & keys_in(mine)
    assert all(set(rater) == {"name", "email", "group", "label"} for rater in mine["raters"])
    assert SHOWN_COMMENT not in response.content.decode()


def test_my_360s_before_release_have_no_report_and_others_see_none_of_mine(client, admin, org, subject_user, manager):
    subject = run_360(admin, org, subject_user.person, {"peer": [3, 4, 5]}, release=False)
    client.force_login(subject_user)
    (mine,) = client.get("/api/diagnostics/me/360s").json()
    assert mine["released"] is False and mine["report_url"] is None
    assert client.get(f"/api/diagnostics/reports/{subject.pk}").status_code == 404
    for other in (manager, admin):
        client.force_login(other)
        assert client.get("/api/diagnostics/me/360s").json() == []


# The session, the user, their staff record, `my_diagnostics` (six lists), the tiers, and every
# subject's nominated raters and counts (one query).
MY_360S_QUERIES = 11


def test_my_360s_take_a_fixed_number_of_queries(client, admin, org, subject_user):
    run_360(admin, org, subject_user.person, {"peer": [3, 4, 5]})
    client.force_login(subject_user)
    client.get("/api/diagnostics/me/360s")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/diagnostics/me/360s").json()) == 1
    run_360(admin, org, subject_user.person, {"peer": [3, 4, 5, 2], "direct_report": [4, 4, 4]})
    open_360(admin, org, subject_user.person, {"peer": [3, 3, 3]})
    with CaptureQueriesContext(connection) as three:
        assert len(client.get("/api/diagnostics/me/360s").json()) == 3
    assert len(one) == len(three) == MY_360S_QUERIES


# -- reports --------------------------------------------------------------------------------------


def test_the_report_leaves_out_a_withheld_group(client, subject, subject_user):
    client.force_login(subject_user)
    response = client.get(f"/api/diagnostics/reports/{subject.pk}")
    assert response.status_code == 200
    body = response.json()
    text = response.content.decode()
    # Nothing of the direct reports: not their comment, not their addresses or names, not their label
    # on any column or figure. The withheld list says only that too few answered.
    assert WITHHELD_COMMENT not in text
    for found in identifiers(RATERS):
        assert found not in text
    assert body["withheld"] == ["Direct reports"] and body["combined_of"] == []
    assert "Direct reports" not in json.dumps({k: v for k, v in body.items() if k != "withheld"})
    assert "direct_report" not in text
    assert [c["label"] for c in body["columns"]] == ["Peers"]
    assert "responses" not in body  # with the shown counts it would give the withheld group's away
    # Every figure from others is the peers' alone: 3, 4 and 5, never the direct reports' 1s.
    # Every figure from others is the three peers' alone (3, 4 and 5; 3, 2 and 1 where the statement
    # is one to avoid), never with the direct reports' 1s, which would make five raters.
    rows = body["attributes"] + [item for row in body["attributes"] for item in row["items"]]
    assert len(rows) == 8
    for row in rows:
        (peers,) = row["groups"]
        assert peers["key"] == "peer" and peers["label"] == "Peers" and not peers["one_persons_view"]
        assert row["others"] == {key: peers[key] for key in ("mean", "count", "spread")}
    for item in [item for row in body["attributes"] for item in row["items"]] + body["highest"] + body["lowest"]:
        assert item["others"] == {"mean": 2.0 if item["reverse"] else 4.0, "count": 3, "spread": 0.82}, item
        assert item["self_value"] == (1.0 if item["reverse"] else 5.0)
    assert all(figure["count"] == 3 for figure in figures_in(body))
    first = body["attributes"][0]
    assert (first["self_value"], first["others"]["mean"], first["gap"]) == (3.67, 3.33, 0.34)
    assert body["blind_spots"] == body["hidden_strengths"] == []
    # Comments: the shown peer's without a name, the subject's own apart; the direct report's nowhere.
    assert first["comments"] == [{"kind": "strengths", "label": "Strengths", "texts": [SHOWN_COMMENT]}]
    assert first["self_comments"] == [{"kind": "more", "label": "What to do more of", "texts": [SELF_COMMENT]}]
    assert body["attributes"][1]["comments"] == []
    assert first["items"] and all(item["attribute"] == first["key"] for item in first["items"])
    assert body["name"] == "Sam Smith" and body["campaign"]["status"] == "closed"


def test_groups_that_reach_the_threshold_together_are_one_combined_column(client, admin, org, subject_user):
    subject = run_360(
        admin, org, subject_user.person, {"line_manager": [4], "peer": [3, 4, 5], "direct_report": [1, 1]}
    )
    client.force_login(subject_user)
    body = client.get(f"/api/diagnostics/reports/{subject.pk}").json()
    assert [c["label"] for c in body["columns"]] == ["Peers", "Combined: line manager, direct reports"]
    assert body["combined_of"] == ["Line manager", "Direct reports"] and body["withheld"] == []
    assert {g["key"] for g in body["attributes"][0]["groups"]} == {"peer", "combined"}


def test_a_line_manager_shown_alone_is_labelled_as_one_persons_view(client, admin, org, subject_user):
    subject = run_360(
        admin, org, subject_user.person, {"line_manager": [2], "peer": [4, 4, 4]}, line_manager_threshold=1
    )
    client.force_login(subject_user)
    body = client.get(f"/api/diagnostics/reports/{subject.pk}").json()
    assert [(c["key"], c["one_persons_view"]) for c in body["columns"]] == [
        ("line_manager", True),
        ("peer", False),
    ]


def test_who_may_read_a_report(client, admin, org, subject_user, manager):
    subject = run_360(admin, org, subject_user.person, {"peer": [3, 4, 5]}, release=False)
    url = f"/api/diagnostics/reports/{subject.pk}"
    readers = {"subject": subject_user, "manager": manager, "admin": admin}

    def statuses():
        result = {}
        for name, user in readers.items():
            client.force_login(user)
            result[name] = client.get(url).status_code
        return result

    assert statuses() == {"subject": 404, "manager": 404, "admin": 404}  # not released yet
    services.report_release(subject=subject, actor=admin)
    assert statuses() == {"subject": 200, "manager": 404, "admin": 404}
    services.report_share(subject=subject, actor=subject_user, manager=True, ld=False)
    assert statuses() == {"subject": 200, "manager": 200, "admin": 404}
    services.report_share(subject=subject, actor=subject_user, manager=False, ld=True)
    assert statuses() == {"subject": 200, "manager": 404, "admin": 200}
    client.force_login(user_with_role(OrganisationFactory(), Role.LD_ADMIN))
    assert is_problem(client.get(url), 404)


def test_the_debrief_coach_reads_the_report_once_the_campaign_has_closed(client, admin, org, subject_user):
    coach = user_with_role(org, Role.MEMBER)
    campaign = open_360(admin, org, subject_user.person, {"peer": [3, 4, 5]})
    subject = campaign.subjects.get()
    services.debrief_coach_set(subject=subject, actor=admin, coach=coach.person)
    client.force_login(coach)
    assert client.get(f"/api/diagnostics/reports/{subject.pk}").status_code == 404  # still open
    services.campaign_close(campaign=campaign, actor=admin)
    assert client.get(f"/api/diagnostics/reports/{subject.pk}").status_code == 200  # before release


# The session, the user, the subject (with campaign and person), the reader's staff record, then
# `report_for`: the subject again, items, responses, ratings, comments, the groups invited, the norm's subjects, and the
# previous 360 (it, its items, its responses and ratings).
REPORT_QUERIES = 15


def test_the_report_takes_the_same_queries_whatever_the_number_of_raters(client, admin, org, subject_user):
    run_360(admin, org, subject_user.person, {"peer": [4, 4, 4]})  # so both below have a previous 360
    small = run_360(admin, org, subject_user.person, {"peer": [3, 4, 5]})
    client.force_login(subject_user)
    client.get(f"/api/diagnostics/reports/{small.pk}")  # warm the caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/api/diagnostics/reports/{small.pk}").status_code == 200
    large = run_360(
        admin, org, subject_user.person, {"peer": [3, 4, 5, 2, 4, 5, 1, 3], "direct_report": [4] * 6, "other": [2] * 5}
    )
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/api/diagnostics/reports/{large.pk}").status_code == 200
    assert len(few) == len(many) == REPORT_QUERIES


# -- nothing leads to a rater, wherever one looks ------------------------------------------------------


def test_no_endpoint_ever_returns_a_rater_beside_an_answer(client, admin, org, subject, subject_user, manager):
    services.report_share(subject=subject, actor=subject_user, manager=True, ld=True)
    campaign_id = subject.campaign_id
    gets = [
        "/api/diagnostics/campaigns",
        f"/api/diagnostics/campaigns/{campaign_id}",
        f"/api/diagnostics/campaigns/{campaign_id}/subjects",
        f"/api/diagnostics/campaigns/{campaign_id}/invitations",
        "/api/diagnostics/me/360s",
        f"/api/diagnostics/reports/{subject.pk}",
    ]
    posts = [
        (f"/api/diagnostics/campaigns/{campaign_id}/close", {}),
        (f"/api/diagnostics/campaigns/{campaign_id}/extend", {"closes_on": str(timezone.localdate() + timedelta(9))}),
    ]
    who = identifiers(RATERS)
    answers = [SHOWN_COMMENT, WITHHELD_COMMENT]
    seen = {}
    for reader in ("subject", "manager", "admin"):
        client.force_login({"subject": subject_user, "manager": manager, "admin": admin}[reader])
        responses = [(url, client.get(url)) for url in gets]
        responses += [(url, client.post(url, data, content_type="application/json")) for url, data in posts]
        for url, response in responses:
            assert response.status_code < 500, (reader, url)
            text = response.content.decode()
            body = response.json()
            named = [found for found in who if found in text]
            seen[(reader, url)] = (response.status_code, bool(named))
            if named:
                # Only the subject's own nominations name raters, and they carry no answer at all.
                assert (reader, url) == ("subject", "/api/diagnostics/me/360s"), (reader, url, named)
                assert not figures_in(body) and not {"self_value", "comments", "items"} & keys_in(body)
                assert all(set(r) == {"name", "email", "group", "label"} for row in body for r in row["raters"])
                assert not any(comment in text for comment in answers)
            assert WITHHELD_COMMENT not in text, (reader, url)
    # The walk reached what each may read: the report for all three, the campaign only for its administrator.
    report = f"/api/diagnostics/reports/{subject.pk}"
    assert {seen[(reader, report)][0] for reader in ("subject", "manager", "admin")} == {200}
    assert seen[("subject", "/api/diagnostics/me/360s")] == (200, True)
    for reader in ("subject", "manager"):
        for url in gets[1:4] + [url for url, _data in posts]:
            assert seen[(reader, url)][0] == 404, (reader, url)
    assert all(seen[("admin", url)][0] == 200 for url in gets[1:4])


# -- tenancy and bad ids ----------------------------------------------------------------------------


def test_another_organisation_and_members_get_404_for_everything(client, admin, org, subject, subject_user, manager):
    campaign_id = subject.campaign_id
    scoped = [
        ("get", f"/api/diagnostics/campaigns/{campaign_id}"),
        ("get", f"/api/diagnostics/campaigns/{campaign_id}/subjects"),
        ("get", f"/api/diagnostics/campaigns/{campaign_id}/invitations"),
        ("post", f"/api/diagnostics/campaigns/{campaign_id}/close"),
        ("post", f"/api/diagnostics/campaigns/{campaign_id}/extend"),
        ("get", f"/api/diagnostics/reports/{subject.pk}"),
    ]
    services.report_share(subject=subject, actor=subject_user, manager=False, ld=True)  # their admin may read it
    elsewhere = OrganisationFactory()
    outsiders = [user_with_role(elsewhere, Role.LD_ADMIN), user_with_role(elsewhere, Role.ORG_ADMIN)]
    for outsider in outsiders:
        client.force_login(outsider)
        assert client.get("/api/diagnostics/campaigns").json() == {"items": [], "count": 0}
        for method, url in scoped:
            data = {"closes_on": str(timezone.localdate() + timedelta(days=30))} if url.endswith("extend") else {}
            response = getattr(client, method)(url, data, content_type="application/json")
            assert is_problem(response, 404), (url, response.status_code)
            assert response.json() == {"type": "about:blank", "title": "Not found", "status": 404}
    for member in (manager, subject_user):
        client.force_login(member)
        assert client.get("/api/diagnostics/campaigns").json()["count"] == 0
        for method, url in scoped[:5]:
            data = {"closes_on": str(timezone.localdate() + timedelta(days=30))} if url.endswith("extend") else {}
            assert is_problem(getattr(client, method)(url, data, content_type="application/json"), 404), url


def test_ids_out_of_range_are_never_a_server_error(client, admin, subject):
    client.force_login(admin)
    templates = [
        "/api/diagnostics/campaigns/{}",
        "/api/diagnostics/campaigns/{}/subjects",
        "/api/diagnostics/campaigns/{}/invitations",
        "/api/diagnostics/reports/{}",
    ]
    for template in templates:
        # The largest id a column holds: no such thing.
        assert is_problem(client.get(template.format(MAX_ID)), 404), template
        # Beyond any column, or not an id at all: the request is not valid, as everywhere in the API.
        for bad in (MAX_ID + 1, 0, -1, "abc", 10**30):
            response = client.get(template.format(bad))
            assert is_problem(response, 422), (template, bad)
    for action in ("close", "extend"):
        response = client.post(
            f"/api/diagnostics/campaigns/{MAX_ID}/{action}",
            {"closes_on": "2099-01-01"},
            content_type="application/json",
        )
        assert is_problem(response, 404)
        response = client.post(
            f"/api/diagnostics/campaigns/{MAX_ID + 1}/{action}",
            {"closes_on": "2099-01-01"},
            content_type="application/json",
        )
        assert is_problem(response, 422)


def test_signing_in_is_required(client, subject):
    for url in ("/api/diagnostics/campaigns", "/api/diagnostics/me/360s", f"/api/diagnostics/reports/{subject.pk}"):
        response = client.get(url)
        assert is_problem(response, 401) and response.json()["title"] == "Sign in first"


# -- closing and extending --------------------------------------------------------------------------


def extend(client, base: str, closes_on):
    return client.post(f"{base}/extend", {"closes_on": str(closes_on)}, content_type="application/json")


def test_a_campaign_is_extended_then_closed_and_closing_twice_says_so(client, admin, org, subject_user):
    campaign = open_360(admin, org, subject_user.person, {"peer": [3, 3, 3]})
    client.force_login(admin)
    base = f"/api/diagnostics/campaigns/{campaign.pk}"
    later = timezone.localdate() + timedelta(days=21)
    extended = extend(client, base, later)
    assert extended.status_code == 200 and extended.json()["closes_on"] == str(later)
    assert extended.json()["status"] == "open"
    expiry = set(Response.objects.filter(subject__campaign=campaign).values_list("expires_at", flat=True))
    assert {timezone.localtime(e).date() for e in expiry} == {later + timedelta(days=1)}

    earlier = extend(client, base, later - timedelta(days=1))
    assert is_problem(earlier, 422)
    assert earlier.json()["errors"] == [
        {
            "field": "closes_on",
            "row": None,
            "message": f"Choose a date after the current closing date, {later:%-d %B %Y}.",
        }
    ]
    past = extend(client, base, "2001-01-01")
    assert is_problem(past, 422) and past.json()["errors"][0]["field"] == "closes_on"
    assert is_problem(extend(client, base, "not a date"), 422)
    assert is_problem(extend(client, base, "9999-12-31"), 422)

    closed = client.post(f"{base}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed" and closed.json()["closed_at"]
    again = client.post(f"{base}/close")
    assert is_problem(again, 409)
    today = timezone.localtime(Campaign.objects.get(pk=campaign.pk).closed_at)
    message = f"The campaign was already closed on {today:%-d %B %Y}."
    assert again.json()["detail"] == message
    assert again.json()["errors"] == [{"field": None, "row": None, "message": message}]
    too_late = extend(client, base, later + timedelta(days=7))
    assert is_problem(too_late, 409)
    assert too_late.json()["detail"] == "The campaign has closed and cannot be extended."


def test_a_campaign_never_launched_cannot_be_closed(client, admin, org, subject_user):
    campaign, _made = nominated_360(admin, org, subject_user.person, {"peer": [3, 3, 3]})
    client.force_login(admin)
    response = client.post(f"/api/diagnostics/campaigns/{campaign.pk}/close")
    assert is_problem(response, 409)
    assert response.json()["detail"] == "The campaign has not been launched, so there is nothing to close."
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.DRAFT


def test_writes_need_the_csrf_token_and_refusals_are_problem_details(admin, org, subject_user):
    campaign = open_360(admin, org, subject_user.person, {"peer": [3, 3, 3]})
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin)
    url = f"/api/diagnostics/campaigns/{campaign.pk}/close"
    refused = browser.post(url)
    assert is_problem(refused, 403) and "CSRF" in refused.json()["detail"]
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.OPEN
    token = "a" * 32  # as a page's csrftoken cookie would carry, sent back in the header
    browser.cookies["csrftoken"] = token
    assert browser.post(url, headers={"X-CSRFToken": token}).status_code == 200
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.CLOSED
