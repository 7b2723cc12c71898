"""Certificates and Open Badges 3.0 credentials, and the keys organisations sign them with."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cadre.core.models import Organisation


class IssuerKey(models.Model):
    """One Ed25519 key pair of an organisation. The private key is kept encrypted (see `keys.py`);
    only the newest key signs, and keys that have been replaced stay to verify what they signed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="issuer_keys")
    kid = models.CharField(
        max_length=64, unique=True, help_text="The key's RFC 7638 thumbprint: the last part of its address."
    )
    public_jwk = models.JSONField(help_text="The public key as a JSON Web Key (never holds the private part).")
    private_key_encrypted = models.TextField(help_text="The private key, encrypted with a key derived from SECRET_KEY.")
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True, help_text="When a newer key took over signing.")

    class Meta:
        ordering = ["organisation", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(retired_at__isnull=True), name="one_signing_key_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"Signing key {self.kid[:12]} of {self.organisation}"


class Credential(models.Model):
    """A certificate and Open Badges 3.0 credential awarded to one person. `jwt` is the signed
    credential exactly as issued; the other columns repeat what it says, for lists and pages."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="credentials")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="credentials"
    )
    recipient_name = models.CharField(max_length=200)
    recipient_email = models.EmailField(blank=True)
    achievement_name = models.CharField(max_length=200)
    achievement_description = models.TextField()
    criteria = models.TextField(help_text="What the person did to earn it.")
    source_label = models.CharField(
        max_length=200, blank=True, help_text="Where it came from, for administrators (a programme and cohort)."
    )
    issued_at = models.DateTimeField(default=timezone.now)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="credentials")
    jwt = models.TextField(help_text="The signed credential, a compact JWS (VC-JWT).")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["organisation", "-issued_at"])]

    def __str__(self) -> str:
        return f"{self.achievement_name}: {self.recipient_name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
