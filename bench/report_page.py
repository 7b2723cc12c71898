"""Server time and SQL queries for one person's 360 report page, with few raters and with many.

`measure(raters)` builds an organisation with a published eight-attribute framework, runs a closed
360 about one person with `raters` raters (a line manager, then peers, direct reports and partners
in turn) answering every question, releases the report and fetches the page through Django's test
client, a few times to warm up and then `repeat` times, at 5 raters and at `raters` raters. The
query count must be the same at both sizes; the target is under 100 ms with 30 raters."""

import gc
import random
import statistics
import time
from datetime import timedelta

from bench import database_label, format_table

TARGET_MS = 100.0
SMALL = 5


def _closed_360(organisation, admin, person, raters: int, rng: random.Random):
    from django.utils import timezone

    from cadre.diagnostics import services

    plan = services.CampaignPlan(
        name=f"360 with {raters} raters",
        version=person.tier.version,
        people=[person],
        closes_on=timezone.localdate() + timedelta(days=14),
        line_manager_threshold=1,
    )
    campaign = services.campaign_create(organisation=organisation, actor=admin, plan=plan)
    subject = campaign.subjects.get()
    groups = ["peer", "direct_report", "partner", "other"]
    made = [services.rater_nominate(subject=subject, actor=admin, group="line_manager", name="M", email="m@x.org")]
    for n in range(raters - 1):
        group = groups[n % len(groups)]
        made.append(
            services.rater_nominate(subject=subject, actor=admin, group=group, name=f"R{n}", email=f"r{n}@x.org")
        )
    services.nominations_submit(subject=subject, actor=admin)
    services.campaign_launch(campaign=campaign, actor=admin)
    items = list(campaign.items.values_list("pk", flat=True))
    for response in [subject.responses.get(group="self"), *made]:
        response.refresh_from_db()
        services.answers_save(response=response, ratings={i: rng.randint(0, 5) for i in items}, submit=True)
    services.campaign_close(campaign=campaign, actor=admin)
    services.report_release(subject=subject, actor=admin)
    return subject


def _time(client, url: str, repeat: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    count = len(queries)  # now: the next request's start empties Django's query log
    timings = []
    gc.collect()
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, count


def measure(raters: int, *, repeat: int = 20) -> list[dict]:
    from django.test import Client

    from cadre.core.models import Membership, Organisation, Role, User
    from cadre.frameworks.interchange import framework_import, plan_import
    from cadre.people.models import Person

    rng = random.Random(360)
    organisation = Organisation.objects.create(name="Bench Borough", slug="bench-borough")
    from cadre.demo.services import EXAMPLES

    data = (EXAMPLES / "officers.yaml").read_bytes()
    framework = framework_import(
        plan=plan_import(data=data, filename="officers.yaml", organisation=organisation),
        organisation=organisation,
        actor=None,
    )
    tier = framework.versions.get(status="published").tiers.order_by("rank").first()
    admin = User.objects.create_user(email="admin@bench.example", password=None)
    for role in (Role.MEMBER, Role.LD_ADMIN):
        Membership.objects.create(user=admin, organisation=organisation, role=role)
    user = User.objects.create_user(email="subject@bench.example", password=None)
    Membership.objects.create(user=user, organisation=organisation, role=Role.MEMBER)
    person = Person.objects.create(
        organisation=organisation, first_name="Sam", last_name="Smith", email=user.email, user=user, tier=tier
    )
    client = Client()
    client.force_login(user)
    # An earlier 360, so that each measured report has a previous one to compare with, as most will.
    _closed_360(organisation, admin, person, SMALL, rng)
    rows = []
    for size in sorted({SMALL, raters}):
        subject = _closed_360(organisation, admin, person, size, rng)
        timings, queries = _time(client, f"/diagnostics/360/{subject.pk}/report/", repeat)
        rows.append(
            {
                "database": database_label(),
                "raters": size,
                "items": subject.campaign.items.count(),
                "median_ms": round(statistics.median(timings), 1),
                "slowest_ms": round(max(timings), 1),
                "queries": queries,
            }
        )
    return rows


TITLE = "One person's 360 report page (target: under 100 ms with 30 raters, the same queries at both sizes)"


def table(rows: list[dict]) -> str:
    return format_table(
        TITLE,
        [
            ("database", "database"),
            ("raters", "raters"),
            ("items", "questions"),
            ("median_ms", "median ms"),
            ("slowest_ms", "slowest ms"),
            ("queries", "SQL queries"),
        ],
        rows,
    )
