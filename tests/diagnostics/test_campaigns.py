"""A 360 campaign from set-up to release, through the pages, and every bad input the issue lists."""

import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cadre.core.errors import ValidationError
from cadre.core.models import AuditEntry, Role
from cadre.diagnostics import services
from cadre.diagnostics.models import Campaign, Rating, Response, Subject
from tests.factories import OrganisationFactory, PersonFactory, user_with_role
from tests.frameworks import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(org):
    return builders.version(builders.framework(organisation=org), attributes=2, tiers=2)


@pytest.fixture
def manager(org):
    return user_with_role(org, Role.MEMBER, first_name="Morgan")


@pytest.fixture
def subject_user(org, version, manager):
    user = user_with_role(org, Role.MEMBER, first_name="Sam", last_name="Smith")
    user.person.tier = version.tiers.get(rank=1)
    user.person.line_manager = manager.person
    user.person.save()
    return user


def make_campaign(admin, org, version, people, **settings):
    plan = services.CampaignPlan(
        name="Spring 360", version=version, people=people, closes_on=timezone.localdate() + timedelta(days=14)
    )
    for key, value in settings.items():
        setattr(plan, key, value)
    return services.campaign_create(organisation=org, actor=admin, plan=plan)


def links_in_outbox() -> dict[str, str]:
    """Each recipient's personal link."""
    links = {}
    for message in mail.outbox:
        found = re.search(r"http://[^\s]+/feedback/\d+/\w+/", message.body)
        if found:
            links[message.to[0]] = found.group(0).split("testserver", 1)[-1].split("localhost:8000", 1)[-1]
    return links


def path_of(link: str) -> str:
    return "/feedback/" + link.split("/feedback/", 1)[1]


def answer_all(client, link: str, value: int = 4, *, send=True, comment=None):
    page = client.get(path_of(link))
    assert page.status_code == 200
    items = sorted(set(re.findall(r'name="item-(\d+)"', page.content.decode())))
    data = {f"item-{i}": str(value) for i in items}
    if comment:
        attribute = re.search(r'name="comment-(\d+)-strengths"', page.content.decode()).group(1)
        data[f"comment-{attribute}-strengths"] = comment
    data["action"] = "send" if send else "save"
    return client.post(path_of(link), data)


def test_a_whole_360_through_the_pages(
    client, org, version, admin, manager, subject_user, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    response = client.post(
        "/diagnostics/campaigns/new/",
        {
            "name": "Spring 360",
            "version": str(version.pk),
            "people": subject_user.email,
            "closes_on": (timezone.localdate() + timedelta(days=10)).strftime("%d %m %Y"),
            "threshold": "3",
            "line_manager_threshold": "1",
            "needs_approval": "on",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/diagnostics/campaigns/{campaign.pk}/"
    subject = campaign.subjects.get()
    assert campaign.items.count() == version.indicators.filter(tier__rank=1).count()

    # The subject nominates: a line manager and three peers; themselves as a peer is refused.
    client.force_login(subject_user)
    nominate = f"/diagnostics/360/{subject.pk}/raters/"
    for group, name, email in [
        ("line_manager", "Morgan", manager.email),
        ("peer", "Pat", "pat@example.org"),
        ("peer", "Chris", "chris@example.org"),
        ("peer", "Jo", "jo@partner.example.org"),
    ]:
        assert client.post(nominate, {"group": group, "name": name, "email": email}).status_code == 302
    refused = client.post(nominate, {"group": "peer", "name": "Me", "email": subject_user.email.upper()})
    assert "That is the email address of the person being asked about" in refused.content.decode()
    twice = client.post(nominate, {"group": "direct_report", "name": "Pat again", "email": "PAT@example.org"})
    assert "pat@example.org is already asked, in the group peers. Each rater answers once." in twice.content.decode()
    assert subject.responses.count() == 5  # self and four raters
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/diagnostics/360/{subject.pk}/raters/send/")
    subject.refresh_from_db()
    assert subject.nominations == Subject.Nominations.AWAITING_APPROVAL
    assert mail.outbox[-1].to == [manager.email] and "Approve the raters" in mail.outbox[-1].subject

    # The line manager approves; launching warns about nothing (peers 3, manager 1), then invites.
    client.force_login(manager)
    assert client.post(f"/diagnostics/360/{subject.pk}/approve/", {"action": "approve"}).status_code == 302
    client.force_login(admin)
    launch = client.get(f"/diagnostics/campaigns/{campaign.pk}/launch/")
    assert "will be withheld" not in launch.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/diagnostics/campaigns/{campaign.pk}/launch/").status_code == 302
    links = links_in_outbox()
    assert set(links) == {
        subject_user.email,
        manager.email,
        "pat@example.org",
        "chris@example.org",
        "jo@partner.example.org",
    }
    manager_mail = next(m for m in mail.outbox if m.to == [manager.email])
    assert "labelled as one person's view" in manager_mail.body

    # Raters answer without an account; the manager is told first their view stands alone.
    client.logout()
    manager_page = client.get(path_of(links[manager.email])).content.decode()
    assert "As their line manager, your ratings are shown to Sam on their own" in manager_page
    for email in ["pat@example.org", "chris@example.org", "jo@partner.example.org", manager.email]:
        sent = answer_all(client, links[email], 4, comment="Listens well" if email == "pat@example.org" else None)
        assert sent.status_code == 302 and sent["Location"].endswith("/sent/")
    # A second submission of the same answers is harmless, and says so.
    again = answer_all(client, links["pat@example.org"], 4)
    assert "These answers have been sent. Thank you" in again.content.decode()
    assert Response.objects.filter(status="submitted").count() == 4

    # Administrators see answers per group, never who.
    client.force_login(admin)
    page = client.get(f"/diagnostics/campaigns/{campaign.pk}/").content.decode()
    assert re.search(r"Peers</th>\s*<td[^>]*>3</td>\s*<td[^>]*>3</td>", page)  # across the campaign
    assert "4 of 4 raters" in page  # per person: only the total
    assert "pat@example.org" not in page and "Pat" not in page

    # Close (twice is refused), then release.
    client.post(f"/diagnostics/campaigns/{campaign.pk}/close/")
    closed_again = client.post(f"/diagnostics/campaigns/{campaign.pk}/close/", follow=True)
    assert "The campaign was already closed on" in closed_again.content.decode()
    client.logout()
    late = client.get(path_of(links[subject_user.email])).content.decode()
    assert "This campaign has closed and takes no more answers." in late
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/diagnostics/campaigns/{campaign.pk}/subjects/{subject.pk}/release/")
    subject.refresh_from_db()
    assert subject.released_at is not None
    # The audit log has the campaign's events and never a rater or an answer.
    events = set(AuditEntry.objects.values_list("event", flat=True))
    assert {"campaign.created", "campaign.launched", "campaign.closed", "campaign.report_released"} <= events
    for entry in AuditEntry.objects.all():
        assert "pat@example.org" not in str(entry.changes) and "Listens well" not in str(entry.changes)


def test_a_link_is_personal_and_expires(client, org, version, admin, subject_user, django_capture_on_commit_callbacks):
    campaign = make_campaign(admin, org, version, [subject_user.person])
    subject = campaign.subjects.get()
    rater = services.rater_nominate(subject=subject, actor=admin, group="peer", name="Pat", email="pat@example.org")
    services.nominations_submit(subject=subject, actor=admin)
    services.campaign_launch(campaign=campaign, actor=admin)
    rater.refresh_from_db()
    token = rater.link_token()
    assert client.get(f"/feedback/{rater.pk}/{token}/").status_code == 200
    assert client.get(f"/feedback/{rater.pk}/{token[:-1]}x/").status_code == 404
    other = subject.responses.get(group="self")
    assert client.get(f"/feedback/{other.pk}/{token}/").status_code == 404
    Response.objects.filter(pk=rater.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    page = client.get(f"/feedback/{rater.pk}/{token}/").content.decode()
    assert "This link has expired: the closing date has passed." in page
    posted = client.post(f"/feedback/{rater.pk}/{token}/", {"item-1": "3", "action": "send"})
    assert "This link has expired" in posted.content.decode() and not Rating.objects.exists()


def test_ratings_off_the_scale_and_foreign_items_are_refused_and_nothing_is_written(org, version, admin, subject_user):
    campaign = make_campaign(admin, org, version, [subject_user.person])
    subject = campaign.subjects.get()
    services.campaign_launch(campaign=campaign, actor=admin)
    response = subject.responses.get(group="self")
    item = campaign.items.first()
    other_campaign_item = make_campaign(admin, org, version, [subject_user.person]).items.first()
    for ratings, message in [
        ({item.pk: 6}, "Answers run from 1 to 5, or not observed."),
        ({item.pk: -1}, "Answers run from 1 to 5, or not observed."),
        ({item.pk: "often"}, "Choose one of the answers given for each statement."),
        ({other_campaign_item.pk: 3}, "That statement is not in this questionnaire."),
    ]:
        with pytest.raises(ValidationError, match=re.escape(message)):
            services.answers_save(response=response, ratings={**ratings, campaign.items.last().pk: 3})
    assert not Rating.objects.exists()
    with pytest.raises(ValidationError, match="still need"):
        services.answers_save(response=response, ratings={item.pk: 3}, submit=True)
    assert Rating.objects.count() == 1  # the answer given is kept, though the questionnaire is not sent


def test_autosave_keeps_answers_as_the_rater_works(client, org, version, admin, subject_user):
    campaign = make_campaign(admin, org, version, [subject_user.person])
    services.campaign_launch(campaign=campaign, actor=admin)
    response = campaign.subjects.get().responses.get(group="self")
    item = campaign.items.first()
    url = f"/feedback/{response.pk}/{response.link_token()}/autosave/"
    saved = client.post(url, {f"item-{item.pk}": "5"})
    assert "Saved at" in saved.content.decode()
    assert Rating.objects.get().value == 5
    client.post(url, {f"item-{item.pk}": "2"})
    assert Rating.objects.get().value == 2
    refused = client.post(url, {f"item-{item.pk}": "9"})
    assert "Not saved: Answers run from 1 to 5" in refused.content.decode()
    assert Rating.objects.get().value == 2
    response.refresh_from_db()
    assert response.status == Response.Status.STARTED


def test_launching_warns_of_groups_below_their_threshold(client, org, version, admin, subject_user):
    campaign = make_campaign(admin, org, version, [subject_user.person])
    subject = campaign.subjects.get()
    services.rater_nominate(subject=subject, actor=admin, group="peer", name="Pat", email="pat@example.org")
    services.rater_nominate(subject=subject, actor=admin, group="line_manager", name="Mo", email="mo@example.org")
    client.force_login(admin)
    page = client.get(f"/diagnostics/campaigns/{campaign.pk}/launch/").content.decode()
    assert "Groups that will be withheld as things stand" in page
    assert re.search(r"Peers</td>\s*<td[^>]*>1</td>\s*<td[^>]*>3</td>", page)
    assert "Launch anyway" in page


def test_thresholds_are_checked(org, version, admin, subject_user):
    with pytest.raises(ValidationError) as error:
        make_campaign(admin, org, version, [subject_user.person], threshold=1, line_manager_threshold=0)
    messages = [p.message for p in error.value.problems]
    assert "A rater group's threshold must be at least 2, so no one's answers stand alone." in messages
    assert "The line manager's threshold must be from 1 to the campaign's threshold." in messages
    assert not Campaign.objects.exists()


def test_someone_outside_the_tiers_cannot_be_asked_about(org, version, admin):
    untiered = PersonFactory(organisation=org, first_name="Una", last_name="Tiered")
    message = "Not in a tier of this framework version, so they cannot be asked about: Una Tiered."
    with pytest.raises(ValidationError, match=re.escape(message)):
        make_campaign(admin, org, version, [untiered])


def test_members_and_other_organisations_do_not_see_campaigns(client, org, version, admin, subject_user):
    campaign = make_campaign(admin, org, version, [subject_user.person])
    client.force_login(subject_user)
    assert client.get(f"/diagnostics/campaigns/{campaign.pk}/").status_code == 404
    assert client.get("/diagnostics/campaigns/").status_code == 404
    client.force_login(user_with_role(OrganisationFactory(), Role.LD_ADMIN))
    assert client.get(f"/diagnostics/campaigns/{campaign.pk}/").status_code == 404
    assert client.post(f"/diagnostics/campaigns/{campaign.pk}/launch/").status_code == 404
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_a_self_assessment_at_any_time(client, subject_user):
    client.force_login(subject_user)
    started = client.post("/diagnostics/self/start/")
    response = Response.objects.get()
    assert started["Location"] == f"/feedback/{response.pk}/{response.link_token()}/"
    page = client.get(started["Location"]).content.decode()
    assert "Your self-assessment" in page and "Aspiring manager" in page
    sent = answer_all(client, started["Location"], 3)
    assert sent.status_code == 302
    assert "Finished" in client.get("/diagnostics/").content.decode()


def test_two_self_assessments_are_kept_and_compared(client, subject_user):
    client.force_login(subject_user)
    for value in (2, 4):
        started = client.post("/diagnostics/self/start/")
        answer_all(client, started["Location"], value)
    assert Response.objects.filter(status="submitted").count() == 2
    assert "Compare two of your self-assessments" in client.get("/diagnostics/").content.decode()
    page = client.get("/diagnostics/self/compare/").content.decode()
    # Each attribute: the earlier, the later and the change (negative indicators scored in reverse).
    assert re.search(r"Collaborative</th><td[^>]*>2\.7</td><td[^>]*>3\.3</td><td[^>]*>\+0\.7</td>", page)
    refused = client.get("/diagnostics/self/compare/?first=999999&second=1")
    assert "Choose two of your finished self-assessments to compare." in refused.content.decode()


def test_the_debrief_page_names_a_coach_and_records_the_debrief(client, org, version, admin, subject_user):
    campaign = make_campaign(admin, org, version, [subject_user.person], debrief_first=True)
    subject = campaign.subjects.get()
    services.campaign_launch(campaign=campaign, actor=admin)
    services.campaign_close(campaign=campaign, actor=admin)
    client.force_login(admin)
    url = f"/diagnostics/campaigns/{campaign.pk}/subjects/{subject.pk}/debrief/"
    assert client.get(url).status_code == 200  # no coach yet
    refused = client.post(url, {"action": "coach", "coach": "nobody@example.org"})
    assert "No one in the organisation has that email address." in refused.content.decode()
    coach = user_with_role(org, Role.MEMBER)
    assert client.post(url, {"action": "coach", "coach": coach.email}).status_code == 302
    assert coach.email in client.get(url).content.decode()
    early = client.post(f"/diagnostics/campaigns/{campaign.pk}/subjects/{subject.pk}/release/", follow=True)
    assert "The debrief has not been recorded yet." in early.content.decode()
    held = timezone.localdate().strftime("%d %m %Y")
    assert client.post(url, {"action": "held", "held_on": held}).status_code == 302
    client.post(f"/diagnostics/campaigns/{campaign.pk}/subjects/{subject.pk}/release/")
    subject.refresh_from_db()
    assert subject.released_at is not None and subject.debrief_coach == coach.person


def test_sending_an_unfinished_questionnaire_keeps_the_answers_and_marks_each_gap(client, subject_user):
    client.force_login(subject_user)
    started = client.post("/diagnostics/self/start/")
    page = client.get(started["Location"]).content.decode()
    items = sorted(set(re.findall(r'name="item-(\d+)"', page)), key=int)
    response = client.post(started["Location"], {f"item-{items[0]}": "4", "action": "send"})
    text = response.content.decode()
    assert f"{len(items) - 1} statements still need an answer." in text
    assert text.count("govuk-form-group--error") == len(items) - 1
    assert Rating.objects.count() == 1  # the answer given is kept


def test_setting_up_a_campaign_shows_every_problem_at_once(client, org, version, admin):
    client.force_login(admin)
    response = client.post(
        "/diagnostics/campaigns/new/",
        {
            "name": "",
            "version": str(version.pk),
            "people": "nobody@example.org",
            "closes_on": (timezone.localdate() - timedelta(days=1)).strftime("%d %m %Y"),
            "threshold": "1",
            "line_manager_threshold": "1",
        },
    )
    text = html.unescape(response.content.decode())
    for message in (
        "Enter a name for the campaign.",
        "No one active in the organisation has these email addresses or numbers: nobody@example.org.",
        "The closing date must be today or later.",
        "The threshold must be at least 2, so no one's answers stand alone.",
    ):
        assert message in text, message
    assert not Campaign.objects.exists()
