"""Action learning sets and support-and-challenge groups.

A *forming* is one run of group forming: the cohorts chosen, the group size and seed, and the
result (each person's group, the diversity it reached, and what random groupings reach). It is
a preview until an administrator saves it; saving makes its groups (`LearningSet`) and their
members. People can then be moved by hand, never into a group that breaks a rule.

A set meets (`Meeting`, with calendar invitations), has a rota of who brings an issue to each
meeting (`RotaTurn`), a register (`MeetingAttendance`) and a private log of issues and actions
(`LogEntry`) that only its members and its facilitator can read: not the organisation's
administrators, not the admin site, not a personal-data export made by someone else.

`Conflict` is a declared "should not be in a group with": made by the person themself or by an
administrator, with an optional reason that only administrators see."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from cadre.core.models import Organisation
from cadre.people.models import Person
from cadre.programmes.models import Application, Cohort


class Kind(models.TextChoices):
    SUPPORT_AND_CHALLENGE = "support_and_challenge", "Support and challenge group"
    ACTION_LEARNING = "action_learning", "Action learning set"


class Forming(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Forming groups"
        READY = "ready", "Ready to check"
        SAVED = "saved", "Saved"
        FAILED = "failed", "Could not form groups"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="group_formings")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.SUPPORT_AND_CHALLENGE)
    cohorts = models.ManyToManyField(Cohort, related_name="group_formings")
    size = models.PositiveSmallIntegerField()
    seed = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    people = models.JSONField(default=list, blank=True, help_text="Person ids, in the order of the rows below.")
    features = models.JSONField(default=list, blank=True, help_text="The encoded features, one row a person.")
    feature_names = models.JSONField(default=list, blank=True)
    labels = models.JSONField(default=list, blank=True, help_text="Each person's group, from 0.")
    objective = models.FloatField(null=True, blank=True)
    random_objective = models.FloatField(
        null=True, blank=True, help_text="The mean diversity of random groupings that keep the same rules."
    )
    problems = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=2), name="forming_size_at_least_two"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def gain(self) -> float | None:
        """How much more diverse than random groupings, as a share (0.25 is 25% more)."""
        if self.objective is None or not self.random_objective:
            return None
        return self.objective / self.random_objective - 1


class LearningSet(models.Model):
    """One group: an action learning set or a support-and-challenge group."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="learning_sets")
    forming = models.ForeignKey(Forming, null=True, blank=True, on_delete=models.CASCADE, related_name="sets")
    number = models.PositiveSmallIntegerField(help_text="The group's number within its forming, from 1.")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.SUPPORT_AND_CHALLENGE)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="facilitated_sets"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["forming", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["forming", "number"], name="learning_set_number_once_per_forming"),
        ]

    def __str__(self) -> str:
        return self.name


class SetMember(models.Model):
    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="members")
    forming = models.ForeignKey(
        Forming, null=True, blank=True, on_delete=models.CASCADE, related_name="+", help_text="Copied from the set."
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="set_memberships")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["learning_set", "person__last_name", "person__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["learning_set", "person"], name="set_member_once"),
            models.UniqueConstraint(
                fields=["forming", "person"], condition=Q(forming__isnull=False), name="set_member_one_set_per_forming"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.learning_set}"


class Conflict(models.Model):
    """`person` should not be in a group with `other` (kept apart both ways)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(blank=True, help_text="Private: only administrators see it.")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "other"], name="conflict_once"),
            models.CheckConstraint(condition=~Q(person=F("other")), name="conflict_not_with_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.person} apart from {self.other}"


class Meeting(models.Model):
    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="meetings")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="The calendar event's id.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text="Goes up each time the invitation changes.")
    cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["learning_set", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="group_meeting_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.learning_set} meeting on {timezone.localtime(self.starts_at):%d %B %Y}"


class RotaTurn(models.Model):
    """A member brings an issue to a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rota")
    member = models.ForeignKey(SetMember, on_delete=models.CASCADE, related_name="turns")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="rota_turn_once")]

    def __str__(self) -> str:
        return f"{self.member.person} at {self.meeting}"


class MeetingAttendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Attended"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(SetMember, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="group_attendance_once")]

    def __str__(self) -> str:
        return f"{self.member.person} at {self.meeting}: {self.get_status_display()}"


class LogEntry(models.Model):
    """The set's private log: an issue someone brought, or an action someone took away."""

    class Kind(models.TextChoices):
        ISSUE = "issue", "Issue"
        ACTION = "action", "Action"

    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="log")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="log")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Whose action it is."
    )
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["learning_set", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.learning_set}"
