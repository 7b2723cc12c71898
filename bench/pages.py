"""Server time and SQL queries for the pages everyone opens: home, the people list, a person.

`measure(size)` builds an organisation of `size` staff (the import benchmark's generator: a
line-management tree, directorates with services, tiers), beside a neighbouring organisation
five times as large, with two logins: an organisation
administrator (the chief executive's record) and a line manager (a director with a few hundred
people below them at 2,000 staff). Each page is fetched through Django's test client, the
whole request and response cycle with its middleware, a few times to warm up and then
`repeat` times; the table shows the median and the slowest, and the queries of one request."""

import gc
import statistics
import time

from bench import database_label, format_table
from bench.people_import import SEED, build_organisation, generate

TARGET_MS = 50.0
NEIGHBOURS = 5  # a neighbouring organisation this many times the size


def build(size: int, *, slug: str, neighbours: int = 0) -> dict:
    from cadre.core.models import Membership, Role, User
    from cadre.people.models import Person

    if neighbours:
        # Another tenant in the same tables, so a page that forgets to scope by organisation
        # or by line-management chain pays for it here.
        build_organisation(generate(neighbours, seed=SEED + 1), slug=f"{slug}-neighbour")
    scenario = generate(size)
    organisation, _ = build_organisation(scenario, slug=slug)
    people = Person.objects.filter(organisation=organisation)

    def login_for(number: str, email: str, *roles: str) -> User:
        user = User.objects.create_user(email=email, password=None)
        for role in (Role.MEMBER, *roles):
            Membership.objects.create(user=user, organisation=organisation, role=role)
        people.filter(employee_number=number).update(user=user)
        return user

    reports: dict[str, list[str]] = {}
    for staff in scenario.existing:
        reports.setdefault(staff.manager, []).append(staff.number)
    chief = scenario.existing[0].number
    # The director with the most direct reports, and the first of those who manages people.
    director = max(reports[chief], key=lambda number: len(reports.get(number, [])))
    manager = next(number for number in reports[director] if reports.get(number))
    admin = login_for(chief, f"admin.{slug}@bench.example", Role.ORG_ADMIN)
    line_manager = login_for(director, f"manager.{slug}@bench.example")
    # A tenth of the staff have left, so the list filters as it would in life.
    left = [s.number for s in scenario.existing[1:] if int(s.number[1:]) % 10 == 7 and s.number not in reports]
    people.filter(employee_number__in=left).update(status=Person.Status.LEFT)
    return {
        "organisation": organisation,
        "viewers": {"organisation administrator": admin, "line manager": line_manager},
        "person_id": people.get(employee_number=manager).pk,
    }


def measure(size: int, *, repeat: int = 15, warm_up: int = 3) -> list[dict]:
    """One row per page and viewer: queries, median and slowest server time in milliseconds.
    A neighbouring organisation, five times the size, shares the tables."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cadre.core.models import Organisation

    built = build(size, slug=f"bench-pages-{size}-{Organisation.objects.count()}", neighbours=size * NEIGHBOURS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    pages = [
        ("home", "/"),
        ("people list", "/people/"),
        ("people list, page 3", "/people/?page=3"),
        ("person", f"/people/{built['person_id']}/"),
    ]
    database = database_label()
    gc.collect()  # the generator's leftovers, so that collecting them is not timed as a page
    results = []
    for viewer, user in built["viewers"].items():
        client = Client()
        client.force_login(user)
        for name, url in pages:
            for _ in range(warm_up):
                response = client.get(url)
                if response.status_code != 200:
                    raise AssertionError(f"{url} answered {response.status_code} for the {viewer}.")
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            results.append(
                {
                    "database": database,
                    "staff": size,
                    "page": name,
                    "viewer": viewer,
                    "status": response.status_code,
                    "bytes": len(response.content),
                    "queries": len(queries),
                    "median_ms": statistics.median(timings),
                    "max_ms": max(timings),
                    "within_target": "yes" if statistics.median(timings) < TARGET_MS else "NO",
                }
            )
    return results


COLUMNS = [
    ("database", "database"),
    ("staff", "staff"),
    ("page", "page"),
    ("viewer", "viewer"),
    ("queries", "queries"),
    ("median_ms", "median ms"),
    ("max_ms", "slowest ms"),
    ("within_target", f"< {TARGET_MS:.0f} ms"),
]


def table(results: list[dict]) -> str:
    size = max((r["staff"] for r in results), default=0)
    title = (
        f"Pages, {size:,} staff (and {size * NEIGHBOURS:,} in a neighbouring organisation): server time "
        f"through the test client (target: under {TARGET_MS:.0f} ms each)"
    )
    return format_table(title, COLUMNS, results)
