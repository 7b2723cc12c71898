"""The demo data as plain records, worked out from `data.py` and a fixed seed.

`generate_demo()` touches no database and reads no clock: the same seed gives the same records,
field for field, on every machine. `services.demo_load` writes them."""

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from cadre.demo import data
from cadre.demo.data import AS_AT, OrganisationSpec, ServiceSpec


@dataclass(frozen=True)
class OrganisationRecord:
    slug: str
    name: str
    type: str
    domain: str


@dataclass(frozen=True)
class NetworkRecord:
    slug: str
    name: str
    kind: str
    members: tuple[str, ...]
    joined_on: date


@dataclass(frozen=True)
class DepartmentRecord:
    organisation: str
    name: str
    parent: str | None


@dataclass(frozen=True)
class TierRecord:
    organisation: str
    rank: int
    name: str
    audience: str
    description: str


@dataclass(frozen=True)
class GradeMappingRecord:
    organisation: str
    grade: str
    rank: int


@dataclass(frozen=True)
class PersonRecord:
    """One person. `line_manager` and `endorser` are other records' keys (their index in
    `DemoData.people`); `level` is 0 for people who refer to nobody, and otherwise one more than
    the highest level among those they refer to, so loading level by level always finds them."""

    key: int
    organisation: str
    employee_number: str | None
    first_name: str
    last_name: str
    email: str
    job_title: str
    grade: str
    department: str | None
    line_manager: int | None
    endorser: int | None
    tier_rank: int | None
    role_type: str
    start_date: date | None
    status: str
    left_on: date | None
    level: int


@dataclass(frozen=True)
class SignInRecord:
    kind: str
    person: int
    email: str
    full_name: str
    organisation: str
    roles: tuple[str, ...]
    platform_admin: bool


@dataclass(frozen=True)
class DemoData:
    organisations: tuple[OrganisationRecord, ...]
    networks: tuple[NetworkRecord, ...]
    departments: tuple[DepartmentRecord, ...]
    tiers: tuple[TierRecord, ...]
    grade_mappings: tuple[GradeMappingRecord, ...]
    people: tuple[PersonRecord, ...]
    sign_ins: tuple[SignInRecord, ...]

    def people_of(self, organisation: str) -> list[PersonRecord]:
        return [p for p in self.people if p.organisation == organisation]


@dataclass
class _Draft:
    """A person while the generator is still working on them."""

    key: int
    organisation: str
    first_name: str
    last_name: str
    job_title: str
    grade: str = ""
    department: str | None = None
    line_manager: int | None = None
    endorser: int | None = None
    role_type: str = "officer"
    start_date: date | None = None
    status: str = "active"
    left_on: date | None = None
    email_prefix: str = ""
    email_domain: str = ""
    employee_number: str | None = None
    is_staff_member: bool = False  # below team leaders, and so may have left
    reports: list[int] = field(default_factory=list)


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.people: list[_Draft] = []
        self.departments: list[DepartmentRecord] = []
        self.slots: dict[str, int] = {}

    # --- small helpers --------------------------------------------------------------------

    def name(self) -> tuple[str, str]:
        return self.rng.choice(data.FIRST_NAMES), self.rng.choice(data.LAST_NAMES)

    def started(self, mean_years: float) -> date:
        days = int(self.rng.expovariate(1 / (mean_years * 365.25)))
        return AS_AT - timedelta(days=min(max(days, 45), 38 * 365))

    def add(self, organisation: OrganisationSpec, manager: int | None, **fields) -> int:
        first, last = self.name()
        draft = _Draft(
            key=len(self.people),
            organisation=organisation.slug,
            first_name=first,
            last_name=last,
            line_manager=manager,
            email_domain=organisation.domain,
            **fields,
        )
        self.people.append(draft)
        if manager is not None:
            self.people[manager].reports.append(draft.key)
        return draft.key

    def tag(self, slot: str, key: int) -> None:
        self.slots.setdefault(slot, key)

    # --- an organisation ------------------------------------------------------------------

    def organisation(self, spec: OrganisationSpec) -> None:
        names = [d.name for d in spec.directorates]
        chief_department = "Chief Executive's Office" if "Chief Executive's Office" in names else None
        chief = self.add(
            spec,
            None,
            job_title=spec.chief_title,
            grade=spec.chief_grade,
            department=chief_department,
            start_date=self.started(5),
        )
        self.tag(f"chief:{spec.slug}", chief)
        if spec.assistant:
            self.add(
                spec,
                chief,
                job_title=f"{spec.assistant.title} to the {spec.chief_title}",
                grade=spec.assistant.grade,
                department=chief_department,
                start_date=self.started(6),
            )
        for directorate in spec.directorates:
            self.departments.append(DepartmentRecord(spec.slug, directorate.name, None))
            director = self.add(
                spec,
                chief,
                job_title=directorate.director_title,
                grade=spec.director_grade,
                department=directorate.name,
                start_date=self.started(8),
            )
            self.tag(f"director:{directorate.name}", director)
            if spec.assistant:
                self.add(
                    spec,
                    director,
                    job_title=spec.assistant.title,
                    grade=spec.assistant.grade,
                    department=directorate.name,
                    start_date=self.started(6),
                )
            for service in directorate.services:
                self.departments.append(DepartmentRecord(spec.slug, service.name, directorate.name))
                self.service(spec, service, director)

    def service(self, spec: OrganisationSpec, service: ServiceSpec, director: int) -> None:
        rng = self.rng
        head = self.add(
            spec,
            director,
            job_title=service.head_title,
            grade=spec.head_grade,
            department=service.name,
            start_date=self.started(10),
        )
        staff = round(service.staff * rng.uniform(0.93, 1.07))
        low, high = spec.team_size
        team_count = max(1, round(staff / ((low + high) / 2)))
        sizes = [staff // team_count + (1 if i < staff % team_count else 0) for i in range(team_count)]
        focuses = [service.teams[i % len(service.teams)] for i in range(team_count)]
        team_names = []
        for i, focus in enumerate(focuses):
            repeats = focuses.count(focus)
            area = data.AREAS[focuses[:i].count(focus) % len(data.AREAS)]
            team_names.append(f"{focus} ({area})" if repeats > 1 else focus)

        # Teams in groups under service managers; a service of one or two teams has none.
        groups: list[list[int]] = []
        if team_count <= 2:
            groups = [list(range(team_count))]
        else:
            start = 0
            while start < team_count:
                take = rng.randint(*spec.teams_per_manager)
                if team_count - (start + take) == 1:
                    take += 1  # no service manager for a single left-over team
                groups.append(list(range(start, min(start + take, team_count))))
                start += take
        grades = [g for g, _ in spec.manager_grades]
        weights = [w for _, w in spec.manager_grades]
        role_weights = [r.weight for r in service.roles]
        for group in groups:
            if team_count <= 2:
                manager = head
            else:
                manager = self.add(
                    spec,
                    head,
                    job_title=spec.manager_title.format(focuses[group[0]]),
                    grade=rng.choices(grades, weights)[0],
                    department=service.name,
                    start_date=self.started(9),
                )
            for team in group:
                leader = self.add(
                    spec,
                    manager,
                    job_title=spec.team_leader_title.format(team_names[team]),
                    grade=spec.team_leader_grade,
                    department=service.name,
                    start_date=self.started(8),
                )
                self.tag(f"team-leader:{service.name}:{focuses[team]}", leader)
                self.tag(f"team-leader:{service.name}", leader)
                for _ in range(sizes[team]):
                    role = rng.choices(service.roles, role_weights)[0]
                    member = self.add(
                        spec,
                        leader,
                        job_title=role.title,
                        grade=role.grade,
                        department=service.name,
                        start_date=self.started(6),
                        is_staff_member=True,
                    )
                    self.tag(f"staff:{service.name}:{role.title}", member)
                    self.tag(f"staff:{service.name}", member)

    # --- the borough's councillors and the people outside its staff ------------------------

    def councillors(self, spec: OrganisationSpec) -> None:
        rng = self.rng
        team_leader = self.slots["team-leader:Democratic Services:Member Services"]
        first, last, title, grade = data.MEMBER_DEVELOPMENT_OFFICER
        officer = self.add(
            spec,
            team_leader,
            job_title=title,
            grade=grade,
            department="Democratic Services",
            start_date=self.started(6),
        )
        self.people[officer].first_name, self.people[officer].last_name = first, last
        self.tag("member-development-officer", officer)

        seats = [(ward, n) for ward in data.WARDS for n in range(3)]
        groups = [name for name, count in data.POLITICAL_GROUPS for _ in range(count)]
        rng.shuffle(groups)
        offices = {
            data.POLITICAL_GROUPS[0][0]: list(data.MAJORITY_OFFICES),
            data.POLITICAL_GROUPS[1][0]: list(data.OPPOSITION_OFFICES),
            data.POLITICAL_GROUPS[2][0]: list(data.INDEPENDENT_OFFICES),
        }
        elections = (date(2014, 5, 22), date(2018, 5, 3), date(2022, 5, 5), date(2022, 5, 5), date(2024, 7, 4))
        leaders: dict[str, int] = {}
        for (ward, _), group in zip(seats, groups, strict=True):
            office = offices[group].pop(0) if offices[group] else ""
            key = self.add(
                spec,
                None,
                job_title=office or f"Councillor for {ward} ward",
                role_type="elected_member",
                start_date=rng.choice(elections),
                email_prefix="cllr.",
            )
            # A group's leader is endorsed by the member development officer, everyone else by their leader.
            self.people[key].endorser = leaders.get(group, officer)
            leaders.setdefault(group, key)
            if office:
                self.tag(f"councillor:{office}", key)

    def outsiders(self, spec: OrganisationSpec) -> None:
        for role_type, rows in (
            ("partner_staff", data.PARTNER_STAFF),
            ("external_participant", data.EXTERNAL_PARTICIPANTS),
            (
                "service_user_or_carer",
                [(f, last, t, data.SERVICE_USER_DOMAIN) for f, last, t in data.SERVICE_USERS_AND_CARERS],
            ),
        ):
            for first, last, title, domain in rows:
                key = self.add(spec, None, job_title=title, role_type=role_type)
                person = self.people[key]
                person.first_name, person.last_name, person.email_domain = first, last, domain
                self.tag(f"external:{first} {last}", key)

    # --- finishing ------------------------------------------------------------------------

    def sign_ins(self) -> list[tuple[data.SignInSpec, int]]:
        chosen: list[tuple[data.SignInSpec, int]] = []
        line_manager = None
        for spec in data.SIGN_INS:
            if spec.slot == "staff-of-line-manager":
                continue
            key = self.slots.get(spec.slot)
            if key is None and spec.slot.startswith("staff:"):
                key = self.slots[spec.slot.rsplit(":", 1)[0]]
            if key is None:
                raise LookupError(f"The demo has no place for the sign-in {spec.kind!r} ({spec.slot}).")
            chosen.append((spec, key))
            if spec.kind == "Line manager":
                line_manager = key
        if line_manager is None:
            raise LookupError("The demo sign-ins need a line manager.")
        for spec in data.SIGN_INS:
            if spec.slot == "staff-of-line-manager":
                chosen.append((spec, self.people[line_manager].reports[0]))
        keys = [key for _, key in chosen]
        if len(set(keys)) != len(keys):
            raise LookupError("Two demo sign-ins fell on the same person.")
        for spec, key in chosen:
            person = self.people[key]
            person.first_name, person.last_name = spec.first_name, spec.last_name
            person.job_title = spec.job_title or person.job_title
            person.grade = spec.grade or person.grade
        order = {spec.kind: i for i, spec in enumerate(data.SIGN_INS)}
        return sorted(chosen, key=lambda pair: order[pair[0].kind])

    def leavers(self, keep: set[int]) -> None:
        """About one member of staff in thirty left during the year; their records stay."""
        year_start = date(AS_AT.year, 1, 1)
        for person in self.people:
            if not person.is_staff_member or person.key in keep or self.rng.random() >= 1 / 30:
                continue
            left_on = year_start + timedelta(days=self.rng.randrange((AS_AT - year_start).days))
            person.status = "left"
            person.left_on = left_on
            if person.start_date and person.start_date >= left_on:
                person.start_date = left_on - timedelta(days=self.rng.randint(90, 900))

    def employee_numbers(self, spec: OrganisationSpec) -> None:
        staff = [p for p in self.people if p.organisation == spec.slug and p.role_type == "officer"]
        low = 10 ** (spec.employee_digits - 1)
        numbers = self.rng.sample(range(low, low * 10), len(staff))
        for person, number in zip(staff, numbers, strict=True):
            person.employee_number = f"{spec.employee_prefix}{number}"
        members = [p for p in self.people if p.organisation == spec.slug and p.role_type == "elected_member"]
        for i, person in enumerate(members, start=1):
            person.employee_number = f"M{i:03d}"

    def emails(self, first: list[int]) -> dict[int, str]:
        taken: set[str] = set()
        emails: dict[int, str] = {}
        chosen = set(first)
        for key in [*first, *(p.key for p in self.people if p.key not in chosen)]:
            person = self.people[key]
            base = f"{person.email_prefix}{_email_part(person.first_name)}.{_email_part(person.last_name)}"
            local, n = base, 1
            while f"{local}@{person.email_domain}" in taken:
                n += 1
                local = f"{base}{n}"
            emails[key] = f"{local}@{person.email_domain}"
            taken.add(emails[key])
        return emails


def _email_part(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9-]", "", plain.lower())


def _levels(people: list[_Draft]) -> list[int]:
    levels: list[int | None] = [None] * len(people)

    def level(key: int) -> int:
        stack = [key]
        while stack:
            current = stack[-1]
            person = people[current]
            refs = [r for r in (person.line_manager, person.endorser) if r is not None]
            missing = [r for r in refs if levels[r] is None]
            if missing:
                if len(stack) > len(people):
                    raise ValueError("The demo's line management has a cycle.")
                stack.extend(missing)
                continue
            levels[current] = 1 + max((levels[r] for r in refs), default=-1)
            stack.pop()
        return levels[key]

    return [level(k) for k in range(len(people))]


def generate_demo(seed: int = data.DEMO_SEED) -> DemoData:
    """Every record of the demo, the same for the same seed."""
    builder = _Builder(seed)
    for spec in data.ORGANISATIONS:
        builder.organisation(spec)
    borough = data.BOROUGH
    builder.councillors(borough)
    builder.outsiders(borough)
    chosen = builder.sign_ins()
    sign_in_keys = [key for _, key in chosen]
    builder.leavers(keep={*sign_in_keys, builder.slots["member-development-officer"]})
    for spec in data.ORGANISATIONS:
        builder.employee_numbers(spec)
    emails = builder.emails(sign_in_keys)
    levels = _levels(builder.people)

    rank_of_grade = {grade: tier.rank for tier in data.BOROUGH_TIERS for grade in tier.grades}
    people = tuple(
        PersonRecord(
            key=p.key,
            organisation=p.organisation,
            employee_number=p.employee_number,
            first_name=p.first_name,
            last_name=p.last_name,
            email=emails[p.key],
            job_title=p.job_title,
            grade=p.grade,
            department=p.department,
            line_manager=p.line_manager,
            endorser=p.endorser,
            tier_rank=rank_of_grade.get(p.grade) if p.organisation == borough.slug else None,
            role_type=p.role_type,
            start_date=p.start_date,
            status=p.status,
            left_on=p.left_on,
            level=levels[p.key],
        )
        for p in builder.people
    )
    sign_ins = tuple(
        SignInRecord(
            kind=spec.kind,
            person=key,
            email=emails[key],
            full_name=f"{spec.first_name} {spec.last_name}",
            organisation=builder.people[key].organisation,
            roles=spec.roles,
            platform_admin=spec.platform_admin,
        )
        for spec, key in chosen
    )
    return DemoData(
        organisations=tuple(OrganisationRecord(o.slug, o.name, o.type, o.domain) for o in data.ORGANISATIONS),
        networks=tuple(NetworkRecord(*network) for network in data.NETWORKS),
        departments=tuple(builder.departments),
        tiers=tuple(TierRecord(borough.slug, t.rank, t.name, t.audience, t.description) for t in data.BOROUGH_TIERS),
        grade_mappings=tuple(
            GradeMappingRecord(borough.slug, grade, t.rank) for t in data.BOROUGH_TIERS for grade in t.grades
        ),
        people=people,
        sign_ins=sign_ins,
    )
