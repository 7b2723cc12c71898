"""Whatever is typed into an address or a form, Cadre answers with a page, never a server error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadre.core.models import Role
from tests.factories import OrganisationFactory, PersonFactory, user_with_role

pytestmark = pytest.mark.django_db

GET_PAGES = ["/", "/people/", "/audit/", "/roles/", "/people/import/", "/api/people", "/outbox/", "/help/"]

junk = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@pytest.fixture
def admin_client(client):
    org = OrganisationFactory()
    PersonFactory.create_batch(3, organisation=org)
    admin = user_with_role(org, Role.ORG_ADMIN)
    Membership = admin.memberships.model
    Membership.objects.create(user=admin, organisation=org, role=Role.LD_ADMIN)
    client.force_login(admin)
    return client


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=junk, q=junk, status=junk, organisation=junk)
def test_query_parameters_never_cause_a_server_error(admin_client, page, q, status, organisation):
    for path in GET_PAGES:
        response = admin_client.get(
            path, {"page": page, "q": q, "status": status, "organisation": organisation, "limit": page}
        )
        assert response.status_code < 500, path


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=300), name=junk, mode=junk, ending=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_any_upload_gets_a_page_not_a_server_error(admin_client, content, name, mode, ending):
    if ending == ".xlsx":
        content = b"PK\x03\x04" + content  # looks like a workbook at first glance
    response = admin_client.post(
        "/people/import/",
        {"mode": mode, "file": SimpleUploadedFile((name or "x")[:50] + ending, content)},
    )
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("path", ["/people/999999/", "/people/import/999999/", "/no-such-page/", "/outbox/nope/"])
def test_missing_things_are_a_styled_404(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_forms_posted_with_missing_fields_show_errors(admin_client):
    for path in ["/roles/", "/people/import/"]:
        response = admin_client.post(path, {"grant": "1"})
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/people/99999999999999999999999/",
        "/frameworks/99999999999999999999999/",
        "/frameworks/1180591620717411303424/adopt/",
    ],
)
def test_ids_too_large_for_the_database_are_a_404(admin_client, path):
    assert admin_client.get(path).status_code == 404
