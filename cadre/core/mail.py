"""An email backend that keeps every message as a file in CADRE_OUTBOX_DIR, so that a demo
(or a test) can read what Cadre sent at /outbox/ without a mail server."""

import json
from email import policy
from email.parser import BytesParser
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        folder = Path(settings.CADRE_OUTBOX_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
            name = f"{stamp}-{uuid4().hex[:8]}"
            (folder / f"{name}.eml").write_bytes(message.message().as_bytes())
            sent += 1
        return sent


def outbox_messages(limit: int = 200) -> list[dict]:
    """The newest messages first, parsed for display."""
    folder = Path(settings.CADRE_OUTBOX_DIR)
    if not folder.is_dir():
        return []
    messages = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:limit]:
        parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        body = parsed.get_body(preferencelist=("plain",))
        messages.append(
            {
                "id": path.stem,
                "to": parsed["To"],
                "subject": parsed["Subject"],
                "date": parsed["Date"],
                "body": body.get_content() if body else "",
            }
        )
    return messages


def outbox_message(message_id: str) -> dict | None:
    return next((m for m in outbox_messages(limit=10_000) if m["id"] == message_id), None)


def outbox_json() -> str:
    return json.dumps(outbox_messages(), default=str)
