"""Background work for groups: forming groups for more people than a page should wait for."""

from django_tasks import task


@task()
def form_groups(forming_id: int) -> dict:
    from cadre.groups.services import forming_run

    return {"status": forming_run(forming_id)}
