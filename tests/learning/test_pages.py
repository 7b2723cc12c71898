"""The learning pages: asking from an offering's page, my learning, requests to decide, the decision
page, recording completion with a file, the person's page linking to their record, and the number
of queries each list page takes at two sizes."""

import html
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cadre.core.models import Role
from cadre.learning import record, services
from cadre.learning.models import LearningRequest
from tests.factories import user_with_role
from tests.learning.conftest import ask, fresh, offering_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_asking_from_the_offering_page(client, world):
    client.force_login(world.person)
    offering_page = text(client.get(f"/catalogue/{world.offering.pk}/"))
    assert f'href="/learning/request/{world.offering.pk}/"' in offering_page and "Request this" in offering_page
    form = text(client.get(f"/learning/request/{world.offering.pk}/"))
    assert "Max Manager will decide your request." in form
    attribute = world.version.attributes.order_by("order").first()
    assert attribute.name in form
    response = client.post(f"/learning/request/{world.offering.pk}/", {"reason": "", "attributes": ["nonsense"]})
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert "Say why you want to do this" in page and "Choose attributes from the list." in page
    assert not LearningRequest.objects.exists()
    response = client.post(
        f"/learning/request/{world.offering.pk}/",
        {"reason": "To lead my team", "attributes": [attribute.key], "preferred_start": "June"},
    )
    item = LearningRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/learning/requests/{item.pk}/"
    detail = text(client.get(response["Location"]))
    assert "Your request is sent. Max Manager will decide it." in detail
    assert "Waiting for a decision" in detail and "Cancel this request" in detail
    again = text(client.get(f"/learning/request/{world.offering.pk}/"))
    assert "You already asked for this" in again and "<textarea" not in again


def test_unknown_and_unseen_offerings_are_a_404(client, world):
    from tests.factories import OrganisationFactory
    from tests.frameworks import builders

    other = OrganisationFactory()
    other_admin = user_with_role(other, Role.LD_ADMIN)
    theirs = offering_in(other, other_admin, builders.version(builders.framework(organisation=other)), "Theirs")
    draft = offering_in(world.org, world.admin, world.version, "Draft", status="draft")
    client.force_login(world.person)
    for offering_id in (999999, theirs.pk, draft.pk, 99999999999999999999):
        assert client.get(f"/learning/request/{offering_id}/").status_code == 404
        assert client.post(f"/learning/request/{offering_id}/", {"reason": "x"}).status_code == 404
    assert not LearningRequest.objects.exists()


def test_deciding_on_the_page_with_a_reason_to_decline(client, world):
    item = ask(world.person, world.offering)
    client.force_login(world.manager)
    mine = text(client.get("/learning/"))
    assert "1 request to decide" in mine
    queue = text(client.get("/learning/to-decide/"))
    assert "Requests to decide" in queue and "1 waiting for you" in queue and "Sam Smith" in queue
    page = text(client.get(f"/learning/requests/{item.pk}/decide/"))
    # Each answer's text box sits beneath it and is never hidden: no script is needed.
    assert page.count('class="govuk-radios__conditional"') == 2 and "conditional--hidden" not in page
    assert 'name="reason"' in page and 'name="note"' in page
    assert "To lead my team through the restructure." in page
    response = client.post(f"/learning/requests/{item.pk}/decide/", {"decision": "decline", "reason": " "})
    assert response.status_code == 200 and "Say why the request is declined." in text(response)
    response = client.post(f"/learning/requests/{item.pk}/decide/", {})
    assert "Choose whether to approve or decline the request." in text(response)
    item.refresh_from_db()
    assert item.status == "requested"
    response = client.post(
        f"/learning/requests/{item.pk}/decide/", {"decision": "decline", "reason": "Not this quarter."}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "declined" and item.decision_reason == "Not this quarter."
    after = text(client.get(f"/learning/requests/{item.pk}/decide/"))
    assert "no longer waiting for a decision" in after and "<textarea" not in after


def test_the_decision_page_refuses_the_person_and_strangers(client, world):
    own = ask(world.admin, world.offering)
    client.force_login(world.admin)
    response = client.get(f"/learning/requests/{own.pk}/decide/")
    assert response.status_code == 403 and "You cannot decide your own request." in text(response)
    assert client.post(f"/learning/requests/{own.pk}/decide/", {"decision": "approve"}).status_code == 403
    own.refresh_from_db()
    assert own.status == "requested"
    item = ask(world.person, world.offering)
    for user in (world.director, world.colleague, world.outsider):  # the director sees it, but does not decide
        client.force_login(user)
        assert client.get(f"/learning/requests/{item.pk}/decide/").status_code == 404
        assert client.post(f"/learning/requests/{item.pk}/decide/", {"decision": "approve"}).status_code == 404
    client.force_login(world.director)
    assert client.get(f"/learning/requests/{item.pk}/").status_code == 200
    client.force_login(world.colleague)
    assert client.get(f"/learning/requests/{item.pk}/").status_code == 404


def test_recording_completion_with_a_file_on_the_page(client, world, _media):
    item = services.request_decide(
        learning_request=ask(world.person, world.offering), actor=fresh(world.manager), approve=True
    )
    client.force_login(world.person)
    page = text(client.get(f"/learning/requests/{item.pk}/complete/"))
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page and 'accept=".pdf' in page
    yesterday = (timezone.localdate() - timedelta(days=1)).strftime("%d %m %Y")
    response = client.post(
        f"/learning/requests/{item.pk}/complete/",
        {"completed_on": yesterday, "evidence": "", "evidence_file": SimpleUploadedFile("run.exe", b"MZ")},
    )
    assert response.status_code == 200 and "The selected file must be a PDF" in text(response)
    response = client.post(f"/learning/requests/{item.pk}/complete/", {"completed_on": yesterday})
    assert "Describe your evidence, or attach a file" in text(response)
    item.refresh_from_db()
    assert item.status == "approved"
    response = client.post(
        f"/learning/requests/{item.pk}/complete/",
        {"completed_on": yesterday, "evidence": "Two days", "evidence_file": SimpleUploadedFile("cert.pdf", PDF)},
    )
    assert response.status_code == 302
    detail = text(client.get(f"/learning/requests/{item.pk}/"))
    assert "Download cert.pdf" in detail and "The person: Sam Smith" in detail
    refused = text(client.get(f"/learning/requests/{item.pk}/complete/"))
    assert "Completion is already recorded" in refused and "<form method" not in refused
    client.force_login(world.manager)
    assert client.get(f"/learning/requests/{item.pk}/complete/").status_code == 404


def test_completion_of_a_declined_request_is_refused_on_the_page(client, world):
    item = ask(world.person, world.offering)
    services.request_decide(learning_request=item, actor=fresh(world.manager), approve=False, reason="No")
    client.force_login(world.person)
    response = client.post(f"/learning/requests/{item.pk}/complete/", {"completed_on": "1 1 2025", "evidence": "x"})
    assert response.status_code == 200 and "declined, so there is no completion to record" in text(response)
    item.refresh_from_db()
    assert item.status == "declined"


def test_cancelling_on_the_page(client, world):
    item = ask(world.person, world.offering)
    client.force_login(world.manager)
    assert client.post(f"/learning/requests/{item.pk}/cancel/").status_code == 404
    client.force_login(world.person)
    assert client.get(f"/learning/requests/{item.pk}/cancel/").status_code == 405
    response = client.post(f"/learning/requests/{item.pk}/cancel/", follow=True)
    assert "is cancelled" in text(response)
    response = client.post(f"/learning/requests/{item.pk}/cancel/", follow=True)
    assert "This request is already cancelled." in text(response)


def test_the_persons_page_links_to_their_record_for_those_who_may_see_it(client, world):
    person = world.person.person
    link = f'href="/learning/people/{person.pk}/"'
    for user in (world.person, world.manager, world.director, world.admin):
        client.force_login(user)
        assert link in client.get(f"/people/{person.pk}/").content.decode(), user
    viewer = user_with_role(world.org, Role.EXECUTIVE_VIEWER)
    client.force_login(viewer)
    page = client.get(f"/people/{person.pk}/")
    assert page.status_code == 200 and link not in page.content.decode()
    client.force_login(world.person)
    assert "Your learning record" in text(client.get(f"/people/{person.pk}/"))


def test_my_learning_without_a_staff_record(client, world):
    from tests.factories import MembershipFactory, UserFactory

    login_only = UserFactory()
    MembershipFactory(user=login_only, organisation=world.org)
    client.force_login(login_only)
    assert "not linked to a staff record" in text(client.get("/learning/"))
    response = client.post(f"/learning/request/{world.offering.pk}/", {"reason": "x"})
    assert "not linked to a staff record" in text(response) and not LearningRequest.objects.exists()


# -- query counts -------------------------------------------------------------------------------------


def build(world, size: int) -> None:
    """`size` offerings, each asked for by Sam (some approved, some completed) and by a report of the
    manager's, so every list grows with size."""
    other = user_with_role(world.org, Role.MEMBER, line_manager=world.manager.person)
    nobody = user_with_role(world.org, Role.MEMBER)  # no line manager: the administrators decide
    for n in range(size):
        offering = offering_in(world.org, world.admin, world.version, f"Offering {n}")
        mine = ask(fresh(world.person), offering, attributes=[world.version.attributes.first().key])
        ask(fresh(other), offering)
        ask(fresh(nobody), offering)
        if n % 3:
            services.request_decide(learning_request=mine, actor=fresh(world.manager), approve=True)
        if n % 3 == 2:
            services.completion_record(
                learning_request=mine, actor=fresh(world.admin), completed_on=timezone.localdate()
            )


# The queries: the session and the user, then the page's own.
QUERIES = {
    # my staff record; my requests; the record's requests; my roles; the count waiting for my decision
    "my learning": 7,
    # my roles; the requests waiting for me
    "requests to decide, manager": 4,
    # my roles; waiting for me; waiting for a line manager or endorser; approved, waiting for completion
    "requests to decide, administrator": 6,
    # the person; my roles; my staff record; the chain above the person; the record's requests
    "record, manager": 7,
    # the person; my roles (which are enough); the record's requests
    "record, administrator": 5,
}


@pytest.mark.parametrize("size", [2, 12])
def test_list_pages_take_a_fixed_number_of_queries(client, world, size, django_assert_num_queries, monkeypatch):
    # Learning requests only: every other app's source of record entries pins its own queries.
    monkeypatch.setattr(record, "_sources", [record.requests_source])
    build(world, size)
    pages = {
        "my learning": (world.person, "/learning/"),
        "requests to decide, manager": (world.manager, "/learning/to-decide/"),
        "requests to decide, administrator": (world.admin, "/learning/to-decide/"),
        "record, manager": (world.manager, f"/learning/people/{world.person.person.pk}/"),
        "record, administrator": (world.admin, f"/learning/people/{world.person.person.pk}/"),
    }
    for name, (user, path) in pages.items():
        client.force_login(user)
        with django_assert_num_queries(QUERIES[name]):
            response = client.get(path)
        assert response.status_code == 200, name
    client.force_login(world.admin)
    assert text(client.get("/learning/to-decide/")).count("Offering ") >= size * 2
