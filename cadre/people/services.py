"""Writes about people: HR imports, line management, personal data."""

from datetime import date

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from cadre.core.audit import audit_bulk, audit_event, disable_auditlog
from cadre.core.errors import Problem, ValidationError
from cadre.core.models import Department, Organisation
from cadre.people import hr_import
from cadre.people.models import Person, PersonImport

BATCH = 1000


# --- progress --------------------------------------------------------------------------------


def _progress_key(import_id: int) -> str:
    return f"cadre:person-import:{import_id}:progress"


def import_progress(import_id: int) -> dict:
    return cache.get(_progress_key(import_id)) or {}


def _report(import_id: int | None, phase: str, done: int, total: int, callback=None) -> None:
    if import_id is not None:
        cache.set(_progress_key(import_id), {"phase": phase, "done": done, "total": total}, 3600)
    if callback is not None:
        callback(phase, done, total)


# --- preview and confirm ---------------------------------------------------------------------


def import_preview(
    *, organisation: Organisation, actor, data: bytes, filename: str, mode: str = "partial", mapping=None
) -> PersonImport:
    """Read the file and record what importing it would do. Writes nothing but the import record;
    a file that cannot be read at all raises ValidationError and writes nothing at all."""
    from django.conf import settings

    if len(data) > settings.CADRE_IMPORT_MAX_BYTES:
        raise ValidationError(
            Problem(
                f"The file is larger than {settings.CADRE_IMPORT_MAX_BYTES // (1024 * 1024)} MB.",
                field="file",
            )
        )
    plan = hr_import.plan_import(
        organisation_id=organisation.pk, data=data, filename=filename, mode=mode, mapping=mapping
    )
    return PersonImport.objects.create(
        organisation=organisation,
        created_by=actor if getattr(actor, "pk", None) else None,
        filename=filename[:255],
        content=data,
        mapping=mapping or {},
        mode=mode,
        status=PersonImport.Status.PREVIEWED if plan.ok else PersonImport.Status.REFUSED,
        counts=plan.counts(),
        outcomes=[o.as_dict() for o in plan.outcomes],
        problems=[{"row": p.row, "column": p.field, "message": p.message} for p in plan.problems],
        fingerprint=hr_import.outcome_fingerprint(plan.outcomes),
    )


def import_confirm(*, person_import: PersonImport, actor) -> PersonImport:
    """Queue a previewed import to be applied by the task worker. Confirming twice is harmless."""
    from cadre.people.tasks import apply_person_import

    updated = PersonImport.objects.filter(pk=person_import.pk, status=PersonImport.Status.PREVIEWED).update(
        status=PersonImport.Status.QUEUED
    )
    person_import.refresh_from_db()
    if not updated:
        if person_import.status in {
            PersonImport.Status.QUEUED,
            PersonImport.Status.RUNNING,
            PersonImport.Status.COMPLETED,
        }:
            return person_import
        raise ValidationError(
            Problem(f"This import cannot be confirmed: it is {person_import.get_status_display().lower()}.")
        )
    _report(person_import.pk, "Waiting to start", 0, 0)
    transaction.on_commit(lambda: apply_person_import.enqueue(import_id=person_import.pk))
    return person_import


def import_cancel(*, person_import: PersonImport, actor) -> PersonImport:
    PersonImport.objects.filter(pk=person_import.pk, status=PersonImport.Status.PREVIEWED).update(
        status=PersonImport.Status.CANCELLED, content=b""
    )
    person_import.refresh_from_db()
    return person_import


def import_run(person_import_id: int, *, progress=None) -> PersonImport:
    """Apply a confirmed import (called by the task). The plan is worked out again against the
    people as they are now; if it differs from the preview, nothing is written."""
    person_import = PersonImport.objects.select_related("organisation", "created_by").get(pk=person_import_id)
    claimed = PersonImport.objects.filter(pk=person_import_id, status=PersonImport.Status.QUEUED).update(
        status=PersonImport.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return person_import
    try:
        plan = import_file(
            organisation_id=person_import.organisation_id,
            data=bytes(person_import.content),
            filename=person_import.filename,
            mode=person_import.mode,
            mapping=person_import.mapping,
            actor=person_import.created_by,
            expected_fingerprint=person_import.fingerprint,
            import_id=person_import.pk,
            progress=progress,
        )
    except ValidationError as error:
        PersonImport.objects.filter(pk=person_import_id).update(
            status=PersonImport.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
    except Exception as error:
        PersonImport.objects.filter(pk=person_import_id).update(
            status=PersonImport.Status.FAILED,
            error=f"The import stopped with an unexpected error, and nothing was changed ({type(error).__name__}).",
            finished_at=timezone.now(),
        )
        raise
    else:
        # The file has done its work: keep the outcomes, not the staff list itself.
        PersonImport.objects.filter(pk=person_import_id).update(
            status=PersonImport.Status.COMPLETED, finished_at=timezone.now(), counts=plan.counts(), content=b""
        )
    _report(person_import_id, "Finished", 1, 1)
    person_import.refresh_from_db()
    return person_import


# --- applying a plan -------------------------------------------------------------------------


def _audit_value(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def _lock_organisation(organisation_id: int) -> None:
    """One import (or line-management change) at a time per organisation. On PostgreSQL the
    organisation's row is locked; SQLite's immediate transactions already run one writer at a time."""
    Organisation.objects.select_for_update().filter(pk=organisation_id).exists()


def import_file(
    *,
    organisation_id: int,
    data: bytes,
    filename: str,
    mode: str,
    mapping,
    actor,
    expected_fingerprint: str | None = None,
    import_id: int | None = None,
    progress=None,
) -> hr_import.Plan:
    """Plan and apply a file in one locked transaction, so that no other import can change the
    people between the checks (cycles, references) and the writes. With `expected_fingerprint`
    (from the preview), nothing is written if the outcome would differ from what was previewed."""
    with transaction.atomic(durable=True):
        _lock_organisation(organisation_id)
        plan = hr_import.plan_import(
            organisation_id=organisation_id, data=data, filename=filename, mode=mode, mapping=mapping
        )
        if expected_fingerprint is not None and hr_import.outcome_fingerprint(plan.outcomes) != expected_fingerprint:
            raise ValidationError(
                Problem(
                    "The people in Cadre changed after this file was previewed, so nothing was imported. "
                    "Upload the file again to see an up-to-date preview."
                )
            )
        if not plan.ok:
            raise ValidationError(plan.problems)
        _apply(plan=plan, actor=actor, import_id=import_id, progress=progress)
    return plan


def import_apply(*, plan: hr_import.Plan, actor, import_id: int | None = None, progress=None) -> dict[str, int]:
    """Carry out a plan with no errors: all of it, or (on any failure) none of it. The plan must be
    fresh: callers that read a file should use `import_file`, which plans under the lock."""
    if not plan.ok:
        raise ValidationError(plan.problems)
    with transaction.atomic(durable=True):
        _lock_organisation(plan.organisation_id)
        _apply(plan=plan, actor=actor, import_id=import_id, progress=progress)
    return plan.counts()


def _apply(*, plan: hr_import.Plan, actor, import_id: int | None, progress) -> None:
    organisation_id = plan.organisation_id
    today = timezone.localdate()
    now = timezone.now()
    by_number = {row.employee_number: row for row in plan.rows}
    outcome_of = {o.employee_number: o for o in plan.outcomes}
    total = len(plan.outcomes)

    with disable_auditlog():
        # Departments and services that do not exist yet, each service inside its department.
        resolved_departments = _create_departments(organisation_id, plan.departments_needed)

        def department_id(value):
            return resolved_departments[value] if isinstance(value, tuple) else value

        def person_values(values: dict) -> dict:
            out = {}
            for name, value in values.items():
                if name == "department":
                    out["department_id"] = department_id(value)
                elif name == "tier":
                    out["tier_id"] = value
                else:
                    out[name] = value
            return out

        # New people (managers are linked in a second pass, once everyone exists).
        new_rows = [by_number[o.employee_number] for o in plan.outcomes if o.outcome == "new"]
        created: list[Person] = []
        for start in range(0, len(new_rows), BATCH):
            batch = [
                Person(
                    organisation_id=organisation_id,
                    employee_number=row.employee_number,
                    created_at=now,
                    updated_at=now,
                    **person_values(
                        {**row.values, "left_on": row.values.get("left_on") or today}
                        if row.values.get("status") == Person.Status.LEFT
                        else row.values
                    ),
                )
                for row in new_rows[start : start + BATCH]
            ]
            created.extend(Person.objects.bulk_create(batch))
            _report(import_id, "Adding new people", min(start + BATCH, len(new_rows)), len(new_rows), progress)

        id_of = {number: values["id"] for number, values in plan.existing.items()}
        id_of.update({person.employee_number: person.pk for person in created})

        # Changed people, line managers and endorsers (now that everyone has an id) and
        # leavers: each person's new values, written together in one statement.
        values_by_id: dict[int, dict] = {}
        simple_fields = {
            "first_name",
            "last_name",
            "email",
            "job_title",
            "grade",
            "role_type",
            "start_date",
            "status",
            "left_on",
        }
        for outcome in plan.outcomes:
            if outcome.outcome != "changed":
                continue
            row = by_number[outcome.employee_number]
            values = values_by_id[id_of[outcome.employee_number]] = {}
            for name in outcome.changes:
                if name in simple_fields:
                    values[name] = row.values.get(name)
                elif name == "department":
                    values["department_id"] = (
                        department_id(row.values["department"]) if row.values["department"] else None
                    )
                elif name == "tier":
                    values["tier_id"] = row.values.get("tier")
            if "status" in outcome.changes and row.values.get("status", Person.Status.ACTIVE) == Person.Status.ACTIVE:
                values["status"] = Person.Status.ACTIVE
                values["left_on"] = None
            elif "status" in outcome.changes and not row.values.get("left_on"):
                values["left_on"] = plan.existing[outcome.employee_number]["left_on"] or today

        for row in plan.rows:
            outcome = outcome_of[row.employee_number]
            new = outcome.outcome == "new"
            if not new and "manager" not in outcome.changes and "endorser" not in outcome.changes:
                continue
            links = {}
            # A column the file does not have is left as it is; new people start with neither.
            if row.manager_number is not None and (row.manager_number or not new):
                links["line_manager_id"] = id_of.get(row.manager_number) if row.manager_number else None
            if row.endorser_number is not None and (row.endorser_number or not new):
                links["endorser_id"] = id_of.get(row.endorser_number) if row.endorser_number else None
            if links:
                values_by_id.setdefault(id_of[row.employee_number], {}).update(links)

        # Leavers (full mode): marked as left, never deleted.
        for outcome in plan.outcomes:
            if outcome.outcome == "left":
                values_by_id[id_of[outcome.employee_number]] = {"status": Person.Status.LEFT, "left_on": today}

        _update_people(values_by_id, now=now, import_id=import_id, progress=progress)
        leavers = [
            id_of[o.employee_number]
            for o in plan.outcomes
            if o.outcome == "left" or (o.outcome == "changed" and o.changes.get("status", [None, None])[1] == "Left")
        ]
        _close_access(organisation_id=organisation_id, person_ids=leavers, actor=actor)

        # The audit log, written in bulk.
        entries = []
        for outcome in plan.outcomes:
            if outcome.outcome in {"unchanged", "error"}:
                continue
            action = 0 if outcome.outcome == "new" else 1
            text = f"{outcome.name} ({outcome.employee_number})"
            entries.append((id_of[outcome.employee_number], text, action, outcome.changes))
        audit_bulk(
            actor=actor,
            event="people.imported",
            model=Person,
            organisation_id=organisation_id,
            entries=entries,
        )
        _report(import_id, "Writing the audit log", total, total, progress)
        if import_id is not None:
            audit_event(
                actor=actor,
                event="people.import_completed",
                target=PersonImport.objects.get(pk=import_id),
                organisation_id=organisation_id,
                data=plan.counts(),
            )


def _close_access(*, organisation_id: int, person_ids: list[int], actor) -> None:
    """People who have left lose their roles in the organisation, and their login closes unless it
    reaches beyond it (roles elsewhere, or the admin site). Inviting them again reopens it."""
    from cadre.core.models import Membership, User

    if not person_ids:
        return
    users = User.objects.filter(person__id__in=person_ids)
    memberships = list(
        Membership.objects.filter(user__in=users, organisation_id=organisation_id).select_related("user")
    )
    if memberships:
        audit_bulk(
            actor=actor,
            event="people.left_roles_removed",
            model=Membership,
            organisation_id=organisation_id,
            entries=[(m.pk, str(m), 2, {"role": [m.role, ""]}) for m in memberships],
        )
        Membership.objects.filter(pk__in=[m.pk for m in memberships]).delete()
    users.filter(is_superuser=False, is_staff=False, is_active=True).exclude(memberships__isnull=False).update(
        is_active=False
    )


def _create_departments(organisation_id: int, needed: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    known = {
        ((parent or "").lower(), name.lower()): pk
        for pk, name, parent in Department.objects.filter(organisation_id=organisation_id).values_list(
            "id", "name", "parent__name"
        )
    }
    resolved = {}
    for department, service in needed:
        top = known.get(("", department.lower()))
        if top is None:
            top = known[("", department.lower())] = Department.objects.create(
                organisation_id=organisation_id, name=department
            ).pk
        if not service:
            resolved[(department, service)] = top
            continue
        child = known.get((department.lower(), service.lower()))
        if child is None:
            child = known[(department.lower(), service.lower())] = Department.objects.create(
                organisation_id=organisation_id, name=service, parent_id=top
            ).pk
        resolved[(department, service)] = child
    return resolved


# The person columns an import writes, in the order of the statement.
_WRITTEN = hr_import.IMPORTED_COLUMNS
_CHANGES_TABLE = "cadre_import_person_changes"


def _update_people(values_by_id: dict[int, dict], *, now, import_id, progress) -> None:
    """Give each person (by id) the values in their map (attribute name to value), and
    `updated_at` = now; a column missing from a person's map keeps its value.

    The values go into a temporary table, then one UPDATE copies them across with a
    correlated subquery (row values: SQLite 3.15 and PostgreSQL 10 onwards, one statement for
    both). bulk_update, used before, writes a CASE with a WHEN per person for every column:
    slow for Django to build and for the database to scan, row by row through a thousand
    branches (for 50,000 people, 35 to 55 s; this takes one or two). Table and column names
    come from the model, quoted; values are bound. The temporary table is created and
    dropped inside the caller's transaction, so a failure leaves nothing behind."""
    if not values_by_id:
        return
    names = [name for name in _WRITTEN if any(name in values for values in values_by_id.values())]
    fields = [Person._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    table, person_table = quote(_CHANGES_TABLE), quote(Person._meta.db_table)
    # Each column travels with a flag saying whether it is written for that person.
    definitions = ", ".join(
        f"{quote(field.column)} {field.db_type(connection)}, {quote(field.column + '__set')} smallint NOT NULL"
        for field in fields
    )
    chosen = ", ".join(
        f"CASE WHEN c.{quote(field.column + '__set')} = 1 THEN c.{quote(field.column)} "
        f"ELSE {person_table}.{quote(field.column)} END"
        for field in fields
    )
    targets = ", ".join(quote(field.column) for field in [*fields, Person._meta.get_field("updated_at")])
    placeholders = ", ".join(["%s"] * (1 + 2 * len(fields)))
    total = len(values_by_id)
    items = list(values_by_id.items())
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {table} (id bigint PRIMARY KEY, {definitions})")
        for start in range(0, total, BATCH * 10):
            rows = []
            for person_id, values in items[start : start + BATCH * 10]:
                row = [person_id]
                for name, field in zip(names, fields, strict=True):
                    if name in values:
                        row += [field.get_db_prep_value(values[name], connection), 1]
                    else:
                        row += [None, 0]
                rows.append(row)
            cursor.executemany(f"INSERT INTO {table} VALUES ({placeholders})", rows)  # noqa: S608
            _report(import_id, "Updating people", min(start + BATCH * 10, total), total, progress)
        cursor.execute(
            f"UPDATE {person_table} SET ({targets}) = (SELECT {chosen}, %s FROM {table} AS c "  # noqa: S608
            f"WHERE c.id = {person_table}.id) WHERE id IN (SELECT id FROM {table})",
            [Person._meta.get_field("updated_at").get_db_prep_value(now, connection)],
        )
        cursor.execute(f"DROP TABLE {table}")


# --- people ----------------------------------------------------------------------------------


def person_set_line_manager(*, person: Person, manager: Person | None, actor) -> Person:
    """Change a person's line manager, refusing cycles and elected members with managers. The checks
    and the write happen under the organisation's lock, so two changes cannot make a cycle together."""
    from cadre.people.selectors import managers_above

    with transaction.atomic(durable=True):
        _lock_organisation(person.organisation_id)
        if manager is not None:
            if manager.organisation_id != person.organisation_id:
                raise ValidationError(
                    Problem("The line manager must belong to the same organisation.", field="line_manager")
                )
            if manager.pk == person.pk:
                raise ValidationError(Problem("A person cannot be their own line manager.", field="line_manager"))
            if person.role_type == "elected_member":
                raise ValidationError(Problem("An elected member has no line manager.", field="line_manager"))
            if person.pk in managers_above(manager.pk):
                raise ValidationError(
                    Problem(
                        f"{manager.full_name} is already in {person.full_name}'s line-management chain below "
                        "them, so this would make a cycle.",
                        field="line_manager",
                    )
                )
        person.line_manager = manager
        person.updated_at = timezone.now()
        person.save(update_fields=["line_manager", "updated_at"])
    return person
