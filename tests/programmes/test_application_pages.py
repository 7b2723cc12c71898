"""The application pages: applying, my applications, one application as each person sees it,
endorsing, nominating, the selection panel's pages, answering an offer and withdrawing. Each page for
the applicant, their line manager, a panel member, an administrator, an unrelated colleague and
someone from another organisation; bad input on every form writes nothing; the list pages take a
fixed number of queries."""

import html
import re
from dataclasses import dataclass

import pytest

from cadre.core.models import Role, User
from cadre.people.models import RoleType
from cadre.programmes.models import Application, Cohort, PanelScore
from cadre.programmes.services.applications import (
    application_decide,
    application_endorse,
    application_nominate,
    application_score,
    application_submit,
    offers_start,
)
from tests.factories import OrganisationFactory, user_with_role
from tests.programmes.fixtures import applicant, statement

pytestmark = pytest.mark.django_db

Status = Application.Status


def text(response) -> str:
    return html.unescape(response.content.decode())


def plain(response) -> str:
    """The page's words, without tags, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split()).replace(" .", ".")


def errors(response) -> str:
    """The error summary's text, or '' when there is none."""
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))) if found else ""


@dataclass
class World:
    cohort: Cohort
    admin: User
    manager: User
    staff: User  # the applicant, line-managed by `manager`
    panel: User
    colleague: User
    outsider: User  # an administrator of another organisation


@pytest.fixture
def world(cohort, admin, manager, org) -> World:
    staff = applicant(org, manager, first_name="Sam", last_name="Applicant")
    panel = user_with_role(org, Role.MEMBER, first_name="Pat", last_name="Panel")
    cohort.panel.add(panel)
    colleague = applicant(org, None, first_name="Col", last_name="League")
    outsider = user_with_role(OrganisationFactory(), Role.LD_ADMIN)
    return World(cohort, admin, manager, staff, panel, colleague, outsider)


def submitted(world: World, user=None) -> Application:
    return application_submit(cohort=world.cohort, actor=user or world.staff, statement=statement())


def endorsed(world: World, user=None) -> Application:
    application = submitted(world, user)
    application_endorse(application=application, actor=world.manager, endorse=True, note="Ready for this.")
    return Application.objects.get(pk=application.pk)


def offered(world: World) -> Application:
    application = endorsed(world)
    application_decide(application=application, actor=world.admin, selected=True, reason="A strong statement.")
    offers_start(cohort=world.cohort, actor=world.admin)
    application.refresh_from_db()
    assert application.status == Status.OFFERED
    return application


# -- applying -------------------------------------------------------------------------------------


def test_the_form_has_the_statement_the_criteria_and_their_examples(client, world):
    client.force_login(world.staff)
    page = text(client.get(f"/programmes/cohorts/{world.cohort.pk}/apply/"))
    assert "<h1" in page and page.count("<h1") == 1
    assert 'data-module="govuk-character-count"' in page and 'data-maxlength="5000"' in page
    # Each criterion is a checkbox revealing its own example box.
    for key, name in (("collaborative", "Collaborative"), ("agile", "Agile")):
        assert f'value="{key}"' in page
        assert 'data-aria-controls="conditional-id_attributes' in page
        assert f'name="attribute-{key}"' in page
        assert f"Your example for {name}" in page
    assert 'name="employer"' not in page


def test_bad_input_is_explained_nothing_is_written_and_nothing_typed_is_lost(client, world):
    client.force_login(world.staff)
    url = f"/programmes/cohorts/{world.cohort.pk}/apply/"
    response = client.post(url, {"statement": "  ", "attribute-agile": "I changed the rota in a day."})
    summary = errors(response)
    assert "Write your statement" in summary
    assert "Choose at least one of the selection criteria" in summary
    assert "I changed the rota in a day." in text(response)
    response = client.post(url, {"statement": "Mine.", "attributes": ["made-up"]})
    assert "Choose attributes from the programme's selection criteria" in errors(response)
    response = client.post(url, {"statement": "x" * 5001, "attributes": ["agile"]})
    assert "5,000 characters or fewer" in errors(response)
    assert "x" * 5001 in text(response)
    response = client.post(url, {"statement": "Nul \x00 byte", "attributes": ["agile"]})
    assert response.status_code == 200 and errors(response)
    assert not Application.objects.exists()


def test_applying_then_clicking_again_leads_to_the_application(client, world, mailoutbox):
    client.force_login(world.staff)
    url = f"/programmes/cohorts/{world.cohort.pk}/apply/"
    data = {
        "statement": "I want to manage well.",
        "attributes": ["collaborative"],
        "attribute-collaborative": "I joined two teams' rotas.",
        "attribute-agile": "Not chosen, so not kept.",
    }
    first = client.post(url, data)
    application = Application.objects.get()
    assert first["Location"] == f"/programmes/applications/{application.pk}/"
    assert application.status == Status.SUBMITTED
    assert dict(application.attributes.values_list("key", "text")) == {"collaborative": "I joined two teams' rotas."}
    second = client.post(url, data, follow=True)
    assert second.redirect_chain[-1][0] == f"/programmes/applications/{application.pk}/"
    assert "You have already applied to this cohort." in text(second)
    assert Application.objects.count() == 1
    again = text(client.get(url))
    assert "You have already applied to this cohort." in again and 'name="statement"' not in again


def test_someone_who_may_not_apply_is_told_why_instead_of_the_form(client, world, programme):
    programme.eligible_tiers = ["tier-2"]
    programme.save()
    client.force_login(world.staff)
    url = f"/programmes/cohorts/{world.cohort.pk}/apply/"
    page = text(client.get(url))
    assert "You cannot apply" in page and "not for people at the Aspiring manager tier" in page
    assert 'name="statement"' not in page
    client.post(url, {"statement": "Please.", "attributes": ["agile"]})
    assert not Application.objects.exists()


def test_external_participants_say_who_they_work_for(client, world, programme, org):
    programme.audience = programme.Audience.OPEN
    programme.save()
    outsider = user_with_role(org, Role.MEMBER, role_type=RoleType.EXTERNAL_PARTICIPANT)
    client.force_login(outsider)
    url = f"/programmes/cohorts/{world.cohort.pk}/apply/"
    assert 'name="employer"' in text(client.get(url))
    response = client.post(url, {"statement": "Me.", "attributes": ["agile"], "attribute-agile": "An example."})
    assert "Enter who you work for." in errors(response)
    assert not Application.objects.exists()
    client.post(url, {"statement": "Me.", "attributes": ["agile"], "employer": "Acme Ltd"})
    assert Application.objects.get().employer == "Acme Ltd"


def test_the_apply_page_of_another_organisations_cohort_is_a_404(client, world, partner_org):
    client.force_login(world.outsider)
    url = f"/programmes/cohorts/{world.cohort.pk}/apply/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"statement": "x", "attributes": ["agile"]}).status_code == 404
    assert client.get("/programmes/cohorts/999999999999999999/apply/").status_code == 404
    # Someone from a partner in the programme's network may apply, for a partner place.
    partner = user_with_role(partner_org, Role.MEMBER)
    client.force_login(partner)
    client.post(url, {"statement": "Partner.", "attributes": ["agile"], "attribute-agile": "An example."})
    assert Application.objects.get().pool == Application.Pool.PARTNER


# -- my applications ------------------------------------------------------------------------------


def test_my_applications_say_what_to_do_next(client, world):
    application = offered(world)
    nomination = application_nominate(
        cohort=Cohort.objects.create(
            programme=world.cohort.programme,
            organisation=world.cohort.organisation,
            name="Autumn cohort",
            starts_on=world.cohort.starts_on,
            ends_on=world.cohort.ends_on,
            capacity=2,
            status=Cohort.Status.OPEN,
        ),
        actor=world.manager,
        person=world.staff.person,
        reason="You are ready.",
    )
    client.force_login(world.staff)
    page = text(client.get("/programmes/applications/"))
    assert "Offered a place" in page and "Nominated, waiting for their statement" in page
    assert f'href="/programmes/applications/{application.pk}/">Accept or decline your place' in page
    assert f'href="/programmes/applications/{nomination.pk}/">Write your statement' in page
    client.force_login(world.manager)
    page = text(client.get("/programmes/applications/"))
    assert "People you nominated" in page and "Sam Applicant" in page
    assert "You have not applied for a programme" in page


# -- one application ------------------------------------------------------------------------------


def test_each_person_sees_the_application_as_their_role_allows(client, world):
    application = endorsed(world)
    application_score(
        application=application,
        actor=world.panel,
        scores={"collaborative": 3, "agile": 2},
        notes={"collaborative": "PANEL NOTE from Pat"},
    )
    application_score(
        application=application,
        actor=world.admin,
        scores={"collaborative": 4, "agile": 4},
        notes={"agile": "ADMIN NOTE on agility"},
    )
    url = f"/programmes/applications/{application.pk}/"

    client.force_login(world.staff)
    page = text(client.get(url))
    assert "Your application is endorsed and is with the selection panel." in page
    assert "Ready for this." in page  # the endorsement note
    assert "I brought two teams together" in page  # their own example
    for hidden in ("Panel scores", "PANEL NOTE", "ADMIN NOTE", "3.25"):
        assert hidden not in page

    client.force_login(world.panel)
    page = plain(client.get(url))
    assert "Mean score: 3.25 out of 4, from 2 panel members." in page
    assert "PANEL NOTE from Pat" in page and "ADMIN NOTE" not in page
    assert "Score this application" in page and "Record the selection decision" not in page

    client.force_login(world.admin)
    page = text(client.get(url))
    assert "PANEL NOTE from Pat" in page and "ADMIN NOTE on agility" in page
    assert "Pat Panel" in page and "Record the selection decision" in page

    client.force_login(world.manager)
    page = text(client.get(url))
    assert "I brought two teams together" in page and "Panel scores" not in page

    for stranger in (world.colleague, world.outsider):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    assert client.get("/programmes/applications/999999999999999999/").status_code == 404

    # An assessor (who signs off participants' evidence, on the portfolio pages) does not see
    # applications at all, on the page or through the API.
    assessor = user_with_role(world.cohort.organisation, Role.MEMBER)
    world.cohort.assessors.add(assessor)
    client.force_login(assessor)
    assert client.get(url).status_code == 404
    assert client.get(f"/api/applications/{world_application_id(url)}").status_code == 404


def world_application_id(url: str) -> int:
    return int(url.rstrip("/").rsplit("/", 1)[-1])


def test_the_decision_and_its_reasons_reach_the_applicant(client, world):
    application = endorsed(world)
    application_decide(application=application, actor=world.admin, selected=False, reason="Apply next year.")
    client.force_login(world.staff)
    page = text(client.get(f"/programmes/applications/{application.pk}/"))
    assert "The selection panel did not select you this time." in page
    assert "Apply next year." in page and "Withdraw" not in page


def test_answering_an_offer(client, world):
    application = offered(world)
    url = f"/programmes/applications/{application.pk}/"
    client.force_login(world.staff)
    page = text(client.get(url))
    assert "Yes, I accept the place" in page and "open until" in page
    response = client.post(f"{url}respond/", {})
    assert "Choose whether you accept the place." in errors(response)
    assert Application.objects.get(pk=application.pk).status == Status.OFFERED
    response = client.post(f"{url}respond/", {"accept": "perhaps"})
    assert "Choose whether you accept the place." in errors(response)
    client.force_login(world.admin)
    assert client.post(f"{url}respond/", {"accept": "yes"}).status_code == 404
    client.force_login(world.staff)
    response = client.post(f"{url}respond/", {"accept": "yes"}, follow=True)
    assert "You have accepted your place" in text(response)
    assert Application.objects.get(pk=application.pk).status == Status.ACCEPTED
    # Sent again (the back button): the page says so and changes nothing.
    response = client.post(f"{url}respond/", {"accept": "no"}, follow=True)
    assert "There is no open offer to answer" in text(response)
    assert Application.objects.get(pk=application.pk).status == Status.ACCEPTED


def test_withdrawing_asks_first(client, world):
    application = submitted(world)
    url = f"/programmes/applications/{application.pk}/withdraw/"
    for stranger in (world.colleague, world.manager, world.panel, world.outsider):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    client.force_login(world.admin)
    assert "Withdraw Sam Applicant's application" in text(client.get(url))
    client.force_login(world.staff)
    page = text(client.get(url))
    assert "You cannot undo this." in page
    response = client.post(url, {"reason": "y" * 5001})
    assert "5,000 characters or fewer" in errors(response)
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    response = client.post(url, {"reason": "Moving job."}, follow=True)
    assert "Your application is withdrawn." in text(response) and "Moving job." in text(response)
    assert Application.objects.get(pk=application.pk).status == Status.WITHDRAWN
    assert "nothing to withdraw" in text(client.get(url))


def test_a_nominee_writes_their_statement_on_the_application_page(client, world):
    nomination = application_nominate(
        cohort=world.cohort, actor=world.admin, person=world.staff.person, reason="A natural leader."
    )
    url = f"/programmes/applications/{nomination.pk}/"
    client.force_login(world.staff)
    page = text(client.get(url))
    assert "A natural leader." in page and 'data-module="govuk-character-count"' in page
    response = client.post(f"{url}statement/", {"statement": "", "attribute-agile": "Kept."})
    assert "Write your statement" in errors(response) and "Kept." in text(response)
    assert Application.objects.get(pk=nomination.pk).status == Status.NOMINATED
    client.force_login(world.manager)
    assert client.post(f"{url}statement/", {"statement": "x", "attributes": ["agile"]}).status_code == 404
    client.force_login(world.staff)
    client.post(f"{url}statement/", {"statement": "Yes please.", "attributes": ["agile"], "attribute-agile": "An ex."})
    assert Application.objects.get(pk=nomination.pk).status == Status.SUBMITTED
    # The apply page now leads to the application rather than a second form.
    assert "You have already applied" in text(client.get(f"/programmes/cohorts/{world.cohort.pk}/apply/"))


# -- endorsing ------------------------------------------------------------------------------------


def test_endorsing_from_the_list(client, world):
    application = submitted(world)
    client.force_login(world.manager)
    page = text(client.get("/programmes/endorsements/"))
    assert "1 application waiting for your endorsement" in page and "Sam Applicant" in page
    url = f"/programmes/applications/{application.pk}/endorse/"
    page = text(client.get(url))
    assert "I brought two teams together" in page and 'name="endorse"' in page
    response = client.post(url, {})
    assert "Choose whether you endorse the application." in errors(response)
    response = client.post(url, {"endorse": "no", "reason": " ", "note": "typed under yes"})
    assert "Give the reason you do not endorse it" in errors(response)
    assert 'href="#id_reason"' in response.content.decode()
    assert "typed under yes" in text(response)
    response = client.post(url, {"endorse": "maybe"})
    assert errors(response)
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    response = client.post(url, {"endorse": "no", "reason": "Not this year: a restructure."})
    assert response["Location"] == "/programmes/endorsements/"
    found = Application.objects.get(pk=application.pk)
    assert (found.status, found.endorsement_note) == (Status.NOT_ENDORSED, "Not this year: a restructure.")
    assert "No applications are waiting for your endorsement." in text(client.get("/programmes/endorsements/"))
    assert "not waiting for endorsement" in text(client.get(url))


def test_only_the_endorser_or_an_administrator_endorses(client, world):
    application = submitted(world)
    url = f"/programmes/applications/{application.pk}/endorse/"
    for stranger in (world.colleague, world.outsider, world.panel):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        assert client.post(url, {"endorse": "yes"}).status_code == 404
    client.force_login(world.staff)
    assert client.get(url).status_code == 403
    assert "waiting for your endorsement" not in text(client.get("/programmes/endorsements/")).replace(
        "No applications are waiting for your endorsement", ""
    )
    client.force_login(world.admin)
    client.post(url, {"endorse": "yes", "note": ""})
    assert Application.objects.get(pk=application.pk).status == Status.ENDORSED


# -- nominating -----------------------------------------------------------------------------------


def test_a_line_manager_nominates_someone_they_line_manage(client, world, org, mailoutbox):
    no_login = world.staff.person.__class__.objects.create(
        organisation=org, first_name="Nola", last_name="Login", line_manager=world.manager.person
    )
    client.force_login(world.manager)
    url = f"/programmes/cohorts/{world.cohort.pk}/nominate/"
    page = text(client.get(url))
    assert "Sam Applicant" in page and "Nola Login" not in page and "Col League" not in page
    response = client.post(url, {"reason": "Ready."})
    assert "Choose the person you are nominating." in errors(response)
    response = client.post(url, {"person": world.staff.person.pk, "reason": " "})
    assert "Say why you are nominating them." in errors(response)
    response = client.post(url, {"person": world.colleague.person.pk, "reason": "Ready."})
    assert "Choose someone from the list." in errors(response)
    response = client.post(url, {"person": no_login.pk, "reason": "Ready."})
    assert "Choose someone from the list." in errors(response)
    assert not Application.objects.exists()
    response = client.post(url, {"person": world.staff.person.pk, "reason": "Ready to lead."})
    assert response["Location"] == "/programmes/applications/"
    nomination = Application.objects.get()
    assert (nomination.kind, nomination.status, nomination.nominated_by) == (
        "nomination",
        Status.NOMINATED,
        world.manager,
    )
    response = client.post(url, {"person": world.staff.person.pk, "reason": "Again."})
    assert "already applied or been nominated" in errors(response)
    assert Application.objects.count() == 1


def test_an_administrator_finds_anyone_in_their_organisation(client, world):
    client.force_login(world.admin)
    url = f"/programmes/cohorts/{world.cohort.pk}/nominate/"
    page = text(client.get(url, {"q": "league"}))
    assert "Col League" in page and "Sam Applicant" not in page and "1 person found." in page
    client.post(f"{url}?q=league", {"person": world.colleague.person.pk, "reason": "Shows promise."})
    assert Application.objects.get().person == world.colleague.person
    assert "Nobody matches" in text(client.get(url, {"q": "zzzz-nobody"}))


def test_someone_who_line_manages_nobody_cannot_nominate(client, world):
    client.force_login(world.colleague)
    url = f"/programmes/cohorts/{world.cohort.pk}/nominate/"
    page = text(client.get(url))
    assert "you do not line-manage anyone with a Cadre login" in page and 'name="person"' not in page
    response = client.post(url, {"person": world.staff.person.pk, "reason": "Sneaky."})
    assert "Choose someone from the list." in errors(response)
    assert not Application.objects.exists()
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


# -- selection ------------------------------------------------------------------------------------


def test_the_selection_page_is_for_the_panel_and_administrators(client, world):
    application = endorsed(world)
    application_score(application=application, actor=world.admin, scores={"collaborative": 3, "agile": 2}, notes={})
    url = f"/programmes/cohorts/{world.cohort.pk}/selection/"
    client.force_login(world.panel)
    page = text(client.get(url))
    assert "Sam Applicant" in page and "2.50" in page and "Not scored yet" in page and "Decide" not in page
    client.force_login(world.admin)
    page = text(client.get(url))
    assert "Scored" in page and "Change scores" in page and f"/programmes/applications/{application.pk}/decide/" in page
    for stranger in (world.staff, world.manager, world.colleague, world.outsider):
        client.force_login(stranger)
        assert client.get(url).status_code == 404


def test_scoring_each_criterion(client, world):
    application = endorsed(world)
    url = f"/programmes/applications/{application.pk}/score/"
    client.force_login(world.panel)
    page = text(client.get(url))
    assert "0: no evidence" in page and "4: strong evidence" in page and "I brought two teams together" in page
    response = client.post(url, {"score-collaborative": "3"})
    assert "Score agile: choose 0 to 4." in errors(response)
    response = client.post(url, {"score-collaborative": "3", "score-agile": "7"})
    assert "Score Agile from 0 to 4." in errors(response)
    response = client.post(url, {"score-collaborative": "3", "score-agile": "2", "note-agile": "n" * 5001})
    assert "5,000 characters or fewer" in errors(response)
    assert not PanelScore.objects.exists()
    response = client.post(url, {"score-collaborative": "3", "score-agile": "2", "note-agile": "Thin on agility."})
    assert response["Location"] == f"/programmes/cohorts/{world.cohort.pk}/selection/"
    assert dict(PanelScore.objects.values_list("key", "score")) == {"collaborative": 3, "agile": 2}
    page = text(client.get(url))
    assert "saving replaces your scores" in page and "Thin on agility." in page
    for stranger in (world.colleague, world.manager, world.outsider):
        client.force_login(stranger)
        assert client.post(url, {"score-collaborative": "1", "score-agile": "1"}).status_code == 404
    client.force_login(world.staff)
    assert client.get(url).status_code == 404
    assert PanelScore.objects.count() == 2


def test_an_administrator_decides_with_reasons(client, world):
    application = endorsed(world)
    url = f"/programmes/applications/{application.pk}/decide/"
    for refused in (world.panel, world.manager, world.colleague, world.outsider, world.staff):
        client.force_login(refused)
        assert client.get(url).status_code == 404
        assert client.post(url, {"selected": "yes", "reason": "Me"}).status_code == 404
    client.force_login(world.admin)
    response = client.post(url, {"reason": " "})
    summary = errors(response)
    assert "Choose whether the applicant is selected." in summary and "Give the reasons" in summary
    assert Application.objects.get(pk=application.pk).status == Status.ENDORSED
    response = client.post(url, {"selected": "yes", "reason": "Clear examples of both."})
    assert response["Location"] == f"/programmes/cohorts/{world.cohort.pk}/selection/"
    found = Application.objects.get(pk=application.pk)
    assert (found.status, found.decision_reason) == (Status.WAITING, "Clear examples of both.")


def test_an_administrator_who_applied_cannot_score_or_decide_their_own(client, world, org):
    world.admin.person.tier = world.staff.person.tier
    world.admin.person.save()
    application = submitted(world, user=applicant(org, None))
    mine = application_submit(cohort=world.cohort, actor=world.admin, statement=statement())
    assert mine.status == Status.ENDORSED  # no line manager: straight to selection
    client.force_login(world.admin)
    assert client.get(f"/programmes/applications/{mine.pk}/score/").status_code == 403
    assert (
        client.post(f"/programmes/applications/{mine.pk}/decide/", {"selected": "yes", "reason": "Me!"}).status_code
        == 403
    )
    assert Application.objects.get(pk=mine.pk).status == Status.ENDORSED
    page = text(client.get(f"/programmes/applications/{mine.pk}/"))
    assert "Your application" in page and "Panel scores" not in page
    assert application.status == Status.ENDORSED  # no endorser with a login: straight to selection


# -- queries --------------------------------------------------------------------------------------

QUERIES = {"mine": 7, "endorsements": 5, "selection, administrator": 8, "selection, panel": 9}


@pytest.mark.parametrize("size", [2, 6])
def test_list_pages_take_a_fixed_number_of_queries(client, world, org, size, django_assert_num_queries):
    cohort = world.cohort
    cohort.capacity = 50
    cohort.save()
    for n in range(size):
        person = applicant(org, world.manager, first_name=f"Applicant{n}")
        application = application_submit(cohort=cohort, actor=person, statement=statement())
        if n % 2:
            application_endorse(application=application, actor=world.manager, endorse=True, note="")
            application_score(
                application=application, actor=world.panel, scores={"collaborative": 2, "agile": n % 5}, notes={}
            )
        application_nominate(
            cohort=Cohort.objects.create(
                programme=cohort.programme,
                organisation=cohort.organisation,
                name=f"Cohort {n}",
                starts_on=cohort.starts_on,
                ends_on=cohort.ends_on,
                capacity=2,
                status=Cohort.Status.OPEN,
            ),
            actor=world.manager,
            person=world.staff.person,
            reason="Go.",
        )
    submitted(world)
    pages = {
        "mine": (world.staff, "/programmes/applications/"),
        "endorsements": (world.manager, "/programmes/endorsements/"),
        "selection, administrator": (world.admin, f"/programmes/cohorts/{cohort.pk}/selection/"),
        "selection, panel": (world.panel, f"/programmes/cohorts/{cohort.pk}/selection/"),
    }
    for name, (user, url) in pages.items():
        client.force_login(user)
        with django_assert_num_queries(QUERIES[name]):
            response = client.get(url)
        assert response.status_code == 200, name
    client.force_login(world.staff)
    assert text(client.get("/programmes/applications/")).count("Write your statement for") == size
    client.force_login(world.manager)
    assert f"{size // 2 + 1} applications waiting" in text(client.get("/programmes/endorsements/"))
