"""Team profiles and the organisation's capability heatmap: many people's latest assessments,
summed into groups and shown only where enough people stand behind each figure.

Each person contributes one figure per attribute from their latest assessment in one framework
version: their own score from a self-assessment, or what everyone else said in their latest closed
360 (only figures the 360 report itself shows). Groups of people (a manager's team, a department)
are then cells of a table, and `cadre.kernels.disclosure` hides every cell with fewer than the
threshold of people, and as many more as it takes so that no hidden cell can be worked out from the
totals that are shown. No individual's figures leave this module."""

import math
from dataclasses import dataclass

import numpy as np

from cadre.diagnostics.models import Campaign, CampaignItem, RaterGroup, Response, Subject
from cadre.diagnostics.reports import _aggregate
from cadre.frameworks.models import Attribute, FrameworkVersion
from cadre.kernels.disclosure import suppress_table, table_figures

SOURCES = {"self": "Self-assessments", "360": "360 feedback from others"}
TEAM_THRESHOLD = 3
HEATMAP_THRESHOLD = 5


def _latest(version: FrameworkVersion, person_ids, source: str) -> list[Subject]:
    """Each person's latest subject row in any version of the framework: a finished
    self-assessment, or a closed 360. (A new version keeps its attributes' keys, so an assessment
    against an earlier version still counts, attribute by attribute.)"""
    subjects = Subject.objects.filter(
        person_id__in=person_ids, campaign__version__framework_id=version.framework_id
    ).select_related("campaign")
    if source == "self":
        subjects = subjects.filter(
            campaign__kind=Campaign.Kind.SELF_ASSESSMENT,
            responses__group=RaterGroup.SELF,
            responses__status=Response.Status.SUBMITTED,
        )
    else:
        # Released reports only: a figure from an unreleased report would tell a reader what its
        # subject has not seen yet.
        subjects = subjects.filter(
            campaign__kind=Campaign.Kind.FEEDBACK_360,
            campaign__status=Campaign.Status.CLOSED,
            released_at__isnull=False,
        )
    latest: dict[int, Subject] = {}
    for subject in subjects.order_by("person_id", "-campaign__created_at", "-id"):
        latest.setdefault(subject.person_id, subject)
    return list(latest.values())


def person_scores(version: FrameworkVersion, person_ids, source: str) -> tuple[list[Attribute], dict[int, np.ndarray]]:
    """Each person's figure per attribute of the version (NaN where they have none), in a fixed
    number of queries: their latest subjects, the questions of those campaigns, the responses and
    their ratings. Attributes are matched by key, so an earlier version's assessment counts."""
    attributes = list(version.attributes.order_by("order", "id"))
    position = {a.key: n for n, a in enumerate(attributes)}
    subjects = _latest(version, person_ids, source)
    scores: dict[int, np.ndarray] = {}
    if not subjects:
        return attributes, scores
    items = list(
        CampaignItem.objects.filter(
            campaign_id__in={s.campaign_id for s in subjects}, tier_id__in={s.tier_id for s in subjects}, included=True
        )
        .select_related("attribute")
        .order_by("attribute__order", "attribute_id", "reverse", "order", "id")
    )
    responses = Response.objects.filter(subject__in=subjects, status=Response.Status.SUBMITTED)
    if source == "self":
        responses = responses.filter(group=RaterGroup.SELF)
    rows = list(responses.order_by("subject_id", "id").values_list("id", "subject_id", "group"))
    from cadre.diagnostics.models import Rating

    ratings = list(Rating.objects.filter(response__in=responses).values_list("response_id", "item_id", "value"))
    by_campaign: dict[tuple, list[CampaignItem]] = {}
    for item in items:
        by_campaign.setdefault((item.campaign_id, item.tier_id), []).append(item)
    groups: dict[tuple, list[Subject]] = {}
    for subject in subjects:
        groups.setdefault((subject.campaign_id, subject.tier_id), []).append(subject)
    for key, members in groups.items():
        campaign_items = by_campaign.get(key) or []
        index = {s.pk: n for n, s in enumerate(members)}
        member_rows = [(r, index[s], g) for r, s, g in rows if s in index]
        if not campaign_items or not member_rows:
            continue
        aggregates, attribute_ids = _aggregate(members[0].campaign, campaign_items, member_rows, ratings)
        keys = {item.attribute_id: item.attribute.key for item in campaign_items}
        for subject in members:
            figures = np.full(len(attributes), np.nan)
            source_means = (
                aggregates.attribute_mean[index[subject.pk], 0]
                if source == "self"
                else aggregates.others_attribute_mean[index[subject.pk]]
            )
            for a, attribute_id in enumerate(attribute_ids):
                key = keys[attribute_id]
                if key in position and math.isfinite(source_means[a]):
                    figures[position[key]] = source_means[a]
            scores[subject.person_id] = figures
    return attributes, scores


@dataclass
class Cell:
    mean: float | None
    count: int
    hidden: bool  # fewer than the threshold, or hidden so another cannot be worked out

    @property
    def empty(self) -> bool:
        return not self.hidden and self.count == 0


@dataclass
class Table:
    """Rows of groups (departments, or the one team) by attributes, and a total per attribute."""

    attributes: list[Attribute]
    rows: list[tuple[str, list[Cell]]]
    totals: list[Cell] | None
    threshold: int
    people: int  # people with any figure

    @property
    def any_hidden(self) -> bool:
        return any(c.hidden for _n, cells in self.rows for c in cells)


def _cell(mean, count, hidden) -> Cell:
    return Cell(None if hidden or count == 0 else round(float(mean), 2), 0 if hidden else int(count), bool(hidden))


def grouped_table(
    *,
    attributes: list[Attribute],
    scores: dict[int, np.ndarray],
    groups: list[tuple[str, list[int]]],
    threshold: int,
    totals: bool,
) -> Table:
    """Sum each group's people per attribute, then hide what the threshold and the totals demand."""
    counts = np.zeros((len(groups), len(attributes)), dtype=np.int64)
    sums = np.zeros((len(groups), len(attributes)))
    people = 0
    for g, (_name, members) in enumerate(groups):
        for person_id in members:
            figures = scores.get(person_id)
            if figures is None:
                continue
            people += 1
            has = np.isfinite(figures)
            counts[g] += has
            sums[g] += np.where(has, figures, 0.0)
    suppression = suppress_table(
        counts=counts, threshold=threshold, row_totals=False, column_totals=totals, grand_total=False
    )
    shown = table_figures(counts=counts, sums=sums, suppression=suppression)
    rows = [
        (
            name,
            [
                _cell(shown.cell_means[g, a], shown.cell_counts[g, a], suppression.cells[g, a])
                for a in range(len(attributes))
            ],
        )
        for g, (name, _members) in enumerate(groups)
    ]
    total_cells = (
        [
            _cell(shown.column_means[a], shown.column_counts[a], suppression.column_totals[a])
            for a in range(len(attributes))
        ]
        if totals
        else None
    )
    return Table(attributes=attributes, rows=rows, totals=total_cells, threshold=threshold, people=people)
