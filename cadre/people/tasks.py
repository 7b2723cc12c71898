"""Background work for people: applying a confirmed HR import."""

from django_tasks import task


@task()
def apply_person_import(import_id: int) -> dict:
    from cadre.people.services import import_run

    person_import = import_run(import_id)
    return {"status": person_import.status, "counts": person_import.counts}
