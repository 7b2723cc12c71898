"""Designing a programme in the browser: an administrator writes its design with stages and
outcomes (adding rows as they go), adds a cohort with GOV.UK date inputs, names its selection panel
and steering group, and reads the cohort's page; axe checks every page on the way."""

from datetime import date

from django.urls import get_resolver
from playwright.sync_api import Page, expect

from cadre.core.models import Role
from cadre.programmes.models import Cohort, Programme
from tests.browser import live_database
from tests.browser.axe import follow, visit
from tests.browser.journeys import sign_in, sign_out
from tests.factories import OrganisationFactory, user_with_role
from tests.frameworks import builders

pytestmark = live_database
PASSWORD = "correct horse battery"


def test_a_programme_is_designed_and_a_cohort_set_up(page: Page):
    # Load every page's code before the browser's first request: importing the URLs (SciPy and
    # Numba behind the evaluation and feedback kernels) can take longer than a page may.
    assert get_resolver().url_patterns
    org = OrganisationFactory(name="North Borough Council")
    builders.version(builders.framework(organisation=org, name="Officers' framework"), attributes=2, tiers=2)
    admin = user_with_role(org, Role.LD_ADMIN, first_name="Lee", last_name="Developer")
    panellist = user_with_role(org, Role.MEMBER, first_name="Pat", last_name="Panel")
    chair = user_with_role(org, Role.MEMBER, first_name="Cass", last_name="Chair")

    sign_in(page, email=admin.email, password=PASSWORD)
    visit(page, "/programmes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmes")
    follow(page.get_by_role("button", name="Add a programme"))

    # A first try without a title: the error summary says so, and nothing typed is lost.
    page.get_by_label("Summary").fill("A year of development for people ready to manage")
    stage = page.get_by_role("group", name="Stage 1")
    stage.get_by_label("Kind").select_option(label="Pre-reading")
    stage.get_by_label("Title").fill("Reading before you start")
    follow(page.get_by_role("button", name="Save", exact=True))
    expect(page.get_by_role("alert")).to_contain_text("Enter the programme's title.")
    expect(page.get_by_role("group", name="Stage 1").get_by_label("Title")).to_have_value("Reading before you start")

    page.get_by_label("Title", exact=True).first.fill("Aspiring managers programme")
    page.get_by_role("group", name="Selection criteria").get_by_label("Collaborative").check()
    page.get_by_role("group", name="Evidence needed to complete").get_by_label("Agile").check()
    page.get_by_role("group", name="Tiers that may apply").get_by_label("Aspiring manager").check()
    # More rows than the three given, without losing anything.
    follow(page.get_by_role("button", name="Add more rows for stages"))
    expect(page.get_by_role("group", name="Stage 6")).to_be_visible()
    expect(page.get_by_role("group", name="Stage 1").get_by_label("Title")).to_have_value("Reading before you start")
    expect(page.get_by_role("group", name="Selection criteria").get_by_label("Collaborative")).to_be_checked()
    stage = page.get_by_role("group", name="Stage 5")
    stage.get_by_label("Kind").select_option(label="Development day")
    stage.get_by_label("Title").fill("Development day one")
    outcome = page.get_by_role("group", name="Outcome 1")
    outcome.get_by_label("Outcome").fill("More internal candidates for manager posts")
    outcome.get_by_label("How it is measured").select_option(
        label="Internal promotion: participants now in a higher tier"
    )
    outcome.get_by_label("Target (optional)").fill("A third promoted within two years")
    page.get_by_label("Attendance needed to complete, in per cent").fill("75")
    page.get_by_role("group", name="Status").get_by_label("Published").check()
    follow(page.get_by_role("button", name="Save", exact=True))

    expect(page.get_by_role("heading", level=1)).to_have_text("Aspiring managers programme")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Collaborative")
    expect(main).to_contain_text("Aspiring manager")
    expect(main).to_contain_text("has portfolio evidence signed off for Agile")
    expect(page.get_by_role("listitem").filter(has_text="Development day one")).to_contain_text("(Development day)")
    expect(page.get_by_role("row", name="More internal candidates")).to_contain_text("A third promoted")
    programme = Programme.objects.get(title="Aspiring managers programme")
    assert [s.title for s in programme.stages.all()] == ["Reading before you start", "Development day one"]

    follow(page.get_by_role("button", name="Add a cohort"))
    year = date.today().year + 1
    page.get_by_label("Name", exact=True).fill("Spring cohort")
    for legend, (day, month) in (("Start date", ("3", "2")), ("End date", ("30", "2"))):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(day)
        group.get_by_label("Month").fill(month)
        group.get_by_label("Year").fill(str(year))
    page.get_by_label("Places", exact=True).fill("12")
    page.get_by_label("Days to accept an offer").fill("7")
    page.get_by_label("Open for applications").check()
    follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("alert")).to_contain_text("The end date must be a real date.")
    page.get_by_role("group", name="End date").get_by_label("Day").fill("28")
    follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring cohort")
    cohort = Cohort.objects.get(name="Spring cohort")
    assert (cohort.starts_on, cohort.ends_on, cohort.capacity) == (date(year, 2, 3), date(year, 2, 28), 12)

    follow(page.get_by_role("link", name="Selection panel, assessors and steering group"))
    page.get_by_label("Selection panel").fill(f"{panellist.email}\nnobody@example.org")
    page.get_by_label("Steering group").fill(f"{chair.email}, chair")
    follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("alert")).to_contain_text("nobody@example.org is not someone with a login")
    page.get_by_label("Selection panel").fill(panellist.email)
    follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring cohort")
    expect(page.get_by_role("alert")).to_contain_text("selection panel, assessors and steering group")
    assert list(cohort.panel.all()) == [panellist]

    expect(page.get_by_role("main")).to_contain_text("No applications yet.")
    follow(page.get_by_role("link", name="Selection panel, assessors and steering group"))
    expect(page.get_by_role("main")).to_contain_text("Cass Chair (chair)")
    follow(page.locator(".govuk-back-link"))
    follow(page.locator(".govuk-back-link"))
    follow(page.locator(".govuk-back-link"))
    expect(page.get_by_role("row", name="Spring cohort")).to_contain_text("12")

    # The design pages not yet seen, for the accessibility check.
    visit(page, f"/programmes/{programme.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change Aspiring managers programme")
    expect(page.get_by_role("group", name="Stage 2").get_by_label("Title")).to_have_value("Development day one")
    visit(page, f"/programmes/cohorts/{cohort.pk}/edit/")
    expect(page.get_by_role("group", name="End date").get_by_label("Day")).to_have_value("28")
    visit(page, f"/programmes/{programme.pk}/external/new/")
    expect(page.get_by_role("main")).to_contain_text("is not open to people from outside the public sector")

    # The chair of the steering group sees the cohort in totals, with no names.
    sign_out(page)
    sign_in(page, email=chair.email, password=PASSWORD)
    visit(page, f"/programmes/cohorts/{cohort.pk}/")
    expect(page.get_by_role("main")).to_contain_text("you see totals only")
    expect(page.get_by_role("main")).not_to_contain_text("Pat Panel")
