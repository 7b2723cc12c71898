"""The development catalogue: every kind of offering, tagged with the framework attributes it
builds and the tiers it is for (by key, so the tags outlive a new framework version)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from cadre.core.models import Organisation
from cadre.frameworks.models import Framework


class Offering(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME = "programme", "Programme"
        COURSE = "course", "Course or workshop"
        E_LEARNING = "e_learning", "E-learning"
        COACHING = "coaching", "Coaching"
        MENTORING = "mentoring", "Mentoring"
        ACTION_LEARNING = "action_learning", "Action learning set"
        QUALIFICATION = "qualification", "Professional qualification"
        APPRENTICESHIP = "apprenticeship", "Apprenticeship"
        SECONDMENT = "secondment", "Secondment"
        SHADOWING = "shadowing", "Shadowing"
        PEER_SUPPORT = "peer_support", "Peer support"
        READING = "reading", "Reading or tool"

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online, live"
        SELF_PACED = "self_paced", "Online, in your own time"
        BLENDED = "blended", "Blended"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offerings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    provider = models.CharField(max_length=200, blank=True)
    mode = models.CharField(max_length=20, choices=Mode.choices)
    location = models.CharField(max_length=200, blank=True)
    duration = models.CharField(max_length=100, blank=True, help_text="Such as: 2 days, or 9 months part time.")
    cost = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True, help_text="In pounds.")
    accreditation = models.CharField(max_length=200, blank=True)
    eligibility = models.TextField(blank=True)
    partners_may_book = models.BooleanField(
        default=False, help_text="People from partner organisations in a network may take places."
    )
    framework = models.ForeignKey(Framework, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["organisation", "status", "kind"])]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="offering_title_unique_per_organisation"),
            models.CheckConstraint(condition=Q(cost__isnull=True) | Q(cost__gte=0), name="offering_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title


class OfferingAttribute(models.Model):
    """An attribute the offering builds, by its key in the offering's framework."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="attribute_tags")
    key = models.SlugField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offering", "key"], name="offering_attribute_once")]

    def __str__(self) -> str:
        return self.key


class OfferingTier(models.Model):
    """A tier the offering is for, by its key in the offering's framework."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="tier_tags")
    key = models.SlugField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offering", "key"], name="offering_tier_once")]

    def __str__(self) -> str:
        return self.key
