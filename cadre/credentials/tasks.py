"""Background work for credentials: telling the recipient where their certificate and badge are."""

from django_tasks import task


@task()
def send_award_email(credential_id: str) -> dict:
    from cadre.credentials.emails import award_email_send

    return {"sent": award_email_send(credential_id)}
