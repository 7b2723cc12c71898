"""The pages that design programmes and cohorts, and read them: the list, a programme, its design
form with repeated rows, a cohort for administrators, steering members and everyone else, a
cohort's form and people, making offers, and inviting an external participant.

`programme` (a published network programme of `org`) and `cohort` (open, 3 places, 1 for
partners) come from tests/programmes/fixtures.py."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cadre.core.models import AuditEntry, Role
from cadre.frameworks.models import Framework
from cadre.programmes.models import Application, Cohort, Outcome, Programme, Session, Stage
from cadre.programmes.services.applications import application_endorse, application_submit
from cadre.programmes.services.design import (
    CohortDetails,
    ProgrammeDetails,
    StageDetails,
    cohort_save,
    cohort_set_people,
    programme_save,
)
from tests.factories import OrganisationFactory, user_with_role
from tests.programmes.fixtures import applicant, statement

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def reversible(name: str, *args) -> bool:
    """Whether another helper's page exists yet: links to it are shown only once it does."""
    try:
        reverse(name, args=args)
    except NoReverseMatch:
        return False
    return True


@pytest.fixture
def member(org):
    return user_with_role(org, Role.MEMBER, first_name="Mo", last_name="Member")


@pytest.fixture
def steering(org, cohort, admin):
    """A member of staff on the cohort's steering group, with no administrator's role."""
    user = user_with_role(org, Role.MEMBER, first_name="Stella", last_name="Steer")
    cohort_set_people(cohort=cohort, actor=admin, panel=[], assessors=[], steering=[(user, "chair")])
    return user


@pytest.fixture
def outsider():
    """An administrator of an organisation that has nothing to do with the programme."""
    return user_with_role(OrganisationFactory(), Role.LD_ADMIN)


def draft(org, admin, title="Draft programme"):
    return programme_save(
        organisation=org, actor=admin, details=ProgrammeDetails(title=title, summary="Not ready yet.")
    )


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_what_each_user_may_see(client, admin, member, outsider, org, programme, cohort):
    draft(org, admin)
    client.force_login(admin)
    page = text(client.get("/programmes/"))
    assert "Aspiring managers programme" in page and "Draft programme" in page
    assert "Add a programme" in page and "Spring cohort" in page
    assert cohort.applications_close_on.strftime("%-d %b %Y") in page
    if reversible("programmes:apply", cohort.pk):
        assert reverse("programmes:apply", args=[cohort.pk]) in page

    client.force_login(member)
    page = text(client.get("/programmes/"))
    assert "Aspiring managers programme" in page and "Spring cohort" in page
    assert "Draft programme" not in page and "Add a programme" not in page

    client.force_login(outsider)
    page = text(client.get("/programmes/"))
    assert "Aspiring managers programme" not in page and "There are no programmes for you yet." in page


def test_the_list_shows_only_cohorts_open_for_applications(client, member, programme, cohort, admin):
    today = timezone.localdate()
    for name, status, closes in (
        ("Planned cohort", Cohort.Status.PLANNED, None),
        ("Closed cohort", Cohort.Status.OPEN, today - timedelta(days=1)),
    ):
        cohort_save(
            programme=programme,
            actor=admin,
            details=CohortDetails(
                name=name,
                starts_on=today + timedelta(days=40),
                ends_on=today + timedelta(days=90),
                capacity=5,
                applications_open_on=today - timedelta(days=10) if closes else None,
                applications_close_on=closes,
                status=status,
            ),
        )
    client.force_login(member)
    page = text(client.get("/programmes/"))
    assert "Spring cohort" in page
    assert "Planned cohort" not in page and "Closed cohort" not in page


def _many_programmes(org, admin, network, framework, size):
    today = timezone.localdate()
    for n in range(size):
        made = programme_save(
            organisation=org,
            actor=admin,
            details=ProgrammeDetails(
                title=f"Programme {n}",
                summary="Summary",
                framework=framework,
                selection_attributes=["collaborative"],
                audience=Programme.Audience.NETWORK,
                network=network,
                status=Programme.Status.PUBLISHED,
                stages=[StageDetails(kind="forum", title="Forum")],
            ),
        )
        for c in range(2):
            cohort_save(
                programme=made,
                actor=admin,
                details=CohortDetails(
                    name=f"Cohort {c}",
                    starts_on=today + timedelta(days=30),
                    ends_on=today + timedelta(days=60),
                    capacity=4,
                    partner_places=1,
                    applications_close_on=today + timedelta(days=10),
                    status=Cohort.Status.OPEN,
                ),
            )


# The session and the user; then my roles; my staff record; the programmes; their open cohorts.
LIST_QUERIES = 6


@pytest.mark.parametrize("size", [1, 6])
def test_the_list_takes_a_fixed_number_of_queries(
    client, admin, member, org, network, programme_framework, size, django_assert_num_queries
):
    _many_programmes(org, admin, network, programme_framework, size)
    for user in (admin, member):
        client.force_login(user)
        with django_assert_num_queries(LIST_QUERIES):
            response = client.get("/programmes/")
        assert text(response).count(">Cohort 1</a>") == size


# --- one programme -------------------------------------------------------------------------------


def test_the_programme_page_names_the_framework_s_attributes_and_tiers(client, admin, member, programme, cohort):
    Outcome.objects.create(
        programme=programme,
        position=1,
        title="More internal promotions",
        measure=Outcome.Measure.PROMOTION,
        how_measured="Tier a year on",
        target="A third promoted",
    )
    client.force_login(member)
    page = text(client.get(f"/programmes/{programme.pk}/"))
    assert "Collaborative" in page and "Agile" in page
    assert "Aspiring manager, Core manager" in page
    assert "tier-1" not in page and ">collaborative<" not in page
    assert re.search(r"Reading before you start</strong> <span[^>]*>\(Pre-reading\)", page)
    assert page.index("Reading before you start") < page.index("Development day one") < page.index("Closing forum")
    assert "More internal promotions" in page and "Internal promotion: participants now in a higher tier" in page
    assert "A third promoted" in page
    assert "attends at least 50% of their cohort's sessions" in page
    assert "has portfolio evidence signed off for Collaborative, Agile" in page
    assert "of the organisations in" in page and "Spring cohort" in page
    assert "Change the programme's design" not in page and "Add a cohort" not in page

    client.force_login(admin)
    page = text(client.get(f"/programmes/{programme.pk}/"))
    assert "Change the programme's design" in page and "Add a cohort" in page
    assert reverse("programmes:cohort_edit", args=[cohort.pk]) in page
    # Only an open programme takes people from outside the public sector.
    assert "Invite someone from outside the public sector" not in page


def test_programmes_out_of_reach_are_not_found(client, admin, member, outsider, steering, org, programme):
    hidden = draft(org, admin)
    for user, path in (
        (outsider, f"/programmes/{programme.pk}/"),
        (member, f"/programmes/{hidden.pk}/"),
        (steering, f"/programmes/{hidden.pk}/"),
        (member, "/programmes/999999999/"),
    ):
        client.force_login(user)
        assert client.get(path).status_code == 404, (user, path)


# --- the design form -----------------------------------------------------------------------------


def design(fw, **changes) -> dict:
    """A whole design as the form posts it: two stages and an outcome in rows 1 to 3 of 3."""
    data = {
        "stage_rows": "3",
        "outcome_rows": "3",
        "title": "Leading teams",
        "summary": "Six months for new team leaders.",
        "description": "",
        "framework": str(fw.pk),
        f"selection-{fw.pk}": ["collaborative"],
        f"evidence-{fw.pk}": ["agile"],
        f"tiers-{fw.pk}": ["tier-2"],
        "audience": "own",
        "needs_endorsement": "on",
        "attendance": "75",
        "status": "published",
        "stage-1-kind": "pre_reading",
        "stage-1-title": "Before you start",
        "stage-1-description": "A short reading list.",
        "stage-2-kind": "",
        "stage-2-title": "",
        "stage-3-kind": "development_day",
        "stage-3-title": "A day together",
        "outcome-1-title": "",
        "outcome-1-measure": "recorded",
        "outcome-2-title": "People stay",
        "outcome-2-measure": "retention",
        "outcome-2-how_measured": "Still here after a year",
        "outcome-2-target": "Nine in ten",
        "outcome-3-measure": "recorded",
        "action": "save",
    }
    data.update(changes)
    return data


def test_a_programme_is_designed_on_one_page(client, admin, org, programme_framework):
    client.force_login(admin)
    page = text(client.get("/programmes/new/"))
    assert "Add a programme" in page and "Stage 3" in page and "Stage 4" not in page
    assert f'name="selection-{programme_framework.pk}"' in page
    response = client.post("/programmes/new/", design(programme_framework))
    made = Programme.objects.get(title="Leading teams")
    assert response.status_code == 302 and response["Location"] == f"/programmes/{made.pk}/"
    assert made.organisation == org and made.framework == programme_framework
    assert (made.selection_attributes, made.evidence_attributes, made.eligible_tiers) == (
        ["collaborative"],
        ["agile"],
        ["tier-2"],
    )
    assert made.needs_endorsement and made.min_attendance_percent == 75 and made.status == "published"
    # The empty row between the two stages is left out; the order is kept.
    assert [(s.position, s.kind, s.title) for s in made.stages.all()] == [
        (1, "pre_reading", "Before you start"),
        (2, "development_day", "A day together"),
    ]
    assert [(o.position, o.title, o.measure, o.target) for o in made.outcomes.all()] == [
        (1, "People stay", "retention", "Nine in ten")
    ]
    assert AuditEntry.objects.filter(event="programme.created").count() == 1


def test_adding_rows_keeps_everything_typed_and_saves_nothing(client, admin, programme_framework):
    client.force_login(admin)
    response = client.post(
        "/programmes/new/", design(programme_framework, title="", action="more-stages", **{"stage-2-title": "Half"})
    )
    page = text(response)
    assert response.status_code == 200 and not Programme.objects.filter(summary__startswith="Six months").exists()
    assert "There is a problem" not in page
    assert "Stage 6" in page and "Stage 7" not in page and 'name="stage_rows" value="6"' in page
    for typed in ("Six months for new team leaders.", "Before you start", "A short reading list.", "Half"):
        assert typed in page
    assert re.search(r'value="collaborative" checked', page)
    assert re.search(r'value="development_day" selected', page)
    response = client.post("/programmes/new/", design(programme_framework, action="more-outcomes", outcome_rows="3"))
    page = text(response)
    assert "Outcome 6" in page and "People stay" in page and "Nine in ten" in page


def test_the_edit_form_shows_the_design_and_replaces_it(client, admin, programme, programme_framework):
    client.force_login(admin)
    page = text(client.get(f"/programmes/{programme.pk}/edit/"))
    assert "Change Aspiring managers programme" in page
    assert "Reading before you start" in page and "Stage 6" in page and "Stage 7" not in page
    assert re.search(r'id="id_network_network"[^>]*>\s*<option value="">Choose a network</option>', page)
    data = design(
        programme_framework,
        title="Aspiring managers programme",
        audience="network",
        network_network=str(programme.network_id),
        stage_rows="6",
        **{"stage-1-title": "Read first", "stage-3-kind": "", "stage-3-title": ""},
    )
    response = client.post(f"/programmes/{programme.pk}/edit/", data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.audience == "network" and programme.network_id is not None
    assert [s.title for s in programme.stages.all()] == ["Read first"]


@pytest.mark.parametrize(
    ("changes", "messages", "field"),
    [
        ({"title": "", "summary": " "}, ["Enter the programme's title.", "Enter a one-line summary."], "id_title"),
        ({"title": "aspiring managers programme"}, ["There is already a programme with this title."], "id_title"),
        ({"attendance": "150"}, ["must be 100 or fewer"], "id_attendance"),
        ({"attendance": "most"}, ["as a whole number"], "id_attendance"),
        ({"audience": "network", "network_network": ""}, ["Choose the network"], "id_network_network"),
        ({"audience": "everyone"}, ["Choose who may take places."], "id_audience"),
        ({"framework": "123456"}, ["Choose one of the frameworks listed."], "id_framework"),
        ({"selection-{pk}": ["made-up"]}, ["Choose selection criteria from the framework's attributes."], None),
        (
            {"stage-2-description": "Orphan words"},
            ["Choose the kind of stage 2.", "Enter a title for stage 2."],
            "id_stage-2-kind",
        ),
        ({"outcome-3-target": "Lots"}, ["Enter outcome 3"], "id_outcome-3-title"),
        (
            {
                "stage-1-kind": "",
                "stage-1-title": "",
                "stage-1-description": "",
                "stage-3-kind": "",
                "stage-3-title": "",
            },
            ["Add at least one stage before publishing."],
            "id_stage-1-kind",
        ),
        ({"stage-1-title": "x" * 201}, ["The title of stage 1 must be 200 characters or fewer."], "id_stage-1-title"),
        ({"status": "secret"}, ["Choose whether the programme is published."], "id_status"),
    ],
)
def test_bad_designs_are_refused_field_by_field_and_write_nothing(
    client, admin, programme, programme_framework, changes, messages, field
):
    changes = {key.format(pk=programme_framework.pk): value for key, value in changes.items()}
    client.force_login(admin)
    before = (Programme.objects.count(), Stage.objects.count(), Outcome.objects.count(), AuditEntry.objects.count())
    response = client.post("/programmes/new/", design(programme_framework, **changes))
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    for message in messages:
        assert message in page
    if field:
        assert f'href="#{field}"' in page
    after = (Programme.objects.count(), Stage.objects.count(), Outcome.objects.count(), AuditEntry.objects.count())
    assert after == before
    # What was typed is still there.
    assert "Six months for new team leaders." in page or changes.get("summary") == " "
    assert "People stay" in page


def test_a_framework_of_another_organisation_cannot_be_chosen(client, admin, programme_framework):
    elsewhere = Framework.objects.exclude(pk=programme_framework.pk).first()
    if elsewhere is None:
        from tests.frameworks import builders

        elsewhere = builders.framework(organisation=OrganisationFactory(), name="Their framework")
        builders.version(elsewhere)
    client.force_login(admin)
    page = text(client.get("/programmes/new/"))
    assert "Their framework" not in page
    response = client.post("/programmes/new/", design(programme_framework, framework=str(elsewhere.pk)))
    assert "Choose one of the frameworks listed." in text(response)
    assert not Programme.objects.filter(title="Leading teams").exists()


def test_only_administrators_open_the_design_pages(client, member, steering, outsider, programme, cohort):
    paths = [
        f"/programmes/{programme.pk}/edit/",
        f"/programmes/{programme.pk}/cohorts/new/",
        f"/programmes/{programme.pk}/external/new/",
        f"/programmes/cohorts/{cohort.pk}/edit/",
        f"/programmes/cohorts/{cohort.pk}/people/",
    ]
    for user in (member, steering, outsider):
        client.force_login(user)
        assert client.get("/programmes/new/").status_code == (404 if user is not outsider else 200)
        for path in paths:
            assert client.get(path).status_code == 404, (user, path)
            assert client.post(path, {"title": "x", "name": "x"}).status_code == 404, (user, path)
        assert client.post(f"/programmes/cohorts/{cohort.pk}/", {"action": "offers"}).status_code == 404
    assert Cohort.objects.get(pk=cohort.pk).status == Cohort.Status.OPEN


# --- a cohort's form --------------------------------------------------------------------------------


def cohort_data(**changes) -> dict:
    data = {
        "name": "Autumn cohort",
        "starts_on-day": "1",
        "starts_on-month": "10",
        "starts_on-year": str(timezone.localdate().year + 1),
        "ends_on-day": "31",
        "ends_on-month": "3",
        "ends_on-year": str(timezone.localdate().year + 2),
        "applications_open_on-day": "",
        "applications_open_on-month": "",
        "applications_open_on-year": "",
        "applications_close_on-day": "1",
        "applications_close_on-month": "9",
        "applications_close_on-year": str(timezone.localdate().year + 1),
        "capacity": "12",
        "partner_places": "2",
        "offer_days": "7",
        "status": "open",
    }
    data.update(changes)
    return data


def test_a_cohort_is_added_with_date_inputs(client, admin, programme):
    client.force_login(admin)
    page = text(client.get(f"/programmes/{programme.pk}/cohorts/new/"))
    assert 'name="starts_on-day"' in page and 'id="id_starts_on"' in page
    response = client.post(f"/programmes/{programme.pk}/cohorts/new/", cohort_data())
    made = Cohort.objects.get(name="Autumn cohort")
    assert response.status_code == 302 and response["Location"] == f"/programmes/cohorts/{made.pk}/"
    year = timezone.localdate().year
    assert (made.starts_on.isoformat(), made.ends_on.isoformat()) == (f"{year + 1}-10-01", f"{year + 2}-03-31")
    assert made.applications_open_on is None and made.capacity == 12 and made.partner_places == 2


def test_a_programme_for_its_own_people_asks_for_no_partner_places(client, admin, org):
    own = programme_save(
        organisation=org,
        actor=admin,
        details=ProgrammeDetails(title="Ours", summary="Ours only", stages=[StageDetails("forum", "Forum")]),
    )
    client.force_login(admin)
    assert "Places kept for partners" not in text(client.get(f"/programmes/{own.pk}/cohorts/new/"))
    response = client.post(f"/programmes/{own.pk}/cohorts/new/", cohort_data(partner_places="5"))
    assert response.status_code == 302 and Cohort.objects.get(programme=own).partner_places == 0


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"starts_on-day": "31", "starts_on-month": "2"}, "The start date must be a real date.", "id_starts_on"),
        ({"ends_on-month": ""}, "The end date must include a month.", "id_ends_on"),
        (
            {"starts_on-day": "", "starts_on-month": "", "starts_on-year": ""},
            "Enter the date the cohort starts.",
            "id_starts_on",
        ),
        ({"starts_on-year": "27"}, "must include 4 numbers", "id_starts_on"),
        ({"starts_on-day": "first"}, "must be a real date, in numbers", "id_starts_on"),
        ({"capacity": "lots"}, "Enter the number of places as a whole number", "id_capacity"),
        ({"capacity": "0"}, "The number of places must be 1 or more.", "id_capacity"),
        ({"partner_places": "13"}, "Places kept for partners cannot be more than the places.", "id_partner_places"),
        ({"ends_on-year": "2000"}, "The cohort must end on or after the day it starts.", "id_ends_on"),
        ({"applications_close_on-month": "11"}, "on or before the day the cohort starts", "id_applications_close_on"),
        ({"offer_days": "90"}, "must be 60 or fewer", "id_offer_days"),
        ({"name": "Spring cohort"}, "This programme already has a cohort with this name.", "id_name"),
        ({"status": ""}, "Choose the cohort's status.", "id_status"),
    ],
)
def test_bad_cohorts_are_refused_and_write_nothing(client, admin, programme, cohort, changes, message, field):
    client.force_login(admin)
    before = (Cohort.objects.count(), AuditEntry.objects.count())
    response = client.post(f"/programmes/{programme.pk}/cohorts/new/", cohort_data(**changes))
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert message in page and f'href="#{field}"' in page
    assert (Cohort.objects.count(), AuditEntry.objects.count()) == before
    assert f'value="{cohort_data(**changes)["name"]}"' in page  # what was typed is kept


def test_a_cohort_keeps_places_already_held_and_its_sessions(client, admin, cohort, participants):
    client.force_login(admin)
    page = text(client.get(f"/programmes/cohorts/{cohort.pk}/edit/"))
    assert f'name="starts_on-day" type="text" value="{cohort.starts_on.day}"' in page
    starts, ends = cohort.starts_on, cohort.ends_on
    keep = {
        "name": cohort.name,
        "starts_on-day": str(starts.day),
        "starts_on-month": str(starts.month),
        "starts_on-year": str(starts.year),
        "ends_on-day": str(ends.day),
        "ends_on-month": str(ends.month),
        "ends_on-year": str(ends.year),
        "applications_close_on-day": "",
        "applications_close_on-month": "",
        "applications_close_on-year": "",
        "partner_places": "1",
        "status": "running",
    }
    # Ada and Ben hold the two home places.
    response = client.post(f"/programmes/cohorts/{cohort.pk}/edit/", cohort_data(**keep, capacity="2"))
    assert "2 of the organisation's own people already hold places" in text(response)
    moment = timezone.make_aware(timezone.datetime.combine(ends, timezone.datetime.min.time())) + timedelta(hours=10)
    Session.objects.create(cohort=cohort, title="Last day", starts_at=moment, ends_at=moment + timedelta(hours=6))
    response = client.post(
        f"/programmes/cohorts/{cohort.pk}/edit/",
        cohort_data(
            **{
                **keep,
                "ends_on-day": str((ends - timedelta(days=1)).day),
                "ends_on-month": str((ends - timedelta(days=1)).month),
                "ends_on-year": str((ends - timedelta(days=1)).year),
            },
            capacity="3",
        ),
    )
    assert "1 of the cohort's sessions would fall outside these dates" in text(response)
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.ends_on, cohort.status) == (3, ends, Cohort.Status.SELECTING)
    response = client.post(f"/programmes/cohorts/{cohort.pk}/edit/", cohort_data(**keep, capacity="4"))
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.status) == (4, Cohort.Status.RUNNING)


# --- a cohort's page ----------------------------------------------------------------------------------


def test_administrators_see_applications_and_the_waiting_list(client, admin, cohort, participants):
    ada = participants[0]
    client.force_login(admin)
    page = text(client.get(f"/programmes/cohorts/{cohort.pk}/"))
    assert "Ada Participant" in page and "Ben Participant" in page
    assert "Held by" in page and "2 of 2" in page and "0 of 1" in page
    waiting = page[page.index("Waiting lists") :]
    assert re.search(r"<ol[^>]*>\s*<li>Cal Participant", waiting)
    assert "Ada Participant" not in waiting
    assert reverse("programmes:cohort_people", args=[cohort.pk]) in page
    if reversible("programmes:application", ada.pk):
        assert reverse("programmes:application", args=[ada.pk]) in page
    if reversible("programmes:selection", cohort.pk):
        assert reverse("programmes:selection", args=[cohort.pk]) in page


def test_steering_members_see_totals_and_no_names(client, steering, cohort, participants):
    client.force_login(steering)
    page = text(client.get(f"/programmes/cohorts/{cohort.pk}/"))
    assert "Participant" not in page
    assert "you see totals only" in page
    assert re.search(r"Taking part</th><td[^>]*>2</td>", page)
    assert re.search(r"On the waiting list</th><td[^>]*>1</td>", page)
    assert "Make offers" not in page


def test_everyone_else_sees_dates_places_left_and_how_to_apply(client, member, cohort, participants, org, manager):
    client.force_login(member)
    page = text(client.get(f"/programmes/cohorts/{cohort.pk}/"))
    assert "Participant" not in page and "Make offers" not in page
    assert "Places left" in page and "1 of 3" in page
    assert "This cohort is not open for applications." in page  # offers have been made
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.OPEN)
    assert "development tier is not set" in text(client.get(f"/programmes/cohorts/{cohort.pk}/"))
    hopeful = applicant(org, manager)
    client.force_login(hopeful)
    page = text(client.get(f"/programmes/cohorts/{cohort.pk}/"))
    assert "Write a statement on why you want a place" in page
    if reversible("programmes:apply", cohort.pk):
        assert reverse("programmes:apply", args=[cohort.pk]) in page
    client.force_login(participants[0].person.user)
    assert "You have applied: taking part." in text(client.get(f"/programmes/cohorts/{cohort.pk}/"))


def test_a_partner_sees_a_shared_cohort_and_an_outsider_does_not(client, partner_org, outsider, cohort):
    client.force_login(user_with_role(partner_org, Role.MEMBER))
    assert client.get(f"/programmes/cohorts/{cohort.pk}/").status_code == 200
    client.force_login(outsider)
    assert client.get(f"/programmes/cohorts/{cohort.pk}/").status_code == 404


def test_making_offers_shows_the_service_s_problems(client, admin, cohort, org, manager):
    client.force_login(admin)
    waiting = applicant(org, manager)
    application_submit(cohort=cohort, actor=waiting, statement=statement())
    response = client.post(f"/programmes/cohorts/{cohort.pk}/", {"action": "offers"})
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert "1 applications are still waiting for endorsement or a decision" in page
    assert Cohort.objects.get(pk=cohort.pk).status == Cohort.Status.OPEN
    application = Application.objects.get(person=waiting.person)
    application_endorse(application=application, actor=manager, endorse=False, note="Not this year.")
    assert "Nobody has been selected yet." in text(client.post(f"/programmes/cohorts/{cohort.pk}/"))


def test_making_offers_offers_the_places(client, admin, cohort, participants):
    Application.objects.filter(cohort=cohort).update(status=Application.Status.WAITING)
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.OPEN)
    client.force_login(admin)
    response = client.post(f"/programmes/cohorts/{cohort.pk}/", {"action": "offers"}, follow=True)
    assert "2 offers made." in text(response)
    assert Application.objects.filter(cohort=cohort, status=Application.Status.OFFERED).count() == 2


# The session and the user; my roles; my staff record; the cohort with its counts; its applications;
# the two waiting lists.
COHORT_QUERIES = 8


@pytest.mark.parametrize("size", [1, 8])
def test_the_cohort_page_takes_a_fixed_number_of_queries(
    client, admin, cohort, org, manager, size, django_assert_num_queries
):
    for n in range(size):
        user = applicant(org, manager, first_name=f"Person{n}", last_name="Applicant")
        application_submit(cohort=cohort, actor=user, statement=statement())
    Application.objects.filter(cohort=cohort).update(status=Application.Status.WAITING)
    client.force_login(admin)
    with django_assert_num_queries(COHORT_QUERIES):
        response = client.get(f"/programmes/cohorts/{cohort.pk}/")
    assert text(response).count("Applicant</") >= size * 2


# --- a cohort's people -------------------------------------------------------------------------------


def test_the_panel_and_steering_group_are_named_by_email(client, admin, cohort, org, partner_org):
    panellist = user_with_role(org, Role.MEMBER, first_name="Pat", last_name="Panel")
    partner_admin = user_with_role(partner_org, Role.LD_ADMIN, first_name="Pia", last_name="Partner")
    client.force_login(admin)
    response = client.post(
        f"/programmes/cohorts/{cohort.pk}/people/",
        {
            "panel": f"{panellist.email.upper()}\n\n{partner_admin.email}\n{panellist.email}",
            "assessors": panellist.email,
            "steering": f"{partner_admin.email}, partner representative",
        },
    )
    assert response.status_code == 302
    assert set(cohort.panel.all()) == {panellist, partner_admin}
    assert list(cohort.assessors.all()) == [panellist]
    assert [(m.user, m.role) for m in cohort.steering_members.all()] == [(partner_admin, "partner representative")]
    page = text(client.get(f"/programmes/cohorts/{cohort.pk}/people/"))
    assert "Pat Panel" in page and "Pia Partner (partner representative)" in page
    assert "(partner representative)" in page and f"{partner_admin.email}, partner representative" in page


def test_unknown_people_are_named_one_by_one_and_nothing_changes(client, admin, cohort, org, partner_org):
    panellist = user_with_role(org, Role.MEMBER)
    partner_member = user_with_role(partner_org, Role.MEMBER)
    stranger = user_with_role(OrganisationFactory(), Role.LD_ADMIN)
    client.force_login(admin)
    response = client.post(
        f"/programmes/cohorts/{cohort.pk}/people/",
        {
            "panel": f"{panellist.email}\nnobody@example.org\nnot an address",
            "assessors": partner_member.email,
            "steering": f"{stranger.email}, chair\n{panellist.email}, " + "r" * 130,
        },
    )
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert "nobody@example.org is not someone with a login at" in page
    assert "‘not an address’ is not an email address." in page
    assert f"{partner_member.email} is not someone with a login" in page
    assert f"{stranger.email} is not someone with a login" in page
    assert 'href="#id_panel"' in page and 'href="#id_steering"' in page
    assert not cohort.panel.exists() and not cohort.assessors.exists() and not cohort.steering_members.exists()
    assert "nobody@example.org" in page  # kept in the box
    response = client.post(f"/programmes/cohorts/{cohort.pk}/people/", {"steering": f"{panellist.email}, " + "r" * 130})
    assert "role must be 120 characters or fewer" in text(response)
    assert not cohort.steering_members.exists()
