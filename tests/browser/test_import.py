import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from cadre.core.models import Role
from cadre.people.models import Person, PersonImport
from tests.browser import live_database
from tests.browser.axe import follow, visit
from tests.browser.journeys import screenshot, sign_in
from tests.factories import OrganisationFactory, user_with_role

pytestmark = live_database

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
HEADINGS = ["Employee number", "First name", "Last name", "Email", "Job title", "Department", "Manager employee number"]

# Twenty staff: a chief executive, three directors and sixteen officers, written as HR systems
# often do, with the reports before their managers.
DIRECTORS = [
    ("D01", "Amara", "Okafor", "Director of adults' services", "Adults' services"),
    ("D02", "Rhys", "Pritchard", "Director of children's services", "Children's services"),
    ("D03", "Siobhan", "Gallagher", "Director of place", "Place"),
]
OFFICERS = [
    ("S01", "Tom", "Hughes", "Social worker", "D01"),
    ("S02", "Aisha", "Rahman", "Social worker", "D01"),
    ("S03", "Gareth", "Lloyd", "Occupational therapist", "D01"),
    ("S04", "Nia", "Evans", "Care coordinator", "D01"),
    ("S05", "Callum", "Fraser", "Team manager", "D01"),
    ("S06", "Priya", "Patel", "Family support worker", "D02"),
    ("S07", "Liam", "O'Connor", "Youth worker", "D02"),
    ("S08", "Hannah", "Clarke", "Early years officer", "D02"),
    ("S09", "Kwame", "Mensah", "Social worker", "D02"),
    ("S10", "Eilidh", "Campbell", "Team manager", "D02"),
    ("S11", "Joseph", "Nowak", "Planning officer", "D03"),
    ("S12", "Fatima", "Begum", "Highways engineer", "D03"),
    ("S13", "Owen", "Roberts", "Environmental health officer", "D03"),
    ("S14", "Grace", "Mwangi", "Housing officer", "D03"),
    ("S15", "Daniel", "Kowalski", "Waste services officer", "D03"),
    ("S16", "Megan", "Thomas", "Team manager", "D03"),
]
DEPARTMENT_OF = {number: department for number, *_, department in DIRECTORS}


def staff_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    writer.writerows(rows)
    return out.getvalue().encode()


def work_email(first: str, last: str) -> str:
    return f"{first}.{last}@northshire.example.org".lower().replace("'", "")


def twenty_staff() -> bytes:
    officers = [
        (number, first, last, work_email(first, last), title, DEPARTMENT_OF[manager], manager)
        for number, first, last, title, manager in OFFICERS
    ]
    directors = [
        (number, first, last, work_email(first, last), title, department, "C01")
        for number, first, last, title, department in DIRECTORS
    ]
    chief = (
        "C01",
        "Margaret",
        "Whitfield",
        work_email("Margaret", "Whitfield"),
        "Chief executive",
        "Chief executive's office",
        "",
    )
    return staff_csv([*officers, *directors, chief])


@pytest.fixture
def administrator():
    organisation = OrganisationFactory(name="Northshire County Council", slug="northshire")
    user = user_with_role(organisation, Role.LD_ADMIN, first_name="Ruth", last_name="Adeyemi", employee_number="A01")
    user.full_name = "Ruth Adeyemi"
    user.save(update_fields=["full_name"])
    return user


def upload(page: Page, name: str, data: bytes) -> None:
    """Choose the file on the upload page and send it."""
    page.get_by_label("HR export").set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    follow(page.get_by_role("button", name="Check the file"))


def count_shown(page: Page, label: str):
    """The figure beside a label in the preview's counts."""
    return (
        page.locator(".cadre-counts .govuk-summary-list__row")
        .filter(has=page.get_by_role("term").filter(has_text=re.compile(rf"^\s*{label}\s*$")))
        .get_by_role("definition")
    )


def test_an_administrator_imports_staff_and_a_file_with_a_bad_row_writes_nothing(page: Page, administrator):
    sign_in(page, email=administrator.email, password=PASSWORD)
    follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Import staff"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import staff from your HR system")

    # Sending the form without a file shows the error summary.
    follow(page.get_by_role("button", name="Check the file"))
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Choose the file to import.")).to_be_visible()

    # A good file: the preview, then the import.
    upload(page, "northshire-staff.csv", twenty_staff())
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of northshire-staff.csv")
    expect(count_shown(page, "New")).to_have_text("20")
    expect(count_shown(page, "Changed")).to_have_text("0")
    expect(count_shown(page, "Errors")).to_have_text("0")
    outcomes = page.get_by_role("table", name="Outcome of each row")
    expect(outcomes.get_by_role("row")).to_have_count(21)  # the heading and twenty rows
    expect(outcomes.get_by_role("row").filter(has_text="Margaret Whitfield")).to_contain_text("New")
    expect(outcomes.get_by_role("cell", name="New", exact=True)).to_have_count(20)
    assert Person.objects.count() == 1  # the administrator: nothing is written before confirming
    screenshot(page, "import-preview")

    follow(page.get_by_role("button", name="Confirm and import"))
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm and import")).to_have_count(0)
    # The task ran as the confirmation was handled (immediate tasks reach the live server's thread).
    assert PersonImport.objects.get().status == PersonImport.Status.COMPLETED
    screenshot(page, "import-complete")

    follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="People"))
    expect(page.get_by_text("21 people")).to_be_visible()
    people = page.get_by_role("table", name="People you can see")
    expect(people.get_by_role("row")).to_have_count(22)
    officer = people.get_by_role("row").filter(has=page.get_by_role("link", name="Joseph Nowak"))
    expect(officer).to_contain_text("Planning officer")
    expect(officer).to_contain_text("Place")
    expect(officer).to_contain_text("Siobhan Gallagher")
    director = people.get_by_role("row").filter(has=page.get_by_role("link", name="Siobhan Gallagher"))
    expect(director).to_contain_text("Margaret Whitfield")
    screenshot(page, "people-list")

    # A second file with an email address that is not one: refused, naming the row and column.
    follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Import staff"))
    upload(
        page,
        "new-starters.csv",
        staff_csv(
            [
                ("S17", "Ben", "Walsh", "ben.walsh@northshire.example.org", "Planning officer", "Place", "D03"),
                (
                    "S18",
                    "Zara",
                    "Ahmed",
                    "zara.ahmed.northshire.example.org",
                    "Social worker",
                    "Adults' services",
                    "D01",
                ),
                (
                    "S19",
                    "Ifan",
                    "Jenkins",
                    "ifan.jenkins@northshire.example.org",
                    "Youth worker",
                    "Children's services",
                    "D02",
                ),
            ]
        ),
    )
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.get_by_role("alert").filter(has_text="This file cannot be imported")
    expect(summary).to_contain_text("Nothing has been saved")
    expect(summary.get_by_role("link", name=re.compile(r"^Row 3, email: "))).to_be_visible()
    expect(count_shown(page, "Errors")).to_have_text("1")
    expect(page.get_by_role("button", name="Confirm and import")).to_have_count(0)
    bad_row = page.get_by_role("table", name="Outcome of each row").get_by_role("row").filter(has_text="Zara Ahmed")
    expect(bad_row).to_contain_text("Error")
    screenshot(page, "import-refused")

    visit(page, "/people/?q=Walsh")
    expect(page.get_by_text("No one matches.")).to_be_visible()
    assert Person.objects.count() == 21
    assert not Person.objects.filter(employee_number__in=["S17", "S18", "S19"]).exists()
