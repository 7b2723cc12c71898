from auditlog.models import AbstractLogEntry, LogEntryManager
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, email: str) -> "User":
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. Staff records (people) exist without one; a person gets a login when invited.

    `is_superuser` marks a platform administrator. Rights inside an organisation come from
    `Membership` roles and, for line managers, from the line-management chain."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.get_full_name()


class Organisation(models.Model):
    """A tenant: a council, an NHS trust, a police force, a voluntary-sector body."""

    class Type(models.TextChoices):
        COUNCIL = "council", "Council"
        NHS = "nhs", "NHS organisation"
        POLICE = "police", "Police force"
        VOLUNTARY = "voluntary", "Voluntary-sector body"
        OTHER = "other", "Other organisation"

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.COUNCIL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Network(models.Model):
    """Organisations that work together: a region or a partnership."""

    class Kind(models.TextChoices):
        REGION = "region", "Region"
        PARTNERSHIP = "partnership", "Partnership"

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REGION)
    organisations = models.ManyToManyField(Organisation, through="NetworkMembership", related_name="networks")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    joined_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "organisation"], name="network_membership_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.network}"


class Department(models.Model):
    """A department, or a service inside one (through `parent`)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="services")

    class Meta:
        ordering = ["name"]
        constraints = [
            # Services of the same name may sit in different departments ("Business support").
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"], name="service_name_unique_per_department"
            ),
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=models.Q(parent__isnull=True),
                name="department_name_unique_per_org",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    LD_ADMIN = "ld_admin", "Learning and development administrator"
    EXECUTIVE_VIEWER = "executive_viewer", "Executive viewer"
    EQUALITY_OFFICER = "equality_officer", "Equality officer"
    ORG_ADMIN = "org_admin", "Organisation administrator"


class Membership(models.Model):
    """A role a user holds in an organisation. A user may hold several roles, in several
    organisations (a partner's L&D administrator, say)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role")]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class Invitation(models.Model):
    """An invitation to take up a login, sent by email; the link is also shown to whoever sent it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE)
    roles = models.JSONField(default=list, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class AuditEntryManager(LogEntryManager):
    def log_create(self, instance, force_log: bool = False, **kwargs):
        from cadre.core.audit import organisation_id_of

        kwargs.setdefault("organisation_id", organisation_id_of(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)


class AuditEntry(AbstractLogEntry):
    """Who changed what, when, before and after. Never holds 360 answers or equality data."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=True
    )
    event = models.CharField(max_length=80, blank=True, help_text="A named event, such as people.imported.")

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        swappable = "AUDITLOG_LOGENTRY_MODEL"
        indexes = [models.Index(fields=["organisation", "-timestamp"])]

    def __str__(self) -> str:
        return f"{self.event or self.get_action_display()} {self.object_repr}"
