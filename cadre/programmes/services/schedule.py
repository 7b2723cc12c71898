"""What the scheduler (`cadre run-schedule`) does for programmes each time it wakes."""

from datetime import datetime

from django.utils import timezone

from cadre.programmes.services.applications import offers_lapse
from cadre.programmes.services.sessions import sessions_scheduled_run


def programmes_scheduled_run(now: datetime | None = None) -> dict:
    """Offers past their time pass to the waiting list; reaction surveys and absence follow-ups go out."""
    now = now or timezone.now()
    return {"offers_lapsed": offers_lapse(now), "session_emails": sessions_scheduled_run(now)}
