"""Reads about credentials, scoped to who asks. A credential's own page is public by design (anyone
holding its address may check it); lists are not."""

import uuid

from django.db.models import Q, QuerySet

from cadre.core.models import Organisation, Role
from cadre.core.selectors import organisations_where
from cadre.credentials.models import Credential, IssuerKey
from cadre.people.selectors import person_of


def credential_public(credential_id) -> Credential | None:
    """One credential by its id, for its public page (None for a malformed or unknown id)."""
    try:
        pk = uuid.UUID(str(credential_id))
    except ValueError:
        return None
    return Credential.objects.select_related("organisation", "key__organisation").filter(pk=pk).first()


def credentials_of(user) -> QuerySet[Credential]:
    """The signed-in person's own credentials: those awarded to their staff record or, when issued
    without one, to their sign-in email address."""
    if not getattr(user, "is_authenticated", False):
        return Credential.objects.none()
    mine = Q(person__user=user) | Q(person__isnull=True, recipient_email__iexact=user.email)
    person = person_of(user)
    if person is not None:
        mine |= Q(person=person)
    return Credential.objects.filter(mine).select_related("organisation").order_by("-issued_at", "-id")


def credentials_issued_visible_to(user) -> QuerySet[Credential]:
    """Credentials of the organisations where the user issues them (L&D and organisation administrators)."""
    return (
        Credential.objects.filter(organisation_id__in=organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN))
        .select_related("organisation")
        .order_by("-issued_at", "-id")
    )


def issuer_keys_of(organisation: Organisation) -> QuerySet[IssuerKey]:
    """Every public key the organisation has signed with, newest first (the public JWKS)."""
    return IssuerKey.objects.filter(organisation=organisation).order_by("-created_at", "-id")
