"""Background work for learning requests: the emails each step sends."""

from django_tasks import task


@task()
def send_learning_email(request_id: int, event: str) -> dict:
    from cadre.learning.services import learning_email_send

    return {"sent": learning_email_send(request_id, event)}
