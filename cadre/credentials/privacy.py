"""How credentials export and erase one person's data.

Export: each credential awarded to them, with its address and the signed credential itself (it is
theirs to keep). Erasure: the credential is withdrawn and emptied of the person (name, email
address, and the signed credential, which names them); the row stays, so the organisation's count
of awards holds and a copy the person kept is reported as withdrawn when checked."""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cadre.core import privacy
from cadre.credentials.models import Credential

ERASED_REASON = "The record of this award was erased with the rest of the person's data."


def _theirs(person):
    found = Q(person=person)
    if person.email:
        found |= Q(person__isnull=True, recipient_email__iexact=person.email)
    return Credential.objects.filter(found)


def _export(person) -> dict:
    return {
        "credentials": [
            {
                "achievement": credential.achievement_name,
                "awarded_by": credential.organisation.name,
                "awarded_to": credential.recipient_name,
                "email": credential.recipient_email,
                "valid_from": credential.valid_from.isoformat(),
                "valid_until": credential.valid_until.isoformat() if credential.valid_until else None,
                "withdrawn": credential.revoked_at.isoformat() if credential.revoked_at else None,
                "address": settings.SITE_URL + reverse("credentials:credential", args=[credential.pk]),
                "signed_credential": credential.jwt,
            }
            for credential in _theirs(person).select_related("organisation").order_by("issued_at")
        ]
    }


def _erase(person) -> None:
    theirs = _theirs(person)
    theirs.filter(revoked_at__isnull=True).update(revoked_at=timezone.now(), revocation_reason=ERASED_REASON)
    theirs.update(recipient_name="", recipient_email="", jwt="", person=None)


privacy.register(app="credentials", export=_export, erase=_erase)
