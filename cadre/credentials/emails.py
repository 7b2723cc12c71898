"""The email a recipient gets when a credential is issued to them."""

import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from cadre.credentials.models import Credential


def award_email_send(credential_id: str) -> int:
    """Send the link to the credential's page. Returns 1 when sent; nothing for a credential that has
    gone, been withdrawn, or has no email address."""
    try:
        pk = uuid.UUID(str(credential_id))
    except ValueError:
        return 0
    credential = Credential.objects.select_related("organisation").filter(pk=pk).first()
    if credential is None or credential.revoked_at is not None or not credential.recipient_email:
        return 0
    body = render_to_string(
        "credentials/emails/awarded.txt",
        {"credential": credential, "link": settings.SITE_URL + reverse("credentials:credential", args=[credential.pk])},
    )
    send_mail(f"Your certificate: {credential.achievement_name}", body, None, [credential.recipient_email])
    return 1
