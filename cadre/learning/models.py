"""Learning requests outside programmes: a person asks for (or books) an offering from the catalogue,
the line manager (or, for an elected member, the named endorser) decides, and completion is recorded
by the provider, an administrator or the person, with evidence."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from cadre.catalogue.models import Offering
from cadre.core.models import Organisation
from cadre.people.models import Person

OPEN_STATUSES = ("requested", "approved")


def new_nonce() -> str:
    return secrets.token_hex(16)


def evidence_path(instance, filename: str) -> str:
    """Where an evidence file is kept: a random name, so that the path cannot be guessed. Files are
    never served from it directly, only through the view that checks who is asking."""
    suffix = ""
    if "." in filename:
        suffix = "." + filename.rsplit(".", 1)[1].lower()[:5]
    return f"learning/evidence/{secrets.token_urlsafe(24)}{suffix}"


class LearningRequest(models.Model):
    """One person's request for one offering, from asking to completion.

    The provider's personal link is /learning/provider/<id>/<token>/, the token an HMAC of the id
    and `provider_nonce` under the site's secret key: the database alone cannot make a working link,
    and sending a new link (a new nonce) stops the old one."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"

    class RecordedBy(models.TextChoices):
        PERSON = "person", "The person"
        ADMINISTRATOR = "administrator", "An administrator"
        PROVIDER = "provider", "The provider"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="learning_requests")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="learning_requests")
    # RESTRICT: an offering with requests is never deleted on its own, but goes with its organisation.
    offering = models.ForeignKey(Offering, on_delete=models.RESTRICT, related_name="learning_requests")
    reason = models.TextField(help_text="Why the person wants it, in their words.")
    attributes = models.JSONField(
        default=list, blank=True, help_text="The framework attributes it should build: [{key, name}, ...]."
    )
    preferred_start = models.CharField(max_length=200, blank=True, help_text="A date or dates, as the person put it.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_name = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    completed_on = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, help_text="When the completion was recorded.")
    recorded_by = models.CharField(max_length=15, choices=RecordedBy.choices, blank=True)
    recorded_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=200, blank=True)
    evidence = models.TextField(blank=True)
    evidence_file = models.FileField(upload_to=evidence_path, max_length=200, blank=True)
    evidence_file_name = models.CharField(max_length=200, blank=True, help_text="The file's name as uploaded.")
    evidence_content_type = models.CharField(max_length=100, blank=True)

    provider_name = models.CharField(max_length=200, blank=True)
    provider_email = models.EmailField(blank=True)
    provider_nonce = models.CharField(max_length=32, default=new_nonce)
    provider_link_sent_at = models.DateTimeField(null=True, blank=True)
    provider_link_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["person", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "offering"],
                condition=Q(status__in=OPEN_STATUSES),
                name="learning_request_open_once_per_offering",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_reason=""),
                name="learning_request_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="learning_request_completion_has_date",
            ),
        ]

    def __str__(self) -> str:
        # No name: audit entries keep this text, and erasing a person must leave nothing of them.
        return f"Learning request {self.pk}: {self.offering.title if self.offering_id else ''}".strip()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def provider_token(self) -> str:
        return salted_hmac(
            "cadre.learning.provider", f"{self.pk}:{self.provider_nonce}", algorithm="sha256"
        ).hexdigest()[:40]

    def provider_token_matches(self, token: str) -> bool:
        return bool(self.provider_link_sent_at) and constant_time_compare(self.provider_token(), token)

    @property
    def provider_link_expired(self) -> bool:
        return self.provider_link_expires_at is not None and self.provider_link_expires_at <= timezone.now()
