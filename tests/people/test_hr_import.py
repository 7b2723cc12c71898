import io
from datetime import date

import pytest
from openpyxl import Workbook

from cadre.core.errors import ValidationError
from cadre.core.models import AuditEntry, Department
from cadre.people import hr_import
from cadre.people.models import Person
from cadre.people.services import import_apply
from tests.factories import GradeMappingFactory, OrganisationFactory, PersonFactory, TierFactory

pytestmark = pytest.mark.django_db

HEADER = "Employee Number,First Name,Last Name,Email,Job Title,Grade,Department,Manager Employee Number,Start Date\n"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "\n".join(rows) + "\n").encode(encoding)


def plan(org, data: bytes, mode="partial", filename="staff.csv", mapping=None):
    return hr_import.plan_import(organisation_id=org.pk, data=data, filename=filename, mode=mode, mapping=mapping)


def run(org, data: bytes, mode="partial", **kwargs):
    p = plan(org, data, mode=mode, **kwargs)
    assert p.ok, [str(x) for x in p.problems]
    import_apply(plan=p, actor=None)
    return p


@pytest.fixture
def org():
    return OrganisationFactory(slug="north")


BASIC = [
    "1001,Asha,Patel,asha.patel@north.example,Chief Executive,CE,Chief Executive's Office,,01/04/2015",
    "1002,Ben,Okoro,ben.okoro@north.example,Director of Place,D1,Place,1001,2016-09-12",
    "1003,Cara,Jones,cara.jones@north.example,Head of Highways,H2,Place,1002,15/01/2019",
]


def test_new_people_are_created_with_managers_resolved_in_any_order(org):
    data = csv_bytes(BASIC[2], BASIC[1], BASIC[0])  # managers after their reports
    p = run(org, data)
    assert p.counts() == {"new": 3, "changed": 0, "unchanged": 0, "left": 0, "errors": 0}
    cara = Person.objects.get(employee_number="1003")
    assert cara.line_manager.employee_number == "1002"
    assert cara.line_manager.line_manager.employee_number == "1001"
    assert cara.start_date == date(2019, 1, 15)
    assert cara.department.name == "Place"
    assert Person.objects.get(employee_number="1002").start_date == date(2016, 9, 12)


def test_rerunning_the_same_file_changes_nothing(org):
    data = csv_bytes(*BASIC)
    run(org, data)
    entries = AuditEntry.objects.count()
    snapshot = list(Person.objects.order_by("pk").values())
    again = run(org, data)
    assert again.counts() == {"new": 0, "changed": 0, "unchanged": 3, "left": 0, "errors": 0}
    assert list(Person.objects.order_by("pk").values()) == snapshot
    assert AuditEntry.objects.count() == entries


def test_changes_are_listed_field_by_field_and_audited_before_and_after(org):
    run(org, csv_bytes(*BASIC))
    changed = BASIC[2].replace("Head of Highways", "Head of Transport").replace(",1002,", ",1001,")
    p = run(org, csv_bytes(BASIC[0], BASIC[1], changed))
    outcome = next(o for o in p.outcomes if o.employee_number == "1003")
    assert outcome.outcome == "changed"
    assert outcome.changes == {
        "job_title": ["Head of Highways", "Head of Transport"],
        "manager": ["1002", "1001"],
    }
    cara = Person.objects.get(employee_number="1003")
    assert cara.job_title == "Head of Transport"
    assert cara.line_manager.employee_number == "1001"
    entry = AuditEntry.objects.filter(object_id=cara.pk, event="people.imported").order_by("-id").first()
    assert entry.changes["job_title"] == ["Head of Highways", "Head of Transport"]
    assert entry.organisation_id == org.pk


def test_full_mode_marks_missing_people_as_left_and_never_deletes(org):
    run(org, csv_bytes(*BASIC))
    p = run(org, csv_bytes(BASIC[0], BASIC[1]), mode="full")
    assert p.counts()["left"] == 1
    cara = Person.objects.get(employee_number="1003")
    assert cara.status == Person.Status.LEFT
    assert cara.left_on is not None
    assert Person.objects.count() == 3


def test_partial_mode_leaves_missing_people_alone(org):
    run(org, csv_bytes(*BASIC))
    p = run(org, csv_bytes(BASIC[0]))
    assert p.counts() == {"new": 0, "changed": 0, "unchanged": 1, "left": 0, "errors": 0}
    assert Person.objects.filter(status=Person.Status.ACTIVE).count() == 3


def test_a_leaver_who_reappears_is_active_again(org):
    run(org, csv_bytes(*BASIC))
    run(org, csv_bytes(BASIC[0], BASIC[1]), mode="full")
    p = run(org, csv_bytes(*BASIC), mode="full")
    assert next(o for o in p.outcomes if o.employee_number == "1003").outcome == "changed"
    cara = Person.objects.get(employee_number="1003")
    assert cara.status == Person.Status.ACTIVE and cara.left_on is None


def test_windows_1252_and_byte_order_mark_are_read(org):
    row = "2001,Zoë,Ó Briain,zoe@north.example,Café manager – catering,G5,Facilities,,01/02/2020"
    run(org, csv_bytes(row, encoding="cp1252"))
    assert Person.objects.get(employee_number="2001").first_name == "Zoë"
    assert Person.objects.get(employee_number="2001").job_title == "Café manager – catering"
    row2 = "2002,Siân,Llŷr,sian@north.example,Officer,G5,Facilities,,01/02/2020"
    run(org, b"\xef\xbb\xbf" + csv_bytes(row2))
    assert Person.objects.get(employee_number="2002").last_name == "Llŷr"


def test_headings_from_common_exports_are_recognised(org):
    header = "Staff No;Forename;Surname;E-mail address;Post Title;Pay Band;Directorate;Reports To;Hire Date\n"
    data = csv_bytes("3001;Dev;Shah;dev@north.example;Analyst;G4;Resources;;2021-03-01", header=header)
    p = plan(org, data)
    assert p.ok
    assert p.columns[:3] == ["employee_number", "first_name", "last_name"]


def test_a_mapping_file_maps_another_systems_headings(org):
    header = "Ref,Given,Family,Boss\n"
    data = csv_bytes("4001,Eve,Adams,", "4002,Fay,Brown,4001", header=header)
    mapping = {
        "Ref": "employee_number",
        "Given": "first_name",
        "Family": "last_name",
        "Boss": "manager_employee_number",
    }
    run(org, data, mapping=mapping)
    assert Person.objects.get(employee_number="4002").line_manager.employee_number == "4001"


def test_grade_mapping_sets_the_tier(org):
    tier = TierFactory(organisation=org, rank=2, name="Core manager")
    GradeMappingFactory(tier=tier, grade="M1")
    run(org, csv_bytes("5001,Gil,Hart,gil@north.example,Team leader,M1,Resources,,"))
    assert Person.objects.get(employee_number="5001").tier == tier


def test_xlsx_is_read(org):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Employee number", "First name", "Last name", "Start date", "Manager employee number"])
    sheet.append([6001, "Hal", "Ives", date(2020, 5, 4), None])
    sheet.append([6002, "Ivy", "Jay", "04/05/2021", 6001])
    buffer = io.BytesIO()
    workbook.save(buffer)
    run(org, buffer.getvalue(), filename="staff.xlsx")
    ivy = Person.objects.get(employee_number="6002")
    assert ivy.line_manager.employee_number == "6001"
    assert Person.objects.get(employee_number="6001").start_date == date(2020, 5, 4)


# --- bad input: a specific message per problem, nothing written ---------------------------------


def problems_of(org, data: bytes, **kwargs) -> list[str]:
    try:
        p = plan(org, data, **kwargs)
    except ValidationError as error:
        return [str(x) for x in error.problems]
    assert not p.ok
    with pytest.raises(ValidationError):
        import_apply(plan=p, actor=None)
    return [str(x) for x in p.problems]


def test_missing_column(org):
    messages = problems_of(org, b"Employee Number,Surname\n1,Smith\n")
    assert any("no first name column" in m for m in messages)
    assert Person.objects.count() == 0


def test_duplicate_employee_number_names_both_rows(org):
    messages = problems_of(org, csv_bytes(BASIC[0], BASIC[1], BASIC[1].replace("Ben", "Bea")))
    assert any("row 4" in m and "also on row 3" in m for m in messages)


def test_unknown_manager(org):
    messages = problems_of(org, csv_bytes(BASIC[0], BASIC[1].replace(",1001,", ",9999,")))
    assert messages == [
        "row 3, column line manager's employee number: The line manager 9999 is not in the file or in Cadre."
    ]


def test_manager_cycle_is_refused_with_the_chain(org):
    a = "7001,A,A,,,,,7003,"
    b = "7002,B,B,,,,,7001,"
    c = "7003,C,C,,,,,7002,"
    messages = problems_of(org, csv_bytes(a, b, c))
    assert len(messages) == 3
    assert all("7001 → 7003 → 7002 → 7001" in m for m in messages)
    assert Person.objects.count() == 0


def test_cycle_through_people_already_in_cadre(org):
    run(org, csv_bytes(*BASIC))
    # Asha (top) reporting to Cara (her own report's report) would close a loop.
    messages = problems_of(org, csv_bytes(BASIC[0].replace(",,01/04/2015", ",1003,01/04/2015")))
    assert any("cycle" in m for m in messages)
    assert Person.objects.get(employee_number="1001").line_manager is None


def test_invalid_email_and_impossible_date(org):
    messages = problems_of(org, csv_bytes("8001,Kay,Lee,not-an-email,,,,,31/02/2024"))
    assert "row 2, column email: ‘not-an-email’ is not a valid email address." in messages
    assert "row 2, column start date: ‘31/02/2024’ is not a real date." in messages


def test_american_or_unreadable_dates_are_refused(org):
    messages = problems_of(org, csv_bytes("8002,Kay,Lee,,,,,,next tuesday"))
    assert any("is not a date" in m for m in messages)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty."),
        (b"   \n  \n", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (HEADER.encode(), "no staff rows"),
        (b"Employee Number,First Name,Last Name\n1,\x81\x8d\x8f,x\n", "not text in UTF-8 or Windows-1252"),
    ],
)
def test_unreadable_files(org, data, expected):
    messages = problems_of(org, data)
    assert any(expected in m for m in messages), messages


def test_xlsx_with_several_sheets(org):
    workbook = Workbook()
    workbook.active.title = "Staff"
    workbook.create_sheet("Leavers")
    buffer = io.BytesIO()
    workbook.save(buffer)
    messages = problems_of(org, buffer.getvalue(), filename="staff.xlsx")
    assert messages == [
        "The workbook has 2 sheets (‘Staff’, ‘Leavers’). Keep only the sheet with the staff list, or save that "
        "sheet as CSV, and upload it again."
    ]


def test_elected_member_with_a_line_manager_is_refused(org):
    header = "Employee Number,First Name,Last Name,Role type,Manager employee number\n"
    messages = problems_of(
        org, csv_bytes("9001,Cllr,One,Elected member,", "9002,Cllr,Two,Councillor,9001", header=header)
    )
    assert any("An elected member has no line manager" in m for m in messages)


def test_one_bad_row_writes_nothing_at_all(org):
    good = [f"{10000 + i},P{i},Q{i},,,,Dept,," for i in range(50)]
    messages = problems_of(org, csv_bytes(*good, "10050,Bad,Email,nope,,,,,"))
    assert len(messages) == 1
    assert Person.objects.count() == 0
    assert Department.objects.count() == 0


def test_full_mode_refuses_a_manager_who_would_be_marked_as_left(org):
    run(org, csv_bytes(*BASIC))
    messages = problems_of(org, csv_bytes(BASIC[2]), mode="full")
    assert any("not in the file" in m and "marked as left" in m for m in messages)


def test_manager_already_in_cadre_is_found_in_partial_mode(org):
    PersonFactory(organisation=org, employee_number="1001")
    run(org, csv_bytes(BASIC[1]))
    assert Person.objects.get(employee_number="1002").line_manager.employee_number == "1001"


def test_the_documented_mapping_file_works(org):
    from pathlib import Path

    import yaml

    mapping = yaml.safe_load(Path("docs/import-mapping.yaml").read_text())["columns"]
    header = (
        "Person Ref,Known As,Family Name,Work Email,Position Description,Salary Grade,Directorate Name,"
        "Team Name,Supervisor Person Ref,Contract Start,Employment End,Cost Centre\n"
    )
    data = csv_bytes(
        "A1,Ola,Nowak,ola@north.example,Director,D1,Resources,,,2010-01-01,,CC1",
        "A2,Piotr,Lis,piotr@north.example,Payroll officer,G6,Resources,Payroll,A1,02/03/2020,,CC9",
        header=header,
    )
    run(org, data, mapping=mapping)
    piotr = Person.objects.get(employee_number="A2")
    assert piotr.line_manager.employee_number == "A1"
    assert piotr.department.name == "Payroll" and piotr.department.parent.name == "Resources"
    assert piotr.start_date == date(2020, 3, 2)


def test_a_mapping_to_an_unknown_field_is_refused(org):
    messages = problems_of(org, csv_bytes(*BASIC), mapping={"Grade": "salary"})
    assert any("fields Cadre does not have: salary" in m for m in messages)


def test_services_with_the_same_name_in_two_departments_stay_apart(org):
    header = "Employee number,First name,Last name,Department,Service\n"
    data = csv_bytes("B1,Ann,Ames,Adults,Business support", "B2,Bob,Bell,Children,Business support", header=header)
    run(org, data)
    ann, bob = Person.objects.get(employee_number="B1"), Person.objects.get(employee_number="B2")
    assert ann.department != bob.department
    assert (ann.department.parent.name, bob.department.parent.name) == ("Adults", "Children")
    assert plan(org, data).counts()["unchanged"] == 2  # and running it again changes nothing
    # A department on its own is the department, not a service of the same name elsewhere.
    run(org, csv_bytes("B3,Cat,Cole,Business support,", header=header))
    assert Person.objects.get(employee_number="B3").department.parent is None


def test_an_elected_member_is_checked_as_they_would_be_after_the_import(org):
    header = "Employee number,First name,Last name,Role type\n"
    run(org, csv_bytes("C1,Cllr,One,Elected member", "C2,Ola,Officer,Officer", header=header))
    messages = problems_of(
        org, csv_bytes("C1,Cllr,One,C2", header="Employee number,First name,Last name,Manager employee number\n")
    )
    assert any("An elected member has no line manager, but the file names C2" in m for m in messages)
    run(
        org,
        csv_bytes(
            "C3,Boss,Person,",
            "C4,Rae,Report,C3",
            header="Employee number,First name,Last name,Manager employee number\n",
        ),
    )
    messages = problems_of(org, csv_bytes("C4,Rae,Report,Councillor", header=header))
    assert any("but Cadre's record names C3" in m for m in messages)
    assert Person.objects.get(employee_number="C4").role_type == "officer"


def test_a_damaged_workbook_is_refused_clearly(org):
    import zipfile

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["Employee number", "First name", "Last name"])
    workbook.save(buffer)
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, content[: len(content) // 2] if "sheet1" in item.filename else content)
    messages = problems_of(org, damaged.getvalue(), filename="staff.xlsx")
    assert any("damaged" in m or "not a readable XLSX" in m for m in messages), messages


def test_a_mapping_with_values_that_are_not_text_is_refused():
    with pytest.raises(ValidationError, match="must be text"):
        hr_import.load_mapping("columns:\n  Ref: 12\n")
    with pytest.raises(ValidationError, match="not readable YAML"):
        hr_import.load_mapping("columns: [unclosed\n")


def test_someone_imported_as_left_has_a_leaving_date(org):
    header = "Employee number,First name,Last name,Status\n"
    run(org, csv_bytes("D1,Dee,Done,Left", header=header))
    assert Person.objects.get(employee_number="D1").left_on is not None


def test_leavers_lose_their_roles_and_their_login(org):
    from cadre.core.models import Membership, Role
    from tests.factories import UserFactory

    run(org, csv_bytes(*BASIC))
    cara = Person.objects.get(employee_number="1003")
    cara.user = UserFactory(email="cara.jones@north.example")
    cara.save()
    Membership.objects.create(user=cara.user, organisation=org, role=Role.LD_ADMIN)
    run(org, csv_bytes(BASIC[0], BASIC[1]), mode="full")
    cara.user.refresh_from_db()
    assert not cara.user.is_active
    assert not Membership.objects.filter(user=cara.user).exists()


def test_a_second_import_is_planned_against_the_first_ones_result(org):
    from cadre.people.services import import_file

    header = "Employee number,First name,Last name,Manager employee number\n"
    run(org, csv_bytes("E1,A,A,", "E2,B,B,", header=header))
    first = csv_bytes("E1,A,A,E2", header=header)
    second = csv_bytes("E2,B,B,E1", header=header)
    # Both files are fine on their own, against the people as they are now...
    assert plan(org, first).ok and plan(org, second).ok
    import_file(organisation_id=org.pk, data=first, filename="a.csv", mode="partial", mapping=None, actor=None)
    # ...but the second is checked again when it is applied, and refused.
    with pytest.raises(ValidationError, match="cycle"):
        import_file(organisation_id=org.pk, data=second, filename="b.csv", mode="partial", mapping=None, actor=None)
    assert Person.objects.get(employee_number="E2").line_manager is None


def test_a_service_named_on_its_own_is_found_and_a_new_one_is_marked_new(org):
    header = "Employee number,First name,Last name,Department,Service\n"
    run(org, csv_bytes("F1,Fay,Ford,Children's Services,Children's Social Care", header=header))
    p = plan(org, csv_bytes("F2,Gus,Gray,Children's Social Care", "F3,Hal,Hunt,Brand New Team", header=HEADER_DEPT))
    outcome = {o.employee_number: o for o in p.outcomes}
    assert outcome["F2"].changes["department"] == ["", "Children's Services – Children's Social Care"]
    assert outcome["F3"].changes["department"] == ["", "Brand New Team (new)"]


HEADER_DEPT = "Employee number,First name,Last name,Department\n"


def test_a_reused_employee_number_is_flagged_for_a_check(org):
    run(org, csv_bytes(*BASIC))
    p = plan(org, csv_bytes(BASIC[2].replace("Cara,Jones,cara.jones", "Dan,Smith,dan.smith")))
    (outcome,) = p.outcomes
    assert outcome.outcome == "changed"
    assert outcome.warnings and "still belongs to the same person" in outcome.warnings[0]


def test_a_tier_set_by_hand_is_left_alone_by_the_import(org):
    first = TierFactory(organisation=org, rank=1, name="Aspiring manager")
    second = TierFactory(organisation=org, rank=2, name="Core manager")
    GradeMappingFactory(tier=first, grade="G9")
    run(org, csv_bytes("H1,Ivy,Ives,,,G9,,,"))
    person = Person.objects.get(employee_number="H1")
    assert person.tier == first
    person.tier, person.tier_set_by_hand = second, True
    person.save()
    p = run(org, csv_bytes("H1,Ivy,Ives,,,G9,,,"))
    assert p.counts()["unchanged"] == 1
    person.refresh_from_db()
    assert person.tier == second
