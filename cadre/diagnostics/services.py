"""Writes for diagnostics: campaigns, nominations, invitations, answers, closing and releasing.

Every function checks who is acting, refuses bad input with a `ValidationError` listing each
problem, and writes in one transaction. Answers are never audited: campaign-level events are
(launched, closed, extended, released), with counts, never a rater or a value."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cadre.core.audit import audit_event
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.core.models import Organisation, Role
from cadre.core.selectors import organisations_where
from cadre.diagnostics.models import (
    NOT_OBSERVED,
    SCALE_MAX,
    Campaign,
    CampaignItem,
    Comment,
    Cycle,
    RaterGroup,
    Rating,
    Response,
    Subject,
    groups_for,
    new_nonce,
)
from cadre.frameworks.models import BehaviourIndicator, FrameworkVersion, Tier
from cadre.people.models import Person
from cadre.people.selectors import person_of

COMMENT_MAX_LENGTH = 4000
LONGEST_OPEN = timedelta(days=731)
NAME_MAX_LENGTH = 200


# -- who may do what ------------------------------------------------------------------------------


def is_campaign_administrator(user, organisation_id: int) -> bool:
    return bool(getattr(user, "is_superuser", False)) or organisation_id in organisations_where(
        user, Role.LD_ADMIN, Role.ORG_ADMIN
    )


def _require_administrator(user, campaign: Campaign) -> None:
    if not is_campaign_administrator(user, campaign.organisation_id):
        raise PermissionDenied("Only the organisation's learning and development administrators run campaigns.")


def _is_subject(user, subject: Subject) -> bool:
    person = person_of(user)
    return person is not None and person.pk == subject.person_id


def _is_line_manager(user, subject: Subject) -> bool:
    person = person_of(user)
    return person is not None and subject.person.line_manager_id == person.pk


def may_nominate(user, subject: Subject) -> bool:
    return _is_subject(user, subject) or is_campaign_administrator(user, subject.campaign.organisation_id)


# -- items ----------------------------------------------------------------------------------------


def _items_for(campaign: Campaign, tiers: set[int]) -> None:
    """One item per behaviour indicator of each tier asked about, in the framework's order."""
    have = set(campaign.items.values_list("tier_id", flat=True))
    indicators = (
        BehaviourIndicator.objects.filter(version=campaign.version, tier_id__in=tiers - have)
        .select_related("attribute")
        .order_by("tier__rank", "attribute__order", "attribute_id", "kind", "order", "id")
    )
    CampaignItem.objects.bulk_create(
        CampaignItem(
            campaign=campaign,
            indicator=indicator,
            attribute=indicator.attribute,
            tier_id=indicator.tier_id,
            order=n,
            reverse=indicator.kind == BehaviourIndicator.Kind.NEGATIVE,
        )
        for n, indicator in enumerate(indicators)
    )


def campaign_items_choose(*, campaign: Campaign, actor, included: set[int]) -> int:
    """Choose which items the campaign asks (while it is being set up). Returns how many."""
    _require_administrator(actor, campaign)
    with transaction.atomic(durable=True):
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != Campaign.Status.DRAFT:
            raise ValidationError(Problem("The campaign has been launched, so the questions it asks stay as they are."))
        items = list(campaign.items.all())
        unknown = included - {i.pk for i in items}
        if unknown:
            raise ValidationError(Problem("Choose from the questions listed.", field="items"))
        for tier_id in {i.tier_id for i in items}:
            if not any(i.pk in included for i in items if i.tier_id == tier_id):
                tier = Tier.objects.get(pk=tier_id)
                raise ValidationError(Problem(f"Keep at least one question for {tier.name}.", field="items"))
        campaign.items.update(included=False)
        campaign.items.filter(pk__in=included).update(included=True)
        audit_event(actor=actor, event="campaign.items_chosen", target=campaign, data={"included": len(included)})
    return len(included)


# -- starting -------------------------------------------------------------------------------------


def _tier_in(person: Person, version: FrameworkVersion) -> Tier | None:
    return person.tier if person.tier_id and person.tier.version_id == version.pk else None


def self_assessment_start(*, person: Person, actor) -> Response:
    """A self-assessment against the person's own tier, which they may start at any time."""
    if person_of(actor) is None or person_of(actor).pk != person.pk:
        raise PermissionDenied("People assess only themselves.")
    tier = person.tier
    if tier is None or tier.version.status != FrameworkVersion.Status.PUBLISHED:
        raise ValidationError(
            Problem("You have no development tier in a published framework yet, so there is nothing to assess against.")
        )
    if not BehaviourIndicator.objects.filter(version=tier.version, tier=tier).exists():
        raise ValidationError(Problem(f"{tier.name} has no behaviour indicators to assess against yet."))
    with transaction.atomic(durable=True):
        campaign = Campaign.objects.create(
            organisation_id=person.organisation_id,
            kind=Campaign.Kind.SELF_ASSESSMENT,
            name=f"Self-assessment, {timezone.localdate():%-d %B %Y}",
            version=tier.version,
            status=Campaign.Status.OPEN,
            opened_at=timezone.now(),
            created_by=actor,
        )
        _items_for(campaign, {tier.pk})
        subject = Subject.objects.create(
            campaign=campaign, person=person, tier=tier, nominations=Subject.Nominations.APPROVED
        )
        response = Response.objects.create(
            subject=subject,
            group=RaterGroup.SELF,
            status=Response.Status.INVITED,
            invited_at=timezone.now(),
        )
    return response


@dataclass
class CampaignPlan:
    name: str
    version: FrameworkVersion
    people: list[Person]
    threshold: int = 3
    line_manager_threshold: int = 3
    needs_approval: bool = False
    debrief_first: bool = False
    closes_on: date | None = None


def _settings_problems(plan: CampaignPlan) -> list[Problem]:
    problems = []
    if not plan.name.strip():
        problems.append(Problem("Enter a name for the campaign.", field="name"))
    elif len(plan.name.strip()) > NAME_MAX_LENGTH:
        problems.append(Problem(f"The name can be at most {NAME_MAX_LENGTH} characters.", field="name"))
    if plan.threshold < 2:
        problems.append(
            Problem("A rater group's threshold must be at least 2, so no one's answers stand alone.", field="threshold")
        )
    if plan.threshold > 20:
        problems.append(Problem("A threshold above 20 would withhold almost every group.", field="threshold"))
    if not 1 <= plan.line_manager_threshold <= max(plan.threshold, 1):
        problems.append(
            Problem(
                "The line manager's threshold must be from 1 to the campaign's threshold.",
                field="line_manager_threshold",
            )
        )
    if plan.closes_on is not None and plan.closes_on < timezone.localdate():
        problems.append(Problem("The closing date must be today or later.", field="closes_on"))
    elif plan.closes_on is not None and plan.closes_on > timezone.localdate() + LONGEST_OPEN:
        problems.append(Problem("The closing date must be within two years.", field="closes_on"))
    return problems


def campaign_create(*, organisation: Organisation, actor, plan: CampaignPlan) -> Campaign:
    """A 360 campaign for one person or a whole cohort, being set up: its subjects, their self
    responses and the questions for each of their tiers."""
    if not is_campaign_administrator(actor, organisation.pk):
        raise PermissionDenied("Only the organisation's learning and development administrators run campaigns.")
    problems = _settings_problems(plan)
    if plan.version.status != FrameworkVersion.Status.PUBLISHED:
        problems.append(Problem("Choose a published framework version.", field="version"))
    if not plan.people:
        problems.append(Problem("Choose at least one person to ask about.", field="people"))
    untiered = [p for p in plan.people if _tier_in(p, plan.version) is None]
    if untiered:
        names = ", ".join(p.full_name for p in untiered[:10]) + (" and others" if len(untiered) > 10 else "")
        problems.append(
            Problem(f"Not in a tier of this framework version, so they cannot be asked about: {names}.", field="people")
        )
    elsewhere = [p for p in plan.people if p.organisation_id != organisation.pk]
    if elsewhere:
        problems.append(Problem("Everyone asked about must belong to the organisation.", field="people"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        campaign = Campaign.objects.create(
            organisation=organisation,
            kind=Campaign.Kind.FEEDBACK_360,
            name=plan.name.strip(),
            version=plan.version,
            threshold=plan.threshold,
            line_manager_threshold=plan.line_manager_threshold,
            needs_approval=plan.needs_approval,
            debrief_first=plan.debrief_first,
            closes_on=plan.closes_on,
            created_by=actor,
        )
        _items_for(campaign, {p.tier_id for p in plan.people})
        subjects = Subject.objects.bulk_create(
            Subject(campaign=campaign, person=p, tier_id=p.tier_id) for p in dict.fromkeys(plan.people)
        )
        Response.objects.bulk_create(Response(subject=s, group=RaterGroup.SELF) for s in subjects)
        audit_event(actor=actor, event="campaign.created", target=campaign, data={"subjects": len(subjects)})
    return campaign


# -- nominations ----------------------------------------------------------------------------------


def rater_nominate(*, subject: Subject, actor, group: str, name: str, email: str) -> Response:
    """Nominate a rater in a group. Raters outside the organisation need only a name and an email
    address: their link needs no account."""
    campaign = subject.campaign
    if not may_nominate(actor, subject):
        raise PermissionDenied("Only the person asked about, or an administrator, nominates raters.")
    name, email = name.strip(), email.strip().lower()
    problems = []
    if group not in groups_for(subject.person):
        problems.append(Problem("Choose one of the rater groups listed.", field="group"))
    if not name:
        problems.append(Problem("Enter the rater's name.", field="name"))
    elif len(name) > NAME_MAX_LENGTH:
        problems.append(Problem(f"The name can be at most {NAME_MAX_LENGTH} characters.", field="name"))
    if not email:
        problems.append(Problem("Enter the rater's email address.", field="email"))
    elif subject.person.email and email == subject.person.email.strip().lower():
        problems.append(
            Problem(
                "That is the email address of the person being asked about. Their own view is their "
                "self-assessment, not a rater's.",
                field="email",
            )
        )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        subject = Subject.objects.select_for_update().select_related("campaign").get(pk=subject.pk)
        campaign = subject.campaign
        if campaign.status == Campaign.Status.CLOSED:
            raise ValidationError(Problem("The campaign has closed, so no more raters can be asked."))
        if subject.nominations == Subject.Nominations.AWAITING_APPROVAL:
            raise ValidationError(Problem("The nominations are waiting for the line manager's approval."))
        if (
            group == RaterGroup.LINE_MANAGER
            and subject.responses.filter(group=RaterGroup.LINE_MANAGER)
            .exclude(status=Response.Status.WITHDRAWN)
            .exists()
        ):
            raise ValidationError(
                Problem("There is already a line manager on the list. Ask others as peers or others.", field="group")
            )
        taken = subject.responses.exclude(status=Response.Status.WITHDRAWN).filter(email=email).first()
        if taken is not None:
            raise ValidationError(
                Problem(
                    f"{email} is already asked, in the group {taken.get_group_display().lower()}. "
                    "Each rater answers once.",
                    field="email",
                )
            )
        try:
            with transaction.atomic():
                response = Response.objects.create(subject=subject, group=group, name=name, email=email)
        except IntegrityError as error:
            raise ValidationError(
                Problem(f"{email} is already asked. Each rater answers once.", field="email")
            ) from error
        manager = subject.person.line_manager
        if (
            subject.nominations == Subject.Nominations.APPROVED
            and campaign.needs_approval
            and manager is not None
            and not is_campaign_administrator(actor, campaign.organisation_id)
        ):
            # Approved raters stay approved; a rater the person adds afterwards waits for the line
            # manager's approval like the first ones, so approval cannot be stepped round.
            subject.nominations = Subject.Nominations.AWAITING_APPROVAL
            subject.save(update_fields=["nominations"])
            if manager.email:
                transaction.on_commit(lambda: _email_approval_request(subject))
        elif campaign.status == Campaign.Status.OPEN and subject.nominations == Subject.Nominations.APPROVED:
            _invite([response])
    return response


def rater_withdraw(*, response: Response, actor) -> None:
    """Take back a nomination before its invitation has gone."""
    subject = response.subject
    if not may_nominate(actor, subject):
        raise PermissionDenied("Only the person asked about, or an administrator, changes the raters.")
    with transaction.atomic(durable=True):
        response = Response.objects.select_for_update().get(pk=response.pk)
        if response.group == RaterGroup.SELF:
            raise ValidationError(Problem("The self-assessment is part of every 360 and stays."))
        if response.status == Response.Status.WITHDRAWN:
            raise ValidationError(Problem("This nomination has already been withdrawn."))
        if response.subject.nominations == Subject.Nominations.AWAITING_APPROVAL:
            raise ValidationError(
                Problem("The raters are waiting for the line manager's approval, so they stay as they are.")
            )
        if response.status != Response.Status.NOMINATED:
            # Once invited, a rater stays: allowing a withdrawal only until they answer would show
            # who has answered.
            raise ValidationError(Problem("This rater has been invited, so they stay on the list."))
        response.status = Response.Status.WITHDRAWN
        response.nonce = new_nonce()  # the link stops working
        response.save(update_fields=["status", "nonce"])
        response.ratings.all().delete()
        response.comments.all().delete()


def nominations_submit(*, subject: Subject, actor) -> Subject:
    """The subject has finished nominating: to the line manager for approval, or approved."""
    if not may_nominate(actor, subject):
        raise PermissionDenied("Only the person asked about, or an administrator, sends the nominations.")
    with transaction.atomic(durable=True):
        subject = Subject.objects.select_for_update().select_related("campaign", "person").get(pk=subject.pk)
        if subject.nominations != Subject.Nominations.OPEN:
            raise ValidationError(Problem("The nominations have already been sent."))
        if not subject.responses.exclude(group=RaterGroup.SELF).exclude(status=Response.Status.WITHDRAWN).exists():
            raise ValidationError(Problem("Nominate at least one rater first."))
        manager = subject.person.line_manager
        if subject.campaign.needs_approval and manager is not None:
            subject.nominations = Subject.Nominations.AWAITING_APPROVAL
            subject.save(update_fields=["nominations"])
            if manager.email:
                transaction.on_commit(lambda: _email_approval_request(subject))
        else:
            _approve(subject, approver=None)
    return subject


def nominations_approve(*, subject: Subject, actor, approve: bool = True, reason: str = "") -> Subject:
    """The line manager approves the nominated raters (or sends them back with a reason)."""
    if not _is_line_manager(actor, subject) and not is_campaign_administrator(actor, subject.campaign.organisation_id):
        raise PermissionDenied("Only the line manager approves the nominations.")
    if not approve and not reason.strip():
        raise ValidationError(Problem("Say why the nominations need changing.", field="reason"))
    with transaction.atomic(durable=True):
        subject = Subject.objects.select_for_update().select_related("campaign", "person").get(pk=subject.pk)
        if subject.nominations != Subject.Nominations.AWAITING_APPROVAL:
            raise ValidationError(Problem("These nominations are not waiting for approval."))
        if approve:
            _approve(subject, approver=person_of(actor))
        else:
            subject.nominations = Subject.Nominations.OPEN
            subject.save(update_fields=["nominations"])
            if subject.person.email:
                transaction.on_commit(lambda: _email_sent_back(subject, reason.strip()))
    return subject


def _approve(subject: Subject, *, approver: Person | None) -> None:
    subject.nominations = Subject.Nominations.APPROVED
    subject.approved_by = approver
    subject.save(update_fields=["nominations", "approved_by"])
    if subject.campaign.status == Campaign.Status.OPEN:
        _invite(list(subject.responses.filter(status=Response.Status.NOMINATED)))


# -- launching, inviting, reminding -----------------------------------------------------------------


def _end_of(day: date | None) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def not_ready(campaign: Campaign) -> list[Subject]:
    """Subjects whose raters cannot be invited at launch: still choosing, or waiting for approval."""
    return list(campaign.subjects.exclude(nominations=Subject.Nominations.APPROVED).select_related("person"))


def launch_warnings(campaign: Campaign) -> list[dict]:
    """For each subject, the groups with raters but fewer than the group's threshold: their ratings
    will be withheld unless more raters respond (or they combine with other withheld groups)."""
    warnings = []
    subjects = campaign.subjects.select_related("person").prefetch_related("responses")
    for subject in subjects:
        counts: dict[str, int] = {}
        for response in subject.responses.all():
            if response.group != RaterGroup.SELF and response.status != Response.Status.WITHDRAWN:
                counts[response.group] = counts.get(response.group, 0) + 1
        short = [
            {"group": RaterGroup(g).label, "raters": n, "threshold": campaign.threshold_for(g)}
            for g, n in counts.items()
            if n < campaign.threshold_for(g)
        ]
        if short:
            warnings.append({"subject": subject, "groups": short})
    return warnings


def campaign_launch(*, campaign: Campaign, actor) -> Campaign:
    """Open the campaign: invitations go to every approved subject's raters and to each subject
    for their own self-assessment."""
    _require_administrator(actor, campaign)
    with transaction.atomic(durable=True):
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status == Campaign.Status.OPEN:
            raise ValidationError(Problem("The campaign is already open."))
        if campaign.status == Campaign.Status.CLOSED:
            raise ValidationError(Problem("The campaign has closed. Start a new one to ask again."))
        if campaign.closes_on is None:
            raise ValidationError(Problem("Set a closing date before launching.", field="closes_on"))
        if campaign.closes_on < timezone.localdate():
            raise ValidationError(Problem("The closing date has passed. Choose a later one.", field="closes_on"))
        if not campaign.items.filter(included=True).exists():
            raise ValidationError(Problem("The campaign asks no questions. Include some first."))
        campaign.status = Campaign.Status.OPEN
        campaign.opened_at = timezone.now()
        campaign.save(update_fields=["status", "opened_at"])
        selves = Response.objects.filter(subject__campaign=campaign, group=RaterGroup.SELF)
        raters = Response.objects.filter(
            subject__campaign=campaign,
            subject__nominations=Subject.Nominations.APPROVED,
            status=Response.Status.NOMINATED,
        ).exclude(group=RaterGroup.SELF)
        _invite(list(selves.filter(status=Response.Status.NOMINATED)) + list(raters))
        audit_event(
            actor=actor, event="campaign.launched", target=campaign, data={"subjects": campaign.subjects.count()}
        )
    return campaign


def _invite(responses: list[Response]) -> None:
    now = timezone.now()
    for response in responses:
        response.status = Response.Status.INVITED
        response.invited_at = now
        response.expires_at = _end_of(response.subject.campaign.closes_on)
    Response.objects.bulk_update(responses, ["status", "invited_at", "expires_at"])
    ids = [r.pk for r in responses]
    if ids:
        from cadre.diagnostics.tasks import send_invitations

        transaction.on_commit(lambda: send_invitations.enqueue(ids))


def link_for(response: Response) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("diagnostics:answer", args=[response.pk, response.link_token()])


def _recipient(response: Response) -> str:
    return response.email if response.group != RaterGroup.SELF else response.subject.person.email


def invitation_emails_send(response_ids: list[int], *, reminder: bool = False, now: datetime | None = None) -> int:
    """Email each response's personal link (an invitation, or a reminder). Returns how many went."""
    sent = 0
    responses = Response.objects.filter(pk__in=response_ids).select_related("subject__person", "subject__campaign")
    for response in responses:
        to = _recipient(response)
        if not to or not response.is_open:
            continue
        campaign, person = response.subject.campaign, response.subject.person
        closes = f"{campaign.closes_on:%-d %B %Y}" if campaign.closes_on else "when the campaign closes"
        if campaign.kind == Campaign.Kind.TEAM:
            subject_line = f"{'Reminder: how' if reminder else 'How'} {campaign.name} leads"
            opening = (
                f"Your team, {campaign.name}, is looking at how it leads together. Please rate how often the "
                "team as a whole shows each behaviour. Only the team's combined answers are shown."
            )
        elif response.group == RaterGroup.SELF:
            subject_line = f"{'Reminder: your' if reminder else 'Your'} self-assessment for {campaign.name}"
            opening = "Please assess yourself against what is expected at your development tier."
        else:
            subject_line = f"{'Reminder: feedback' if reminder else 'Feedback'} for {person.full_name}"
            opening = (
                f"{person.full_name} has asked for your feedback on their leadership, as one of their "
                f"{response.get_group_display().lower()}."
            )
        lm_note = ""
        if response.group == RaterGroup.LINE_MANAGER and campaign.line_manager_threshold == 1:
            lm_note = (
                "\nAs their line manager, your ratings are shown to them on their own, labelled as one "
                "person's view: they will know they are yours.\n"
            )
        body = (
            f"Hello {response.name or person.first_name},\n\n{opening}\n{lm_note}\n"
            f"Answer here (this link is yours alone; no account is needed):\n{link_for(response)}\n\n"
            f"The link works until {closes}. Answers are shown only as group figures, and only when "
            f"enough people in a group have answered.\n"
        )
        send_mail(subject_line, body, None, [to])
        sent += 1
        if reminder:
            response.reminded_at = now or timezone.now()
            response.reminders += 1
            response.save(update_fields=["reminded_at", "reminders"])  # each as it goes, so none twice
    return sent


REMIND_DAYS_BEFORE = 3
REMIND_GAP = timedelta(days=2)


def reminders_due(now: datetime | None = None) -> list[int]:
    """Responses still open in campaigns closing within REMIND_DAYS_BEFORE days, not reminded in
    the last two days."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Response.objects.filter(
        subject__campaign__status=Campaign.Status.OPEN,
        subject__campaign__closes_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
        subject__campaign__closes_on__gte=today,
        status__in=[Response.Status.INVITED, Response.Status.STARTED],
    ).exclude(reminded_at__gte=now - REMIND_GAP)
    return list(due.values_list("pk", flat=True))


def reminders_send(now: datetime | None = None) -> int:
    """Send the reminders due now. Safe to run as often as you like: each is sent once per gap."""
    now = now or timezone.now()
    return invitation_emails_send(reminders_due(now), reminder=True, now=now)


def _email_approval_request(subject: Subject) -> None:
    manager = subject.person.line_manager
    url = settings.SITE_URL.rstrip("/") + reverse("diagnostics:approve", args=[subject.pk])
    send_mail(
        f"Approve the raters for {subject.person.full_name}'s 360",
        f"Hello {manager.first_name},\n\n{subject.person.full_name} has nominated raters for their 360 "
        f"feedback in {subject.campaign.name}. Please check and approve them:\n{url}\n",
        None,
        [manager.email],
    )


def _email_sent_back(subject: Subject, reason: str) -> None:
    url = settings.SITE_URL.rstrip("/") + reverse("diagnostics:nominate", args=[subject.pk])
    send_mail(
        "Your 360 nominations need changing",
        f"Hello {subject.person.first_name},\n\nYour line manager asked for changes to your raters:\n\n{reason}\n\n"
        f"Change them here:\n{url}\n",
        None,
        [subject.person.email],
    )


# -- answering ------------------------------------------------------------------------------------


def answerable(response: Response, now: datetime | None = None) -> Problem | None:
    """Why this response cannot take answers now, or None."""
    now = now or timezone.now()
    campaign = response.subject.campaign
    if response.status == Response.Status.WITHDRAWN:
        return Problem("This link has been withdrawn. You do not need to do anything.")
    if response.status == Response.Status.SUBMITTED:
        return Problem("These answers have been sent. Thank you: there is nothing more to do.")
    if campaign.status == Campaign.Status.CLOSED:
        return Problem("This campaign has closed and takes no more answers.")
    if response.status == Response.Status.NOMINATED or campaign.status != Campaign.Status.OPEN:
        return Problem("This questionnaire is not open yet.")
    if response.expires_at is not None and now >= response.expires_at:
        return Problem("This link has expired: the closing date has passed.")
    return None


def questions_of(response: Response) -> list[CampaignItem]:
    subject = response.subject
    return list(
        CampaignItem.objects.filter(campaign_id=subject.campaign_id, tier_id=subject.tier_id, included=True)
        .select_related("indicator", "attribute")
        .order_by("attribute__order", "attribute_id", "reverse", "order", "id")
    )


def _clean_answers(response: Response, ratings: dict, comments: dict) -> tuple[dict, dict, list[Problem]]:
    """Ratings {item id: value} and comments {(attribute id, kind): text}, checked."""
    items = {i.pk: i for i in questions_of(response)}
    attributes = {i.attribute_id for i in items.values()}
    problems, clean_ratings, clean_comments = [], {}, {}
    for key, raw in ratings.items():
        try:
            item_id, value = int(key), int(raw)
        except (TypeError, ValueError):
            problems.append(Problem("Choose one of the answers given for each statement.", field=f"item-{key}"))
            continue
        if item_id not in items:
            problems.append(Problem("That statement is not in this questionnaire.", field=f"item-{key}"))
        elif not NOT_OBSERVED <= value <= SCALE_MAX:
            problems.append(Problem(f"Answers run from 1 to {SCALE_MAX}, or not observed.", field=f"item-{item_id}"))
        else:
            clean_ratings[item_id] = value
    for (attribute_id, kind), text in comments.items():
        if attribute_id not in attributes or kind not in Comment.Kind.values:
            problems.append(Problem("That question is not in this questionnaire.", field="comments"))
            continue
        text = (text or "").replace("\x00", "").strip()
        if len(text) > COMMENT_MAX_LENGTH:
            problems.append(
                Problem(
                    f"A comment can be at most {COMMENT_MAX_LENGTH:,} characters.",
                    field=f"comment-{attribute_id}-{kind}",
                )
            )
        else:
            clean_comments[(attribute_id, kind)] = text
    return clean_ratings, clean_comments, problems


def answers_save(*, response: Response, ratings: dict, comments: dict | None = None, submit: bool = False) -> Response:
    """Keep the answers given so far (autosave), and with `submit` send them. Saving the same
    answers again changes nothing; a submitted response takes no more."""
    comments = comments or {}
    with transaction.atomic(durable=True):
        response = Response.objects.select_for_update().select_related("subject__campaign").get(pk=response.pk)
        refusal = answerable(response)
        if refusal is not None:
            raise ValidationError(refusal)
        clean_ratings, clean_comments, problems = _clean_answers(response, ratings, comments)
        if problems:
            raise ValidationError(problems)
        existing = {r.item_id: r for r in response.ratings.all()}
        Rating.objects.bulk_create(
            Rating(response=response, item_id=i, value=v) for i, v in clean_ratings.items() if i not in existing
        )
        changed = [r for i, r in existing.items() if i in clean_ratings and r.value != clean_ratings[i]]
        for rating in changed:
            rating.value = clean_ratings[rating.item_id]
        Rating.objects.bulk_update(changed, ["value"])
        for (attribute_id, kind), text in clean_comments.items():
            if text:
                Comment.objects.update_or_create(
                    response=response, attribute_id=attribute_id, kind=kind, defaults={"text": text}
                )
            else:
                Comment.objects.filter(response=response, attribute_id=attribute_id, kind=kind).delete()
        missing = set()
        if submit:
            asked = {i.pk for i in questions_of(response)}
            missing = asked - set(response.ratings.values_list("item_id", flat=True))
        if submit and not missing:
            response.status = Response.Status.SUBMITTED
            response.submitted_at = timezone.now()
            response.save(update_fields=["status", "submitted_at"])
        elif response.status == Response.Status.INVITED:
            response.status = Response.Status.STARTED
            response.save(update_fields=["status"])
    if missing:
        # The answers given are kept (saved above); the questionnaire is not sent until complete.
        raise ValidationError(
            Problem(
                (f"{len(missing)} statements still need" if len(missing) != 1 else "1 statement still needs")
                + ' an answer. Choose "not observed" where you cannot say.',
                field=f"item-{min(missing)}",
            )
        )
    return response


# -- closing, extending, releasing ------------------------------------------------------------------


def campaign_close(*, campaign: Campaign, actor) -> Campaign:
    _require_administrator(actor, campaign)
    with transaction.atomic(durable=True):
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status == Campaign.Status.CLOSED:
            raise ValidationError(
                Problem(f"The campaign was already closed on {timezone.localtime(campaign.closed_at):%-d %B %Y}.")
            )
        if campaign.status == Campaign.Status.DRAFT:
            raise ValidationError(Problem("The campaign has not been launched, so there is nothing to close."))
        campaign.status = Campaign.Status.CLOSED
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["status", "closed_at"])
        submitted = Response.objects.filter(subject__campaign=campaign, status=Response.Status.SUBMITTED).count()
        audit_event(actor=actor, event="campaign.closed", target=campaign, data={"responses": submitted})
    return campaign


def campaign_extend(*, campaign: Campaign, actor, closes_on: date) -> Campaign:
    _require_administrator(actor, campaign)
    with transaction.atomic(durable=True):
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status == Campaign.Status.CLOSED:
            raise ValidationError(Problem("The campaign has closed and cannot be extended."))
        if closes_on < timezone.localdate():
            raise ValidationError(Problem("The new closing date must be today or later.", field="closes_on"))
        if closes_on > timezone.localdate() + LONGEST_OPEN:
            raise ValidationError(Problem("The new closing date must be within two years.", field="closes_on"))
        if campaign.closes_on is not None and closes_on <= campaign.closes_on:
            raise ValidationError(
                Problem(
                    f"Choose a date after the current closing date, {campaign.closes_on:%-d %B %Y}.", field="closes_on"
                )
            )
        before = campaign.closes_on
        campaign.closes_on = closes_on
        campaign.save(update_fields=["closes_on"])
        Response.objects.filter(
            subject__campaign=campaign, status__in=[Response.Status.INVITED, Response.Status.STARTED]
        ).update(expires_at=_end_of(closes_on))
        audit_event(
            actor=actor,
            event="campaign.extended",
            target=campaign,
            data={"closes_on": [str(before) if before else "", str(closes_on)]},
        )
    return campaign


def debrief_coach_set(*, subject: Subject, actor, coach: Person | None) -> Subject:
    """Name the coach who reads the report with the person. Not the administrator naming them (who
    would then read a report not shared with them), not one of the person's raters (who would learn
    the others' answers from their own), and not after the report is released."""
    _require_administrator(actor, subject.campaign)
    if Subject.objects.filter(pk=subject.pk, released_at__isnull=False).exists():
        raise ValidationError(Problem("The report has been released, so its debrief coach stays as they are."))
    if coach is not None:
        if coach.pk == subject.person_id:
            raise ValidationError(Problem("Choose someone other than the person asked about.", field="coach"))
        me = person_of(actor)
        if me is not None and me.pk == coach.pk:
            raise ValidationError(
                Problem("Choose someone other than yourself: another administrator names you.", field="coach")
            )
        if coach.email and subject.responses.filter(email__iexact=coach.email).exists():
            raise ValidationError(
                Problem("This person was asked for feedback in this 360, so they cannot be its coach.", field="coach")
            )
    with transaction.atomic(durable=True):
        # Only while the report is unreleased, as the database has it now.
        if not Subject.objects.filter(pk=subject.pk, released_at__isnull=True).update(debrief_coach=coach):
            raise ValidationError(Problem("The report has been released, so its debrief coach stays as they are."))
        subject.debrief_coach = coach
        audit_event(
            actor=actor,
            event="campaign.debrief_coach_set",
            target=subject.campaign,
            data={"person": subject.person.full_name, "coach": coach.full_name if coach else ""},
        )
    return subject


def debrief_record(*, subject: Subject, actor, held_on: date) -> Subject:
    """The coach (or an administrator) records that the debrief took place."""
    person = person_of(actor)
    is_coach = person is not None and subject.debrief_coach_id == person.pk
    if not is_coach and not is_campaign_administrator(actor, subject.campaign.organisation_id):
        raise PermissionDenied("Only the debrief coach records the debrief.")
    if held_on > timezone.localdate():
        raise ValidationError(Problem("The debrief date cannot be in the future.", field="held_on"))
    subject.debrief_held_on = held_on
    subject.save(update_fields=["debrief_held_on"])
    return subject


def report_release(*, subject: Subject, actor) -> Subject:
    """Release a subject's report to them, once the campaign has closed (and, where the campaign
    asks for it, after the debrief)."""
    campaign = subject.campaign
    _require_administrator(actor, campaign)
    with transaction.atomic(durable=True):
        subject = Subject.objects.select_for_update().select_related("campaign").get(pk=subject.pk)
        if subject.campaign.status != Campaign.Status.CLOSED:
            raise ValidationError(Problem("Close the campaign before releasing its reports."))
        if subject.released_at is not None:
            raise ValidationError(Problem("This report has already been released."))
        if subject.campaign.debrief_first:
            if subject.debrief_coach_id is None:
                raise ValidationError(
                    Problem("Name the debrief coach first: this campaign releases reports after a debrief.")
                )
            if subject.debrief_held_on is None:
                raise ValidationError(
                    Problem("The debrief has not been recorded yet. The report is released after it.")
                )
        subject.released_at = timezone.now()
        subject.save(update_fields=["released_at"])
        audit_event(
            actor=actor,
            event="campaign.report_released",
            target=subject.campaign,
            data={"person": subject.person.full_name},
        )
        if subject.person.email:
            transaction.on_commit(lambda: _email_released(subject))
    return subject


def _email_released(subject: Subject) -> None:
    url = settings.SITE_URL.rstrip("/") + reverse("diagnostics:report", args=[subject.pk])
    send_mail(
        "Your 360 feedback report is ready",
        f"Hello {subject.person.first_name},\n\nYour report from {subject.campaign.name} is ready to read:\n{url}\n",
        None,
        [subject.person.email],
    )


def report_share(*, subject: Subject, actor, manager: bool, ld: bool) -> Subject:
    """The subject chooses who else reads their report: their line manager, the organisation's
    learning and development administrators, both or neither."""
    if not _is_subject(actor, subject):
        raise PermissionDenied("Only the person the report is about decides who else reads it.")
    subject.shared_with_manager = manager
    subject.shared_with_ld = ld
    subject.save(update_fields=["shared_with_manager", "shared_with_ld"])
    return subject


# -- recurring cycles -----------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def cycle_create(
    *,
    organisation: Organisation,
    actor,
    kind: str,
    name: str,
    framework,
    tier_key: str,
    every_months: int,
    first_on: date,
    open_days: int,
) -> Cycle:
    if not is_campaign_administrator(actor, organisation.pk):
        raise PermissionDenied("Only the organisation's learning and development administrators schedule cycles.")
    problems = []
    if not name.strip():
        problems.append(Problem("Enter a name for the recurring round.", field="name"))
    if kind not in Cycle.Kind.values:
        problems.append(Problem("Choose a self-assessment or 360 feedback.", field="kind"))
    if not 1 <= every_months <= 36:
        problems.append(Problem("Repeat it every 1 to 36 months.", field="every_months"))
    if not 1 <= open_days <= 180:
        problems.append(Problem("Keep each round open for 1 to 180 days.", field="open_days"))
    if first_on < timezone.localdate():
        problems.append(Problem("The first round must start today or later.", field="first_on"))
    published = framework.versions.filter(status=FrameworkVersion.Status.PUBLISHED).first()
    if published is None:
        problems.append(Problem("Choose a framework with a published version.", field="framework"))
    elif tier_key and not published.tiers.filter(key=tier_key).exists():
        problems.append(Problem("Choose one of the framework's tiers.", field="tier_key"))
    if problems:
        raise ValidationError(problems)
    cycle = Cycle.objects.create(
        organisation=organisation,
        kind=kind,
        name=name.strip(),
        framework=framework,
        tier_key=tier_key,
        every_months=every_months,
        next_on=first_on,
        open_days=open_days,
        created_by=actor,
    )
    audit_event(actor=actor, event="cycle.created", target=cycle, data={"every_months": every_months})
    return cycle


def cycle_stop(*, cycle, actor) -> None:
    if not is_campaign_administrator(actor, cycle.organisation_id):
        raise PermissionDenied("Only the organisation's learning and development administrators stop cycles.")
    if not cycle.active:
        raise ValidationError(Problem("This recurring round has already been stopped."))
    cycle.active = False
    cycle.save(update_fields=["active"])
    audit_event(actor=actor, event="cycle.stopped", target=cycle, data={})


def cycles_run(today: date | None = None) -> int:
    """Start every round that is due: a self-assessment round opens at once and emails each person
    their link; a 360 round is set up for the people to nominate raters (emailed), and an
    administrator launches it. Each cycle then moves on. Returns the number of rounds started.
    Safe to run as often as you like: a cycle is locked while it runs and moved past today."""
    today = today or timezone.localdate()
    started = 0
    for cycle_id in Cycle.objects.filter(active=True, next_on__lte=today).values_list("pk", flat=True):
        with transaction.atomic():
            cycle = Cycle.objects.select_for_update().filter(pk=cycle_id, active=True, next_on__lte=today).first()
            if cycle is None:
                continue
            campaign = _cycle_round(cycle, today)
            while cycle.next_on <= today:
                cycle.next_on = _add_months(cycle.next_on, cycle.every_months)
            cycle.last_campaign = campaign
            cycle.save(update_fields=["next_on", "last_campaign"])
            started += campaign is not None
    return started


def _cycle_round(cycle, today: date) -> Campaign | None:
    version = cycle.framework.versions.filter(status=FrameworkVersion.Status.PUBLISHED).first()
    if version is None:
        return None
    people = Person.objects.filter(
        organisation_id=cycle.organisation_id, status=Person.Status.ACTIVE, tier__version=version
    ).select_related("tier")
    if cycle.tier_key:
        people = people.filter(tier__key=cycle.tier_key)
    people = list(people)
    if not people:
        return None
    kind = Campaign.Kind.SELF_ASSESSMENT if cycle.kind == "self" else Campaign.Kind.FEEDBACK_360
    campaign = Campaign.objects.create(
        organisation_id=cycle.organisation_id,
        kind=kind,
        name=f"{cycle.name}, {today:%B %Y}",
        version=version,
        closes_on=today + timedelta(days=cycle.open_days - 1),
        created_by=cycle.created_by,
    )
    _items_for(campaign, {p.tier_id for p in people})
    opening = Subject.Nominations.APPROVED if kind == Campaign.Kind.SELF_ASSESSMENT else Subject.Nominations.OPEN
    subjects = Subject.objects.bulk_create(
        Subject(
            campaign=campaign,
            person=p,
            tier_id=p.tier_id,
            nominations=opening,
        )
        for p in people
    )
    responses = Response.objects.bulk_create(Response(subject=s, group=RaterGroup.SELF) for s in subjects)
    if kind == Campaign.Kind.SELF_ASSESSMENT:
        campaign.status = Campaign.Status.OPEN
        campaign.opened_at = timezone.now()
        campaign.save(update_fields=["status", "opened_at"])
        for response, subject in zip(responses, subjects, strict=True):
            response.subject = subject
            subject.campaign = campaign
        _invite(responses)
    else:
        ids = [s.pk for s in subjects]
        transaction.on_commit(lambda: _email_nominate(ids))
    audit_event(actor=None, event="cycle.round_started", target=campaign, data={"people": len(people)})
    return campaign


def _email_nominate(subject_ids: list[int]) -> None:
    for subject in Subject.objects.filter(pk__in=subject_ids).select_related("person", "campaign"):
        if not subject.person.email:
            continue
        url = settings.SITE_URL.rstrip("/") + reverse("diagnostics:nominate", args=[subject.pk])
        send_mail(
            f"Choose who gives you 360 feedback: {subject.campaign.name}",
            f"Hello {subject.person.first_name},\n\nIt is time for your 360 feedback. Choose who you would like "
            f"to ask, in each group:\n{url}\n",
            None,
            [subject.person.email],
        )


def scheduled_work_run(now: datetime | None = None) -> dict:
    """What the scheduler does each time it wakes: start due cycles, send due reminders."""
    now = now or timezone.now()
    return {"rounds": cycles_run(timezone.localdate(now)), "reminders": reminders_send(now)}


# -- a leadership team's collective diagnostic ----------------------------------------------------


def team_diagnostic_start(
    *,
    organisation: Organisation,
    actor,
    name: str,
    tier: Tier,
    members: list[Person],
    closes_on: date,
    threshold: int = 3,
) -> Campaign:
    """A leadership team (a senior management team, or councillors with officers) rates how the
    team leads, against the behaviours of one tier. Each member gets a personal link at once; the
    team's profile is the members' answers together, shown only from `threshold` or more."""
    if not is_campaign_administrator(actor, organisation.pk):
        raise PermissionDenied("Only the organisation's learning and development administrators run these.")
    problems = []
    if not name.strip():
        problems.append(Problem("Enter the team's name.", field="name"))
    if tier.version.status != FrameworkVersion.Status.PUBLISHED:
        problems.append(Problem("Choose a tier of a published framework.", field="tier"))
    if threshold < 3:
        # The members are the readers: with two, each could work out the other's answers from their own.
        problems.append(Problem("The threshold must be at least 3, as members read the profile.", field="threshold"))
    if len(set(members)) < max(threshold, 3):
        problems.append(
            Problem(f"A team needs at least {max(threshold, 3)} members for its profile to show.", field="members")
        )
    without_email = [m.full_name for m in members if not m.email]
    if without_email:
        problems.append(Problem(f"These members have no email address: {', '.join(without_email)}.", field="members"))
    if closes_on < timezone.localdate():
        problems.append(Problem("The closing date must be today or later.", field="closes_on"))
    elif closes_on > timezone.localdate() + LONGEST_OPEN:
        problems.append(Problem("The closing date must be within two years.", field="closes_on"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        campaign = Campaign.objects.create(
            organisation=organisation,
            kind=Campaign.Kind.TEAM,
            name=name.strip(),
            version=tier.version,
            status=Campaign.Status.OPEN,
            threshold=threshold,
            line_manager_threshold=threshold,
            closes_on=closes_on,
            opened_at=timezone.now(),
            created_by=actor,
        )
        _items_for(campaign, {tier.pk})
        subjects = Subject.objects.bulk_create(
            Subject(campaign=campaign, person=m, tier=tier, nominations=Subject.Nominations.APPROVED)
            for m in dict.fromkeys(members)
        )
        responses = Response.objects.bulk_create(
            Response(subject=s, group=RaterGroup.PEER, name=s.person.full_name, email=s.person.email.lower())
            for s in subjects
        )
        for response, subject in zip(responses, subjects, strict=True):
            subject.campaign = campaign
            response.subject = subject
        _invite(responses)
        audit_event(actor=actor, event="campaign.team_started", target=campaign, data={"members": len(subjects)})
    return campaign
