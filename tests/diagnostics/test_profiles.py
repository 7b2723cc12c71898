"""Team profiles and the capability heatmap: figures only from enough people, secondary suppression
where totals are shown, the same at every surface (page, CSV, XLSX), and only for those allowed."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from cadre.core.models import Department, Role
from cadre.diagnostics import services
from tests.factories import OrganisationFactory, user_with_role
from tests.frameworks import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(org):
    return builders.version(builders.framework(organisation=org), attributes=2, tiers=1)


def self_assess(person, value: int) -> None:
    response = services.self_assessment_start(person=person, actor=person.user)
    items = response.subject.campaign.items.values_list("pk", "reverse")
    services.answers_save(
        response=response, ratings={pk: (6 - value if reverse else value) for pk, reverse in items}, submit=True
    )


def staff(org, version, department, n, value, manager=None) -> list:
    people = []
    for _ in range(n):
        user = user_with_role(org, Role.MEMBER)
        person = user.person
        person.tier = version.tiers.get()
        person.tier_set_by_hand = True  # no grade to place them by
        person.department = department
        person.line_manager = manager
        person.save()
        self_assess(person, value)
        people.append(person)
    return people


def test_a_managers_team_profile_shows_figures_from_three_or_more(client, org, version):
    manager = user_with_role(org, Role.MEMBER)
    client.force_login(manager)
    staff(org, version, None, 2, 4, manager=manager.person)
    page = client.get("/diagnostics/team/").content.decode()
    assert "hidden" in page and "4.0" not in page  # two people: too few
    staff(org, version, None, 1, 1, manager=manager.person)
    page = client.get("/diagnostics/team/").content.decode()
    assert re.search(r"3\.0 <span class=\"govuk-body-s\">\(3\)</span>", page)  # (4 + 4 + 1) / 3
    # Someone with no team sees no one's figures.
    client.force_login(user_with_role(org, Role.MEMBER))
    assert "No one reports to you in Cadre." in client.get("/diagnostics/team/").content.decode()


@pytest.fixture
def departments(org, version):
    """Adults: 6 people (shown), Children: 4 (hidden), Place: 1 (hidden): with the organisation's
    total shown, Children and Place are each hidden, and the total cannot give either away."""
    made = {}
    for name, n, value in (("Adults", 6, 4), ("Children", 4, 2), ("Place", 1, 5)):
        department = Department.objects.create(organisation=org, name=name)
        staff(org, version, department, n, value)
        made[name] = department
    return made


def test_the_heatmap_hides_small_cells_and_enough_others(client, org, departments):
    client.force_login(user_with_role(org, Role.EXECUTIVE_VIEWER))
    page = client.get("/diagnostics/organisation/").content.decode()
    row = lambda name: re.search(rf"<th scope=\"row\" class=\"govuk-table__header\">{name}</th>(.*?)</tr>", page, re.S)  # noqa: E731
    assert "4.0" in row("Adults").group(1) and "(6)" in row("Adults").group(1)
    assert row("Children").group(1).count("hidden") == 2 and "2.0" not in row("Children").group(1)
    assert row("Place").group(1).count("hidden") == 2
    assert "(11)" in row("Whole organisation").group(1)
    assert "<svg" in page and 'role="img"' in page


def test_the_downloads_hide_the_same_cells(client, org, departments):
    client.force_login(user_with_role(org, Role.LD_ADMIN))
    text = client.get("/diagnostics/organisation.csv").content.decode()
    rows = {r[0]: r[1:] for r in csv.reader(io.StringIO(text))}
    assert rows["Adults"][:2] == ["4.0", "6"]
    assert rows["Children"][:2] == ["hidden", ""] and rows["Place"][:2] == ["hidden", ""]
    assert rows["Whole organisation"][1] == "11"
    book = load_workbook(io.BytesIO(client.get("/diagnostics/organisation.xlsx").content))
    cells = {row[0]: row[1:] for row in book.active.iter_rows(values_only=True) if row and row[0]}
    assert cells["Children"][:2] == ("hidden", None) and cells["Adults"][1] == 6
    # A higher threshold hides more; a bad one is refused with a message and no file.
    higher = client.get("/diagnostics/organisation/?threshold=7").content.decode()
    assert "(6)" not in higher
    refused = client.get("/diagnostics/organisation/?threshold=1").content.decode()
    assert "Enter the fewest people per cell as a whole number from 3 to 50." in refused
    assert client.get("/diagnostics/organisation.csv?threshold=1").status_code == 404


def test_only_administrators_and_executive_viewers_see_the_heatmap(client, org, departments):
    client.force_login(user_with_role(org, Role.MEMBER))
    assert client.get("/diagnostics/organisation/").status_code == 404
    assert client.get("/diagnostics/organisation.csv").status_code == 404
    client.force_login(user_with_role(OrganisationFactory(), Role.LD_ADMIN))
    page = client.get("/diagnostics/organisation/").content.decode()
    assert "Adults" not in page  # their own organisation's, not this one's


def test_a_new_version_keeps_the_earlier_assessments_by_attribute(client, org, version, departments):
    from cadre.frameworks.services import version_new_draft, version_publish

    admin = user_with_role(org, Role.LD_ADMIN)
    draft = version_new_draft(framework=version.framework, actor=admin)
    version_publish(version=draft, actor=admin)
    client.force_login(admin)
    page = client.get("/diagnostics/organisation/").content.decode()
    assert "4.0" in page and "(6)" in page and "(11)" in page
