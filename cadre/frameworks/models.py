from django.db import models

from cadre.core.models import Organisation


class Tier(models.Model):
    """A rung of development, ranked from 1 (the first rung, such as aspiring manager).

    The frameworks work ties each tier to a framework version; an organisation maps its HR
    grades to tiers (`GradeMapping`) so that imports set a person's tier."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(max_length=120)
    rank = models.PositiveSmallIntegerField()
    audience = models.CharField(max_length=300, blank=True, help_text="Who the tier is for.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["organisation", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "rank"], name="tier_rank_unique_per_org"),
            models.UniqueConstraint(fields=["organisation", "name"], name="tier_name_unique_per_org"),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="tier_rank_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"Tier {self.rank}: {self.name}"


class GradeMapping(models.Model):
    """An HR grade (as the HR system spells it) and the tier it puts a person in."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="grade_mappings")
    grade = models.CharField(max_length=60)
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="grade_mappings")

    class Meta:
        ordering = ["organisation", "grade"]
        constraints = [models.UniqueConstraint(fields=["organisation", "grade"], name="grade_mapping_unique_per_org")]

    def __str__(self) -> str:
        return f"{self.grade} → {self.tier.name}"
