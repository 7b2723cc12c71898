"""A subject's 360 report: the figures the confidentiality rules let through, and nothing else.

`report_for(subject)` reads the subject's submitted responses in a fixed number of queries, turns
them into the aggregation kernel's arrays (`cadre.kernels.feedback`), and keeps only what the kernel
shows: group figures at or above their thresholds, the combined group, "others" built from shown
groups, the self view, comments from shown groups, blind spots and hidden strengths, highest and
lowest items, the organisation's norm and the subject's previous 360. Every surface (page, PDF,
CSV, API) renders this object, so none of them can show more than it holds.

Who may read it is `may_read_report`: the subject, once released (a self-assessment at once);
the named debrief coach once the campaign has closed; the line manager and the organisation's
learning and development administrators only when the subject has shared it."""

import math
from dataclasses import dataclass, field

import numpy as np

from cadre.core.models import Role
from cadre.core.selectors import organisations_where
from cadre.diagnostics.models import (
    GROUP_INDEX,
    SCALE_MAX,
    Campaign,
    CampaignItem,
    Comment,
    RaterGroup,
    Rating,
    Response,
    Subject,
)
from cadre.kernels.feedback import (
    aggregate_feedback,
    blind_spots_and_hidden_strengths,
    comments_shown,
    highest_and_lowest_items,
    organisation_norm,
)
from cadre.people.selectors import person_of

GROUPS = RaterGroup.values  # kernel group index = position here; self is 0
COMBINED = len(GROUPS)  # the kernel's slot for the combined group
MARGIN = 1.0
NORM_MINIMUM_REPORTS = 10


# -- who reads it ---------------------------------------------------------------------------------


def may_read_report(user, subject: Subject) -> bool:
    campaign = subject.campaign
    me = person_of(user)
    if me is not None and me.pk == subject.person_id:
        return campaign.kind == Campaign.Kind.SELF_ASSESSMENT or subject.released_at is not None
    if campaign.status != Campaign.Status.CLOSED:
        return False
    if me is not None and subject.debrief_coach_id == me.pk:
        return True
    if subject.released_at is None:
        return False
    if subject.shared_with_manager and me is not None and subject.person.line_manager_id == me.pk:
        return True
    return subject.shared_with_ld and campaign.organisation_id in organisations_where(
        user, Role.LD_ADMIN, Role.ORG_ADMIN
    )


# -- the report -----------------------------------------------------------------------------------


@dataclass
class Figure:
    mean: float | None
    count: int
    spread: float | None

    @property
    def shown(self) -> bool:
        return self.mean is not None


@dataclass
class GroupColumn:
    key: str  # a rater group, or "combined"
    label: str
    one_persons_view: bool = False


@dataclass
class ItemRow:
    item: CampaignItem
    self_value: float | None
    others: Figure
    groups: list[Figure]


@dataclass
class AttributeRow:
    attribute: object
    self_value: float | None
    others: Figure
    groups: list[Figure]  # in the order of Report.columns
    items: list[ItemRow] = field(default_factory=list)
    comments: dict[str, list[str]] = field(default_factory=dict)  # kind label: raters' texts, no names
    self_comments: dict[str, list[str]] = field(default_factory=dict)  # kind label: the person's own
    norm: float | None = None
    previous: float | None = None

    @property
    def gap(self) -> float | None:
        if self.self_value is None or not self.others.shown:
            return None
        return self.self_value - self.others.mean


@dataclass
class Report:
    subject: Subject
    columns: list[GroupColumn]
    attributes: list[AttributeRow]
    withheld: list[str]  # labels of groups whose ratings feed nothing
    combined_of: list[str]  # labels of the groups in the combined group, if shown
    blind_spots: list[AttributeRow]
    hidden_strengths: list[AttributeRow]
    gap_rule: str
    highest: list[ItemRow]
    lowest: list[ItemRow]
    norm_reports: int  # how many reports the norm comes from (0: no norm)
    previous: Subject | None
    responses: int  # submitted responses from others, all groups (shown or not): never per group
    threshold: int
    scale_max: int = SCALE_MAX

    @property
    def has_others(self) -> bool:
        return any(row.others.shown for row in self.attributes)


def _figure(mean, count, spread) -> Figure:
    if count <= 0 or not math.isfinite(mean):
        return Figure(None, 0, None)
    return Figure(round(float(mean), 2), int(count), round(float(spread), 2))


def _at(aggregates, level: str, slot: int, index: int) -> Figure:
    """A group's (or self's, slot 0) figure for an item or attribute of the one participant."""
    return _figure(
        getattr(aggregates, f"{level}_mean")[0, slot, index],
        getattr(aggregates, f"{level}_count")[0, slot, index],
        getattr(aggregates, f"{level}_spread")[0, slot, index],
    )


def _others_at(aggregates, level: str, index: int) -> Figure:
    return _figure(
        getattr(aggregates, f"others_{level}_mean")[0, index],
        getattr(aggregates, f"others_{level}_count")[0, index],
        getattr(aggregates, f"others_{level}_spread")[0, index],
    )


def _items_of(subject: Subject) -> list[CampaignItem]:
    return list(
        CampaignItem.objects.filter(campaign_id=subject.campaign_id, tier_id=subject.tier_id, included=True)
        .select_related("indicator", "attribute")
        .order_by("attribute__order", "attribute_id", "reverse", "order", "id")
    )


def _thresholds(campaign: Campaign) -> np.ndarray:
    return np.array([campaign.threshold_for(g) for g in GROUPS], dtype=np.int32)


def _aggregate(
    campaign: Campaign,
    items: list[CampaignItem],
    responses: list[tuple],
    ratings: list[tuple],
    participants: int | None = None,
):
    """Run the kernel over responses [(response id, participant index, group)] and their ratings
    [(response id, item id, value)], negative indicators scored the other way round. `participants`
    is how many there are (by default, one more than the largest index with a response)."""
    item_index = {item.pk: i for i, item in enumerate(items)}
    attribute_ids = list(dict.fromkeys(item.attribute_id for item in items))
    attribute_index = {a: i for i, a in enumerate(attribute_ids)}
    row_of = {response_id: r for r, (response_id, _p, _g) in enumerate(responses)}
    matrix = np.zeros((len(responses), len(items)), dtype=np.int8)
    reverse = np.array([item.reverse for item in items], dtype=bool)
    for response_id, item_id, value in ratings:
        column = item_index.get(item_id)
        row = row_of.get(response_id)
        if column is not None and row is not None:
            matrix[row, column] = value
    flip = reverse[np.newaxis, :] & (matrix > 0)
    matrix[flip] = (SCALE_MAX + 1) - matrix[flip]
    if participants is None:
        participants = max((p for _r, p, _g in responses), default=-1) + 1
    aggregates = aggregate_feedback(
        ratings=matrix,
        response_participant=np.array([p for _r, p, _g in responses], dtype=np.int32),
        response_group=np.array([GROUP_INDEX[g] for _r, _p, g in responses], dtype=np.int8),
        item_attribute=np.array([attribute_index[item.attribute_id] for item in items], dtype=np.int16),
        thresholds=_thresholds(campaign),
        combined_threshold=campaign.threshold,
        n_participants=participants,
        n_attributes=len(attribute_ids),
        line_manager_group=GROUP_INDEX[RaterGroup.LINE_MANAGER],
    )
    return aggregates, attribute_ids


def _submitted(subject_ids) -> tuple[list, list]:
    responses = list(
        Response.objects.filter(subject_id__in=subject_ids, status=Response.Status.SUBMITTED)
        .order_by("subject_id", "id")
        .values_list("id", "subject_id", "group")
    )
    ratings = list(
        Rating.objects.filter(
            response__subject_id__in=subject_ids, response__status=Response.Status.SUBMITTED
        ).values_list("response_id", "item_id", "value")
    )
    return responses, ratings


def _others_by_attribute_key(subjects: list[Subject], items_by_tier: dict) -> dict[int, dict[str, float]]:
    """For each subject, others' attribute means (shown ones only) by attribute key. `items_by_tier`
    holds each (campaign, tier)'s questions."""
    if not subjects:
        return {}
    responses, ratings = _submitted([s.pk for s in subjects])
    result = {}
    by_tier: dict[tuple, list[Subject]] = {}
    for s in subjects:
        by_tier.setdefault((s.campaign_id, s.tier_id), []).append(s)
    for key, tier_subjects in by_tier.items():
        items = items_by_tier.get(key) or []
        if not items:
            continue
        index = {s.pk: i for i, s in enumerate(tier_subjects)}
        rows = [(r, index[s], g) for r, s, g in responses if s in index]
        if not rows:
            continue
        # Every subject has a row of figures, those without answers too (all not shown).
        aggregates, attribute_ids = _aggregate(
            tier_subjects[0].campaign, items, rows, ratings, participants=len(tier_subjects)
        )
        keys = {item.attribute_id: item.attribute.key for item in items}
        for s in tier_subjects:
            means = aggregates.others_attribute_mean[index[s.pk]]
            result[s.pk] = {keys[a]: float(means[i]) for i, a in enumerate(attribute_ids) if math.isfinite(means[i])}
    return result


def report_for(subject: Subject) -> Report:
    """The subject's report, in a fixed number of queries whatever the number of raters and items."""
    subject = Subject.objects.select_related("campaign__version", "person", "tier").get(pk=subject.pk)
    campaign = subject.campaign
    items = _items_of(subject)
    responses, ratings = _submitted([subject.pk])
    rows = [(r, 0, g) for r, _s, g in responses]
    comments = list(
        Comment.objects.filter(response__subject=subject, response__status=Response.Status.SUBMITTED)
        .order_by("attribute_id", "kind", "text")
        .values_list("response_id", "attribute_id", "kind", "text")
    )
    if rows:
        aggregates, attribute_ids = _aggregate(campaign, items, rows, ratings)
    else:
        aggregates, attribute_ids = None, list(dict.fromkeys(item.attribute_id for item in items))
    attributes = {item.attribute_id: item.attribute for item in items}

    # Which columns to show: every group with a shown figure somewhere, then the combined group.
    columns: list[GroupColumn] = []
    slots: list[int] = []
    withheld: list[str] = []
    combined_of: list[str] = []
    # Every group anyone was invited in: saying which groups are withheld must not tell the reader
    # whether anyone in them answered.
    present = set(
        Response.objects.filter(subject=subject)
        .exclude(group=RaterGroup.SELF)
        .exclude(status__in=[Response.Status.NOMINATED, Response.Status.WITHDRAWN])
        .values_list("group", flat=True)
    )
    if aggregates is not None:
        members = int(aggregates.combined_groups[0])
        combined_of = [RaterGroup(GROUPS[g]).label for g in range(len(GROUPS)) if members >> g & 1]
        for g, group in enumerate(GROUPS):
            if group == RaterGroup.SELF or group not in present:
                continue
            if (aggregates.attribute_count[0, g] > 0).any():
                columns.append(
                    GroupColumn(
                        group,
                        RaterGroup(group).label,
                        one_persons_view=group == RaterGroup.LINE_MANAGER and campaign.line_manager_threshold == 1,
                    )
                )
                slots.append(g)
            elif not members >> g & 1:
                withheld.append(RaterGroup(group).label)
        if (aggregates.attribute_count[0, COMBINED] > 0).any():
            columns.append(GroupColumn("combined", "Combined: " + ", ".join(label.lower() for label in combined_of)))
            slots.append(COMBINED)
        else:
            withheld.extend(combined_of)
            combined_of = []
    else:
        withheld = [RaterGroup(group).label for group in GROUPS if group in present]

    shown_comments = (
        comments_shown(aggregates, response_participant=np.zeros(len(rows), dtype=np.int64))
        if aggregates is not None
        else None
    )
    row_of = {r: i for i, (r, _p, _g) in enumerate(rows)}
    self_ids = {r for r, _p, g in rows if g == RaterGroup.SELF}
    attribute_rows: list[AttributeRow] = []
    item_rows: list[ItemRow] = []
    for a, attribute_id in enumerate(attribute_ids):
        if aggregates is None:
            attribute_rows.append(AttributeRow(attributes[attribute_id], None, Figure(None, 0, None), []))
            continue
        row = AttributeRow(
            attribute=attributes[attribute_id],
            self_value=_at(aggregates, "attribute", 0, a).mean,
            others=_others_at(aggregates, "attribute", a),
            groups=[_at(aggregates, "attribute", slot, a) for slot in slots],
        )
        kinds = dict(Comment.Kind.choices)
        for response_id, comment_attribute, kind, text in comments:
            if comment_attribute == attribute_id and shown_comments[row_of[response_id], a]:
                # The person's own comments are kept apart from the raters'.
                own = row.self_comments if response_id in self_ids else row.comments
                own.setdefault(kinds[kind], []).append(text)
        attribute_rows.append(row)
    if aggregates is not None:
        attribute_position = {attribute_id: a for a, attribute_id in enumerate(attribute_ids)}
        for i, item in enumerate(items):
            item_row = ItemRow(
                item=item,
                self_value=_at(aggregates, "item", 0, i).mean,
                others=_others_at(aggregates, "item", i),
                groups=[_at(aggregates, "item", slot, i) for slot in slots],
            )
            item_rows.append(item_row)
            attribute_rows[attribute_position[item.attribute_id]].items.append(item_row)

    gaps = blind_spots_and_hidden_strengths(
        self_means=np.array([r.self_value if r.self_value is not None else np.nan for r in attribute_rows]),
        others_means=np.array([r.others.mean if r.others.shown else np.nan for r in attribute_rows]),
        margin=MARGIN,
    )
    highest, lowest = (), ()
    if item_rows:
        highest, lowest = highest_and_lowest_items(
            others_item_means=np.array([r.others.mean if r.others.shown else np.nan for r in item_rows])
        )

    norm_reports = _norm(subject, items, attribute_rows)
    previous = _previous(subject, attribute_rows)
    return Report(
        subject=subject,
        columns=columns,
        attributes=attribute_rows,
        withheld=withheld,
        combined_of=combined_of,
        blind_spots=[attribute_rows[a] for a in gaps.blind_spots],
        hidden_strengths=[attribute_rows[a] for a in gaps.hidden_strengths],
        gap_rule=gaps.rule,
        highest=[item_rows[i] for i in highest],
        lowest=[item_rows[i] for i in lowest],
        norm_reports=norm_reports,
        previous=previous,
        responses=sum(1 for _r, _s, g in responses if g != RaterGroup.SELF),
        threshold=campaign.threshold,
    )


def _norm(subject: Subject, items: list[CampaignItem], rows: list[AttributeRow]) -> int:
    """The organisation's norm for the same framework version and tier: the mean of others' figures
    over every closed 360 with enough reports. Returns how many reports it comes from (0: none)."""
    campaign = subject.campaign
    if campaign.kind != Campaign.Kind.FEEDBACK_360:
        return 0
    peers = list(
        Subject.objects.filter(
            campaign__organisation_id=campaign.organisation_id,
            campaign__version_id=campaign.version_id,
            campaign__kind=Campaign.Kind.FEEDBACK_360,
            campaign__status=Campaign.Status.CLOSED,
            tier_id=subject.tier_id,
        ).select_related("campaign")
    )
    if len(peers) < NORM_MINIMUM_REPORTS:
        return 0
    items_by_tier = _items_by_tier(peers)
    means = _others_by_attribute_key(peers, items_by_tier)
    keys = [row.attribute.key for row in rows]
    matrix = np.array([[means.get(s.pk, {}).get(k, np.nan) for k in keys] for s in peers], dtype=float)
    norm = organisation_norm(others_attribute_means=matrix, minimum_reports=NORM_MINIMUM_REPORTS)
    if norm is None:
        return 0
    for row, value in zip(rows, norm.mean, strict=True):
        row.norm = round(float(value), 2) if math.isfinite(value) else None
    return int(norm.reports.max()) if len(norm.reports) else 0


def _items_by_tier(subjects: list[Subject]) -> dict[tuple, list[CampaignItem]]:
    """Each (campaign, tier)'s questions, in one query: campaigns may leave out different ones."""
    items = (
        CampaignItem.objects.filter(
            campaign_id__in={s.campaign_id for s in subjects}, tier_id__in={s.tier_id for s in subjects}, included=True
        )
        .select_related("attribute")
        .order_by("attribute__order", "attribute_id", "reverse", "order", "id")
    )
    by_tier: dict[tuple, list[CampaignItem]] = {}
    for item in items:
        by_tier.setdefault((item.campaign_id, item.tier_id), []).append(item)
    return by_tier


def _previous(subject: Subject, rows: list[AttributeRow]) -> Subject | None:
    """The subject's previous 360 (closed and released), compared by attribute key."""
    if subject.campaign.kind != Campaign.Kind.FEEDBACK_360:
        return None
    previous = (
        Subject.objects.filter(
            person_id=subject.person_id,
            campaign__kind=Campaign.Kind.FEEDBACK_360,
            campaign__status=Campaign.Status.CLOSED,
            released_at__isnull=False,
            campaign__created_at__lt=subject.campaign.created_at,
        )
        .select_related("campaign")
        .order_by("-campaign__created_at")
        .first()
    )
    if previous is None:
        return None
    items = {(previous.campaign_id, previous.tier_id): _items_of(previous)}
    means = _others_by_attribute_key([previous], items).get(previous.pk, {})
    for row in rows:
        value = means.get(row.attribute.key)
        row.previous = round(value, 2) if value is not None else None
    return previous


# -- a leadership team's own profile ----------------------------------------------------------------


@dataclass
class TeamProfile:
    campaign: Campaign
    attributes: list[AttributeRow]  # `others` is the team's figure; no self, no groups
    members: int
    answered_enough: bool  # whether any figure reached the threshold
    highest: list[ItemRow]
    lowest: list[ItemRow]


def may_read_team_profile(user, campaign: Campaign) -> bool:
    """The team's members and the organisation's administrators, once the diagnostic has closed."""
    if campaign.kind != Campaign.Kind.TEAM or campaign.status != Campaign.Status.CLOSED:
        return False
    me = person_of(user)
    if me is not None and campaign.subjects.filter(person=me).exists():
        return True
    return campaign.organisation_id in organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN)


def team_profile(campaign: Campaign) -> TeamProfile:
    """The members' answers together, as one participant rated by one group: a figure shows only
    when at least the campaign's threshold of members rated it; comments only beside a shown figure."""
    subjects = list(campaign.subjects.select_related("tier"))
    members = len(subjects)
    tier_id = subjects[0].tier_id if subjects else None
    items = list(
        CampaignItem.objects.filter(campaign=campaign, tier_id=tier_id, included=True)
        .select_related("indicator", "attribute")
        .order_by("attribute__order", "attribute_id", "reverse", "order", "id")
    )
    responses, ratings = _submitted([s.pk for s in subjects])
    rows = [(r, 0, g) for r, _s, g in responses]
    attribute_ids = list(dict.fromkeys(item.attribute_id for item in items))
    attributes = {item.attribute_id: item.attribute for item in items}
    if not rows:
        empty = [AttributeRow(attributes[a], None, Figure(None, 0, None), []) for a in attribute_ids]
        return TeamProfile(campaign, empty, members, False, [], [])
    aggregates, attribute_ids = _aggregate(campaign, items, rows, ratings)
    shown = comments_shown(aggregates, response_participant=np.zeros(len(rows), dtype=np.int64))
    row_of = {r: n for n, (r, _p, _g) in enumerate(rows)}
    comments = list(
        Comment.objects.filter(response__subject__campaign=campaign, response__status=Response.Status.SUBMITTED)
        .order_by("attribute_id", "kind", "text")
        .values_list("response_id", "attribute_id", "kind", "text")
    )
    kinds = dict(Comment.Kind.choices)
    attribute_rows = []
    for a, attribute_id in enumerate(attribute_ids):
        row = AttributeRow(attributes[attribute_id], None, _others_at(aggregates, "attribute", a), [])
        for response_id, comment_attribute, kind, text in comments:
            if comment_attribute == attribute_id and shown[row_of[response_id], a]:
                row.comments.setdefault(kinds[kind], []).append(text)
        attribute_rows.append(row)
    position = {attribute_id: a for a, attribute_id in enumerate(attribute_ids)}
    item_rows = []
    for i, item in enumerate(items):
        item_row = ItemRow(item=item, self_value=None, others=_others_at(aggregates, "item", i), groups=[])
        item_rows.append(item_row)
        attribute_rows[position[item.attribute_id]].items.append(item_row)
    highest, lowest = highest_and_lowest_items(
        others_item_means=np.array([r.others.mean if r.others.shown else np.nan for r in item_rows])
    )
    return TeamProfile(
        campaign=campaign,
        attributes=attribute_rows,
        members=members,
        answered_enough=any(r.others.shown for r in attribute_rows),
        highest=[item_rows[i] for i in highest],
        lowest=[item_rows[i] for i in lowest],
    )
