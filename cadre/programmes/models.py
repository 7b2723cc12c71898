"""Programmes and their cohorts: who applies and gets in, the sessions they attend, the evidence
they gather and what the programme changed.

A programme is a design (ordered stages, selection criteria, completion rules, the outcomes it
promises); a cohort is one run of it, with dates, places and a steering group. A participant is an
application that was offered a place and accepted it: the same row carries a person from
application to completion, so "who did not get in" is every application that stopped earlier."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from cadre.catalogue.models import Offering
from cadre.core.models import Network, Organisation
from cadre.frameworks.models import Framework
from cadre.people.models import Person


class Programme(models.Model):
    class Audience(models.TextChoices):
        OWN = "own", "Our own organisation"
        NETWORK = "network", "Our organisation and partners in a network"
        OPEN = "open", "Partners in a network and applicants from outside the public sector"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="programmes")
    offering = models.OneToOneField(
        Offering,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme",
        help_text="The programme's entry in the catalogue.",
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    framework = models.ForeignKey(Framework, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    selection_attributes = models.JSONField(
        default=list,
        blank=True,
        help_text="Keys of the framework attributes applicants write about and the selection panel scores.",
    )
    eligible_tiers = models.JSONField(
        default=list, blank=True, help_text="Keys of the tiers that may apply; empty for anyone."
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.OWN)
    network = models.ForeignKey(
        Network,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes",
        help_text="The network whose member organisations may take places.",
    )
    needs_endorsement = models.BooleanField(
        default=True, help_text="The line manager (or an elected member's endorser) endorses each application."
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        default=80, help_text="The share of a cohort's sessions a participant attends to complete."
    )
    evidence_attributes = models.JSONField(
        default=list,
        blank=True,
        help_text="Keys of the attributes each participant needs signed-off portfolio evidence for to complete.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="programme_title_unique_per_organisation"),
            models.CheckConstraint(
                condition=Q(min_attendance_percent__lte=100), name="programme_attendance_at_most_all"
            ),
            models.CheckConstraint(
                condition=Q(audience="own") | Q(network__isnull=False), name="programme_shared_with_a_network"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def takes_external_applicants(self) -> bool:
        return self.audience == self.Audience.OPEN


class Stage(models.Model):
    """One step of a programme, in order: the same steps for every cohort."""

    class Kind(models.TextChoices):
        PRE_READING = "pre_reading", "Pre-reading"
        PAIRED_CONVERSATION = "paired_conversation", "Paired conversation"
        DEVELOPMENT_DAY = "development_day", "Development day"
        SUPPORT_AND_CHALLENGE = "support_and_challenge", "Support and challenge group"
        PROJECT = "project", "Project"
        FORUM = "forum", "Forum"
        ASSESSMENT = "assessment", "Assessment"
        OTHER = "other", "Other"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "position"], name="stage_position_unique_per_programme"),
        ]

    def __str__(self) -> str:
        return self.title


class Outcome(models.Model):
    """A result the programme promised up front, with how it is measured (Kirkpatrick level 4).

    Retention and promotion are measured by Cadre from its own records: the share of
    participants still here, or in a higher tier than when they started, against applicants who
    did not get a place. Anything else is recorded: its status and the evidence for it."""

    class Measure(models.TextChoices):
        RETENTION = "retention", "Retention: participants still with the organisation"
        PROMOTION = "promotion", "Internal promotion: participants now in a higher tier"
        RECORDED = "recorded", "Recorded by the programme team with evidence"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    measure = models.CharField(max_length=20, choices=Measure.choices, default=Measure.RECORDED)
    how_measured = models.TextField(blank=True, help_text="The measure and the evidence that will show it.")
    target = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "position"], name="outcome_position_unique_per_programme"),
        ]

    def __str__(self) -> str:
        return self.title


class Cohort(models.Model):
    """One run of a programme. `capacity` counts every place; `partner_places` of them are kept
    for people from partner organisations (and, on an open programme, external applicants)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        OPEN = "open", "Open for applications"
        SELECTING = "selecting", "Selecting"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    applications_open_on = models.DateField(null=True, blank=True)
    applications_close_on = models.DateField(null=True, blank=True)
    capacity = models.PositiveIntegerField()
    partner_places = models.PositiveIntegerField(default=0)
    offer_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days someone has to accept an offer before it passes to the waiting list."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    steering_group = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="SteeringMember", related_name="steered_cohorts"
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="cohort_panels", help_text="The selection panel."
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assessed_cohorts",
        help_text="Who signs off portfolio evidence, besides the organisation's learning and development team.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique_per_programme"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="cohort_ends_after_it_starts"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="cohort_has_a_place"),
            models.CheckConstraint(
                condition=Q(partner_places__lte=F("capacity")), name="cohort_partner_places_within_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.title}: {self.name}"

    @property
    def home_places(self) -> int:
        return self.capacity - self.partner_places


class SteeringMember(models.Model):
    """Someone on a cohort's steering group: reads its progress and evaluation, records decisions,
    and sees no individual's assessments."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="steering_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=120, blank=True, help_text="Such as: chair, sponsor, partner representative.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="steering_member_once")]

    def __str__(self) -> str:
        return f"{self.user} on {self.cohort}"


class SteeringDecision(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="decisions")
    decided_on = models.DateField(default=timezone.localdate)
    text = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"Decision of {self.decided_on:%d %B %Y}"


class Application(models.Model):
    """A person's path through a cohort, from application (or nomination) to completion."""

    class Kind(models.TextChoices):
        APPLICATION = "application", "Applied"
        NOMINATION = "nomination", "Nominated"

    class Pool(models.TextChoices):
        HOME = "home", "Places for the organisation's own people"
        PARTNER = "partner", "Places kept for partners"

    class Status(models.TextChoices):
        NOMINATED = "nominated", "Nominated, waiting for their statement"
        SUBMITTED = "submitted", "Waiting for endorsement"
        NOT_ENDORSED = "not_endorsed", "Not endorsed"
        ENDORSED = "endorsed", "Waiting for selection"
        NOT_SELECTED = "not_selected", "Not selected"
        WAITING = "waiting", "On the waiting list"
        OFFERED = "offered", "Offered a place"
        ACCEPTED = "accepted", "Taking part"
        DECLINED = "declined", "Declined the offer"
        LAPSED = "lapsed", "Offer lapsed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        COMPLETED = "completed", "Completed"

    HOLDS_A_PLACE = (Status.OFFERED, Status.ACCEPTED, Status.COMPLETED)
    IN_PROGRESS = (Status.NOMINATED, Status.SUBMITTED, Status.ENDORSED, Status.WAITING, Status.OFFERED)

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", help_text="The cohort's organisation."
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="applications")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.APPLICATION)
    pool = models.CharField(max_length=10, choices=Pool.choices, default=Pool.HOME)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    statement = models.TextField(blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(null=True, blank=True)
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    endorsed_at = models.DateTimeField(null=True, blank=True)
    endorsement_note = models.TextField(blank=True)
    panel_score = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="The panel's mean score, once scored."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    tier_rank_at_start = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The person's tier rank when they took their place, to measure promotion."
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    credential_uuid = models.UUIDField(
        null=True, blank=True, help_text="The Open Badges credential issued on completion (cadre.credentials)."
    )
    employer = models.CharField(max_length=200, blank=True, help_text="For an external participant: who they work for.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cohort", "person__last_name", "person__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="application_once_per_cohort"),
        ]
        indexes = [models.Index(fields=["cohort", "status", "pool"])]

    def __str__(self) -> str:
        return f"{self.person} for {self.cohort}"

    @property
    def is_participant(self) -> bool:
        return self.status in (self.Status.ACCEPTED, self.Status.COMPLETED)


class ApplicationAttribute(models.Model):
    """An attribute the applicant chose to write about, with what they wrote."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attributes")
    key = models.SlugField(max_length=80)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "key"], name="application_attribute_once")]

    def __str__(self) -> str:
        return self.key


class PanelScore(models.Model):
    """One panel member's score, 0 to 4, for one selection criterion (a framework attribute)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    panel_member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(max_length=80)
    score = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "panel_member", "key"], name="panel_score_once"),
            models.CheckConstraint(condition=Q(score__lte=4), name="panel_score_at_most_four"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.score}"


class Session(models.Model):
    """A dated meeting of a cohort: a development day, a forum, a group meeting."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="The calendar event's id.")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True)
    facilitator = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text="Goes up each time the invitation changes.")
    cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["cohort", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Attended"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    follow_up_note = models.TextField(blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    absence_emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the participant was asked to get in touch about the absence (once)."
    )
    reaction_asked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the participant was emailed the reaction survey (once)."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "application"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.application.person} at {self.session}: {self.get_status_display()}"


class Reaction(models.Model):
    """A participant's reaction to a session (Kirkpatrick level 1). Reported only in aggregate."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reactions")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reactions")
    useful = models.PositiveSmallIntegerField(help_text="1 (not at all) to 5 (very).")
    will_use = models.PositiveSmallIntegerField(help_text="1 (not at all likely) to 5 (very likely).")
    recommend = models.PositiveSmallIntegerField(help_text="1 (not at all likely) to 5 (very likely).")
    comment = models.TextField(blank=True)
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "application"], name="reaction_once"),
            models.CheckConstraint(
                condition=Q(useful__gte=1, useful__lte=5, will_use__gte=1, will_use__lte=5)
                & Q(recommend__gte=1, recommend__lte=5),
                name="reaction_scores_one_to_five",
            ),
        ]

    def __str__(self) -> str:
        return f"Reaction to {self.session}"


def evidence_path(instance, filename: str) -> str:
    """Not guessable: evidence is served only through a view that checks who asks."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.application.cohort_id}/{uuid.uuid4().hex}.{suffix}"


class Evidence(models.Model):
    """A piece of portfolio evidence against an attribute, signed off by an assessor or sent back."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for an assessor"
        MORE_NEEDED = "more_needed", "More needed"
        SIGNED_OFF = "signed_off", "Signed off"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    key = models.SlugField(max_length=80, help_text="The attribute it shows.")
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    file = models.FileField(upload_to=evidence_path, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(default=timezone.now)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessor_note = models.TextField(blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "key", "submitted_at", "id"]

    def __str__(self) -> str:
        return self.title


class OutcomeStatus(models.Model):
    """Where a recorded outcome stands for a cohort, with the evidence."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        ACHIEVED = "achieved", "Achieved"
        PARTLY_ACHIEVED = "partly_achieved", "Partly achieved"
        NOT_ACHIEVED = "not_achieved", "Not achieved"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="outcome_statuses")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(max_length=20, choices=Status.choices)
    evidence = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "outcome"], name="outcome_status_once_per_cohort")]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.get_status_display()}"


class CalendarFeed(models.Model):
    """A person's private calendar address: every session of their cohorts, for any calendar app."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar of {self.person}"
