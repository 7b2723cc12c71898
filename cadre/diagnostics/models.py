"""Diagnostics: self-assessments and 360-degree feedback against a published framework version.

A `Campaign` asks about one or more `Subject`s (people), each against the items of their tier in
the campaign's framework version (`CampaignItem`: one per behaviour indicator, which an
administrator may leave out). Every questionnaire filled in is a `Response`: the subject's own
(group "self") or a rater's, reached through a personal, expiring link. Answers (`Rating`,
`Comment`) are stored against the response, never against a rater's account: a response holds
the address the link was sent to, and nothing else about who answered. No audit entry, history
table or admin list records which response holds which answers (docs/confidentiality.md)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from cadre.core.models import Organisation
from cadre.frameworks.models import Attribute, BehaviourIndicator, FrameworkVersion, Tier
from cadre.people.models import Person

# The rating scale: how often the behaviour is seen. 0 is "not observed / don't know", which
# counts towards no figure and no threshold.
NOT_OBSERVED = 0
SCALE = {
    1: "Rarely",
    2: "Sometimes",
    3: "Often",
    4: "Usually",
    5: "Almost always",
}
SCALE_MAX = max(SCALE)


class RaterGroup(models.TextChoices):
    """Who a response comes from. Officers' raters use the first set; an elected member's raters
    use their own (fellow members, officers they work with, residents or partners)."""

    SELF = "self", "Self"
    LINE_MANAGER = "line_manager", "Line manager"
    PEER = "peer", "Peers"
    DIRECT_REPORT = "direct_report", "Direct reports"
    PARTNER = "partner", "Partners and stakeholders"
    SERVICE_USER = "service_user", "Service users and carers"
    ELECTED_MEMBER = "elected_member", "Elected members"
    OTHER = "other", "Others"
    FELLOW_MEMBER = "fellow_member", "Fellow members"
    OFFICER = "officer", "Officers they work with"
    RESIDENT_OR_PARTNER = "resident_or_partner", "Residents or partners"


OFFICER_GROUPS = [
    RaterGroup.LINE_MANAGER,
    RaterGroup.PEER,
    RaterGroup.DIRECT_REPORT,
    RaterGroup.PARTNER,
    RaterGroup.SERVICE_USER,
    RaterGroup.ELECTED_MEMBER,
    RaterGroup.OTHER,
]
MEMBER_GROUPS = [RaterGroup.FELLOW_MEMBER, RaterGroup.OFFICER, RaterGroup.RESIDENT_OR_PARTNER, RaterGroup.OTHER]
# Index of each group in the aggregation kernel's arrays (cadre.kernels.feedback): self is 0.
GROUP_INDEX = {group: i for i, group in enumerate(RaterGroup.values)}


def groups_for(person: Person) -> list[str]:
    """The rater groups that apply to someone's 360."""
    return MEMBER_GROUPS if person.role_type == "elected_member" else OFFICER_GROUPS


class Campaign(models.Model):
    class Kind(models.TextChoices):
        SELF_ASSESSMENT = "self", "Self-assessment"
        FEEDBACK_360 = "360", "360-degree feedback"
        TEAM = "team", "Leadership team diagnostic"

    class Status(models.TextChoices):
        DRAFT = "draft", "Being set up"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="campaigns")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="campaigns")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    threshold = models.PositiveSmallIntegerField(
        default=3, help_text="The fewest raters in a group whose ratings are shown (at least 2)."
    )
    line_manager_threshold = models.PositiveSmallIntegerField(
        default=3, help_text="The same for the line-manager group, which may be 1 (shown as one person's view)."
    )
    needs_approval = models.BooleanField(
        default=False, help_text="The subject's line manager approves the nominated raters before invitations go."
    )
    debrief_first = models.BooleanField(
        default=False, help_text="A report reaches its subject only after a debrief with a named coach."
    )
    closes_on = models.DateField(null=True, blank=True, help_text="The last day to answer.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gte=2), name="campaign_threshold_at_least_two"),
            models.CheckConstraint(
                condition=Q(line_manager_threshold__gte=1), name="campaign_line_manager_threshold_at_least_one"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.name

    def threshold_for(self, group: str) -> int:
        if group == RaterGroup.SELF:
            return 1
        return self.line_manager_threshold if group == RaterGroup.LINE_MANAGER else self.threshold


class CampaignItem(models.Model):
    """One rating question: a behaviour indicator of one tier. Negative indicators (what the
    attribute does not look like) are scored in reverse, so a higher figure is always better."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(BehaviourIndicator, on_delete=models.PROTECT, related_name="+")
    attribute = models.ForeignKey(Attribute, on_delete=models.PROTECT, related_name="+")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(default=0)
    included = models.BooleanField(default=True)
    reverse = models.BooleanField(default=False)

    class Meta:
        ordering = ["campaign", "tier", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "indicator"], name="campaign_item_once"),
        ]

    def __str__(self) -> str:
        return self.indicator.text


class Subject(models.Model):
    """A person a campaign asks about, with where their nominations and report stand."""

    class Nominations(models.TextChoices):
        OPEN = "open", "Being nominated"
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for the line manager's approval"
        APPROVED = "approved", "Approved"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="subjects")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="diagnostic_subjects")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    nominations = models.CharField(max_length=20, choices=Nominations.choices, default=Nominations.OPEN)
    approved_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    debrief_coach = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="debriefs")
    debrief_held_on = models.DateField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    shared_with_manager = models.BooleanField(default=False)
    shared_with_ld = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["campaign", "person__last_name", "person__first_name", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="subject_once_per_campaign")]

    def __str__(self) -> str:
        return f"{self.person} in {self.campaign}"

    @property
    def organisation_id(self) -> int:
        return self.person.organisation_id


def new_nonce() -> str:
    return secrets.token_hex(16)


class Response(models.Model):
    """One questionnaire, filled in by the subject (self) or by one rater through a personal link.

    The link is /feedback/<id>/<token>/, the token an HMAC of the id and `nonce` under the site's
    secret key (`link_token`): the database alone cannot make a working link, a reminder can repeat
    the same link, and a new nonce revokes it. `email` and `name` are where the link was sent: the
    rater's account is never recorded, and answers point only at this row."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", "Nominated"
        INVITED = "invited", "Invited"
        STARTED = "started", "Started"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField(max_length=30, choices=RaterGroup.choices)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    nonce = models.CharField(max_length=32, default=new_nonce)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NOMINATED)
    expires_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["subject", "group", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "email"],
                condition=~Q(email="") & ~Q(status="withdrawn"),
                name="response_rater_invited_once",
            ),
            models.UniqueConstraint(fields=["subject"], condition=Q(group="self"), name="response_one_self"),
        ]
        indexes = [models.Index(fields=["subject", "status"])]

    def __str__(self) -> str:
        return f"{self.get_group_display()} response"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.INVITED, self.Status.STARTED)

    def link_token(self) -> str:
        return salted_hmac("cadre.diagnostics.link", f"{self.pk}:{self.nonce}", algorithm="sha256").hexdigest()[:40]

    def token_matches(self, token: str) -> bool:
        return constant_time_compare(self.link_token(), token)


class Rating(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ratings")
    item = models.ForeignKey(CampaignItem, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(help_text="1 to 5, or 0 for not observed.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="rating_once_per_item"),
            models.CheckConstraint(condition=Q(value__lte=SCALE_MAX), name="rating_on_the_scale"),
        ]

    def __str__(self) -> str:
        return "A rating"  # never the value or whose it is, wherever it is printed


class Comment(models.Model):
    class Kind(models.TextChoices):
        STRENGTHS = "strengths", "Strengths"
        MORE = "more", "What to do more of"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "attribute", "kind"], name="comment_once_per_question")
        ]

    def __str__(self) -> str:
        return "A comment"


class Cycle(models.Model):
    """A recurring diagnostic: a self-assessment each spring, a 360 every year, for the people of
    one tier (or everyone with a tier) in an organisation's framework. The scheduler starts each
    round on `next_on` and moves it on by `every_months`."""

    class Kind(models.TextChoices):
        SELF_ASSESSMENT = "self", "Self-assessment"
        FEEDBACK_360 = "360", "360-degree feedback"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="diagnostic_cycles")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    framework = models.ForeignKey("frameworks.Framework", on_delete=models.CASCADE, related_name="+")
    tier_key = models.SlugField(max_length=80, blank=True, help_text="Only people in this tier; empty for every tier.")
    every_months = models.PositiveSmallIntegerField(default=12)
    next_on = models.DateField()
    open_days = models.PositiveSmallIntegerField(default=21, help_text="How long each round stays open.")
    active = models.BooleanField(default=True)
    last_campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["next_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(every_months__gte=1) & Q(every_months__lte=36), name="cycle_every_one_to_36_months"
            ),
            models.CheckConstraint(condition=Q(open_days__gte=1), name="cycle_open_at_least_a_day"),
        ]

    def __str__(self) -> str:
        return self.name
