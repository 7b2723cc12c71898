"""Certificates and Open Badges 3.0 credentials over the API.

- `/credentials/mine`: the signed-in person's own credentials.
- `/credentials/{id}`: one credential, public as its page is (no sign-in): what it says, whether it
  verifies now (and if not, why), the Open Badges 3.0 credential and the signed JWT."""

from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate

from cadre.api.people import ERRORS, Pagination, ProblemOut
from cadre.credentials import selectors
from cadre.credentials.verification import issuer_url, verify
from cadre.credentials.views import credential_document

router = Router(tags=["credentials"])


class CredentialSummaryOut(Schema):
    id: UUID
    achievement_name: str
    issuer_name: str
    valid_from: datetime
    valid_until: datetime | None
    revoked: bool
    url: str

    @staticmethod
    def resolve_issuer_name(credential) -> str:
        return credential.organisation.name

    @staticmethod
    def resolve_revoked(credential) -> bool:
        return credential.revoked_at is not None

    @staticmethod
    def resolve_url(credential) -> str:
        return settings.SITE_URL + reverse("credentials:credential", args=[credential.pk])


class VerificationOut(Schema):
    valid: bool
    reason: str | None
    message: str | None


class CredentialOut(CredentialSummaryOut):
    recipient_name: str
    achievement_description: str
    criteria: str
    issuer_id: str
    revoked_at: datetime | None
    revocation_reason: str
    verification: VerificationOut
    credential: dict | None
    jwt: str | None


@router.get(
    "/credentials/mine",
    response={200: list[CredentialSummaryOut], **ERRORS},
    summary="Your own certificates and badges, newest first",
)
@paginate(Pagination)
def my_credentials(request):
    return selectors.credentials_of(request.user)


@router.get(
    "/credentials/{credential_id}",
    auth=None,
    response={200: CredentialOut, 404: ProblemOut, 422: ProblemOut},
    summary="One credential, public as its page is, with whether it verifies now",
)
def get_credential(request, credential_id: UUID):
    found = selectors.credential_public(credential_id)
    if found is None or not found.jwt:
        raise Http404("No such credential.")
    outcome = verify(found.jwt)
    found.issuer_id = issuer_url(found.organisation)
    found.verification = {
        "valid": outcome.valid,
        "reason": outcome.reason or None,
        "message": outcome.message or None,
    }
    found.credential = credential_document(found)
    return found
