import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cadre.core.models import Role
from cadre.people.models import Person, PersonImport
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db

GOOD = b"Employee number,First name,Last name,Department,Manager employee number\n2,Bo,Bell,Place,1\n1,Al,Ash,Place,\n"


def upload(client, org, data: bytes, name="staff.csv", mode="partial"):
    return client.post(
        "/people/import/",
        {"organisation": org.pk, "mode": mode, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


@pytest.fixture
def org():
    return OrganisationFactory(slug="north")


@pytest.fixture
def ld_admin(client, org):
    user = user_with_role(org, Role.LD_ADMIN)
    client.force_login(user)
    return user


def test_preview_then_confirm_imports_everything(client, org, ld_admin, django_capture_on_commit_callbacks):
    response = upload(client, org, GOOD)
    assert response.status_code == 302
    person_import = PersonImport.objects.get()
    preview = client.get(response["Location"]).content.decode()
    assert "Confirm and import" in preview and "Bo" in preview
    assert Person.objects.filter(organisation=org).count() == 1  # only the admin; nothing written yet
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"/people/import/{person_import.pk}/confirm/")
    assert confirmed.status_code == 302
    person_import.refresh_from_db()
    assert person_import.status == PersonImport.Status.COMPLETED
    assert Person.objects.get(employee_number="2").line_manager.employee_number == "1"
    page = client.get(f"/people/import/{person_import.pk}/").content.decode()
    assert "Import complete" in page and "2 new, 0 changed, 0 unchanged, 0 marked as left" in page
    progress = client.get(f"/people/import/{person_import.pk}/progress/", headers={"HX-Request": "true"})
    assert progress.status_code == 204 and progress["HX-Refresh"] == "true"


def test_confirming_twice_imports_once(client, org, ld_admin, django_capture_on_commit_callbacks):
    upload(client, org, GOOD)
    person_import = PersonImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/people/import/{person_import.pk}/confirm/")
        client.post(f"/people/import/{person_import.pk}/confirm/")
    assert Person.objects.filter(employee_number__in=["1", "2"]).count() == 2
    from cadre.core.models import AuditEntry

    assert AuditEntry.objects.filter(event="people.import_completed").count() == 1
    assert AuditEntry.objects.filter(event="people.imported").count() == 2
    person_import.refresh_from_db()
    assert person_import.status == PersonImport.Status.COMPLETED
    assert bytes(person_import.content) == b""  # the staff list is not kept once imported


def test_a_file_with_errors_is_refused_with_row_and_column(client, org, ld_admin):
    response = upload(client, org, b"Employee number,First name,Last name,Email\n1,Al,Ash,nope\n")
    page = client.get(response["Location"]).content.decode()
    assert "This file cannot be imported" in page
    assert "Row 2, email" in page
    assert "Confirm and import" not in page
    person_import = PersonImport.objects.get()
    assert client.post(f"/people/import/{person_import.pk}/confirm/").status_code == 302
    person_import.refresh_from_db()
    assert person_import.status == PersonImport.Status.REFUSED
    assert not Person.objects.filter(employee_number="1").exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "The submitted file is empty."),
        (b"\x00\x01\x02binary", "staff.csv", "not a text file"),
        (b"Surname\nSmith\n", "staff.csv", "no employee number"),
    ],
)
def test_unreadable_files_show_the_error_summary_and_keep_the_choices(client, org, ld_admin, data, name, message):
    response = upload(client, org, data, name=name, mode="full")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert 'value="full" checked' in page
    assert PersonImport.objects.count() == 0


def test_changes_between_preview_and_confirm_stop_the_import(client, org, ld_admin, django_capture_on_commit_callbacks):
    upload(client, org, GOOD)
    person_import = PersonImport.objects.get()
    Person.objects.create(organisation=org, employee_number="1", first_name="Someone", last_name="Else")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/people/import/{person_import.pk}/confirm/")
    person_import.refresh_from_db()
    assert person_import.status == PersonImport.Status.FAILED
    assert "changed after this file was previewed" in person_import.error
    assert not Person.objects.filter(employee_number="2").exists()


def test_imports_are_invisible_to_other_organisations(client, org):
    user_with_role(org, Role.LD_ADMIN)
    other = OrganisationFactory()
    client.force_login(user_with_role(org, Role.LD_ADMIN))
    upload(client, org, GOOD)
    person_import = PersonImport.objects.get()
    client.force_login(user_with_role(other, Role.LD_ADMIN))
    assert client.get(f"/people/import/{person_import.pk}/").status_code == 404
    assert client.post(f"/people/import/{person_import.pk}/confirm/").status_code == 404
    # and cannot import into an organisation they do not administer
    response = upload(client, org, GOOD)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_members_cannot_reach_the_import_page(client, org):
    client.force_login(user_with_role(org, Role.MEMBER))
    assert client.get("/people/import/").status_code == 404


def test_progress_is_shown_while_the_worker_runs(client, org, ld_admin):
    upload(client, org, GOOD)
    person_import = PersonImport.objects.get()
    PersonImport.objects.filter(pk=person_import.pk).update(status=PersonImport.Status.RUNNING)
    from cadre.people.services import _report

    _report(person_import.pk, "Adding new people", 1, 2)
    page = client.get(f"/people/import/{person_import.pk}/progress/", headers={"HX-Request": "true"}).content.decode()
    assert "Importing: adding new people" in page and "1 of 2" in page
    assert 'hx-trigger="every 1s"' in page


def test_the_current_page_is_marked_once_in_the_menu(client, org, ld_admin):
    page = client.get("/people/import/").content.decode()
    assert page.count('aria-current="page"') == 1
    assert (
        'aria-current="page">\n                  <strong class="govuk-service-navigation__active-fallback">Import staff'
        in page
    )
