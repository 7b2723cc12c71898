"""Recurring rounds and reminders, as the scheduler runs them."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cadre.core.errors import ValidationError
from cadre.core.models import Role
from cadre.diagnostics import services
from cadre.diagnostics.models import Campaign, Cycle, Response, Subject
from tests.factories import user_with_role
from tests.frameworks import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(org):
    framework = builders.framework(organisation=org)
    builders.version(framework, attributes=2, tiers=2)
    return framework


@pytest.fixture
def people(org, framework):
    tiers = list(framework.versions.get().tiers.order_by("rank"))
    made = []
    for n, tier in enumerate([tiers[0], tiers[0], tiers[1]]):
        user = user_with_role(org, Role.MEMBER, first_name=f"P{n}")
        user.person.tier = tier
        user.person.save()
        made.append(user.person)
    return made


def test_a_self_assessment_cycle_opens_a_round_and_emails_each_link(
    org, admin, framework, people, django_capture_on_commit_callbacks
):
    tier_key = people[0].tier.key
    cycle = services.cycle_create(
        organisation=org,
        actor=admin,
        kind="self",
        name="Spring self-assessment",
        framework=framework,
        tier_key=tier_key,
        every_months=12,
        first_on=timezone.localdate(),
        open_days=14,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cycles_run() == 1
    campaign = Campaign.objects.get()
    assert campaign.kind == Campaign.Kind.SELF_ASSESSMENT and campaign.status == Campaign.Status.OPEN
    assert {s.person for s in campaign.subjects.all()} == set(people[:2])  # only the chosen tier
    assert Response.objects.filter(status="invited").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people[:2])
    assert "/feedback/" in mail.outbox[0].body
    cycle.refresh_from_db()
    assert cycle.next_on == timezone.localdate() + _year(timezone.localdate())
    assert services.cycles_run() == 0  # nothing more is due today: running again is harmless


def _year(day: date) -> timedelta:
    try:
        return day.replace(year=day.year + 1) - day
    except ValueError:  # 29 February
        return date(day.year + 1, 2, 28) - day


def test_a_360_cycle_asks_people_to_choose_raters(org, admin, framework, people, django_capture_on_commit_callbacks):
    services.cycle_create(
        organisation=org,
        actor=admin,
        kind="360",
        name="Annual 360",
        framework=framework,
        tier_key="",
        every_months=12,
        first_on=timezone.localdate(),
        open_days=21,
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_schedule", stdout=(out := StringIO()))
    assert out.getvalue().strip() == "rounds=1 reminders=0 offers_lapsed=0 session_emails=0"
    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.DRAFT and campaign.subjects.count() == 3
    assert set(campaign.subjects.values_list("nominations", flat=True)) == {Subject.Nominations.OPEN}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert "Choose who gives you 360 feedback" in mail.outbox[0].subject


def test_bad_cycles_are_refused_with_every_problem(org, admin, framework):
    with pytest.raises(ValidationError) as error:
        services.cycle_create(
            organisation=org,
            actor=admin,
            kind="yearly",
            name=" ",
            framework=framework,
            tier_key="no-such-tier",
            every_months=0,
            first_on=timezone.localdate() - timedelta(days=1),
            open_days=0,
        )
    assert [p.field for p in error.value.problems] == [
        "name",
        "kind",
        "every_months",
        "open_days",
        "first_on",
        "tier_key",
    ]
    assert not Cycle.objects.exists()


def test_cycles_page_schedules_and_stops(client, org, admin, framework):
    client.force_login(admin)
    response = client.post(
        "/diagnostics/campaigns/rounds/",
        {
            "name": "Spring self-assessment",
            "kind": "self",
            "framework": str(framework.pk),
            "tier_key": "",
            "every_months": "12",
            "first_on": (timezone.localdate() + timedelta(days=30)).strftime("%d %m %Y"),
            "open_days": "14",
        },
    )
    assert response.status_code == 302
    cycle = Cycle.objects.get()
    page = client.get("/diagnostics/campaigns/rounds/").content.decode()
    assert "Spring self-assessment" in page
    bad = client.post("/diagnostics/campaigns/rounds/", {"name": "", "kind": "self", "every_months": "99"})
    assert "Enter a name for the recurring round." in bad.content.decode()
    assert "Repeat it every 1 to 36 months." in bad.content.decode()
    client.post(f"/diagnostics/campaigns/rounds/{cycle.pk}/stop/")
    cycle.refresh_from_db()
    assert not cycle.active
    again = client.post(f"/diagnostics/campaigns/rounds/{cycle.pk}/stop/", follow=True)
    assert "This recurring round has already been stopped." in again.content.decode()


def test_reminders_go_before_the_deadline_once_per_gap_with_the_same_link(org, admin, people, framework):
    plan = services.CampaignPlan(
        name="Spring 360",
        version=framework.versions.get(),
        people=[people[0]],
        closes_on=timezone.localdate() + timedelta(days=10),
    )
    campaign = services.campaign_create(organisation=org, actor=admin, plan=plan)
    subject = campaign.subjects.get()
    rater = services.rater_nominate(subject=subject, actor=admin, group="peer", name="Pat", email="pat@example.org")
    services.nominations_submit(subject=subject, actor=admin)
    services.campaign_launch(campaign=campaign, actor=admin)
    rater.refresh_from_db()
    link = services.link_for(rater)
    today = timezone.now()
    assert services.reminders_send(today) == 0  # ten days to go: too early
    near = today + timedelta(days=8)
    mail.outbox.clear()
    assert services.reminders_send(near) == 2  # the rater and the subject's own self-assessment
    reminder = next(m for m in mail.outbox if m.to == ["pat@example.org"])
    assert reminder.subject.startswith("Reminder: ") and link in reminder.body
    assert services.reminders_send(near + timedelta(hours=1)) == 0  # not again so soon
    services.answers_save(
        response=rater, ratings=dict.fromkeys(campaign.items.values_list("pk", flat=True), 3), submit=True
    )
    assert services.reminders_send(near + timedelta(days=2, hours=1)) == 1  # only the subject is still waiting
