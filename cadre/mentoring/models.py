"""Mentoring and coaching: mentor and coach profiles, schemes and their matching rounds, the
proposals a round sends, and the relationships that follow, with their session logs and reviews.

Strengths and needs are kept per attribute key (0 to 4), so they outlive a new framework version,
as the catalogue's tags do."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from cadre.core.models import Network, Organisation
from cadre.frameworks.models import Framework
from cadre.people.models import Person

LEVEL_MAX = 4  # strengths and needs run from 0 (none) to 4


class MentorProfile(models.Model):
    """A person's offer to mentor (or coach): what they are strong in and how many mentees they take."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="mentor_profile")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="mentor_profiles")
    strengths = models.JSONField(default=dict, blank=True, help_text="Attribute key to strength, 0 to 4.")
    capacity = models.PositiveSmallIntegerField(default=1, help_text="How many mentees at once.")
    availability = models.CharField(max_length=300, blank=True)
    offered_to_partners = models.BooleanField(
        default=False, help_text="Mentees from partner organisations in a network may be matched with them."
    )
    is_coach = models.BooleanField(default=False)
    accreditation = models.CharField(max_length=200, blank=True, help_text="For coaches: their accreditation.")
    is_available = models.BooleanField(default=True, help_text="Taking part in matching rounds.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person__last_name", "person__first_name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__lte=20), name="mentor_capacity_at_most_20"),
            models.CheckConstraint(
                condition=Q(is_coach=False) | ~Q(accreditation=""), name="coach_profile_has_accreditation"
            ),
        ]

    def __str__(self) -> str:
        return f"Mentor profile of {self.person}"


class Scheme(models.Model):
    """A mentoring or coaching scheme run by an organisation, open to a network's organisations too
    when it names one."""

    class Kind(models.TextChoices):
        MENTORING = "mentoring", "Mentoring"
        COACHING = "coaching", "Coaching"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="mentoring_schemes")
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentoring_schemes"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MENTORING)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="scheme_name_unique_per_organisation")
        ]

    def __str__(self) -> str:
        return self.name


class MentoringRequest(models.Model):
    """A person asking a scheme for a mentor, with their development needs (0 to 4) per attribute."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the next matching round"
        PROPOSED = "proposed", "Mentor proposed"
        MATCHED = "matched", "Matched"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class OrganisationPreference(models.TextChoices):
        ANY = "any", "No preference"
        OTHER = "other", "Someone from another organisation"
        SAME = "same", "Someone from my own organisation"

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="requests")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentoring_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    needs = models.JSONField(default=dict, blank=True, help_text="Attribute key to need, 0 to 4.")
    needs_source = models.JSONField(
        default=dict, blank=True, help_text="Attribute key to where the prefilled need came from."
    )
    organisation_preference = models.CharField(
        max_length=10, choices=OrganisationPreference.choices, default=OrganisationPreference.ANY
    )
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "person"],
                condition=~Q(status="withdrawn"),
                name="one_open_mentoring_request_per_scheme",
            )
        ]
        indexes = [models.Index(fields=["scheme", "status"])]

    def __str__(self) -> str:
        return f"{self.person}'s request to {self.scheme}"


class Round(models.Model):
    """One matching round of a scheme: proposed pairs, worked out again until the administrator
    sends them."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Being prepared"
        SENT = "sent", "Proposals sent"

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    needs_rerun = models.BooleanField(default=False, help_text="Pins or forbidden pairs changed since the last run.")
    unmatched = models.JSONField(default=list, blank=True, help_text="[{request, reason}] from the last run.")
    matched = models.PositiveIntegerField(default=0)
    total_score = models.PositiveIntegerField(default=0)
    run_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="round_number_unique_per_scheme"),
            models.UniqueConstraint(fields=["scheme"], condition=Q(status="draft"), name="one_draft_round_per_scheme"),
        ]

    def __str__(self) -> str:
        return f"Round {self.number} of {self.scheme}"


class PairRule(models.Model):
    """A pair the administrator pinned or forbade in a round, or a pair forbidden in every later
    round of the scheme because one side declined it (`round` empty)."""

    class Kind(models.TextChoices):
        PIN = "pin", "Pinned"
        FORBID = "forbid", "Forbidden"

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="pair_rules")
    round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.CASCADE, related_name="pair_rules")
    request = models.ForeignKey(MentoringRequest, on_delete=models.CASCADE, related_name="pair_rules")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="pair_rules")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    declined = models.BooleanField(default=False, help_text="Forbidden because a proposal of this pair was declined.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "request", "mentor"], name="pair_rule_once_per_round"),
            models.UniqueConstraint(
                fields=["scheme", "request", "mentor"],
                condition=Q(round__isnull=True),
                name="scheme_pair_rule_once",
            ),
            models.UniqueConstraint(
                fields=["round", "request"], condition=Q(kind="pin"), name="one_pin_per_mentee_per_round"
            ),
            models.CheckConstraint(condition=Q(round__isnull=False) | Q(kind="forbid"), name="scheme_rules_forbid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.request.person} with {self.mentor.person}"


class Proposal(models.Model):
    """A pair from a round: a draft while the round is prepared, then sent to both sides to answer."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Proposed in the round"
        OPEN = "open", "Waiting for answers"
        ACCEPTED = "accepted", "Accepted by both"
        DECLINED = "declined", "Declined"
        LAPSED = "lapsed", "No place left"

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="proposals")
    request = models.ForeignKey(MentoringRequest, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="proposals")
    score = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)
    pinned = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    mentee_answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    mentor_answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "request"], name="one_proposal_per_mentee_per_round"),
        ]
        indexes = [models.Index(fields=["mentor", "status"])]

    def __str__(self) -> str:
        return f"{self.request.person} with {self.mentor.person}"


class Relationship(models.Model):
    """A mentee and their mentor, agreed by both, then active, then closed."""

    class Status(models.TextChoices):
        AGREED = "agreed", "Agreed"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="relationship")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="relationships")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="relationships")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentoring_relationships")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AGREED)
    agreed_at = models.DateTimeField(default=timezone.now)
    started_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-agreed_at", "-id"]
        indexes = [models.Index(fields=["mentor", "status"])]

    def __str__(self) -> str:
        return f"{self.mentee} mentored by {self.mentor.person}"


class SessionLog(models.Model):
    """A session the pair held: when, what about, which attributes they worked on. Seen by the pair only."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    topic = models.CharField(max_length=200)
    attributes = models.JSONField(default=list, blank=True, help_text="Attribute keys worked on.")
    notes = models.TextField(blank=True)
    written_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on}: {self.topic}"


class ClosingReview(models.Model):
    """One side's review when the relationship closes. The scheme's administrators see reviews
    only in aggregate, without names."""

    class Side(models.TextChoices):
        MENTEE = "mentee", "Mentee"
        MENTOR = "mentor", "Mentor"

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="reviews")
    side = models.CharField(max_length=10, choices=Side.choices)
    usefulness = models.PositiveSmallIntegerField()
    what_worked = models.TextField(blank=True)
    feedback = models.TextField(blank=True, help_text="Feedback to the scheme.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["relationship", "side"], name="one_review_per_side"),
            models.CheckConstraint(condition=Q(usefulness__gte=1, usefulness__lte=5), name="usefulness_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()}'s review"
