"""A cohort's evaluation in the browser: a steering group member reads the report, records a
decision and where an outcome stands, with axe checking every page."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from cadre.core.models import Role
from cadre.programmes.models import (
    Application,
    Cohort,
    Outcome,
    Programme,
    Reaction,
    Session,
    SteeringDecision,
    SteeringMember,
)
from cadre.programmes.services.design import ProgrammeDetails, StageDetails, programme_save
from tests.browser import live_database
from tests.browser.axe import follow, visit
from tests.browser.journeys import screenshot, sign_in
from tests.factories import OrganisationFactory, user_with_role
from tests.frameworks import builders
from tests.programmes.test_evaluation import self_assess

pytestmark = live_database
PASSWORD = "correct horse battery"


def at(days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(10)))


def test_a_steering_member_reads_the_report_and_records_decisions_and_outcomes(page: Page):
    org = OrganisationFactory(name="North Borough Council")
    framework = builders.framework(organisation=org)
    tier = builders.version(framework, attributes=2, tiers=2).tiers.get(rank=1)
    admin = user_with_role(org, Role.LD_ADMIN)
    programme = programme_save(
        organisation=org,
        actor=admin,
        details=ProgrammeDetails(
            title="Aspiring managers programme",
            summary="A year of development for people ready to manage.",
            framework=framework,
            selection_attributes=["collaborative"],
            status=Programme.Status.PUBLISHED,
            stages=[StageDetails(kind="development_day", title="Development day")],
        ),
    )
    Outcome.objects.create(
        programme=programme, position=1, title="Greater unity among senior managers", how_measured="The survey"
    )
    Outcome.objects.create(programme=programme, position=2, title="Keep our managers", measure="retention")
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        programme=programme,
        organisation=org,
        name="Spring cohort",
        starts_on=today - timedelta(days=120),
        ends_on=today - timedelta(days=10),
        capacity=4,
        status=Cohort.Status.COMPLETED,
    )
    session = Session.objects.create(cohort=cohort, title="Opening day", starts_at=at(100), ends_at=at(99))
    for n, (useful, will_use, recommend) in enumerate([(5, 4, 5), (4, 4, 4), (3, 4, 5), (4, 5, 5)]):
        person = user_with_role(org, Role.MEMBER, first_name=f"Ottoline{n}", last_name="Abernethy").person
        person.tier, person.tier_set_by_hand = tier, True
        person.save()
        self_assess(person, 2, 3, days_ago=130)
        self_assess(person, 3 + n % 2, 4, days_ago=5)
        application = Application.objects.create(
            cohort=cohort, organisation=org, person=person, status=Application.Status.COMPLETED
        )
        Reaction.objects.create(
            session=session, application=application, useful=useful, will_use=will_use, recommend=recommend
        )
    member = user_with_role(org, Role.MEMBER, first_name="Stella", last_name="Chair")
    SteeringMember.objects.create(cohort=cohort, user=member, role="Chair")

    sign_in(page, email=member.email, password=PASSWORD)
    visit(page, f"/programmes/cohorts/{cohort.pk}/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluation report")
    expect(page.get_by_role("img", name="Average answer to each question")).to_be_visible()
    expect(page.get_by_role("row", name="Opening day")).to_contain_text("4.00")  # (5 + 4 + 3 + 4) / 4
    expect(page.get_by_role("main")).not_to_contain_text("Abernethy")
    # Only the selection criterion, collaborative, counts: 2 before for everyone, after 3, 4, 3, 4.
    expect(page.get_by_role("row", name="Learning: self-assessments")).to_contain_text("+1.50")
    screenshot(page, "programme-evaluation-report")

    follow(page.get_by_role("link", name="Steering group: progress and decisions"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Steering group")
    follow(page.get_by_role("button", name="Record the decision"))
    expect(page.get_by_role("alert")).to_contain_text("Enter the date of the decision.")
    page.get_by_label("Date of the decision").fill(today.strftime("%d %m %Y"))
    page.get_by_label("The decision", exact=True).fill("Run the programme again next spring.")
    follow(page.get_by_role("button", name="Record the decision"))
    expect(page.get_by_role("main")).to_contain_text("The decision is recorded.")
    expect(page.get_by_role("table", name="The steering group's decisions")).to_contain_text(
        "Run the programme again next spring."
    )
    assert SteeringDecision.objects.filter(cohort=cohort, recorded_by=member).count() == 1
    screenshot(page, "programme-steering")

    follow(page.get_by_role("link", name="Record where the programme's outcomes stand"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Where the outcomes stand")
    page.get_by_label("Achieved", exact=True).check()
    follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("alert")).to_contain_text("Give the evidence")
    page.get_by_label("Evidence for: Greater unity among senior managers").fill("Survey in May: 78% agree.")
    follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("main")).to_contain_text("is saved")
    follow(page.get_by_role("link", name="Back to the evaluation report"))
    expect(page.get_by_role("main")).to_contain_text("Survey in May: 78% agree.")
