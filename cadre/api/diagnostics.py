"""360 feedback in the API, under the confidentiality rules (docs/confidentiality.md).

- Campaigns, their subjects and their invitations are for the organisation's campaign
  administrators (`selectors.campaigns_visible_to`): counts of responses per rater group, never who
  was asked, who answered or what anyone said.
- A person's own 360s (`/diagnostics/me/360s`) list the raters they nominated (name, email, group:
  they chose them), with counts per group and never a rater's status.
- A report is built only from `reports.report_for`, the object every surface renders, and is read
  only by whom `reports.may_read_report` allows.

Anything outside the caller's scope is a 404, never a 403 that confirms it exists."""

from datetime import date, datetime

from django.db.models import Count, Q, prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from ninja import Path, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import SessionAuth as NinjaSessionAuth

from cadre.api.people import ERRORS, MAX_ID, Pagination, ProblemOut
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.diagnostics import selectors, services
from cadre.diagnostics.models import Campaign, Comment, RaterGroup, Response, Subject
from cadre.diagnostics.reports import Figure, ItemRow, Report, may_read_report, report_for

router = Router(tags=["diagnostics"])

LAST_CLOSING_DAY = date(9999, 12, 30)  # a link expires at the end of its closing day: one more must exist


class SessionAuth(NinjaSessionAuth):
    """The API's sign-in, as `django_auth`: the session cookie, with Django's CSRF check on writes
    (send the csrftoken cookie's value in an X-CSRFToken header). A refused CSRF check is sent as
    problem details (403), like every other error, rather than django-ninja's own body. The class
    keeps django-ninja's name so the OpenAPI document shows one security scheme."""

    def _get_key(self, request):
        try:
            return super()._get_key(request)
        except HttpError as error:
            raise PermissionDenied(
                "The CSRF check failed: send the csrftoken cookie's value in an X-CSRFToken header."
            ) from error


session_auth = SessionAuth()


# -- schemas --------------------------------------------------------------------------------------


class FrameworkVersionRefOut(Schema):
    framework_id: int
    framework: str
    number: int


class GroupCountOut(Schema):
    """Responses in one rater group: how many were invited and how many have answered. Never who."""

    group: str
    label: str
    invited: int
    submitted: int
    threshold: int
    below_threshold: bool


class CampaignOut(Schema):
    id: int
    organisation_id: int
    name: str
    status: str
    kind: str
    version: FrameworkVersionRefOut
    closes_on: date | None
    opened_at: datetime | None
    closed_at: datetime | None
    threshold: int
    line_manager_threshold: int
    needs_approval: bool
    debrief_first: bool
    subjects: int
    invited: int
    submitted: int

    @staticmethod
    def resolve_version(campaign) -> dict:
        version = campaign.version
        return {"framework_id": version.framework_id, "framework": version.framework.name, "number": version.number}

    @staticmethod
    def resolve_subjects(campaign) -> int:
        return campaign.subject_count


class CampaignDetailOut(CampaignOut):
    rates: list[GroupCountOut]


class PersonRefOut(Schema):
    person_id: int
    name: str


class SubjectOut(Schema):
    id: int
    person_id: int
    name: str
    tier: str
    nominations: str
    debrief_coach: PersonRefOut | None
    debrief_held_on: date | None
    released_at: datetime | None
    rates: list[GroupCountOut]


class InvitationCountOut(Schema):
    group: str
    label: str
    nominated: int  # nominated, not yet sent (waiting for approval or for the campaign to open)
    invited: int  # sent, whether answered or not
    submitted: int
    outstanding: int  # sent and not answered yet
    threshold: int


class SubjectInvitationsOut(Schema):
    subject_id: int
    person_id: int
    name: str
    nominations: str
    groups: list[InvitationCountOut]


class CampaignRefOut(Schema):
    id: int
    name: str
    status: str
    closes_on: date | None
    closed_at: datetime | None


class NominatedRaterOut(Schema):
    name: str
    email: str
    group: str
    label: str


class InvitedOut(Schema):
    """How many were invited in one group. The person asked about is never told how many have
    answered: beside the names they chose, that would show who had."""

    group: str
    label: str
    invited: int
    threshold: int


class My360Out(Schema):
    subject_id: int
    campaign: CampaignRefOut
    tier: str
    nominations: str
    raters: list[NominatedRaterOut]
    rates: list[InvitedOut]
    released: bool
    released_at: datetime | None
    shared_with_manager: bool
    shared_with_ld: bool
    report_url: str | None


class ExtendIn(Schema):
    closes_on: date


class FigureOut(Schema):
    mean: float
    count: int
    spread: float


class ColumnOut(Schema):
    key: str
    label: str
    one_persons_view: bool


class GroupFigureOut(Schema):
    """One column's figure, when shown: a column withheld for a row is left out of that row."""

    key: str
    label: str
    one_persons_view: bool
    mean: float
    count: int
    spread: float


class CommentsOut(Schema):
    kind: str
    label: str
    texts: list[str]


class ItemOut(Schema):
    id: int
    attribute: str
    text: str
    reverse: bool
    self_value: float | None
    others: FigureOut | None
    groups: list[GroupFigureOut]


class AttributeReportOut(Schema):
    key: str
    name: str
    self_value: float | None
    others: FigureOut | None
    gap: float | None
    groups: list[GroupFigureOut]
    norm: float | None
    previous: float | None
    comments: list[CommentsOut]
    self_comments: list[CommentsOut]
    items: list[ItemOut]


class ReportCampaignOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    closed_at: datetime | None


class PreviousOut(Schema):
    subject_id: int
    campaign_id: int
    campaign: str


class ReportOut(Schema):
    subject_id: int
    person_id: int
    name: str
    tier: str
    campaign: ReportCampaignOut
    released_at: datetime | None
    threshold: int
    scale_max: int
    columns: list[ColumnOut]
    withheld: list[str]
    combined_of: list[str]
    attributes: list[AttributeReportOut]
    blind_spots: list[str]
    hidden_strengths: list[str]
    gap_rule: str
    highest: list[ItemOut]
    lowest: list[ItemOut]
    norm_reports: int
    previous: PreviousOut | None


# -- campaigns, for their administrators -----------------------------------------------------------


def _campaign(request, campaign_id: int) -> Campaign:
    campaign = selectors.campaigns_visible_to(request.user).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


def _campaign_in_full(campaign: Campaign) -> Campaign:
    rates = selectors.response_rates(campaign)
    campaign.rates = rates
    campaign.subject_count = campaign.subjects.count()
    campaign.invited = sum(rate.invited for rate in rates)
    campaign.submitted = sum(rate.submitted for rate in rates)
    return campaign


@router.get(
    "/diagnostics/campaigns",
    response={200: list[CampaignOut], **ERRORS},
    summary="360 campaigns you run",
    description="The 360 campaigns of the organisations where you are a learning and development or "
    "organisation administrator, newest first, with how many people each asks about and how many "
    "responses were invited and submitted (every group together, self-assessments included).",
)
@paginate(Pagination)
def list_campaigns(request):
    return selectors.campaign_list(request.user)


@router.get(
    "/diagnostics/campaigns/{campaign_id}",
    response={200: CampaignDetailOut, 404: ProblemOut, **ERRORS},
    summary="One 360 campaign, with responses per rater group",
    description="Counts of invited and submitted responses per rater group, over the whole campaign. "
    "Counts only: never who was asked or who answered.",
)
def get_campaign(request, campaign_id: int = Path(..., ge=1, le=MAX_ID)):
    return _campaign_in_full(_campaign(request, campaign_id))


@router.get(
    "/diagnostics/campaigns/{campaign_id}/subjects",
    response={200: list[SubjectOut], 404: ProblemOut, **ERRORS},
    summary="The people a 360 campaign asks about",
    description="Each subject's nominations, debrief and release, with invited and submitted responses "
    "per rater group. Never a rater's name, email address or status.",
)
@paginate(Pagination)
def list_subjects(request, campaign_id: int = Path(..., ge=1, le=MAX_ID)):
    campaign = _campaign(request, campaign_id)
    rates = selectors.rates_by_subject(campaign)
    return [
        {
            "id": subject.pk,
            "person_id": subject.person_id,
            "name": subject.person.full_name,
            "tier": subject.tier.name,
            "nominations": subject.nominations,
            "debrief_coach": (
                {"person_id": subject.debrief_coach_id, "name": subject.debrief_coach.full_name}
                if subject.debrief_coach_id
                else None
            ),
            "debrief_held_on": subject.debrief_held_on,
            "released_at": subject.released_at,
            "rates": rates.get(subject.pk, []),
        }
        for subject in campaign.subjects.select_related("person", "tier", "debrief_coach")
    ]


def _invitation_counts(campaign: Campaign) -> dict[int, list[dict]]:
    """Per subject and rater group: nominations not yet sent, invitations sent, answered. One query."""
    rows = (
        Response.objects.filter(subject__campaign=campaign)
        .exclude(status=Response.Status.WITHDRAWN)
        .values("subject_id", "group")
        .annotate(
            nominated=Count("id", filter=Q(status=Response.Status.NOMINATED)),
            invited=Count("id", filter=~Q(status=Response.Status.NOMINATED)),
            submitted=Count("id", filter=Q(status=Response.Status.SUBMITTED)),
        )
        .order_by("subject_id")
    )
    order = {group: i for i, group in enumerate(RaterGroup.values)}
    counts: dict[int, list[dict]] = {}
    for row in rows:
        counts.setdefault(row["subject_id"], []).append(
            {
                "group": row["group"],
                "label": RaterGroup(row["group"]).label,
                "nominated": row["nominated"],
                "invited": row["invited"],
                "submitted": row["submitted"],
                "outstanding": row["invited"] - row["submitted"],
                "threshold": campaign.threshold_for(row["group"]),
            }
        )
    for groups in counts.values():
        groups.sort(key=lambda group: order[group["group"]])
    return counts


@router.get(
    "/diagnostics/campaigns/{campaign_id}/invitations",
    response={200: list[SubjectInvitationsOut], 404: ProblemOut, **ERRORS},
    summary="Invitations per subject and rater group, as counts",
    description="For each subject, per rater group: nominations not yet sent, invitations sent, answered "
    "and outstanding. Administrators get counts only, never the raters' names, email addresses, "
    "invitation times or statuses: a list of who was asked, read beside counts that change as people "
    "answer, would let a small group's answers be traced to a person. The raters themselves are listed "
    "only to the person asked about, who chose them (GET /diagnostics/me/360s), and without a status.",
)
@paginate(Pagination)
def list_invitations(request, campaign_id: int = Path(..., ge=1, le=MAX_ID)):
    campaign = _campaign(request, campaign_id)
    counts = _invitation_counts(campaign)
    return [
        {
            "subject_id": subject.pk,
            "person_id": subject.person_id,
            "name": subject.person.full_name,
            "nominations": subject.nominations,
            "groups": counts.get(subject.pk, []),
        }
        for subject in campaign.subjects.select_related("person")
    ]


def _refused(request, error: ValidationError):
    """A refusal about the campaign's state (closed already, not launched) is a 409; a problem with
    what was sent (it names a field) stays the API's 422."""
    if any(problem.field for problem in error.problems):
        raise error
    from cadre.api.urls import _problem as problem_details  # the API's one way to write problem details

    return problem_details(
        request,
        409,
        "The request could not be carried out",
        str(error),
        errors=[{"field": p.field, "row": p.row, "message": p.message} for p in error.problems],
    )


WRITE_RESPONSES = {200: CampaignDetailOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, **ERRORS}


@router.post(
    "/diagnostics/campaigns/{campaign_id}/close",
    auth=session_auth,
    response=WRITE_RESPONSES,
    summary="Close a 360 campaign",
    description="It takes no more answers. A campaign already closed, or never launched, is a 409 saying so.",
)
def close_campaign(request, campaign_id: int = Path(..., ge=1, le=MAX_ID)):
    campaign = _campaign(request, campaign_id)
    try:
        services.campaign_close(campaign=campaign, actor=request.user)
    except ValidationError as error:
        return _refused(request, error)
    return _campaign_in_full(_campaign(request, campaign_id))


@router.post(
    "/diagnostics/campaigns/{campaign_id}/extend",
    auth=session_auth,
    response=WRITE_RESPONSES,
    summary="Move a 360 campaign's closing date later",
    description="Open links then work until the end of the new day. A closed campaign is a 409; a date "
    "in the past or not after the current closing date is a 422 naming closes_on.",
)
def extend_campaign(request, body: ExtendIn, campaign_id: int = Path(..., ge=1, le=MAX_ID)):
    campaign = _campaign(request, campaign_id)
    if body.closes_on > LAST_CLOSING_DAY:
        raise ValidationError(Problem(f"Choose a closing date up to {LAST_CLOSING_DAY:%-d %B %Y}.", field="closes_on"))
    try:
        services.campaign_extend(campaign=campaign, actor=request.user, closes_on=body.closes_on)
    except ValidationError as error:
        return _refused(request, error)
    return _campaign_in_full(_campaign(request, campaign_id))


# -- the person asked about -----------------------------------------------------------------------


def _raters_and_rates(subjects: list[Subject]) -> dict[int, tuple[list[dict], list[dict]]]:
    """For each subject, in one query: the raters they nominated (name, email, group; never a status),
    and invited and submitted responses per group, counted as `selectors.response_rates` does."""
    rows = (
        Response.objects.filter(subject__in=subjects)
        .exclude(status=Response.Status.WITHDRAWN)
        .order_by("subject_id", "group", "name", "email")
        .values_list("subject_id", "group", "name", "email", "status")
    )
    campaigns = {subject.pk: subject.campaign for subject in subjects}
    raters: dict[int, list[dict]] = {subject.pk: [] for subject in subjects}
    tally: dict[int, dict[str, list[int]]] = {subject.pk: {} for subject in subjects}
    for subject_id, group, name, email, status in rows:
        if group != RaterGroup.SELF:
            raters[subject_id].append({"name": name, "email": email, "group": group, "label": RaterGroup(group).label})
        if status != Response.Status.NOMINATED:
            counted = tally[subject_id].setdefault(group, [0, 0])
            counted[0] += 1
            counted[1] += status == Response.Status.SUBMITTED
    result = {}
    for subject_id, groups in tally.items():
        campaign = campaigns[subject_id]
        rates = [
            {
                "group": group,
                "label": RaterGroup(group).label,
                "invited": groups[group][0],
                "submitted": groups[group][1],
                "threshold": campaign.threshold_for(group),
                "below_threshold": groups[group][1] < campaign.threshold_for(group),
            }
            for group in RaterGroup.values
            if group in groups
        ]
        result[subject_id] = (raters[subject_id], rates)
    return result


@router.get(
    "/diagnostics/me/360s",
    response={200: list[My360Out], **ERRORS},
    summary="Your own 360s",
    description="The 360s you are asked about: where your nominations stand, the raters you nominated "
    "(name, email address and group, never whether each has answered), invited and submitted responses "
    "per group, and your report's address once it is released to you.",
)
def list_my_360s(request):
    subjects = selectors.my_diagnostics(request.user).subjects
    prefetch_related_objects(subjects, "tier")
    nominated = _raters_and_rates(subjects)
    return [
        {
            "subject_id": subject.pk,
            "campaign": subject.campaign,
            "tier": subject.tier.name,
            "nominations": subject.nominations,
            "raters": nominated[subject.pk][0],
            "rates": nominated[subject.pk][1],
            "released": subject.released_at is not None,
            "released_at": subject.released_at,
            "shared_with_manager": subject.shared_with_manager,
            "shared_with_ld": subject.shared_with_ld,
            "report_url": (
                reverse("api:diagnostics_report", kwargs={"subject_id": subject.pk})
                if subject.released_at is not None
                else None
            ),
        }
        for subject in subjects
    ]


# -- reports --------------------------------------------------------------------------------------


def _figure(figure: Figure) -> dict | None:
    return {"mean": figure.mean, "count": figure.count, "spread": figure.spread} if figure.shown else None


def _groups(report: Report, figures: list[Figure]) -> list[dict]:
    """The shown figures of each column; a column withheld for this row is left out."""
    return [
        {
            "key": column.key,
            "label": column.label,
            "one_persons_view": column.one_persons_view,
            "mean": figure.mean,
            "count": figure.count,
            "spread": figure.spread,
        }
        for column, figure in zip(report.columns, figures, strict=True)
        if figure.shown
    ]


def _item(report: Report, row: ItemRow) -> dict:
    return {
        "id": row.item.pk,
        "attribute": row.item.attribute.key,
        "text": row.item.indicator.text,
        "reverse": row.item.reverse,
        "self_value": row.self_value,
        "others": _figure(row.others),
        "groups": _groups(report, row.groups),
    }


def _report_out(report: Report) -> dict:
    """The report as JSON: exactly what `report_for` kept, and nothing from the database besides.
    The total of responses (`Report.responses`) is left out, as on the page: beside the shown
    groups' counts and the withheld groups' labels it would give away how many answered in a
    withheld group."""
    subject, campaign = report.subject, report.subject.campaign
    kinds = {label: kind for kind, label in Comment.Kind.choices}
    return {
        "subject_id": subject.pk,
        "person_id": subject.person_id,
        "name": subject.person.full_name,
        "tier": subject.tier.name,
        "campaign": campaign,
        "released_at": subject.released_at,
        "threshold": report.threshold,
        "scale_max": report.scale_max,
        "columns": report.columns,
        "withheld": report.withheld,
        "combined_of": report.combined_of,
        "attributes": [
            {
                "key": row.attribute.key,
                "name": row.attribute.name,
                "self_value": row.self_value,
                "others": _figure(row.others),
                "gap": round(row.gap, 2) if row.gap is not None else None,
                "groups": _groups(report, row.groups),
                "norm": row.norm,
                "previous": row.previous,
                "comments": [
                    {"kind": kinds[label], "label": label, "texts": texts} for label, texts in row.comments.items()
                ],
                "self_comments": [
                    {"kind": kinds[label], "label": label, "texts": texts} for label, texts in row.self_comments.items()
                ],
                "items": [_item(report, item) for item in row.items],
            }
            for row in report.attributes
        ],
        "blind_spots": [row.attribute.key for row in report.blind_spots],
        "hidden_strengths": [row.attribute.key for row in report.hidden_strengths],
        "gap_rule": report.gap_rule,
        "highest": [_item(report, item) for item in report.highest],
        "lowest": [_item(report, item) for item in report.lowest],
        "norm_reports": report.norm_reports,
        "previous": (
            {
                "subject_id": report.previous.pk,
                "campaign_id": report.previous.campaign_id,
                "campaign": report.previous.campaign.name,
            }
            if report.previous is not None
            else None
        ),
    }


@router.get(
    "/diagnostics/reports/{subject_id}",
    url_name="diagnostics_report",
    response={200: ReportOut, 404: ProblemOut, **ERRORS},
    summary="A 360 report (or self-assessment), as figures",
    description="The same report as the page, PDF and CSV: a rater group's figures only when at least its "
    "threshold of raters answered (withheld groups feed no figure and no comment; groups that reach the "
    "threshold only together are shown as one combined column), comments without names, and no figure "
    "or comment that leads to a rater. Read by the person it is about once released, by the named "
    "debrief coach once the campaign has closed, and by the line manager and the learning and "
    "development administrators only when the person has shared it. Anyone else gets a 404.",
)
def get_report(request, subject_id: int = Path(..., ge=1, le=MAX_ID)):
    subject = Subject.objects.select_related("campaign", "person").filter(pk=subject_id).first()
    if subject is None or not may_read_report(request.user, subject):
        raise Http404
    return _report_out(report_for(subject))
