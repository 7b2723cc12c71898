"""The HR import at scale: an organisation of `size` people, then a full-mode file of `size` rows.

The organisation has a line-management tree (everyone but the chief executive has a manager
above them), directorates with services, grades mapped to tiers. The file, in a shuffled
order so that reports often come before their managers, holds:

- every current member of staff except the leavers (a tenth, missing from the file, so full
  mode marks them as left) — some with a new job title, line manager, service, grade (and so
  tier), email or surname, and a few marked as left in the file with a leaving date;
- new starters (as many as the leavers), managed by existing managers or by other new
  starters, some of them in a directorate and services that do not exist yet.

`measure(size)` times `plan_import` and `import_apply`, then checks every person in the
database against what the generator expected and counts the audit entries."""

import csv
import io
import random
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench import database_label, format_table

SEED = 20240601
FIRST_NAMES = (
    "Amelia",
    "Aisha",
    "Ben",
    "Bethan",
    "Callum",
    "Chloe",
    "Dev",
    "Eilidh",
    "Farah",
    "Finn",
    "Grace",
    "Harry",
    "Imran",
    "Isla",
    "Jack",
    "Jade",
    "Kai",
    "Leah",
    "Liam",
    "Maya",
    "Mohammed",
    "Niamh",
    "Noah",
    "Olivia",
    "Priya",
    "Rhys",
    "Ruby",
    "Sam",
    "Siobhan",
    "Tom",
    "Una",
    "Viktor",
    "Wren",
    "Yusuf",
    "Zara",
    "Zoë",
)
LAST_NAMES = (
    "Adams",
    "Ahmed",
    "Brown",
    "Campbell",
    "Clarke",
    "Davies",
    "Evans",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Murphy",
    "Nowak",
    "Okoro",
    "Patel",
    "Roberts",
    "Robinson",
    "Shah",
    "Smith",
    "Taylor",
    "Thomas",
    "Walker",
    "Williams",
    "Wilson",
    "Wright",
    "Young",
    "Ó Briain",
)
JOB_TITLES = (
    "Social worker",
    "Senior social worker",
    "Team manager",
    "Service manager",
    "Assistant director",
    "Director",
    "Business support officer",
    "Finance officer",
    "Accountant",
    "Planning officer",
    "Highways engineer",
    "Housing officer",
    "Environmental health officer",
    "Policy officer",
    "Project manager",
    "Solicitor",
    "Librarian",
    "Customer services adviser",
    "Data analyst",
    "HR adviser",
)
DIRECTORATES = (
    "Adult Social Care",
    "Children's Services",
    "Place",
    "Resources",
    "Public Health",
    "Housing",
    "Environment",
    "Communities",
    "Finance",
    "Legal and Governance",
    "Economy",
    "Culture and Leisure",
)
SERVICES_PER_DIRECTORATE = 6
NEW_DIRECTORATE = "Digital and Data"
NEW_SERVICES = ("Digital services", "Data and insight", "Technology operations")
GRADES = [f"G{n}" for n in range(1, 11)]
TIERS = (("Aspiring manager", 1), ("First-line manager", 2), ("Middle manager", 3), ("Senior leader", 4))
HEADER = [
    "Employee Number",
    "First Name",
    "Last Name",
    "Email",
    "Job Title",
    "Grade",
    "Department",
    "Service",
    "Manager Employee Number",
    "Start Date",
    "Status",
    "Leaving Date",
]


def ascii_word(text: str) -> str:
    """Letters only, accents dropped: ‘Ó Briain’ gives ‘OBriain’."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and c.isalpha())


def tier_rank_of(grade: str) -> int:
    number = int(grade[1:])
    return 1 if number <= 4 else 2 if number <= 6 else 3 if number <= 8 else 4


@dataclass
class Staff:
    number: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    grade: str
    directorate: str
    service: str
    manager: str  # employee number, "" for none
    start_date: date
    status: str = "active"
    left_on: date | None = None

    def row(self) -> list[str]:
        return [
            self.number,
            self.first_name,
            self.last_name,
            self.email,
            self.job_title,
            self.grade,
            self.directorate,
            self.service,
            self.manager,
            self.start_date.strftime("%d/%m/%Y"),
            "Left" if self.status == "left" else "Active",
            self.left_on.strftime("%d/%m/%Y") if self.left_on else "",
        ]


@dataclass
class Scenario:
    size: int
    existing: list[Staff]
    rows: list[Staff]  # the file, in file order
    leavers: set[str]  # missing from the file
    changed: set[str]  # existing people whose row differs
    new: set[str]
    services: dict[str, list[str]]  # directorate -> services that exist before the import
    expected: dict[str, Staff] = field(default_factory=dict)  # everyone after the import

    def csv_bytes(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(staff.row() for staff in self.rows)
        return buffer.getvalue().encode("utf-8")


def generate(size: int, seed: int = SEED) -> Scenario:
    """The same organisation and file for the same size and seed."""
    rng = random.Random(seed)
    services = {d: [f"{d}: team {k + 1}" for k in range(SERVICES_PER_DIRECTORATE)] for d in DIRECTORATES}
    service_pairs = [(d, s) for d, names in services.items() for s in names]

    def person(index: int, manager: str) -> Staff:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        number = f"E{index:07d}"
        directorate, service = rng.choice(service_pairs)
        return Staff(
            number=number,
            first_name=first,
            last_name=last,
            email=f"{ascii_word(first)}.{ascii_word(last)}.{number}@bench.example".lower(),
            job_title=rng.choice(JOB_TITLES),
            grade=rng.choice(GRADES),
            directorate=directorate,
            service=service,
            manager=manager,
            start_date=date(2000, 1, 1) + timedelta(days=rng.randrange(9000)),
        )

    # A tree: person i is managed by someone with an index near i / 6, so spans are about six.
    def manager_index(i: int) -> int:
        return rng.randrange(max(0, i // 6 - 2), i // 6 + 1)

    existing = [person(0, "")]
    has_reports = {0}
    for i in range(1, size):
        m = manager_index(i)
        has_reports.add(m)
        existing.append(person(i, existing[m].number))

    # Leavers are people without reports, so no one in the file is left without a manager.
    without_reports = [i for i in range(1, size) if i not in has_reports]
    rng.shuffle(without_reports)
    leaver_count = size // 10
    leaver_index = set(without_reports[:leaver_count])
    leaving_in_file = set(without_reports[leaver_count : leaver_count + size // 100])
    leavers = {existing[i].number for i in leaver_index}
    can_manage = [i for i in range(size) if i not in leaver_index and i not in leaving_in_file]
    may_manage = set(can_manage)

    rows: list[Staff] = []
    changed: set[str] = set()
    for i, before in enumerate(existing):
        if i in leaver_index:
            continue
        after = Staff(**before.__dict__)
        roll = rng.random()
        if i in leaving_in_file:
            after.status, after.left_on = "left", date(2024, 5, 31)
        elif roll < 0.15:
            after.job_title = rng.choice([t for t in JOB_TITLES if t != before.job_title])
        elif roll < 0.23 and i > 0:
            # A new manager above them in the tree keeps the graph free of cycles.
            lower = [j for j in range(max(0, i // 6 - 10), i // 6 + 1) if j in may_manage]
            choice = existing[rng.choice(lower)].number if lower else before.manager
            after.manager = choice
        elif roll < 0.30:
            after.directorate, after.service = rng.choice(service_pairs)
        elif roll < 0.31:
            after.directorate, after.service = NEW_DIRECTORATE, rng.choice(NEW_SERVICES)
        elif roll < 0.36:
            after.grade = rng.choice(GRADES)
        elif roll < 0.38:
            after.email = after.email.replace("@bench.example", "@new.bench.example")
        elif roll < 0.39:
            after.last_name = rng.choice(LAST_NAMES)
        if after != before:
            changed.add(after.number)
        rows.append(after)

    new: set[str] = set()
    managers = [existing[i].number for i in can_manage if i in has_reports]
    new_numbers: list[str] = []
    for k in range(len(leavers)):
        # Managed by an existing manager, or (one in five) by a new starter listed before them.
        manager = rng.choice(new_numbers) if new_numbers and rng.random() < 0.2 else rng.choice(managers)
        starter = person(size + k, manager)
        if rng.random() < 0.05:
            starter.directorate, starter.service = NEW_DIRECTORATE, rng.choice(NEW_SERVICES)
        starter.start_date = date(2024, 6, 1) + timedelta(days=rng.randrange(60))
        new.add(starter.number)
        new_numbers.append(starter.number)
        rows.append(starter)
    rng.shuffle(rows)

    expected = {staff.number: staff for staff in rows}
    for i in leaver_index:
        expected[existing[i].number] = existing[i]
    return Scenario(
        size=size,
        existing=existing,
        rows=rows,
        leavers=leavers,
        changed=changed,
        new=new,
        services=services,
        expected=expected,
    )


def build_organisation(scenario: Scenario, *, slug: str):
    """The organisation before the import, written in bulk (levels of the tree in turn)."""
    from cadre.core.models import Department, Organisation, User
    from cadre.frameworks.models import Framework, FrameworkVersion, GradeMapping, Tier
    from cadre.kernels.hierarchy import depths
    from cadre.people.models import Person

    organisation = Organisation.objects.create(slug=slug, name=f"Benchmark Borough Council ({slug})")
    framework = Framework.objects.create(
        owner_organisation=organisation, slug="leadership", name="Leadership framework", role_types=["officer"]
    )
    version = FrameworkVersion.objects.create(framework=framework, number=1, status="published")
    tiers = {
        rank: Tier.objects.create(version=version, organisation=organisation, key=f"tier-{rank}", name=name, rank=rank)
        for name, rank in TIERS
    }
    GradeMapping.objects.bulk_create(GradeMapping(grade=grade, tier=tiers[tier_rank_of(grade)]) for grade in GRADES)
    department_ids = {}
    for directorate, names in scenario.services.items():
        parent = Department.objects.create(organisation=organisation, name=directorate)
        created = Department.objects.bulk_create(
            Department(organisation=organisation, name=name, parent=parent) for name in names
        )
        department_ids.update({department.name: department.pk for department in created})

    index_of = {staff.number: i for i, staff in enumerate(scenario.existing)}
    parent = [index_of[staff.manager] if staff.manager else -1 for staff in scenario.existing]
    levels: dict[int, list[int]] = {}
    for i, depth in enumerate(depths(parent)):
        levels.setdefault(depth, []).append(i)
    id_of: dict[str, int] = {}
    for depth in sorted(levels):
        batch = []
        for i in levels[depth]:
            staff = scenario.existing[i]
            batch.append(
                Person(
                    organisation=organisation,
                    employee_number=staff.number,
                    first_name=staff.first_name,
                    last_name=staff.last_name,
                    email=staff.email,
                    job_title=staff.job_title,
                    grade=staff.grade,
                    department_id=department_ids[staff.service],
                    tier=tiers[tier_rank_of(staff.grade)],
                    line_manager_id=id_of[staff.manager] if staff.manager else None,
                    start_date=staff.start_date,
                )
            )
        for person in Person.objects.bulk_create(batch, batch_size=2000):
            id_of[person.employee_number] = person.pk
    actor = User.objects.create_user(email=f"hr.{slug}@bench.example", password=None, full_name="HR administrator")
    return organisation, actor


def check(scenario: Scenario, organisation) -> int:
    """Compare everyone in the database with what the generator expects; return how many match."""
    from cadre.people.models import Person

    rows = Person.objects.filter(organisation=organisation).values_list(
        "employee_number",
        "first_name",
        "last_name",
        "email",
        "job_title",
        "grade",
        "department__name",
        "department__parent__name",
        "line_manager__employee_number",
        "status",
        "left_on",
        "tier__rank",
    )
    found = {row[0]: row for row in rows}
    if found.keys() != scenario.expected.keys():
        raise AssertionError(
            f"{len(found)} people in the database, {len(scenario.expected)} expected "
            f"({len(found.keys() - scenario.expected.keys())} unexpected, "
            f"{len(scenario.expected.keys() - found.keys())} missing)."
        )
    for number, staff in scenario.expected.items():
        leaver = number in scenario.leavers
        wanted = (
            number,
            staff.first_name,
            staff.last_name,
            staff.email,
            staff.job_title,
            staff.grade,
            staff.service,
            staff.directorate,
            staff.manager or None,
            "left" if leaver or staff.status == "left" else "active",
            staff.left_on,
            tier_rank_of(staff.grade),
        )
        got = found[number]
        if leaver:
            got = (*got[:10], None, got[11])  # marked as left today
        if got != wanted:
            raise AssertionError(f"{number} is {got}, expected {wanted}.")
    return len(found)


def measure(size: int, *, seed: int = SEED) -> dict:
    """Import a full-mode file of `size` rows over an organisation of `size` people."""
    from django.db import connection

    from cadre.core.models import AuditEntry, Organisation
    from cadre.people.hr_import import Mode, plan_import
    from cadre.people.services import import_apply

    scenario = generate(size, seed)
    started = time.perf_counter()
    organisation, actor = build_organisation(scenario, slug=f"bench-import-{size}-{Organisation.objects.count()}")
    setup_s = time.perf_counter() - started
    data = scenario.csv_bytes()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    started = time.perf_counter()
    plan = plan_import(organisation_id=organisation.pk, data=data, filename="staff.csv", mode=Mode.FULL)
    planned = time.perf_counter()
    if not plan.ok:
        raise AssertionError(f"The generated file has problems: {[str(p) for p in plan.problems[:5]]}")
    counts = import_apply(plan=plan, actor=actor)
    applied = time.perf_counter()

    expected_counts = {
        "new": len(scenario.new),
        "changed": len(scenario.changed),
        "unchanged": size - len(scenario.leavers) - len(scenario.changed),
        "left": len(scenario.leavers),
        "errors": 0,
    }
    if counts != expected_counts:
        raise AssertionError(f"The import counted {counts}, the generator expected {expected_counts}.")
    people = check(scenario, organisation)
    audit_entries = AuditEntry.objects.filter(organisation=organisation, event="people.imported").count()
    expected_entries = expected_counts["new"] + expected_counts["changed"] + expected_counts["left"]
    if audit_entries != expected_entries:
        raise AssertionError(f"{audit_entries} audit entries written, {expected_entries} expected.")
    total = applied - started
    return {
        "database": database_label(),
        "rows": len(scenario.rows),
        "existing": size,
        "new": counts["new"],
        "changed": counts["changed"],
        "left": counts["left"],
        "people": people,
        "setup_s": setup_s,
        "plan_s": planned - started,
        "apply_s": applied - planned,
        "total_s": total,
        "rows_per_s": round(len(scenario.rows) / total),
        "audit_entries": audit_entries,
    }


COLUMNS = [
    ("database", "database"),
    ("rows", "rows"),
    ("new", "new"),
    ("changed", "changed"),
    ("left", "left"),
    ("plan_s", "plan s"),
    ("apply_s", "apply s"),
    ("total_s", "total s"),
    ("rows_per_s", "rows/s"),
    ("audit_entries", "audit entries"),
]
TARGET_S = 60.0


def table(results: list[dict]) -> str:
    size = max((r["rows"] for r in results), default=0)
    title = f"HR import, full mode, {size:,} rows over {size:,} people (target: 50,000 in under {TARGET_S:.0f} s)"
    return format_table(title, COLUMNS, results)
