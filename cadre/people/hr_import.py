"""Reading an HR system's staff export and planning what importing it would change.

Nothing here writes to the database: `plan_import` reads the file and the organisation's
current people, and returns every row's outcome (new, changed with the changed fields,
unchanged, left, or error with the row number and the reason). `services.import_apply`
carries out a plan with no errors, all or nothing."""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email

from cadre.core.errors import Problem, ValidationError
from cadre.kernels.hierarchy import find_cycles
from cadre.people.models import Person, RoleType


class Mode:
    PARTIAL = "partial"
    FULL = "full"
    CHOICES = (PARTIAL, FULL)


# Cadre's import fields and the column headings other systems use for them. Headings are
# compared after normalising: lower case, punctuation and extra spaces removed.
FIELD_ALIASES: dict[str, list[str]] = {
    "employee_number": [
        "employee number",
        "employee no",
        "employee id",
        "employee ref",
        "employee reference",
        "emp no",
        "emp number",
        "staff number",
        "staff no",
        "staff id",
        "payroll number",
        "payroll no",
        "person number",
        "person id",
        "assignment number",
    ],
    "first_name": ["first name", "forename", "forenames", "given name", "given names", "first names"],
    "last_name": ["last name", "surname", "family name", "last names"],
    "full_name": ["name", "full name", "employee name", "staff name"],
    "email": ["email", "email address", "work email", "work email address", "e mail", "e mail address"],
    "job_title": ["job title", "post title", "position", "position title", "job", "role title"],
    "grade": ["grade", "pay grade", "band", "pay band", "salary grade"],
    "department": ["department", "directorate", "division", "department name"],
    "service": ["service", "service area", "team", "section", "unit"],
    "manager_employee_number": [
        "manager employee number",
        "line manager employee number",
        "manager number",
        "manager no",
        "manager id",
        "line manager id",
        "line manager number",
        "manager employee id",
        "reports to",
        "supervisor id",
        "supervisor number",
    ],
    "tier": ["tier", "development tier", "leadership tier"],
    "role_type": ["role type", "person type", "staff type", "worker type"],
    "start_date": ["start date", "date started", "hire date", "employment start date", "date joined"],
    "status": ["status", "employment status"],
    "leaving_date": ["leaving date", "left on", "date left", "end date", "termination date"],
    "endorser_employee_number": ["endorser employee number", "endorsed by", "endorser"],
}

FIELD_LABELS = {
    "employee_number": "employee number",
    "first_name": "first name",
    "last_name": "last name",
    "full_name": "name",
    "email": "email",
    "job_title": "job title",
    "grade": "grade",
    "department": "department",
    "service": "service",
    "manager_employee_number": "line manager's employee number",
    "tier": "tier",
    "role_type": "role type",
    "start_date": "start date",
    "status": "status",
    "leaving_date": "leaving date",
    "endorser_employee_number": "endorser's employee number",
}

MAX_LENGTHS = {
    "employee_number": 40,
    "first_name": 100,
    "last_name": 100,
    "email": 254,
    "job_title": 200,
    "grade": 60,
    "department": 200,
    "service": 200,
}

ROLE_TYPE_WORDS = {
    "officer": RoleType.OFFICER,
    "employee": RoleType.OFFICER,
    "staff": RoleType.OFFICER,
    "elected member": RoleType.ELECTED_MEMBER,
    "councillor": RoleType.ELECTED_MEMBER,
    "member": RoleType.ELECTED_MEMBER,
    "partner staff": RoleType.PARTNER_STAFF,
    "partner": RoleType.PARTNER_STAFF,
    "external participant": RoleType.EXTERNAL_PARTICIPANT,
    "external": RoleType.EXTERNAL_PARTICIPANT,
    "service user or carer": RoleType.SERVICE_USER_OR_CARER,
    "service user": RoleType.SERVICE_USER_OR_CARER,
    "carer": RoleType.SERVICE_USER_OR_CARER,
}
for _value, _label in RoleType.choices:
    ROLE_TYPE_WORDS[_value.replace("_", " ")] = RoleType(_value)
    ROLE_TYPE_WORDS[_label.lower()] = RoleType(_value)

STATUS_WORDS = {
    "active": Person.Status.ACTIVE,
    "current": Person.Status.ACTIVE,
    "employed": Person.Status.ACTIVE,
    "left": Person.Status.LEFT,
    "leaver": Person.Status.LEFT,
    "inactive": Person.Status.LEFT,
    "terminated": Person.Status.LEFT,
}

# The person fields an import can set, in the order changes are reported.
PERSON_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "job_title",
    "grade",
    "department",
    "tier",
    "role_type",
    "start_date",
    "status",
    "left_on",
    "manager",
    "endorser",
]


def normalise_heading(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


_ALIAS_TO_FIELD = {normalise_heading(alias): name for name, aliases in FIELD_ALIASES.items() for alias in aliases}
for _name in FIELD_ALIASES:
    _ALIAS_TO_FIELD[normalise_heading(_name)] = _name


@dataclass
class Table:
    headings: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)


# --- reading ---------------------------------------------------------------------------------


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as Excel saves CSV."""
    if b"\x00" in data[:65536]:
        raise ValidationError(
            Problem("The file is not a text file. Upload a CSV file (UTF-8 or Windows-1252) or an XLSX workbook.")
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        match = _CONTROL.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            raise ValidationError(
                Problem(
                    f"The file is not readable text: line {line} holds a control character. "
                    "Save it from the HR system or spreadsheet as CSV (UTF-8) and try again."
                )
            )
        return text
    raise ValidationError(Problem("The file is not text in UTF-8 or Windows-1252, so it cannot be read."))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(
            Problem(f"The file is not a readable XLSX workbook ({type(error).__name__}). Save it again from Excel.")
        ) from error
    try:
        names = workbook.sheetnames
        if len(names) != 1:
            listed = ", ".join(f"‘{n}’" for n in names)
            raise ValidationError(
                Problem(
                    f"The workbook has {len(names)} sheets ({listed}). Keep only the sheet with the staff "
                    "list, or save that sheet as CSV, and upload it again."
                )
            )
        rows = workbook[names[0]].iter_rows(values_only=True)
        headings = [_cell_text(v) for v in next(rows, ())]
        body = [(number, [_cell_text(v) for v in row]) for number, row in enumerate(rows, start=2)]
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(
            Problem(f"The workbook is damaged and cannot be read ({type(error).__name__}). Save it again from Excel.")
        ) from error
    finally:
        workbook.close()
    return Table(headings=headings, rows=body)


def read_csv(data: bytes) -> Table:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headings = [h.strip() for h in next(reader, [])]
        body = []
        for row in reader:
            body.append((reader.line_num, [c.strip() for c in row]))
    except csv.Error as error:
        raise ValidationError(Problem(f"The CSV file is malformed near line {reader.line_num}: {error}.")) from error
    return Table(headings=headings, rows=body)


def read_table(data: bytes, filename: str = "") -> Table:
    if not data or not data.strip():
        raise ValidationError(Problem("The file is empty."))
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        table = read_xlsx(data)
    else:
        table = read_csv(data)
    table.rows = [(number, cells) for number, cells in table.rows if any(c for c in cells)]
    if not any(table.headings):
        raise ValidationError(Problem("The file has no heading row. The first row must name the columns."))
    if not table.rows:
        raise ValidationError(Problem("The file has a heading row but no staff rows."))
    return table


# --- columns -------------------------------------------------------------------------------


def load_mapping(text: str) -> dict[str, str]:
    """A column mapping file: YAML (or JSON) mapping headings to Cadre's fields, at the top level
    or under `columns:`."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValidationError(Problem(f"The column mapping is not readable YAML ({type(error).__name__}).")) from error
    if isinstance(data, dict) and isinstance(data.get("columns"), dict):
        data = data["columns"]
    if not isinstance(data, dict) or not data:
        raise ValidationError(Problem("The column mapping must map each of your column headings to a Cadre field."))
    bad = [f"{k}: {v}" for k, v in data.items() if not isinstance(k, str) or not isinstance(v, str)]
    if bad:
        raise ValidationError(
            Problem(f"In the column mapping, each heading and field must be text. Check: {', '.join(bad[:5])}.")
        )
    return data


def map_columns(headings: list[str], mapping: dict[str, str] | None = None) -> dict[str, int]:
    """Which column holds each field. `mapping` maps another system's headings to Cadre's fields."""
    custom = {normalise_heading(k): v for k, v in (mapping or {}).items()}
    problems = []
    unknown_targets = sorted({v for v in custom.values() if v not in FIELD_ALIASES and v != "ignore"})
    if unknown_targets:
        problems.append(
            Problem(
                f"The column mapping names fields Cadre does not have: {', '.join(unknown_targets)}. "
                f"Fields are: {', '.join(FIELD_ALIASES)} (or ignore)."
            )
        )
    columns: dict[str, int] = {}
    for index, heading in enumerate(headings):
        key = normalise_heading(heading)
        if not key:
            continue
        name = custom.get(key) or _ALIAS_TO_FIELD.get(key)
        if name is None or name == "ignore":
            continue
        if name in columns:
            problems.append(
                Problem(
                    f"Columns ‘{headings[columns[name]]}’ and ‘{heading}’ both give the {FIELD_LABELS[name]}. "
                    "Remove one of them, or map one to ignore.",
                    field=heading,
                )
            )
            continue
        columns[name] = index
    missing = []
    if "employee_number" not in columns:
        missing.append("employee number")
    if "full_name" not in columns:
        if "first_name" not in columns:
            missing.append("first name")
        if "last_name" not in columns:
            missing.append("last name")
    if missing:
        problems.append(
            Problem(
                f"The file has no {' or '.join(missing)} column. Found columns: "
                f"{', '.join(h for h in headings if h) or 'none'}. Rename the column in the file, or upload a "
                "column mapping that says which column it is."
            )
        )
    if problems:
        raise ValidationError(problems)
    return columns


# --- values ----------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y")


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)


def parse_date(text: str) -> date:
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", text):
        text = text[:10]
    # The two forms HR exports use, read without strptime (a tenth of the time, and the same
    # answer); anything else, or an impossible date, goes the long way for its message.
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := _UK_DATE.fullmatch(text):
        day, month, year = match.groups()
    if match:
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}", text):
        raise ValueError(f"‘{text}’ is not a real date")
    raise ValueError(f"‘{text}’ is not a date: use the form 31/01/2024 or 2024-01-31")


@dataclass
class Row:
    number: int
    employee_number: str
    values: dict = field(default_factory=dict)
    manager_number: str | None = None  # None: not given in the file (or blank)
    endorser_number: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()


@dataclass
class Outcome:
    row: int | None
    employee_number: str
    name: str
    outcome: str  # new, changed, unchanged, left, error
    changes: dict = field(default_factory=dict)  # field -> [before, after], as text
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # worth a look, but not refused

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "employee_number": self.employee_number,
            "name": self.name,
            "outcome": self.outcome,
            "changes": self.changes,
            "problems": self.problems,
            "warnings": self.warnings,
        }


@dataclass
class Plan:
    organisation_id: int
    mode: str
    columns: list[str]
    outcomes: list[Outcome]
    rows: list[Row]
    problems: list[Problem]  # every refusal, with row and column
    existing: dict  # employee number -> current values (see _existing_people)
    departments_needed: list[tuple[str, str]]  # (department, service or "")

    def counts(self) -> dict[str, int]:
        counts = {"new": 0, "changed": 0, "unchanged": 0, "left": 0, "errors": 0}
        for outcome in self.outcomes:
            key = "errors" if outcome.outcome == "error" else outcome.outcome
            counts[key] += 1
        if self.problems and not counts["errors"]:
            counts["errors"] = len({p.row for p in self.problems})
        return counts

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary_line(self) -> str:
        c = self.counts()
        return f"new={c['new']} changed={c['changed']} unchanged={c['unchanged']} left={c['left']} errors={c['errors']}"


class _Lookups:
    """The organisation's tiers, grade mappings and departments, loaded once."""

    def __init__(self, organisation_id: int):
        from cadre.core.models import Department
        from cadre.frameworks.models import GradeMapping, Tier

        # The tiers of the organisation's published frameworks (a person's tier is always a published one).
        published = Tier.objects.filter(organisation_id=organisation_id, version__status="published")
        tiers = list(published.values_list("id", "name", "rank"))
        self.tier_names = {tier_id: name for tier_id, name, _ in tiers}
        self.tier_by_word = {}
        for tier_id, name, rank in tiers:
            self.tier_by_word[name.lower()] = tier_id
            self.tier_by_word[str(rank)] = tier_id
            self.tier_by_word[f"tier {rank}"] = tier_id
        self.tier_by_grade = {
            grade.lower(): tier_id
            for grade, tier_id in GradeMapping.objects.filter(
                tier__organisation_id=organisation_id, tier__version__status="published"
            ).values_list("grade", "tier_id")
        }
        # (parent's name, name), lower case, -> id; a top-level department has no parent name.
        self.departments: dict[tuple[str, str], int] = {}
        self.department_names: dict[int, str] = {}
        for dept_id, name, parent_name in Department.objects.filter(organisation_id=organisation_id).values_list(
            "id", "name", "parent__name"
        ):
            self.departments[((parent_name or "").lower(), name.lower())] = dept_id
            self.department_names[dept_id] = f"{parent_name} – {name}" if parent_name else name


def _clean_row(number: int, cells: list[str], columns: dict[str, int], lookups: _Lookups) -> Row:
    def cell(name: str) -> str | None:
        index = columns.get(name)
        if index is None:
            return None
        return cells[index].strip() if index < len(cells) else ""

    row = Row(number=number, employee_number=(cell("employee_number") or ""))
    values = row.values

    def problem(name: str, message: str) -> None:
        row.problems.append(Problem(message, field=FIELD_LABELS.get(name, name), row=number))

    if not row.employee_number:
        problem("employee_number", "The employee number is blank.")
    if "full_name" in columns and "first_name" not in columns and "last_name" not in columns:
        full = cell("full_name") or ""
        if "," in full:
            last, _, first = full.partition(",")
        else:
            first, _, last = full.rpartition(" ")
        values["first_name"], values["last_name"] = first.strip(), last.strip()
        if not values["first_name"] or not values["last_name"]:
            problem("full_name", f"‘{full}’ is not a full name: give a first name and a last name.")
    else:
        for name in ("first_name", "last_name"):
            values[name] = cell(name) or ""
            if not values[name]:
                problem(name, f"The {FIELD_LABELS[name]} is blank.")
    for name in ("email", "job_title", "grade"):
        text = cell(name)
        if text is not None:
            values[name] = text
    if values.get("email"):
        values["email"] = values["email"].lower()
        try:
            validate_email(values["email"])
        except DjangoValidationError:
            problem("email", f"‘{values['email']}’ is not a valid email address.")
    for name, limit in MAX_LENGTHS.items():
        text = values.get(name) if name in values else None
        if text and len(text) > limit:
            problem(name, f"The {FIELD_LABELS[name]} is longer than {limit} characters.")

    department, service = cell("department"), cell("service")
    if department is not None or service is not None:
        values["department"] = ((department or "").strip(), (service or "").strip())
        for name, text in (("department", department), ("service", service)):
            if text and len(text) > MAX_LENGTHS[name]:
                problem(name, f"The {name} name is longer than {MAX_LENGTHS[name]} characters.")

    role_text = cell("role_type")
    if role_text:
        role = ROLE_TYPE_WORDS.get(normalise_heading(role_text))
        if role is None:
            problem(
                "role_type",
                f"‘{role_text}’ is not a role type. Use one of: {', '.join(label for _, label in RoleType.choices)}.",
            )
        else:
            values["role_type"] = role
    elif role_text is not None:
        values["role_type"] = RoleType.OFFICER

    tier_text = cell("tier")
    if tier_text:
        tier_id = lookups.tier_by_word.get(tier_text.lower())
        if tier_id is None:
            known = ", ".join(lookups.tier_names.values()) or "none set up yet"
            problem("tier", f"‘{tier_text}’ is not one of the organisation's tiers ({known}).")
        else:
            values["tier"] = tier_id
    elif values.get("grade") and values["grade"].lower() in lookups.tier_by_grade:
        values["tier"] = lookups.tier_by_grade[values["grade"].lower()]

    for name, target in (("start_date", "start_date"), ("leaving_date", "left_on")):
        text = cell(name)
        if text:
            try:
                values[target] = parse_date(text)
            except ValueError as error:
                problem(name, f"{error}.")
        elif text is not None:
            values[target] = None

    status_text = cell("status")
    if status_text:
        status = STATUS_WORDS.get(status_text.lower())
        if status is None:
            problem("status", f"‘{status_text}’ is not a status. Use active or left.")
        else:
            values["status"] = status
    elif values.get("left_on"):
        values["status"] = Person.Status.LEFT
    elif status_text is not None or "left_on" in values:
        values["status"] = Person.Status.ACTIVE
    if values.get("status") == Person.Status.ACTIVE and "left_on" in values:
        values["left_on"] = None

    manager = cell("manager_employee_number")
    if manager is not None:
        row.manager_number = manager or ""
        if manager and manager == row.employee_number:
            problem("manager_employee_number", "A person cannot be their own line manager.")
    endorser = cell("endorser_employee_number")
    if endorser is not None:
        row.endorser_number = endorser or ""
        if endorser and endorser == row.employee_number:
            problem("endorser_employee_number", "A person cannot endorse their own development.")
    return row


# The person columns an import reads and writes (by attribute name).
IMPORTED_COLUMNS = [
    "first_name",
    "last_name",
    "email",
    "job_title",
    "grade",
    "department_id",
    "tier_id",
    "role_type",
    "start_date",
    "status",
    "left_on",
    "line_manager_id",
    "endorser_id",
]


def _existing_people(organisation_id: int) -> dict[str, dict]:
    """Current values of everyone in the organisation with an employee number, keyed by it."""
    people = list(
        Person.objects.filter(organisation_id=organisation_id, employee_number__isnull=False).values(
            "id", "employee_number", "tier_set_by_hand", *IMPORTED_COLUMNS
        )
    )
    number_of = {p["id"]: p["employee_number"] for p in people}
    existing = {}
    for p in people:
        p["manager"] = number_of.get(p.pop("line_manager_id")) or ""
        p["endorser"] = number_of.get(p.pop("endorser_id")) or ""
        p["department"] = p.pop("department_id")
        p["tier"] = p.pop("tier_id")
        existing[p["employee_number"]] = p
    return existing


def _display(name: str, value, lookups: _Lookups) -> str:
    if value is None or value == "":
        return ""
    if name == "tier":
        return lookups.tier_names.get(value, str(value))
    if name == "department":
        if isinstance(value, tuple):
            department, service = value
            return f"{department} – {service} (new)" if service else f"{department} (new)"
        return lookups.department_names.get(value, str(value))
    if name == "role_type":
        return RoleType(value).label
    if name == "status":
        return Person.Status(value).label
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _identity_warnings(changes: dict) -> list[str]:
    """A changed name and a changed email together suggest the employee number now belongs to
    someone else: worth checking before confirming."""
    if ("first_name" in changes or "last_name" in changes) and "email" in changes:
        return [
            "The name and the email both change. Check that this employee number still belongs to the same "
            "person: a number reused for someone new would overwrite the old record."
        ]
    return []


def department_key(value: tuple[str, str], departments: dict[tuple[str, str], int]):
    """Where a row puts a person: the id of the existing department, or of the service inside the
    named department; or, when that does not exist yet, the (department, service) pair to create.
    A service is always looked up inside its own department, so services of the same name in two
    departments stay apart. With no department given, the service is taken as a department."""
    department, service = value
    if not department:
        department, service = service, ""
    if not department:
        return None
    if service:
        return departments.get((department.lower(), service.lower()), (department, service))
    if ("", department.lower()) in departments:
        return departments[("", department.lower())]
    # Pages show a person's service as their department, so a file may name the service alone:
    # when exactly one service has that name, that is the one meant.
    services = [pk for (parent, name), pk in departments.items() if parent and name == department.lower()]
    return services[0] if len(services) == 1 else (department, "")


def plan_import(
    *, organisation_id: int, data: bytes, filename: str = "", mode: str = Mode.PARTIAL, mapping=None
) -> Plan:
    """Read the file and work out every row's outcome. Raises ValidationError for a file that
    cannot be read at all; problems with rows are in the plan."""
    if mode not in Mode.CHOICES:
        raise ValidationError(Problem(f"‘{mode}’ is not an import mode: use partial or full.", field="mode"))
    table = read_table(data, filename)
    columns = map_columns(table.headings, mapping)
    lookups = _Lookups(organisation_id)
    rows = [_clean_row(number, cells, columns, lookups) for number, cells in table.rows]
    existing = _existing_people(organisation_id)
    problems: list[Problem] = []

    # Duplicates within the file.
    first_row_of: dict[str, int] = {}
    first_email_row: dict[str, int] = {}
    for row in rows:
        if row.employee_number:
            if row.employee_number in first_row_of:
                row.problems.append(
                    Problem(
                        f"Employee number {row.employee_number} is also on row {first_row_of[row.employee_number]}.",
                        field="employee number",
                        row=row.number,
                    )
                )
            else:
                first_row_of[row.employee_number] = row.number
        email = row.values.get("email")
        if email:
            if email in first_email_row:
                row.problems.append(
                    Problem(
                        f"The email address {email} is also on row {first_email_row[email]}.",
                        field="email",
                        row=row.number,
                    )
                )
            else:
                first_email_row[email] = row.number

    in_file = {row.employee_number: row for row in rows if row.employee_number}

    # References: managers and endorsers must be in the file or (partial mode) already known.
    def resolvable(number: str) -> bool:
        return number in in_file or (mode == Mode.PARTIAL and number in existing)

    for row in rows:
        for attribute, label in (
            ("manager_number", "manager_employee_number"),
            ("endorser_number", "endorser_employee_number"),
        ):
            number = getattr(row, attribute)
            if number and not resolvable(number):
                where = "in the file" if mode == Mode.FULL else "in the file or in Cadre"
                extra = (
                    " (in full mode everyone missing from the file is marked as left)"
                    if (mode == Mode.FULL and number in existing)
                    else ""
                )
                who = "line manager" if attribute == "manager_number" else "endorser"
                row.problems.append(
                    Problem(
                        f"The {who} {number} is not {where}{extra}.",
                        field=FIELD_LABELS[label],
                        row=row.number,
                    )
                )

    # Elected members have no line manager, whichever of the two the file changes.
    for row in rows:
        current = existing.get(row.employee_number, {})
        role = row.values.get("role_type", current.get("role_type", RoleType.OFFICER))
        manager = row.manager_number if row.manager_number is not None else current.get("manager", "")
        if role == RoleType.ELECTED_MEMBER and manager and not row.problems:
            source = "the file" if row.manager_number else "Cadre's record"
            row.problems.append(
                Problem(
                    f"An elected member has no line manager, but {source} names {manager}. "
                    "Leave the line manager blank and name an endorser instead.",
                    field=FIELD_LABELS["manager_employee_number"],
                    row=row.number,
                )
            )

    # Cycles: the line-management graph as it would be after the import.
    numbers = sorted(existing.keys() | in_file.keys())
    index_of = {number: i for i, number in enumerate(numbers)}
    parent = []
    for number in numbers:
        row = in_file.get(number)
        if row is not None and row.manager_number is not None:
            manager = row.manager_number
        else:
            manager = existing.get(number, {}).get("manager", "")
        parent.append(index_of.get(manager, -1) if manager else -1)
    for cycle in find_cycles(parent):
        chain = [numbers[i] for i in cycle]
        described = " → ".join([*chain, chain[0]])
        for number in chain:
            row = in_file.get(number)
            if row is not None:
                row.problems.append(
                    Problem(
                        f"This line manager would make a cycle: {described}.",
                        field=FIELD_LABELS["manager_employee_number"],
                        row=row.number,
                    )
                )
        if not any(number in in_file for number in chain):
            problems.append(Problem(f"The people already in Cadre hold a line-management cycle: {described}."))

    # Outcomes.
    outcomes: list[Outcome] = []
    departments_needed: set[tuple[str, str]] = set()
    for row in rows:
        if row.problems:
            problems.extend(row.problems)
            outcomes.append(
                Outcome(
                    row.number,
                    row.employee_number,
                    row.name,
                    "error",
                    problems=[p.message for p in row.problems],
                )
            )
            continue
        wanted = dict(row.values)
        if "department" in wanted:
            key = department_key(wanted["department"], lookups.departments)
            wanted["department"] = row.values["department"] = key
            if isinstance(key, tuple):
                departments_needed.add(key)
        if row.manager_number is not None:
            wanted["manager"] = row.manager_number
        if row.endorser_number is not None:
            wanted["endorser"] = row.endorser_number
        current = existing.get(row.employee_number)
        if current is None:
            changes = {
                name: ["", _display(name, wanted[name], lookups)]
                for name in PERSON_FIELDS
                if name in wanted and wanted[name] not in (None, "")
            }
            outcomes.append(Outcome(row.number, row.employee_number, row.name, "new", changes=changes))
            continue
        if current.get("tier_set_by_hand"):
            wanted.pop("tier", None)  # an administrator chose this tier by hand: the import leaves it
        if "status" not in wanted and current["status"] == Person.Status.LEFT:
            wanted["status"] = Person.Status.ACTIVE  # back in the HR export: rejoined
            wanted.setdefault("left_on", None)
        changes = {}
        for name in PERSON_FIELDS:
            if name not in wanted:
                continue
            before, after = current.get(name), wanted[name]
            if (before or None) != (after or None):
                changes[name] = [_display(name, before, lookups), _display(name, after, lookups)]
        outcomes.append(
            Outcome(
                row.number,
                row.employee_number,
                row.name,
                "changed" if changes else "unchanged",
                changes=changes,
                warnings=_identity_warnings(changes),
            )
        )

    if mode == Mode.FULL:
        for number, current in existing.items():
            if number not in in_file and current["status"] == Person.Status.ACTIVE:
                outcomes.append(
                    Outcome(
                        None,
                        number,
                        f"{current['first_name']} {current['last_name']}",
                        "left",
                        changes={"status": ["Active", "Left"]},
                    )
                )

    return Plan(
        organisation_id=organisation_id,
        mode=mode,
        columns=sorted(columns, key=columns.get),
        outcomes=outcomes,
        rows=rows,
        problems=problems,
        existing=existing,
        departments_needed=sorted(departments_needed),
    )


def outcome_fingerprint(outcomes: Iterable[Outcome]) -> str:
    """A short digest of a plan's outcomes, to tell whether anything moved between preview and confirm."""
    import hashlib
    import json

    digest = hashlib.sha256()
    for outcome in outcomes:
        digest.update(json.dumps(outcome.as_dict(), sort_keys=True, default=str).encode())
    return digest.hexdigest()[:32]
