"""Background work for diagnostics: emailing personal links, and reminders before a deadline."""

from django_tasks import task


@task()
def send_invitations(response_ids: list[int]) -> dict:
    from cadre.diagnostics.services import invitation_emails_send

    return {"sent": invitation_emails_send(response_ids)}


@task()
def send_reminders() -> dict:
    """Run daily (the `cadre serve` worker enqueues it; `cadre send-reminders` runs it by hand)."""
    from cadre.diagnostics.services import reminders_send

    return {"sent": reminders_send()}
