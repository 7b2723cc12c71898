from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cadre.core.models import Department, Organisation
from cadre.frameworks.models import Tier


class RoleType(models.TextChoices):
    OFFICER = "officer", "Officer"
    ELECTED_MEMBER = "elected_member", "Elected member"
    PARTNER_STAFF = "partner_staff", "Partner staff"
    EXTERNAL_PARTICIPANT = "external_participant", "External participant"
    SERVICE_USER_OR_CARER = "service_user_or_carer", "Service user or carer"


class Person(models.Model):
    """Someone Cadre knows about, with or without a login. Imported staff have no login until
    they are invited. Every person has one home organisation."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        LEFT = "left", "Left"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    employee_number = models.CharField(max_length=40, null=True, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    grade = models.CharField(max_length=60, blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="people")
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    endorser = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="endorsees",
        help_text="For an elected member: the member (such as a group leader) or member development "
        "officer who endorses their development.",
    )
    tier = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.SET_NULL, related_name="people")
    tier_set_by_hand = models.BooleanField(
        default=False, help_text="Set by an administrator, not from role type and grade; left alone by assignment."
    )
    role_type = models.CharField(max_length=30, choices=RoleType.choices, default=RoleType.OFFICER)
    start_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    left_on = models.DateField(null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"],
                condition=Q(employee_number__isnull=False),
                name="person_employee_number_unique_per_org",
            ),
            models.CheckConstraint(
                condition=~Q(role_type=RoleType.ELECTED_MEMBER) | Q(line_manager__isnull=True),
                name="elected_member_has_no_line_manager",
            ),
            models.CheckConstraint(condition=~Q(line_manager=models.F("id")), name="person_is_not_own_line_manager"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "last_name", "first_name"]),
            models.Index(fields=["organisation", "email"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class PersonImport(models.Model):
    """One upload of an HR export: previewed first, applied only when confirmed, all or nothing."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Ready to confirm"
        REFUSED = "refused", "Refused: the file has errors"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        COMPLETED = "completed", "Imported"
        FAILED = "failed", "Failed: nothing was changed"
        CANCELLED = "cancelled", "Cancelled"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="person_imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    mapping = models.JSONField(default=dict, blank=True)
    mode = models.CharField(max_length=10, default="partial")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREVIEWED)
    counts = models.JSONField(default=dict, blank=True)
    outcomes = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    fingerprint = models.CharField(max_length=32, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import of {self.filename}"

    def summary_line(self) -> str:
        """The counts as the command line prints them: new=N changed=C unchanged=U left=L errors=E."""
        c = self.counts or {}
        return " ".join(f"{k}={c.get(k, 0)}" for k in ("new", "changed", "unchanged", "left", "errors"))

    def summary_text(self) -> str:
        """The counts in words, for pages."""
        c = self.counts or {}
        parts = [f"{c.get('new', 0):,} new", f"{c.get('changed', 0):,} changed", f"{c.get('unchanged', 0):,} unchanged"]
        parts.append(f"{c.get('left', 0):,} marked as left")
        if c.get("errors"):
            parts.append(f"{c['errors']:,} with errors")
        return ", ".join(parts)
