"""A cohort's evaluation report: who took part, and what the programme changed, at the four
Kirkpatrick levels. `cohort_report(cohort)` builds one `CohortReport`; the page, the PDF and the
CSV file all render that object, so none of them can show more than it holds.

- Participation: applications by where they stand and by pool, places, who took a place, who
  completed and who withdrew.
- Level 1, reaction: participants' answers to the three questions after each session, averaged per
  session and overall, and only where at least 3 answered.
- Level 2, learning: each participant's self-assessment at the start against one at the end.
- Level 3, behaviour: each participant's 360 (what others said) before against 6 to 12 months after.
- Level 4, results: the outcomes the programme set up front: retention and internal promotion
  measured from Cadre's own records against applicants who did not get a place, and the rest
  recorded by the programme team with evidence.
- Who did not get a place: counts by the stage they stopped at and by pool, small numbers hidden.

Confidentiality: the report holds no one's name and no one's own figures. Levels 2 and 3 keep only
the paired statistics of the whole group, and none at all below 3 participants (a figure from one
or two people would be their own). A 360 contributes only what its own report shows: others'
figures from rater groups at their threshold. Statistics come from `cadre.kernels.evaluation`;
small-number suppression from `cadre.kernels.disclosure`."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np
from django.db.models import Count, Q
from django.utils import timezone

from cadre.diagnostics.models import Campaign, RaterGroup, Response, Subject
from cadre.diagnostics.reports import _aggregate, _items_by_tier, _submitted
from cadre.frameworks.models import FrameworkVersion
from cadre.kernels.disclosure import suppress_table
from cadre.kernels.evaluation import (
    PairedChange,
    Proportion,
    ProportionChange,
    one_proportion,
    paired_change,
    proportion_change,
)
from cadre.people.models import Person, RoleType
from cadre.programmes.models import Application, Attendance, Cohort, Evidence, Outcome, OutcomeStatus, Reaction

CONFIDENCE = 0.95
FEWEST = 3  # the fewest people (or answers) behind any figure shown
SELF_BEFORE_MONTHS = 6  # a self-assessment counts as "at the start" from this long before it
SELF_AFTER_MONTHS = 3  # ... and as "at the end" up to this long after the cohort ends
FEEDBACK_BEFORE_MONTHS = 12  # a 360 counts as "before" from this long before the start
FEEDBACK_AFTER_MONTHS = (6, 12)  # ... and as "after" this many months after the end
QUESTIONS = (  # the answer's field, the question in short (for tables and charts)
    ("useful", "Useful"),
    ("will_use", "Will use it"),
    ("recommend", "Would recommend it"),
)
POOLS = (
    (Application.Pool.HOME, "Own organisation's places"),
    (Application.Pool.PARTNER, "Partners' places"),
)
STOPPED_AT = (
    ("not_endorsed", "Not endorsed"),
    ("not_selected", "Not selected by the panel"),
    ("waiting", "On the waiting list when the cohort started"),
    ("declined", "Declined the offer"),
    ("lapsed", "Let the offer lapse"),
    ("withdrawn", "Withdrew before taking a place"),
    ("undecided", "Not decided when the cohort started"),
)
IN_PROGRESS = (
    ("nominated", "Nominated, writing their statement"),
    ("submitted", "Waiting for endorsement"),
    ("endorsed", "Waiting for the panel"),
    ("waiting", "On the waiting list"),
    ("offered", "Offered a place, not yet answered"),
)
TOOK_A_PLACE = (
    ("accepted", "Taking part"),
    ("completed", "Completed"),
    ("withdrew", "Withdrew after taking a place"),
)
S = Application.Status
HIDDEN = f"Hidden: fewer than {FEWEST}, or it would give away a hidden figure"


@dataclass(frozen=True)
class Line:
    """One figure as a page shows it: what it is, and the figure in words and numbers."""

    label: str
    text: str


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _p(value: float) -> str:
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _from(day: date) -> datetime:
    """The first moment of a day, in Cadre's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


# -- participation and who did not get a place -----------------------------------------------------


def _stage(status: str, responded_at, started: bool) -> tuple[str, str]:
    """Where an application stands: ("place" | "progress" | "out", key)."""
    if status in (S.ACCEPTED, S.COMPLETED):
        return "place", status
    if status == S.WITHDRAWN:
        # Accepting an offer records when they answered; a withdrawal before that leaves it empty.
        return ("place", "withdrew") if responded_at is not None else ("out", "withdrawn")
    if status in (S.NOT_ENDORSED, S.NOT_SELECTED, S.DECLINED, S.LAPSED):
        return "out", status
    # Still in progress: once the cohort has started, nobody else gets in.
    if not started:
        return "progress", status
    return "out", "waiting" if status == S.WAITING else "undecided"


@dataclass
class CountRow:
    label: str
    cells: list[int | None]  # per pool; None: hidden
    total: int | None

    @property
    def hidden(self) -> bool:
        return self.total is None or any(c is None for c in self.cells)


@dataclass
class NonEntrants:
    """Applicants who did not get a place, by the stage they stopped at and by pool. Cells of 1 or
    2 people are hidden, and as many others as it takes so that the totals cannot give them away."""

    pools: list[str]
    rows: list[CountRow]
    totals: list[int | None]
    total: int | None
    threshold: int = FEWEST
    final: bool = True  # False before the cohort starts: more may yet not get a place

    @property
    def any_hidden(self) -> bool:
        return self.total is None or any(r.hidden for r in self.rows) or any(t is None for t in self.totals)


@dataclass
class Participation:
    places: int
    home_places: int
    partner_places: int
    pools: list[str]
    in_progress: list[CountRow]
    took_a_place: list[CountRow]
    started: bool
    took: int  # accepted, completed, or withdrew after taking a place
    participants: int  # accepted or completed
    completed: int
    withdrew: int
    did_not_get_in: int | None  # None: hidden (see NonEntrants)
    applications: int | None  # None when it would give away a hidden figure
    completion: Proportion
    completion_note: str | None

    @property
    def lines(self) -> list[Line]:
        lines = [
            Line(
                "Places",
                f"{self.places}" + (f" ({self.partner_places} kept for partners)" if self.partner_places else ""),
            ),
            Line(
                "Applications",
                str(self.applications)
                if self.applications is not None
                else "Not shown: it would give away a hidden figure",
            ),
            Line(
                "Did not get a place" if self.started else "Did not get a place so far",
                str(self.did_not_get_in) if self.did_not_get_in is not None else HIDDEN,
            ),
            Line("Took a place", str(self.took)),
            Line("Completed", str(self.completed)),
            Line("Withdrew after taking a place", str(self.withdrew)),
        ]
        if self.completion.rate is None:
            lines.append(Line("Completion rate", f"Not given: {self.completion.reason}"))
        else:
            lines.append(Line("Completion rate", _rate(self.completion)))
        return lines


def _pools(cohort: Cohort, rows) -> list[str]:
    partner = cohort.partner_places > 0 or any(r["pool"] == Application.Pool.PARTNER for r in rows)
    return [Application.Pool.HOME, Application.Pool.PARTNER] if partner else [Application.Pool.HOME]


def _counts(rows, keys, pools, wanted: str) -> np.ndarray:
    counts = np.zeros((len(keys), len(pools)), dtype=np.int64)
    position = {key: n for n, key in enumerate(keys)}
    column = {pool: n for n, pool in enumerate(pools)}
    for row in rows:
        kind, key = row["stage"]
        if kind == wanted and key in position:
            counts[position[key], column[row["pool"]]] += 1
    return counts


def _non_entrants(rows, pools, started: bool) -> NonEntrants:
    keys = [key for key, _label in STOPPED_AT]
    counts = _counts(rows, keys, pools, "out")
    hide = suppress_table(counts=counts, threshold=FEWEST, row_totals=True, column_totals=True, grand_total=True)
    shown = [
        CountRow(
            label,
            [None if hide.cells[r, c] else int(counts[r, c]) for c in range(len(pools))],
            None if hide.row_totals[r] else int(counts[r].sum()),
        )
        for r, (_key, label) in enumerate(STOPPED_AT)
    ]
    return NonEntrants(
        pools=[dict(POOLS)[p] for p in pools],
        rows=shown,
        totals=[None if hide.column_totals[c] else int(counts[:, c].sum()) for c in range(len(pools))],
        total=None if hide.grand_total else int(counts.sum()),
        final=started,
    )


def _participation(cohort: Cohort, rows, pools, non_entrants: NonEntrants, today: date) -> Participation:
    started = today >= cohort.starts_on

    def table(keys_labels, wanted):
        keys = [key for key, _label in keys_labels]
        counts = _counts(rows, keys, pools, wanted)
        return [
            CountRow(label, [int(c) for c in counts[n]], int(counts[n].sum()))
            for n, (_key, label) in enumerate(keys_labels)
        ]

    took_a_place = table(TOOK_A_PLACE, "place")
    taking_part, completed, withdrew = (row.total for row in took_a_place)
    took = taking_part + completed + withdrew
    completion = one_proportion(completed, took, CONFIDENCE)
    note = None
    if took and today <= cohort.ends_on:
        note = f"The cohort runs until {_long(cohort.ends_on)}, so this is the share who have completed so far."
    if not took:
        completion = Proportion(0, 0, None, None, None, CONFIDENCE, "Nobody has taken a place yet.")
    return Participation(
        places=cohort.capacity,
        home_places=cohort.home_places,
        partner_places=cohort.partner_places,
        pools=[dict(POOLS)[p] for p in pools],
        in_progress=[] if started else table(IN_PROGRESS, "progress"),
        took_a_place=took_a_place,
        started=started,
        took=took,
        participants=taking_part + completed,
        completed=completed,
        withdrew=withdrew,
        did_not_get_in=non_entrants.total,
        applications=len(rows) if non_entrants.total is not None else None,
        completion=completion,
        completion_note=note,
    )


# -- level 1: reaction -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionMean:
    question: str
    mean: float
    n: int


@dataclass
class SessionReactions:
    title: str
    starts_at: datetime
    responses: int | None  # None below the threshold: never the exact small number
    means: list[QuestionMean]  # empty when not shown
    reason: str | None
    comments: list[str] = field(default_factory=list)  # administrators only; no names, in no order

    @property
    def shown(self) -> bool:
        return bool(self.means)


@dataclass
class Reactions:
    sessions: list[SessionReactions]
    overall: list[QuestionMean]
    overall_responses: int
    overall_reason: str | None
    comments_included: bool
    threshold: int = FEWEST
    left_out: int = 0  # sessions with answers but too few to show, left out of the overall figures


def _means(answers: list[tuple]) -> list[QuestionMean]:
    values = np.array([a[:3] for a in answers], dtype=float)
    return [QuestionMean(label, float(values[:, q].mean()), len(answers)) for q, (_key, label) in enumerate(QUESTIONS)]


def _reactions(cohort: Cohort, *, comments: bool) -> Reactions:
    sessions = list(
        cohort.sessions.filter(cancelled=False).order_by("starts_at", "id").values("id", "title", "starts_at")
    )
    answers: dict[int, list[tuple]] = {}
    for session_id, useful, will_use, recommend, comment in Reaction.objects.filter(
        session__cohort=cohort, session__cancelled=False
    ).values_list("session_id", "useful", "will_use", "recommend", "comment"):
        answers.setdefault(session_id, []).append((useful, will_use, recommend, comment))
    shown_answers: list[tuple] = []
    result, left_out = [], 0
    for session in sessions:
        given = answers.get(session["id"], [])
        if not given:
            result.append(SessionReactions(session["title"], session["starts_at"], 0, [], "No responses yet."))
            continue
        if len(given) < FEWEST:
            left_out += 1
            result.append(
                SessionReactions(
                    session["title"],
                    session["starts_at"],
                    None,
                    [],
                    f"Fewer than {FEWEST} responses, so no figures are shown: they would be someone's own answers.",
                )
            )
            continue
        shown_answers.extend(given)
        said = sorted((a[3].strip() for a in given if a[3].strip()), key=str.casefold) if comments else []
        result.append(SessionReactions(session["title"], session["starts_at"], len(given), _means(given), None, said))
    if shown_answers:
        overall, reason = _means(shown_answers), None
        if left_out:
            reason = (
                f"Sessions with fewer than {FEWEST} responses are left out of the overall figures, so that their "
                "answers cannot be worked out from them."
            )
    else:
        overall = []
        reason = (
            f"No session has {FEWEST} or more responses yet, so there are no figures."
            if answers
            else "Nobody has answered the questions after a session yet."
        )
    return Reactions(result, overall, len(shown_answers), reason, comments, left_out=left_out)


# -- levels 2 and 3: learning and behaviour --------------------------------------------------------


@dataclass
class PairedLevel:
    """A before-and-after measure of the same participants: only the group's statistics."""

    level: int
    title: str
    measure: str  # what each participant's figure is, in words
    before_window: tuple[date, date]
    after_window: tuple[date, date]
    participants: int
    with_before: int
    with_after: int
    change: PairedChange
    withheld: int = 0  # 360s in the windows whose others' figures were all withheld
    waiting: str | None = None  # why the after measures cannot be in yet

    @property
    def shown(self) -> bool:
        return self.change.n >= FEWEST

    @property
    def reason(self) -> str | None:
        """Why figures are missing, in plain words (None when every figure is given)."""
        if self.change.n == 0 and self.waiting:
            return self.waiting
        if 0 < self.change.n < FEWEST:
            return (
                f"Fewer than {FEWEST} participants have a measure both before and after, so no figures are shown: "
                "with so few they would be someone's own scores."
            )
        return self.change.reason

    @property
    def lines(self) -> list[Line]:
        c = self.change
        lines = [
            Line("Participants", str(self.participants)),
            Line("With a measure before", str(self.with_before)),
            Line("With a measure after", str(self.with_after)),
            Line("With both (the figures below)", str(c.n)),
        ]
        if not self.shown:
            return lines
        confidence = _percent(c.confidence)
        lines += [
            Line("Average before", f"{c.mean_before:.2f}"),
            Line("Average after", f"{c.mean_after:.2f}"),
            Line("Average change", f"{c.mean_change:+.2f}"),
        ]
        if c.ci_low is not None:
            lines.append(
                Line(f"{confidence} confidence interval for the change", f"{c.ci_low:+.2f} to {c.ci_high:+.2f}")
            )
        if c.effect_size is not None:
            text = f"{c.effect_size:.2f}"
            if c.effect_size_low is not None:
                text += f" ({confidence} confidence interval {c.effect_size_low:.2f} to {c.effect_size_high:.2f})"
            lines.append(Line("Effect size (Hedges' g)", text))
        if c.p_value is not None:
            lines.append(Line("Paired t test", f"t = {c.t:.2f} with {c.df} degrees of freedom, {_p(c.p_value)}"))
        if c.wilcoxon_p is not None:
            lines.append(Line("Wilcoxon signed-rank test", _p(c.wilcoxon_p)))
        return lines


def _figures(subjects: list[Subject], *, others: bool) -> dict[int, dict[str, float]]:
    """Each subject's attribute figures by attribute key: their own ratings (a self-assessment), or
    others' as the 360 report shows them (rater groups at their threshold only; a withheld group
    feeds nothing). Four queries, whatever the number of subjects."""
    if not subjects:
        return {}
    items_by_tier = _items_by_tier(subjects)
    responses, ratings = _submitted([s.pk for s in subjects])
    # Each response's rows and ratings, by subject, so that each group's work reads only its own.
    by_subject: dict[int, list[tuple]] = {}
    for response_id, subject_id, group in responses:
        if others or group == RaterGroup.SELF:
            by_subject.setdefault(subject_id, []).append((response_id, group))
    by_response: dict[int, list[tuple]] = {}
    for rating in ratings:
        by_response.setdefault(rating[0], []).append(rating)
    by_tier: dict[tuple, list[Subject]] = {}
    for s in subjects:
        by_tier.setdefault((s.campaign_id, s.tier_id), []).append(s)
    figures: dict[int, dict[str, float]] = {}
    for key, members in by_tier.items():
        items = items_by_tier.get(key) or []
        index = {s.pk: n for n, s in enumerate(members)}
        rows = [(r, index[s.pk], g) for s in members for r, g in by_subject.get(s.pk, [])]
        if not items or not rows:
            continue
        own = [rating for r, _n, _g in rows for rating in by_response.get(r, [])]
        aggregates, attribute_ids = _aggregate(members[0].campaign, items, rows, own)
        keys = {item.attribute_id: item.attribute.key for item in items}
        answered = aggregates.attribute_mean.shape[0]
        for s in members:
            if index[s.pk] >= answered:
                continue  # nobody answered about them
            means = (
                aggregates.others_attribute_mean[index[s.pk]] if others else aggregates.attribute_mean[index[s.pk], 0]
            )
            figures[s.pk] = {keys[a]: float(means[n]) for n, a in enumerate(attribute_ids) if math.isfinite(means[n])}
    return figures


def _overall(figures: dict[str, float] | None, scope: set[str] | None) -> dict[str, float]:
    if not figures:
        return {}
    return {k: v for k, v in figures.items() if scope is None or k in scope}


def _paired(before: dict[int, dict], after: dict[int, dict], people: list[int]) -> tuple[list, list]:
    """Each participant's overall figure before and after: the mean of their attribute figures, over
    the attributes (in the programme's scope) that both measures have, so like is set against like."""
    first, second = [], []
    for person_id in people:
        b, a = before.get(person_id) or {}, after.get(person_id) or {}
        common = sorted(set(b) & set(a))
        if common:
            first.append(float(np.mean([b[k] for k in common])))
            second.append(float(np.mean([a[k] for k in common])))
    return first, second


def _learning(cohort: Cohort, people: list[int], scope: set[str] | None, today: date) -> PairedLevel:
    start, end = cohort.starts_on, cohort.ends_on
    before_window = (_add_months(start, -SELF_BEFORE_MONTHS), start)
    after_window = (end, _add_months(end, SELF_AFTER_MONTHS))
    responses = Response.objects.filter(
        group=RaterGroup.SELF,
        status=Response.Status.SUBMITTED,
        subject__campaign__kind=Campaign.Kind.SELF_ASSESSMENT,
        subject__person_id__in=people,
    ).filter(
        Q(submitted_at__gte=_from(before_window[0]), submitted_at__lt=_from(before_window[1] + timedelta(days=1)))
        | Q(submitted_at__gte=_from(after_window[0]), submitted_at__lt=_from(after_window[1] + timedelta(days=1)))
    )
    if cohort.programme.framework_id:
        responses = responses.filter(subject__campaign__version__framework_id=cohort.programme.framework_id)
    before: dict[int, Subject] = {}
    after: dict[int, Subject] = {}
    for response in responses.select_related("subject__campaign").order_by("submitted_at", "id"):
        day, subject = timezone.localdate(response.submitted_at), response.subject
        if before_window[0] <= day <= before_window[1]:
            before[subject.person_id] = subject  # the latest on or before the start
        elif after_window[0] <= day <= after_window[1]:
            after.setdefault(subject.person_id, subject)  # the first on or after the end
    figures = _figures(list({s.pk: s for s in [*before.values(), *after.values()]}.values()), others=False)
    b = {p: _overall(figures.get(s.pk), scope) for p, s in before.items()}
    a = {p: _overall(figures.get(s.pk), scope) for p, s in after.items()}
    first, second = _paired(b, a, people)
    waiting = None
    if today < end:
        waiting = (
            f"The cohort ends on {_long(end)}: self-assessments completed from then until "
            f"{_long(after_window[1])} will be the measure at the end."
        )
    return PairedLevel(
        level=2,
        title="Learning: self-assessments at the start and the end",
        measure="each participant's average rating of themselves",
        before_window=before_window,
        after_window=after_window,
        participants=len(people),
        with_before=sum(1 for v in b.values() if v),
        with_after=sum(1 for v in a.values() if v),
        change=paired_change(first, second, CONFIDENCE),
        waiting=waiting,
    )


def _behaviour(cohort: Cohort, people: list[int], scope: set[str] | None, today: date) -> PairedLevel:
    start, end = cohort.starts_on, cohort.ends_on
    before_window = (_add_months(start, -FEEDBACK_BEFORE_MONTHS), start)
    after_window = (_add_months(end, FEEDBACK_AFTER_MONTHS[0]), _add_months(end, FEEDBACK_AFTER_MONTHS[1]))
    subjects = Subject.objects.filter(
        person_id__in=people,
        campaign__kind=Campaign.Kind.FEEDBACK_360,
        campaign__status=Campaign.Status.CLOSED,
        released_at__isnull=False,
    ).filter(
        Q(
            campaign__closed_at__gte=_from(before_window[0]),
            campaign__closed_at__lt=_from(before_window[1] + timedelta(days=1)),
        )
        | Q(
            campaign__closed_at__gte=_from(after_window[0]),
            campaign__closed_at__lt=_from(after_window[1] + timedelta(days=1)),
        )
    )
    if cohort.programme.framework_id:
        subjects = subjects.filter(campaign__version__framework_id=cohort.programme.framework_id)
    before: dict[int, Subject] = {}
    after: dict[int, Subject] = {}
    for subject in subjects.select_related("campaign").order_by("campaign__closed_at", "id"):
        day = timezone.localdate(subject.campaign.closed_at)
        if before_window[0] <= day <= before_window[1]:
            before[subject.person_id] = subject  # the latest before the start
        elif after_window[0] <= day <= after_window[1]:
            after.setdefault(subject.person_id, subject)  # the first from 6 months after the end
    chosen = [*before.values(), *after.values()]
    figures = _figures(chosen, others=True)
    b = {p: _overall(figures.get(s.pk), scope) for p, s in before.items()}
    a = {p: _overall(figures.get(s.pk), scope) for p, s in after.items()}
    first, second = _paired(b, a, people)
    waiting = None
    if today < after_window[0]:
        waiting = (
            f"360s closed from {_long(after_window[0])} to {_long(after_window[1])} (6 to 12 months after the "
            "cohort ends) will be the measure after."
        )
    return PairedLevel(
        level=3,
        title="Behaviour: 360 feedback before and 6 to 12 months after",
        measure="the average of what others said about each participant",
        before_window=before_window,
        after_window=after_window,
        participants=len(people),
        with_before=sum(1 for v in b.values() if v),
        with_after=sum(1 for v in a.values() if v),
        change=paired_change(first, second, CONFIDENCE),
        withheld=sum(1 for s in chosen if not _overall(figures.get(s.pk), scope)),
        waiting=waiting,
    )


# -- level 4: results ------------------------------------------------------------------------------


def _rate(p: Proportion) -> str:
    text = f"{_percent(p.rate)} ({p.successes} of {p.n}"
    if p.ci_low is not None:
        text += f"; {_percent(p.confidence)} confidence interval {_percent(p.ci_low)} to {_percent(p.ci_high)}"
    return text + ")"


@dataclass
class OutcomeResult:
    outcome: Outcome
    lines: list[Line]
    reason: str | None = None
    note: str | None = None  # how it was measured, in words
    participants_rate: float | None = None  # for the chart
    comparison_rate: float | None = None
    status: OutcomeStatus | None = None

    @property
    def measured(self) -> bool:
        return self.outcome.measure != Outcome.Measure.RECORDED


def _group_line(label: str, p: Proportion) -> tuple[Line, bool]:
    if p.n == 0:
        return Line(label, "Nobody to count"), False
    if p.n < FEWEST:
        return Line(label, f"Fewer than {FEWEST} people, so no rate is shown"), False
    return Line(label, _rate(p)), True


def _compared(outcome: Outcome, change: ProportionChange, *, what: str, comparison_shown: bool) -> OutcomeResult:
    participants, participants_shown = _group_line(f"Participants {what}", change.after)
    comparison, shown = _group_line(f"Applicants who did not get a place {what}", change.before)
    if not comparison_shown and shown:
        comparison, shown = Line(comparison.label, "Not shown: it would give away a hidden figure"), False
    lines = [participants, comparison]
    reason = None
    if participants_shown and shown and change.difference is not None:
        confidence = _percent(change.confidence)
        text = f"{change.difference * 100:+.0f} percentage points"
        if change.ci_low is not None:
            text += f" ({confidence} confidence interval {change.ci_low * 100:+.0f} to {change.ci_high * 100:+.0f})"
        lines.append(Line("Difference", text))
        if change.p_value is not None:
            lines.append(Line(change.test, _p(change.p_value)))
        reason = change.reason
    elif not (participants_shown and shown):
        reason = f"A rate is shown only for a group of {FEWEST} or more people, and both are needed to compare them."
    return OutcomeResult(
        outcome,
        lines,
        reason=reason,
        participants_rate=change.after.rate if participants_shown else None,
        comparison_rate=change.before.rate if shown else None,
    )


def _retention(outcome: Outcome, rows, non_entrants: NonEntrants) -> OutcomeResult:
    def still(group):
        counted = [r for r in group if r["person__role_type"] != RoleType.EXTERNAL_PARTICIPANT]
        return sum(1 for r in counted if r["person__status"] == Person.Status.ACTIVE), len(counted)

    part = still([r for r in rows if r["stage"][0] == "place" and r["status"] in (S.ACCEPTED, S.COMPLETED)])
    comp = still([r for r in rows if r["stage"][0] == "out"])
    result = _compared(
        outcome,
        proportion_change(comp[0], comp[1], part[0], part[1], CONFIDENCE),
        what="still here",
        comparison_shown=non_entrants.total is not None,
    )
    result.note = (
        "The share of participants whose record is still active now, against the same share of applicants who "
        "did not get a place. External participants are not counted."
    )
    return result


def _promotion(outcome: Outcome, rows) -> OutcomeResult:
    def promoted(group):
        counted = [r for r in group if r["tier_rank_at_start"] is not None]
        up = sum(
            1
            for r in counted
            if r["person__status"] == Person.Status.ACTIVE
            and r["person__tier__rank"] is not None
            and r["person__tier__rank"] > r["tier_rank_at_start"]
        )
        return up, len(counted)

    part = promoted([r for r in rows if r["status"] in (S.ACCEPTED, S.COMPLETED)])
    comp = promoted([r for r in rows if r["stage"][0] == "out"])
    note = (
        "The share of participants now in a higher tier than when they took their place, against the same share of "
        "applicants who did not get a place whose tier was recorded at the start."
    )
    if comp[1]:
        result = _compared(
            outcome,
            proportion_change(comp[0], comp[1], part[0], part[1], CONFIDENCE),
            what="promoted",
            comparison_shown=True,
        )
        result.note = note
        return result
    single = one_proportion(part[0], part[1], CONFIDENCE)
    line, shown = _group_line("Participants promoted", single)
    reason = (
        "No applicant who did not get a place had their tier recorded when the cohort started, so there is nothing "
        "to compare with: this is the participants' rate alone."
    )
    if single.n == 0:
        reason = "No participant had their tier recorded when they took their place, so promotion cannot be measured."
    return OutcomeResult(
        outcome,
        [line],
        reason=reason,
        note="The share of participants now in a higher tier than when they took their place.",
        participants_rate=single.rate if shown else None,
    )


def _recorded(outcome: Outcome, status: OutcomeStatus | None) -> OutcomeResult:
    if status is None:
        return OutcomeResult(outcome, [Line("Status", "Not recorded yet")], status=None)
    lines = [Line("Status", status.get_status_display())]
    lines.append(Line("Evidence", status.evidence or "None given"))
    lines.append(Line("Recorded on", _long(timezone.localdate(status.recorded_at))))
    return OutcomeResult(outcome, lines, status=status)


# -- the report ------------------------------------------------------------------------------------


@dataclass
class CohortReport:
    cohort: Cohort
    generated_on: date
    attributes: list[str]  # the names of the attributes levels 2 and 3 average over; empty: all
    participation: Participation
    reactions: Reactions
    learning: PairedLevel
    behaviour: PairedLevel
    outcomes: list[OutcomeResult]
    non_entrants: NonEntrants
    confidence: float = CONFIDENCE
    threshold: int = FEWEST

    @property
    def confidence_percent(self) -> str:
        return _percent(self.confidence)

    @property
    def questions(self) -> list[str]:
        return [label for _key, label in QUESTIONS]

    @property
    def levels(self) -> list[PairedLevel]:
        return [self.learning, self.behaviour]

    @property
    def measured_outcomes(self) -> list[OutcomeResult]:
        return [o for o in self.outcomes if o.measured]


def _application_rows(cohort: Cohort, started: bool) -> list[dict]:
    rows = list(
        Application.objects.filter(cohort=cohort).values(
            "status",
            "pool",
            "responded_at",
            "tier_rank_at_start",
            "person_id",
            "person__status",
            "person__role_type",
            "person__tier__rank",
        )
    )
    for row in rows:
        row["stage"] = _stage(row["status"], row["responded_at"], started)
    return rows


def _scope(cohort: Cohort) -> tuple[set[str] | None, list[str]]:
    keys = list(cohort.programme.selection_attributes or [])
    if not keys:
        return None, []
    names = {}
    if cohort.programme.framework_id:
        version = (
            FrameworkVersion.objects.filter(
                framework_id=cohort.programme.framework_id, status=FrameworkVersion.Status.PUBLISHED
            )
            .prefetch_related("attributes")
            .first()
        )
        if version is not None:
            names = {a.key: a.name for a in version.attributes.all()}
    return set(keys), [names.get(k, k) for k in keys]


def cohort_report(cohort: Cohort, *, comments: bool = False, today: date | None = None) -> CohortReport:
    """The cohort's evaluation, in a fixed number of queries whatever its size. `comments` adds the
    sessions' comments (no names, and only where a session's figures are shown): for the
    programme's administrators, never for the steering group."""
    today = today or timezone.localdate()
    started = today >= cohort.starts_on
    rows = _application_rows(cohort, started)
    pools = _pools(cohort, rows)
    non_entrants = _non_entrants(rows, pools, started)
    people = sorted(r["person_id"] for r in rows if r["status"] in (S.ACCEPTED, S.COMPLETED))
    scope, names = _scope(cohort)
    statuses = {s.outcome_id: s for s in OutcomeStatus.objects.filter(cohort=cohort)}
    outcomes = []
    for outcome in cohort.programme.outcomes.order_by("position"):
        if outcome.measure == Outcome.Measure.RETENTION:
            outcomes.append(_retention(outcome, rows, non_entrants))
        elif outcome.measure == Outcome.Measure.PROMOTION:
            outcomes.append(_promotion(outcome, rows))
        else:
            outcomes.append(_recorded(outcome, statuses.get(outcome.pk)))
    return CohortReport(
        cohort=cohort,
        generated_on=today,
        attributes=names,
        participation=_participation(cohort, rows, pools, non_entrants, today),
        reactions=_reactions(cohort, comments=comments),
        learning=_learning(cohort, people, scope, today),
        behaviour=_behaviour(cohort, people, scope, today),
        outcomes=outcomes,
        non_entrants=non_entrants,
    )


def report_rows(report: CohortReport) -> list[list]:
    """The report's figures as rows: what the CSV file carries. Exactly what the page shows, no more:
    no names, no one's own figures, nothing hidden."""
    rows: list[list] = [["section", "figure", "value", "note"]]
    p = report.participation
    for line in p.lines:
        rows.append(["Participation", line.label, line.text, p.completion_note if "Completion" in line.label else ""])
    for row in [*p.in_progress, *p.took_a_place]:
        for pool, cell in zip(p.pools, row.cells, strict=True):
            rows.append(["Participation", f"{row.label}: {pool}", cell, ""])
    reactions = report.reactions
    for session in reactions.sessions:
        when = f"{session.title} ({_long(timezone.localdate(session.starts_at))})"
        if not session.shown:
            rows.append(["Reaction", when, "", session.reason])
            continue
        for q in session.means:
            rows.append(["Reaction", f"{when}: {q.question}", f"{q.mean:.2f}", f"{q.n} responses"])
        for comment in session.comments:
            rows.append(["Reaction comment", session.title, comment, "No name: comments are anonymous"])
    if reactions.overall:
        for q in reactions.overall:
            rows.append(["Reaction", f"All sessions: {q.question}", f"{q.mean:.2f}", f"{q.n} responses"])
    if reactions.overall_reason:
        rows.append(["Reaction", "All sessions", "", reactions.overall_reason])
    for level in report.levels:
        section = f"Level {level.level}: {level.title}"
        for line in level.lines:
            rows.append([section, line.label, line.text, ""])
        if level.reason:
            rows.append([section, "Why some figures are missing", "", level.reason])
    for result in report.outcomes:
        section = f"Outcome: {result.outcome.title}"
        for line in result.lines:
            rows.append([section, line.label, line.text, ""])
        if result.reason:
            rows.append([section, "Why some figures are missing", "", result.reason])
    n = report.non_entrants
    for row in n.rows:
        for pool, cell in zip(n.pools, row.cells, strict=True):
            rows.append(["Did not get a place", f"{row.label}: {pool}", _count(cell), ""])
        rows.append(["Did not get a place", f"{row.label}: all", _count(row.total), ""])
    for pool, cell in zip(n.pools, n.totals, strict=True):
        rows.append(["Did not get a place", f"All stages: {pool}", _count(cell), ""])
    rows.append(["Did not get a place", "All stages: all", _count(n.total), ""])
    return rows


def _count(value: int | None) -> str | int:
    return HIDDEN if value is None else value


# -- the steering group's view of progress ---------------------------------------------------------


@dataclass
class CohortProgress:
    participation: Participation
    non_entrants: NonEntrants
    sessions_planned: int
    sessions_held: int
    attendance: Proportion  # attended, of the attendance recorded at sessions held so far
    evidence: list[Line]
    reactions: int

    @property
    def attendance_line(self) -> Line:
        if self.attendance.rate is None:
            return Line("Attendance", "No attendance recorded yet")
        return Line("Attendance", _rate(self.attendance))


def cohort_progress(cohort: Cohort, *, today: date | None = None) -> CohortProgress:
    """How the cohort is going, in aggregate: places, sessions held, attendance, portfolio evidence."""
    today = today or timezone.localdate()
    now = timezone.now()
    started = today >= cohort.starts_on
    rows = _application_rows(cohort, started)
    pools = _pools(cohort, rows)
    non_entrants = _non_entrants(rows, pools, started)
    sessions = cohort.sessions.filter(cancelled=False).aggregate(
        planned=Count("id"), held=Count("id", filter=Q(ends_at__lte=now))
    )
    marked = dict(
        Attendance.objects.filter(session__cohort=cohort, session__cancelled=False, session__starts_at__lte=now)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    recorded = sum(marked.values())
    present = marked.get(Attendance.Status.PRESENT, 0)
    attendance = one_proportion(present, recorded, CONFIDENCE)
    evidence = dict(
        Evidence.objects.filter(application__cohort=cohort, application__status__in=(S.ACCEPTED, S.COMPLETED))
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return CohortProgress(
        participation=_participation(cohort, rows, pools, non_entrants, today),
        non_entrants=non_entrants,
        sessions_planned=sessions["planned"],
        sessions_held=sessions["held"],
        attendance=attendance,
        evidence=[Line(label, str(evidence.get(value, 0))) for value, label in Evidence.Status.choices],
        reactions=Reaction.objects.filter(session__cohort=cohort, session__cancelled=False).count(),
    )
