"""A cohort's evaluation report against figures worked out by hand, its thresholds, who may read it
(and what they never see), the steering group's page, recording outcomes, and its query count.

The cohort ran from 420 to 240 days ago. Six participants (P1 to P6) rated themselves before and
after, and were rated by three peers in a 360 before and 6 to 12 months after. Every rater gives
one value to every question of an attribute (the reverse-scored questions the other way round), so
each attribute figure is that value, and each person's overall figure is the average over the
programme's two selection criteria, collaborative and agile."""

import csv
import io
import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.models import AuditEntry, Role
from cadre.diagnostics import services as diagnostics
from cadre.diagnostics.models import Campaign, Response
from cadre.frameworks.models import Tier
from cadre.people.models import Person
from cadre.programmes.evaluation import cohort_report
from cadre.programmes.models import (
    Application,
    Cohort,
    Outcome,
    OutcomeStatus,
    Programme,
    Reaction,
    Session,
    SteeringDecision,
    SteeringMember,
)
from cadre.programmes.services.outcomes import outcome_status_record
from tests.factories import OrganisationFactory, user_with_role
from tests.programmes.fixtures import applicant

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def at(days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(TODAY - timedelta(days=days_ago), time(12)))


def ratings_for(items, values: dict[str, int]) -> dict[int, int]:
    """Every question of an attribute rated values[key]; reverse-scored questions the other way round."""
    return {pk: (6 - values[key] if reverse else values[key]) for pk, reverse, key in items}


def self_assess(person: Person, collaborative: int, agile: int, days_ago: int) -> None:
    response = diagnostics.self_assessment_start(person=person, actor=person.user)
    items = response.subject.campaign.items.values_list("pk", "reverse", "attribute__key")
    diagnostics.answers_save(
        response=response, ratings=ratings_for(items, {"collaborative": collaborative, "agile": agile}), submit=True
    )
    Response.objects.filter(pk=response.pk).update(submitted_at=at(days_ago))


def run_360(admin, org, people: list[Person], peers: dict[int, list[int]], days_ago: int) -> Campaign:
    """One 360 about several people, closed and released `days_ago`; peers[person id] are the values
    each peer gives to every question."""
    version = people[0].tier.version
    plan = diagnostics.CampaignPlan(
        name=f"360 closed {days_ago} days ago", version=version, people=people, closes_on=TODAY + timedelta(days=7)
    )
    campaign = diagnostics.campaign_create(organisation=org, actor=admin, plan=plan)
    made = []
    for subject in campaign.subjects.all():
        for n, value in enumerate(peers[subject.person_id]):
            response = diagnostics.rater_nominate(
                subject=subject, actor=admin, group="peer", name=f"Peer {n}", email=f"peer{n}-{subject.pk}@example.org"
            )
            made.append((response, value, subject))
        diagnostics.nominations_submit(subject=subject, actor=admin)
    diagnostics.campaign_launch(campaign=campaign, actor=admin)
    for response, value, subject in made:
        items = campaign.items.filter(tier_id=subject.tier_id, included=True).values_list(
            "pk", "reverse", "attribute__key"
        )
        response.refresh_from_db()
        diagnostics.answers_save(
            response=response, ratings=ratings_for(items, {"collaborative": value, "agile": value}), submit=True
        )
    diagnostics.campaign_close(campaign=campaign, actor=admin)
    for subject in campaign.subjects.all():
        diagnostics.report_release(subject=subject, actor=admin)
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=at(days_ago))
    return campaign


def place(cohort, user, status, **fields) -> Application:
    return Application.objects.create(
        cohort=cohort, organisation_id=cohort.organisation_id, person=user.person, status=status, **fields
    )


@dataclass
class Evaluated:
    cohort: Cohort
    people: list[Person]  # P1 to P6
    others: list[Person]  # everyone else who applied
    sessions: list[Session]
    outcomes: dict[str, Outcome]


# Names that no figure or label of the report could contain by chance.
PARTICIPANTS = [
    ("Ottoline", "Abernethy"),
    ("Peregrine", "Blennerhassett"),
    ("Quenby", "Cholmondeley"),
    ("Rosalind", "Drummond"),
    ("Sebastian", "Etheridge"),
    ("Theodora", "Fotheringham"),
]
NOT_IN = [
    ("Ulrica", "Harrowgate"),
    ("Valentine", "Illingworth"),
    ("Wilhelmina", "Jessamy"),
    ("Xanthe", "Kettle"),
    ("Yolanda", "Lindqvist"),
]
# P1 to P6: self-assessments (collaborative, agile) before and after, and each peer's value in the
# 360 before and after. P6's second 360 has two peers: fewer than the threshold of 3.
SELF_BEFORE = [(2, 3), (3, 3), (2, 2), (4, 3), (3, 2), (1, 2)]
SELF_AFTER = [(4, 4), (3, 4), (3, 3), (4, 4), (2, 3), (3, 2)]
PEERS_BEFORE = [[3, 3, 3], [2, 3, 4], [2, 2, 2], [4, 4, 4], [1, 2, 3], [3, 3, 3]]
PEERS_AFTER = [[4, 4, 4], [3, 3, 3], [2, 3, 4], [5, 5, 5], [4, 4, 4], [5, 5]]


@pytest.fixture
def evaluated(org, admin, manager, programme) -> Evaluated:
    cohort = Cohort.objects.create(
        programme=programme,
        organisation=org,
        name="Past cohort",
        starts_on=TODAY - timedelta(days=420),
        ends_on=TODAY - timedelta(days=240),
        capacity=8,
        partner_places=1,
        status=Cohort.Status.COMPLETED,
    )
    users = [applicant(org, manager, first_name=first, last_name=last) for first, last in PARTICIPANTS]
    people = [u.person for u in users]
    for n, user in enumerate(users):
        status = Application.Status.COMPLETED if n < 4 else Application.Status.ACCEPTED
        place(cohort, user, status, tier_rank_at_start=1, responded_at=at(430))
        self_assess(user.person, *SELF_BEFORE[n], days_ago=450)
        self_assess(user.person, *SELF_AFTER[n], days_ago=230)
    # P1 also assessed themselves earlier before the start, and again later after the end: only the
    # latest before and the first after count. An assessment 7 months before the start counts for nothing.
    self_assess(people[0], 5, 5, days_ago=470)
    self_assess(people[0], 1, 1, days_ago=200)
    self_assess(people[1], 5, 5, days_ago=420 + 213)
    run_360(admin, org, people, {p.pk: PEERS_BEFORE[n] for n, p in enumerate(people)}, days_ago=480)
    run_360(admin, org, people, {p.pk: PEERS_AFTER[n] for n, p in enumerate(people)}, days_ago=30)

    # Who did not get a place: 3 not selected, 1 not endorsed, 1 declined; two of them have left.
    others = []
    for status in ["not_selected"] * 3 + ["not_endorsed", "declined"]:
        user = applicant(org, manager, first_name=NOT_IN[len(others)][0], last_name=NOT_IN[len(others)][1])
        place(cohort, user, status)
        others.append(user.person)
    Person.objects.filter(pk__in=[others[0].pk, others[3].pk]).update(status=Person.Status.LEFT)
    # Someone took a place and withdrew: not a participant, and not among those who did not get in.
    quitter = applicant(org, manager, first_name="Quentin", last_name="Mortimer")
    place(cohort, quitter, Application.Status.WITHDRAWN, responded_at=at(430), tier_rank_at_start=1)
    others.append(quitter.person)
    # P5 has left; P1 and P2 are now in tier 2 (promoted).
    Person.objects.filter(pk=people[4].pk).update(status=Person.Status.LEFT)
    tier_two = Tier.objects.get(version=people[0].tier.version, rank=2)
    Person.objects.filter(pk__in=[people[0].pk, people[1].pk]).update(tier=tier_two)

    sessions = [
        Session.objects.create(cohort=cohort, title=title, starts_at=at(days), ends_at=at(days) + timedelta(hours=3))
        for title, days in (("Opening day", 410), ("Small group", 350), ("Closing forum", 250))
    ]
    applications = list(Application.objects.filter(cohort=cohort, person__in=people).order_by("person__first_name"))
    answers = {
        0: [(5, 4, 5, "Very practical"), (4, 4, 5, ""), (4, 3, 4, "Too long"), (3, 3, 4, "")],
        1: [(1, 1, 1, "Only two of us came"), (1, 2, 1, "")],
        2: [(3, 2, 5, ""), (4, 3, 5, "Good speakers"), (5, 4, 5, "")],
    }
    for s, given in answers.items():
        for application, (useful, will_use, recommend, comment) in zip(applications, given, strict=False):
            Reaction.objects.create(
                session=sessions[s],
                application=application,
                useful=useful,
                will_use=will_use,
                recommend=recommend,
                comment=comment,
            )
    outcomes = {
        "retention": Outcome.objects.create(
            programme=programme, position=1, title="Keep our future managers", measure=Outcome.Measure.RETENTION
        ),
        "promotion": Outcome.objects.create(
            programme=programme, position=2, title="Promote from within", measure=Outcome.Measure.PROMOTION
        ),
        "unity": Outcome.objects.create(
            programme=programme,
            position=3,
            title="Greater unity among senior managers",
            how_measured="The senior managers' survey, before and after",
            target="Most say they work as one team",
        ),
    }
    return Evaluated(cohort, people, others, sessions, outcomes)


def test_learning_is_the_paired_change_in_self_assessments(evaluated):
    level = cohort_report(evaluated.cohort).learning
    # Each participant's overall figure is the mean of their two attribute figures:
    #   before: P1 (2+3)/2 = 2.5, P2 3.0, P3 2.0, P4 3.5, P5 2.5, P6 1.5   (P1's latest before: not 5, 5;
    #           P2's from 7 months before the start is outside the window)
    #   after:  P1 (4+4)/2 = 4.0, P2 3.5, P3 3.0, P4 4.0, P5 2.5, P6 2.5   (P1's first after: not 1, 1)
    #   change: 1.5, 0.5, 1.0, 0.5, 0.0, 1.0
    change = level.change
    assert (change.n, level.participants, level.with_before, level.with_after) == (6, 6, 6, 6)
    assert change.mean_before == pytest.approx(15 / 6)  # 2.5
    assert change.mean_after == pytest.approx(19.5 / 6)  # 3.25
    assert change.mean_change == pytest.approx(4.5 / 6)  # 0.75
    # Deviations of the changes from 0.75: .75 -.25 .25 -.25 -.75 .25; squares add up to 1.375.
    sd_change = math.sqrt(1.375 / 5)  # 0.524404
    standard_error = sd_change / math.sqrt(6)  # 0.214087
    assert change.t == pytest.approx(0.75 / standard_error)  # 3.503
    assert change.df == 5
    # t(0.975, 5 df) = 2.570582 from the tables: 0.75 ± 2.570582 × 0.214087.
    assert change.ci_low == pytest.approx(0.75 - 2.570582 * standard_error, abs=1e-5)  # 0.1997
    assert change.ci_high == pytest.approx(0.75 + 2.570582 * standard_error, abs=1e-5)  # 1.3003
    assert change.p_value == pytest.approx(0.01723, abs=5e-5)  # two-sided, t = 3.503 on 5 df
    # Effect size: before sd √(2.5/5) = 0.707107, after sd √(2.375/5) = 0.689202, average 0.698154;
    # d_av = 0.75 / 0.698154 = 1.074261; Hedges' J(5) = Γ(2.5) / (√2.5 Γ(2)) = 0.840749.
    assert change.d_av == pytest.approx(0.75 / ((math.sqrt(0.5) + math.sqrt(0.475)) / 2))
    assert change.effect_size == pytest.approx(1.074261 * 0.840749, abs=1e-5)  # 0.9032
    # Wilcoxon: the zero change is dropped; the five others are all positive, so the signed-rank
    # sum is the largest it can be: 1 sign pattern in 2^5, twice over for two sides = 2/32.
    assert change.wilcoxon_p == pytest.approx(0.0625)
    texts = {line.label: line.text for line in level.lines}
    assert texts["Average change"] == "+0.75"
    assert texts["95% confidence interval for the change"] == "+0.20 to +1.30"
    assert texts["Paired t test"] == "t = 3.50 with 5 degrees of freedom, p = 0.017"
    assert texts["Wilcoxon signed-rank test"] == "p = 0.062"
    assert level.reason is None


def test_behaviour_counts_only_360s_whose_others_figures_are_shown(evaluated):
    level = cohort_report(evaluated.cohort).behaviour
    # Others' figure, before → after: P1 3 → 4, P2 (2+3+4)/3 = 3 → 3, P3 2 → (2+3+4)/3 = 3, P4 4 → 5,
    # P5 (1+2+3)/3 = 2 → 4. P6's 360 after had 2 peers, below the threshold of 3: its report shows no
    # figure from others, so it counts for nothing (counted, P6 would add a change of 3 → 5).
    change = level.change
    assert (change.n, level.with_before, level.with_after, level.withheld) == (5, 6, 5, 1)
    assert change.mean_before == pytest.approx(14 / 5)  # 2.8
    assert change.mean_after == pytest.approx(19 / 5)  # 3.8
    assert change.mean_change == pytest.approx(1.0)  # changes 1, 0, 1, 1, 2
    # Deviations 0 -1 0 0 1: sd √(2/4) = 0.707107; standard error 0.707107 / √5 = 0.316228; t = 3.1623.
    assert change.t == pytest.approx(1 / (math.sqrt(0.5) / math.sqrt(5)))
    assert change.df == 4
    # t(0.975, 4 df) = 2.776445: 1 ± 0.877985.
    assert change.ci_low == pytest.approx(1 - 2.776445 * math.sqrt(0.1), abs=1e-5)
    assert change.ci_high == pytest.approx(1 + 2.776445 * math.sqrt(0.1), abs=1e-5)
    assert change.p_value == pytest.approx(0.03411, abs=5e-5)
    # Before and after sds are both √(2.8/4) = 0.836660: d_av = 1.195229; J(4) = Γ(2) / (√2 Γ(1.5)) = 0.797885.
    assert change.effect_size == pytest.approx(1.195229 * 0.797885, abs=1e-5)  # 0.9537
    # Wilcoxon: zero dropped, four positive changes: 2 × 1/16.
    assert change.wilcoxon_p == pytest.approx(0.125)


def test_reaction_leaves_out_sessions_with_fewer_than_three_answers(evaluated):
    reactions = cohort_report(evaluated.cohort).reactions
    opening, small, closing = reactions.sessions
    # Opening day, 4 answers: useful (5+4+4+3)/4 = 4.0, will use (4+4+3+3)/4 = 3.5, recommend (5+5+4+4)/4 = 4.5.
    assert opening.responses == 4
    assert [q.mean for q in opening.means] == pytest.approx([4.0, 3.5, 4.5])
    # Small group, 2 answers: nothing, not even how many.
    assert (small.responses, small.means, small.shown) == (None, [], False)
    assert small.reason.startswith("Fewer than 3 responses")
    # Closing forum, 3 answers: (3+4+5)/3 = 4.0, (2+3+4)/3 = 3.0, 5.0.
    assert [q.mean for q in closing.means] == pytest.approx([4.0, 3.0, 5.0])
    # Overall: the 7 answers of the shown sessions only (with the small group's, useful would be 30/9).
    assert reactions.overall_responses == 7
    assert [q.mean for q in reactions.overall] == pytest.approx([28 / 7, 23 / 7, 33 / 7])
    assert "left out of the overall figures" in reactions.overall_reason
    # Comments: none unless asked for (the steering group's view).
    assert reactions.comments_included is False and not opening.comments
    with_comments = cohort_report(evaluated.cohort, comments=True).reactions.sessions
    assert with_comments[0].comments == ["Too long", "Very practical"]  # alphabetical, no names
    assert with_comments[1].comments == []  # below the threshold: never shown
    assert with_comments[2].comments == ["Good speakers"]


def test_outcomes_against_hand_worked_rates(evaluated, admin):
    outcome_status_record(
        cohort=evaluated.cohort,
        actor=admin,
        outcome=evaluated.outcomes["unity"],
        status=OutcomeStatus.Status.ACHIEVED,
        evidence="Staff survey, May: 78% of senior managers say they work as one team.",
    )
    retention, promotion, unity = cohort_report(evaluated.cohort).outcomes
    lines = {line.label: line.text for line in retention.lines}
    # Participants: 6, of whom P5 has left: 5/6. Wilson (z = 1.959964, z² = 3.841459):
    # centre (5 + 1.920729) / 9.841459 = 0.703222, half-width 1.959964 × √(5·1/6 + 0.960365) / 9.841459
    # = 0.266725, so 44% to 97%.
    assert lines["Participants still here"] == "83% (5 of 6; 95% confidence interval 44% to 97%)"
    # Did not get a place: 5, of whom 2 have left: 3/5. (The withdrawn participant is in neither group.)
    assert lines["Applicants who did not get a place still here"].startswith("60% (3 of 5;")
    # 5/6 − 3/5 = 0.2333. Expected counts go below 5, so Fisher's exact test: with margins 6, 5 and
    # 8, 3, the tables as or less likely than the one seen (5 of 6 against 3 of 5) have 3, 5 or 6
    # still-here participants: (56 + 168 + 28) / 462 = 6/11.
    assert lines["Difference"].startswith("+23 percentage points")
    assert lines["Fisher's exact test"] == "p = 0.545"
    # Promotion: P1 and P2 are a tier up since they started: 2 of 6. Nobody who did not get a place
    # had their tier recorded, so there is no comparison. Wilson: centre 3.920729 / 9.841459 =
    # 0.398387, half-width 1.959964 × √(2·4/6 + 0.960365) / 9.841459 = 0.301618: 10% to 70%.
    assert [(line.label, line.text) for line in promotion.lines] == [
        ("Participants promoted", "33% (2 of 6; 95% confidence interval 10% to 70%)")
    ]
    assert "nothing to compare with" in promotion.reason
    assert [(line.label, line.text) for line in unity.lines][:2] == [
        ("Status", "Achieved"),
        ("Evidence", "Staff survey, May: 78% of senior managers say they work as one team."),
    ]


def test_participation_and_who_did_not_get_a_place(evaluated):
    report = cohort_report(evaluated.cohort)
    participation = report.participation
    # 6 participants (4 completed) and one who took a place and withdrew: 4 of 7 completed.
    assert (participation.took, participation.participants, participation.completed, participation.withdrew) == (
        7,
        6,
        4,
        1,
    )
    assert participation.completion.successes == 4 and participation.completion.n == 7
    assert participation.applications == 12 and participation.did_not_get_in == 5
    assert participation.in_progress == []  # the cohort has started: nobody is still in progress
    rows = {row.label: row for row in report.non_entrants.rows}
    # 3 not selected, 1 not endorsed, 1 declined, all for the organisation's own places. The two 1s
    # are hidden; their column would then give their sum (2) away, so the 3 is hidden too, and its
    # row's total with it. What is left: the total of 5.
    assert rows["Not endorsed"].cells == [None, 0] and rows["Not endorsed"].total is None
    assert rows["Declined the offer"].cells == [None, 0]
    assert rows["Not selected by the panel"].cells == [None, 0]
    assert rows["Withdrew before taking a place"].cells == [0, 0]
    assert report.non_entrants.totals == [5, 0] and report.non_entrants.total == 5


def surfaces(client, cohort, monkeypatch) -> dict[str, str]:
    """The report page, its CSV and the HTML its PDF is made from (this machine may have no tool to
    read text back out of a PDF)."""
    import weasyprint

    made = {}
    real = weasyprint.HTML

    def keep(*args, **kwargs):
        made["pdf"] = kwargs.get("string", "")
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", keep)
    page = client.get(f"/programmes/cohorts/{cohort.pk}/report/")
    csv_file = client.get(f"/programmes/cohorts/{cohort.pk}/report.csv")
    pdf = client.get(f"/programmes/cohorts/{cohort.pk}/report.pdf")
    assert page.status_code == csv_file.status_code == pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    return {"page": page.content.decode(), "csv": csv_file.content.decode(), "pdf": made["pdf"]}


def test_a_steering_member_reads_the_report_without_names_comments_or_anyones_figures(
    client, evaluated, org, monkeypatch
):
    member = user_with_role(org, Role.MEMBER, first_name="Stella", last_name="Chair")
    SteeringMember.objects.create(cohort=evaluated.cohort, user=member, role="Chair")
    client.force_login(member)
    texts = surfaces(client, evaluated.cohort, monkeypatch)
    for surface, text in texts.items():
        for person in evaluated.people + evaluated.others:
            assert person.last_name not in text and person.first_name not in text, surface
            assert person.email not in text and person.employee_number not in text, surface
        for comment in ("Very practical", "Too long", "Only two of us came", "Good speakers"):
            assert comment not in text, surface
        assert "+0.75" in text and "Keep our future managers" in text, surface
    rows = list(csv.reader(io.StringIO(texts["csv"])))
    assert rows[0] == ["section", "figure", "value", "note"]
    assert not any(r[0] == "Reaction comment" for r in rows)
    learning = [r for r in rows if r[0].startswith("Level 2")]
    assert [r[1] for r in learning][:4] == [
        "Participants",
        "With a measure before",
        "With a measure after",
        "With both (the figures below)",
    ]


def test_an_administrator_reads_the_comments_without_names(client, evaluated, admin):
    client.force_login(admin)
    page = client.get(f"/programmes/cohorts/{evaluated.cohort.pk}/report/").content.decode()
    assert "Very practical" in page and "Good speakers" in page
    assert "Only two of us came" not in page  # its session had 2 answers
    assert "Ottoline" not in page and "Abernethy" not in page


def test_with_fewer_than_three_of_anything_no_figure_is_shown(client, org, admin, manager, programme):
    cohort = Cohort.objects.create(
        programme=programme,
        organisation=org,
        name="Tiny cohort",
        starts_on=TODAY - timedelta(days=200),
        ends_on=TODAY - timedelta(days=100),
        capacity=2,
        status=Cohort.Status.COMPLETED,
    )
    users = [applicant(org, manager, first_name=f"Tiny{n}", last_name="Person") for n in (1, 2)]
    applications = [place(cohort, u, Application.Status.COMPLETED) for u in users]
    # Two people: individual overall figures 1.5 → 4.5 and 2.5 → 3.5; averages would be 2.00 → 4.00.
    self_assess(users[0].person, 1, 2, days_ago=210)
    self_assess(users[0].person, 5, 4, days_ago=90)
    self_assess(users[1].person, 2, 3, days_ago=210)
    self_assess(users[1].person, 3, 4, days_ago=90)
    session = Session.objects.create(cohort=cohort, title="Only day", starts_at=at(150), ends_at=at(149))
    for application in applications:
        Reaction.objects.create(session=session, application=application, useful=1, will_use=1, recommend=1)
    report = cohort_report(cohort)
    assert report.learning.change.n == 2 and not report.learning.shown
    assert [line.label for line in report.learning.lines][-1] == "With both (the figures below)"
    assert report.learning.reason.startswith("Fewer than 3 participants have a measure both before and after")
    assert report.reactions.overall == [] and not report.reactions.sessions[0].shown
    client.force_login(admin)
    page = client.get(f"/programmes/cohorts/{cohort.pk}/report/").content.decode()
    for figure in ("1.50", "4.50", "2.50", "3.50", "2.00", "4.00", "1.00"):
        assert figure not in page
    assert "Fewer than 3 responses, so no figures are shown" in page
    assert "Fewer than 3 participants have a measure both before and after" in page


def test_a_cohort_still_running_says_when_the_measures_after_will_count(org, programme, manager):
    cohort = Cohort.objects.create(
        programme=programme,
        organisation=org,
        name="Running cohort",
        starts_on=TODAY - timedelta(days=10),
        ends_on=TODAY + timedelta(days=100),
        capacity=4,
        status=Cohort.Status.RUNNING,
    )
    place(cohort, applicant(org, manager), Application.Status.ACCEPTED)
    report = cohort_report(cohort)
    assert report.learning.reason.startswith(f"The cohort ends on {cohort.ends_on:%-d %B %Y}")
    assert "6 to 12 months after the cohort ends" in report.behaviour.reason
    assert report.participation.completion_note.startswith("The cohort runs until")
    assert report.reactions.overall_reason == "Nobody has answered the questions after a session yet."


def test_only_administrators_and_the_steering_group_reach_the_pages(client, evaluated, org, admin):
    cohort = evaluated.cohort
    addresses = [
        f"/programmes/cohorts/{cohort.pk}/{tail}"
        for tail in ("report/", "report.pdf", "report.csv", "steering/", "outcomes/")
    ]
    elsewhere = OrganisationFactory()
    outsiders = [
        user_with_role(elsewhere, Role.LD_ADMIN),  # an administrator of another organisation
        user_with_role(org, Role.MEMBER),  # a member of staff not on the steering group
        evaluated.people[0].user,  # a participant
        user_with_role(org, Role.EXECUTIVE_VIEWER),  # reads capability, not programme evaluations
        user_with_role(org, Role.EQUALITY_OFFICER),
    ]
    for user in outsiders:
        client.force_login(user)
        for address in addresses:
            assert client.get(address).status_code == 404, (user, address)
        assert client.post(addresses[3], {"decided_on": "1 1 2020", "text": "Sneaky"}).status_code == 404
    assert not SteeringDecision.objects.exists()
    client.logout()
    assert client.get(addresses[0]).status_code == 302  # to sign in
    client.force_login(admin)
    assert client.get(f"/programmes/cohorts/{cohort.pk + 1000}/report/").status_code == 404
    assert client.get("/programmes/cohorts/99999999999999999999/report/").status_code == 404
    for address in addresses:
        assert client.get(address).status_code == 200, address


def test_the_report_page_takes_the_same_queries_whatever_the_size(
    client, evaluated, admin, org, manager, django_assert_num_queries
):
    client.force_login(admin)
    address = f"/programmes/cohorts/{evaluated.cohort.pk}/report/"
    client.get(address)  # warm up anything cached per process
    with CaptureQueriesContext(connection) as first:
        assert client.get(address).status_code == 200
    # Three more participants with assessments, 360s and reactions, and two more who did not get in.
    users = [applicant(org, manager, first_name=f"Extra{n}", last_name="Person") for n in range(3)]
    for user in users:
        application = place(evaluated.cohort, user, Application.Status.ACCEPTED, tier_rank_at_start=1)
        self_assess(user.person, 3, 3, days_ago=440)
        self_assess(user.person, 4, 4, days_ago=220)
        Reaction.objects.create(
            session=evaluated.sessions[0], application=application, useful=4, will_use=4, recommend=4
        )
    people = [u.person for u in users]
    run_360(admin, org, people, {p.pk: [3, 3, 3] for p in people}, days_ago=470)
    run_360(admin, org, people, {p.pk: [4, 4, 4] for p in people}, days_ago=40)
    for _ in range(2):
        place(evaluated.cohort, applicant(org, manager), Application.Status.NOT_SELECTED)
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get(address)
    assert page.status_code == 200
    assert cohort_report(evaluated.cohort).learning.change.n == 9
    # Pinned: session and user, roles, the cohort, then the report's own reads.
    assert len(first.captured_queries) == 19


def test_the_steering_group_records_decisions_and_bad_input_writes_nothing(client, evaluated, org):
    member = user_with_role(org, Role.MEMBER, first_name="Stella", last_name="Chair")
    SteeringMember.objects.create(cohort=evaluated.cohort, user=member, role="Chair")
    client.force_login(member)
    address = f"/programmes/cohorts/{evaluated.cohort.pk}/steering/"
    page = client.get(address).content.decode()
    assert "No decisions recorded yet." in page
    assert "4 of 7" in page  # completed, of those who took a place
    assert "Ottoline" not in page and "Abernethy" not in page
    tomorrow = TODAY + timedelta(days=1)
    for data, message in (
        ({"decided_on": "", "text": "Run it again"}, "Enter the date of the decision."),
        ({"decided_on": "31 2 2026", "text": "Run it again"}, "Enter a real date, such as 27 3 2027."),
        ({"decided_on": f"{tomorrow:%d %m %Y}", "text": "Run it again"}, "cannot be in the future"),
        ({"decided_on": f"{TODAY:%d %m %Y}", "text": "   "}, "Enter the decision."),
        ({"decided_on": f"{TODAY:%d %m %Y}", "text": "x" * 10_001}, "10,000 characters or fewer"),
    ):
        response = client.post(address, data)
        assert response.status_code == 200
        body = response.content.decode()
        assert "There is a problem" in body and message in body
    assert not SteeringDecision.objects.exists()
    response = client.post(address, {"decided_on": f"{TODAY:%d %m %Y}", "text": "Run a second cohort in spring."})
    assert response.status_code == 302
    decision = SteeringDecision.objects.get()
    assert (decision.cohort, decision.recorded_by, decision.decided_on) == (evaluated.cohort, member, TODAY)
    page = client.get(address).content.decode()
    assert "Run a second cohort in spring." in page and member.full_name in page


def test_recording_an_outcome(client, evaluated, org, admin):
    cohort, unity = evaluated.cohort, evaluated.outcomes["unity"]
    member = user_with_role(org, Role.MEMBER)
    SteeringMember.objects.create(cohort=cohort, user=member)
    stranger = user_with_role(org, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        outcome_status_record(cohort=cohort, actor=stranger, outcome=unity, status="achieved", evidence="Survey")
    for outcome, status, evidence, message in (
        (unity, "done", "", "Choose where Greater unity among senior managers stands."),
        (unity, "achieved", "  ", "Give the evidence that shows Greater unity among senior managers is achieved."),
        (unity, "in_progress", "x" * 10_001, "10,000 characters or fewer"),
        (evaluated.outcomes["retention"], "achieved", "Survey", "measured by Cadre from its own records"),
    ):
        with pytest.raises(ValidationError, match=message):
            outcome_status_record(cohort=cohort, actor=member, outcome=outcome, status=status, evidence=evidence)
    other_programme_outcome = Outcome.objects.create(
        programme=Programme.objects.create(organisation=org, title="Other", summary="Another programme"),
        position=1,
        title="Elsewhere",
    )
    with pytest.raises(ValidationError, match="Choose an outcome of this cohort's programme"):
        outcome_status_record(
            cohort=cohort, actor=member, outcome=other_programme_outcome, status="achieved", evidence="x"
        )
    assert not OutcomeStatus.objects.exists()

    client.force_login(member)
    address = f"/programmes/cohorts/{cohort.pk}/outcomes/"
    page = client.get(address).content.decode()
    assert "Greater unity among senior managers" in page and "Keep our future managers" not in page
    prefix = f"outcome-{unity.pk}"
    response = client.post(address, {"outcome": unity.pk, f"{prefix}-status": "achieved", f"{prefix}-evidence": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body and "Give the evidence" in body
    for bad in ("", "nonsense", str(evaluated.outcomes["retention"].pk), "9" * 30):
        response = client.post(address, {"outcome": bad, f"{prefix}-status": "achieved"})
        assert response.status_code == 200 and "Choose one of this programme" in response.content.decode()
    response = client.post(
        address, {"outcome": unity.pk, f"{prefix}-status": "in_progress", f"{prefix}-evidence": "Survey in May."}
    )
    assert response.status_code == 302
    response = client.post(
        address, {"outcome": unity.pk, f"{prefix}-status": "achieved", f"{prefix}-evidence": "Survey: 78% agree."}
    )
    recorded = OutcomeStatus.objects.get()
    assert (recorded.status, recorded.evidence, recorded.recorded_by) == ("achieved", "Survey: 78% agree.", member)
    assert AuditEntry.objects.filter(event="cohort.outcome_recorded").count() == 2
    client.force_login(admin)
    report = client.get(f"/programmes/cohorts/{cohort.pk}/report/").content.decode()
    assert "Survey: 78% agree." in report and "Achieved" in report
