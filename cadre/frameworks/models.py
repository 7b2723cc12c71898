"""Leadership frameworks: attributes crossed with tiers, with behaviour indicators, values, the
channels that drive the framework and its key definitions.

A `Framework` is a framework's identity; its content lives in numbered `FrameworkVersion`s. A
version is a draft, then published (never to change again), then archived when a newer one is
published. Everything that used a version (assessments, plans) keeps pointing at it; a person's
development tier (`Person.tier`) points at a tier of a published version."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from cadre.core.models import Network, Organisation


class Framework(models.Model):
    """A framework, owned by one organisation, shared by a network, or published nationally."""

    class Sharing(models.TextChoices):
        ORGANISATION = "organisation", "This organisation only"
        NETWORK = "network", "Organisations in the network"
        NATIONAL = "national", "Every organisation"

    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    audience = models.CharField(max_length=200, blank=True, help_text="Who it is for, such as officers.")
    description = models.TextField(blank=True)
    role_types = models.JSONField(
        default=list, blank=True, help_text="The role types of the people it applies to (officer, elected_member, ...)."
    )
    owner_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="frameworks"
    )
    owner_network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="frameworks"
    )
    sharing = models.CharField(max_length=20, choices=Sharing.choices, default=Sharing.ORGANISATION)
    adopted_from = models.ForeignKey(
        "FrameworkVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adoptions",
        help_text="The shared framework version this one adopts, as is or extended.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(sharing="organisation", owner_organisation__isnull=False, owner_network__isnull=True)
                    | Q(sharing="network", owner_network__isnull=False, owner_organisation__isnull=True)
                    | Q(sharing="national", owner_network__isnull=True, owner_organisation__isnull=True)
                ),
                name="framework_has_one_kind_of_owner",
            ),
            models.UniqueConstraint(
                fields=["owner_organisation", "slug"],
                condition=Q(owner_organisation__isnull=False),
                name="framework_slug_unique_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["owner_network", "slug"],
                condition=Q(owner_network__isnull=False),
                name="framework_slug_unique_per_network",
            ),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(sharing="national"), name="national_framework_slug_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_id(self) -> int | None:
        """For the audit log's organisation column."""
        return self.owner_organisation_id


class FrameworkVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_versions")
    change_note = models.TextField(blank=True, help_text="What changed from the previous version.")
    # The framework's details as this version has them: a new draft may change them, a published
    # version keeps them. The framework's own copy is its current published version's.
    name = models.CharField(max_length=200, blank=True)
    audience = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    role_types = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="framework_version_number_unique"),
            models.UniqueConstraint(
                fields=["framework"], condition=Q(status="draft"), name="framework_has_one_draft_at_most"
            ),
            models.UniqueConstraint(
                fields=["framework"],
                condition=Q(status="published"),
                name="framework_has_one_published_version_at_most",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.framework.name}, version {self.number} ({self.get_status_display().lower()})"

    DETAILS = ("name", "audience", "description", "role_types")

    def details(self) -> dict:
        return {field: getattr(self, field) for field in self.DETAILS}

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class VersionContent(models.Model):
    """Something that belongs to one framework version, in an order."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class Attribute(VersionContent):
    """One quality in the framework, such as collaborative, stated in the first person."""

    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        IN_DEVELOPMENT = "in_development", "In development"

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="attributes")
    key = models.SlugField(max_length=80, help_text="Stays the same from version to version.")
    name = models.CharField(max_length=200)
    statement = models.TextField(help_text="What the attribute means, in the first person: I ...")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CURRENT)
    is_focus = models.BooleanField(default=False, help_text="One of the organisation's current focus attributes.")
    diversity_and_inclusion = models.TextField(blank=True, help_text="How diversity and inclusion show in it.")
    extends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The attribute of the adopted shared framework this one copies.",
    )

    class Meta:
        ordering = ["version", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="attribute_key_unique_per_version"),
            models.UniqueConstraint(fields=["version", "name"], name="attribute_name_unique_per_version"),
        ]

    def __str__(self) -> str:
        return self.name


class Tier(VersionContent):
    """A rung of development, ranked from 1 (the first rung, such as aspiring manager)."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="tiers")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tiers",
        help_text="The organisation whose framework this is (empty for a shared framework).",
    )
    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=120)
    rank = models.PositiveSmallIntegerField()
    audience = models.CharField(max_length=300, blank=True, help_text="Who the tier is for.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["version", "rank"], name="tier_rank_unique_per_version"),
            models.UniqueConstraint(fields=["version", "key"], name="tier_key_unique_per_version"),
            models.UniqueConstraint(fields=["version", "name"], name="tier_name_unique_per_version"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="tier_rank_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"Tier {self.rank}: {self.name}"


class GradeMapping(models.Model):
    """An HR grade (as the HR system spells it) and the tier it puts a person in."""

    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="grade_mappings")
    grade = models.CharField(max_length=60)

    class Meta:
        ordering = ["tier", "id"]  # as they were given: G9 before G10
        constraints = [models.UniqueConstraint(fields=["tier", "grade"], name="grade_mapping_unique_per_tier")]

    def __str__(self) -> str:
        return f"{self.grade} → {self.tier.name}"


class BehaviourIndicator(VersionContent):
    """What an attribute looks like at a tier (positive), or what it does not look like (negative)."""

    class Kind(models.TextChoices):
        POSITIVE = "positive", "What it looks like"
        NEGATIVE = "negative", "What it does not look like"

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="indicators")
    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="indicators")
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.POSITIVE)
    key = models.SlugField(max_length=120)
    text = models.TextField()

    class Meta:
        ordering = ["version", "attribute__order", "tier__rank", "kind", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="indicator_key_unique_per_version")]

    def __str__(self) -> str:
        return self.text[:80]


class Value(VersionContent):
    """An organisational value, and the attributes that support it."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="values")
    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    attributes = models.ManyToManyField(Attribute, blank=True, related_name="values")

    class Meta:
        ordering = ["version", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="value_key_unique_per_version")]

    def __str__(self) -> str:
        return self.name


class Channel(VersionContent):
    """A way the framework is driven through the organisation."""

    class Kind(models.TextChoices):
        NARRATIVE = "narrative", "Organisational narrative"
        MECHANISMS = "mechanisms", "Organisational mechanisms"
        PROFESSIONAL_DEVELOPMENT = "professional_development", "Professional development"

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "kind", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Definition(VersionContent):
    """A key definition: a term and what it means in this framework."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="definitions")
    term = models.CharField(max_length=120)
    meaning = models.TextField()

    class Meta:
        ordering = ["version", "term"]
        constraints = [models.UniqueConstraint(fields=["version", "term"], name="definition_term_unique_per_version")]

    def __str__(self) -> str:
        return self.term


class AttributeMapping(models.Model):
    """How an attribute of a version relates to the previous version's, so history can be compared."""

    class Relation(models.TextChoices):
        SAME = "same", "The same attribute"
        RENAMED = "renamed", "Renamed"
        SPLIT = "split", "Split from"
        MERGED = "merged", "Merged from"

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="attribute_mappings")
    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="mapped_from")
    previous_attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="mapped_to")
    relation = models.CharField(max_length=10, choices=Relation.choices, default=Relation.SAME)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attribute", "previous_attribute"], name="attribute_mapping_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.previous_attribute} → {self.attribute} ({self.get_relation_display().lower()})"
