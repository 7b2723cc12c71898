"""From application to a place, in the browser: a member of staff applies (after a mistake), their line
manager endorses, an administrator scores and selects, offers are made, and the applicant accepts.
axe checks every page."""

import re

from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Page, expect

import cadre.urls  # noqa: F401 (imported here, so the live server's first page does not wait for every module)
from cadre.programmes.models import Application
from cadre.programmes.services.applications import offers_start
from tests.browser import live_database
from tests.browser.axe import follow, visit
from tests.browser.journeys import sign_in, sign_out
from tests.programmes.fixtures import applicant

pytestmark = live_database
PASSWORD = "correct horse battery"


def test_from_application_to_an_accepted_place(page: Page, cohort, org, admin, manager):
    staff = applicant(org, manager, first_name="Sam", last_name="Applicant")
    manager.person.first_name, manager.person.last_name = "Morgan", "Manager"
    manager.person.save()

    # The member of staff applies: a first try without a statement is explained, and kept.
    sign_in(page, email=staff.email, password=PASSWORD)
    visit(page, f"/programmes/cohorts/{cohort.pk}/apply/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply for Aspiring managers programme")
    example = page.get_by_label("Your example for Collaborative")
    expect(example).to_be_hidden()
    page.get_by_label("Collaborative", exact=True).check()
    expect(example).to_be_visible()
    example.fill("I brought two teams together on one rota.")
    follow(page.get_by_role("button", name="Send application"))
    expect(page.get_by_role("alert")).to_contain_text("Write your statement")
    expect(page.get_by_label("Your example for Collaborative")).to_have_value(
        "I brought two teams together on one rota."
    )
    page.get_by_label("Your statement", exact=True).fill("I lead a team informally and want to learn to manage well.")
    expect(page.get_by_text("You have 4,942 characters remaining")).to_be_visible()
    follow(page.get_by_role("button", name="Send application"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your application")
    expect(page.get_by_role("main")).to_contain_text("waiting for Morgan Manager to endorse it")
    sign_out(page)

    # The line manager endorses it.
    sign_in(page, email=manager.email, password=PASSWORD)
    visit(page, "/programmes/endorsements/")
    expect(page.get_by_role("status")).to_have_text("1 application waiting for your endorsement, oldest first.")
    follow(page.get_by_role("link", name=re.compile("Read and endorse")))
    expect(page.get_by_role("main")).to_contain_text("I brought two teams together on one rota.")
    page.get_by_label("Yes, I endorse it").check()
    page.get_by_label("Anything the selection panel should know? (optional)").fill("Ready for it.")
    follow(page.get_by_role("button", name="Send"))
    expect(page.get_by_role("main")).to_contain_text("No applications are waiting for your endorsement.")
    sign_out(page)

    # The administrator scores and selects.
    sign_in(page, email=admin.email, password=PASSWORD)
    visit(page, f"/programmes/cohorts/{cohort.pk}/selection/")
    expect(page.get_by_role("row", name=re.compile("Sam Applicant"))).to_contain_text("Not scored")
    follow(page.get_by_role("link", name="Score Sam Applicant"))
    follow(page.get_by_role("button", name="Save scores"))
    expect(page.get_by_role("alert")).to_contain_text("choose 0 to 4")
    page.get_by_role("group", name="Collaborative").get_by_label("4: strong evidence").check()
    page.get_by_role("group", name="Agile").get_by_label("2: some evidence").check()
    page.get_by_label("Notes on Agile (optional)").fill("Only one example of agility.")
    follow(page.get_by_role("button", name="Save scores"))
    expect(page.get_by_role("row", name=re.compile("Sam Applicant"))).to_contain_text("3.00")
    follow(page.get_by_role("link", name="Decide Sam Applicant"))
    page.get_by_label("Selected: they join the waiting list").check()
    page.get_by_label("Reasons for the decision").fill("Strong evidence of working across teams.")
    follow(page.get_by_role("button", name="Save decision"))
    expect(page.get_by_role("row", name=re.compile("Sam Applicant"))).to_contain_text("On the waiting list")

    # Selection is over: the offers go out, from the cohort's page where it has the action (it calls
    # the same service), otherwise straight through the service.
    try:
        cohort_page = reverse("programmes:cohort", args=[cohort.pk])
    except NoReverseMatch:
        offers_start(cohort=cohort, actor=admin)
    else:
        visit(page, cohort_page)
        follow(page.get_by_role("button", name="Make offers"))
        expect(page.get_by_role("main")).to_contain_text("1 offer made.")
    assert Application.objects.get(person=staff.person).status == Application.Status.OFFERED
    sign_out(page)

    # The applicant accepts the place.
    sign_in(page, email=staff.email, password=PASSWORD)
    visit(page, "/programmes/applications/")
    follow(page.get_by_role("link", name="Accept or decline your place on Aspiring managers programme"))
    expect(page.get_by_role("main")).to_contain_text("Strong evidence of working across teams.")
    expect(page.get_by_role("main")).not_to_contain_text("Only one example of agility.")
    follow(page.get_by_role("button", name="Send my answer"))
    expect(page.get_by_role("alert")).to_contain_text("Choose whether you accept the place.")
    page.get_by_label("Yes, I accept the place").check()
    follow(page.get_by_role("button", name="Send my answer"))
    expect(page.get_by_role("main")).to_contain_text("You have accepted your place")
    expect(page.get_by_role("main")).to_contain_text("You have a place on this cohort.")
    assert Application.objects.get(person=staff.person).status == Application.Status.ACCEPTED
