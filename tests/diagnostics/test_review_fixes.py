"""Faults a cold review found, each pinned: ways round approval or sharing, and inputs that once
gave a server error."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.core.errors import ValidationError
from cadre.core.models import Role
from cadre.diagnostics import services
from cadre.diagnostics.models import Response, Subject
from tests.diagnostics.test_reports import run_360
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def open_campaign(admin, org, person, **settings):
    plan = services.CampaignPlan(
        name="Spring 360",
        version=person.tier.version,
        people=[person],
        closes_on=timezone.localdate() + timedelta(days=14),
        **settings,
    )
    campaign = services.campaign_create(organisation=org, actor=admin, plan=plan)
    services.campaign_launch(campaign=campaign, actor=admin)
    return campaign, campaign.subjects.get()


def test_a_rater_added_after_approval_waits_for_approval_too(admin, org, subject_user, manager):
    _campaign, subject = open_campaign(admin, org, subject_user.person, needs_approval=True)
    services.rater_nominate(subject=subject, actor=subject_user, group="peer", name="Pat", email="pat@example.org")
    services.nominations_submit(subject=subject, actor=subject_user)
    services.nominations_approve(subject=subject, actor=manager)
    late = services.rater_nominate(
        subject=subject, actor=subject_user, group="peer", name="Me again", email="me.again@gmail.example"
    )
    subject.refresh_from_db()
    assert subject.nominations == Subject.Nominations.AWAITING_APPROVAL
    assert Response.objects.get(pk=late.pk).status == Response.Status.NOMINATED  # not invited yet


def test_a_debrief_coach_is_never_the_administrator_a_rater_or_changed_after_release(admin, org, subject_user):
    subject = run_360(admin, org, subject_user.person, {"peer": [3, 4, 5]}, release=False)
    with pytest.raises(ValidationError, match="Choose someone other than yourself"):
        services.debrief_coach_set(subject=subject, actor=admin, coach=admin.person)
    rater = user_with_role(org, Role.MEMBER)
    peer = Response.objects.filter(subject=subject, group="peer").first()
    Response.objects.filter(pk=peer.pk).update(email=rater.email)
    with pytest.raises(ValidationError, match="asked for feedback in this 360"):
        services.debrief_coach_set(subject=subject, actor=admin, coach=rater.person)
    services.report_release(subject=subject, actor=admin)
    with pytest.raises(ValidationError, match="has been released"):
        services.debrief_coach_set(subject=subject, actor=admin, coach=user_with_role(org, Role.MEMBER).person)


def test_a_leadership_team_needs_a_threshold_of_three(admin, org, subject_user):
    members = [user_with_role(org, Role.MEMBER).person for _ in range(4)]
    with pytest.raises(ValidationError, match="at least 3, as members read the profile"):
        services.team_diagnostic_start(
            organisation=org,
            actor=admin,
            name="Board",
            tier=subject_user.person.tier,
            members=members,
            closes_on=timezone.localdate(),
            threshold=2,
        )


def test_odd_inputs_get_messages_not_server_errors(client, admin, org, subject_user):
    campaign, subject = open_campaign(admin, org, subject_user.person)
    response = subject.responses.get(group="self")
    url = f"/feedback/{response.pk}/{response.link_token()}/"
    for data in ({"comment-1": "x"}, {"comment-²-more": "x"}, {"item-²": "3"}, {"item-1": "²"}):
        assert client.post(url, {**data, "action": "save"}).status_code in (200, 302), data
        assert client.post(url + "autosave/", data).status_code == 200, data
    client.force_login(admin)
    assert client.post(f"/diagnostics/campaigns/{campaign.pk}/questions/", {"items": ["²"]}).status_code == 200
    assert client.get("/diagnostics/organisation/?threshold=²").status_code == 200
    long_email = "a" * 250 + "@example.org"
    page = client.post(f"/diagnostics/360/{subject.pk}/raters/", {"group": "peer", "name": "Long", "email": long_email})
    assert page.status_code == 200 and not Response.objects.filter(email=long_email).exists()


def test_the_team_profile_counts_only_released_reports_and_not_those_the_manager_reads(client, admin, org, manager):
    team = []
    for _ in range(3):
        user = user_with_role(org, Role.MEMBER)
        team.append(user)
    from tests.frameworks import builders

    version = builders.version(builders.framework(organisation=org, name="Team framework"), attributes=1, tiers=1)
    for user in team:
        user.person.tier = version.tiers.get()
        user.person.tier_set_by_hand = True
        user.person.line_manager = manager.person
        user.person.save()
    subjects = [run_360(admin, org, user.person, {"peer": [4, 4, 4]}, release=False) for user in team]
    client.force_login(manager)
    assert "hidden" in client.get("/diagnostics/team/").content.decode()  # none released
    for subject in subjects:
        services.report_release(subject=subject, actor=admin)
    assert "(3)" in client.get("/diagnostics/team/").content.decode()
    services.report_share(subject=subjects[0], actor=team[0], manager=True, ld=False)
    # Three less the one the manager already reads leaves two: the team's 360 figure is hidden.
    assert "(3)" not in client.get("/diagnostics/team/").content.decode()
