import json

import pytest

from cadre.core.models import AuditEntry, Role
from cadre.core.privacy import person_erase, person_export, registered_apps
from cadre.people.models import Person
from tests.factories import DepartmentFactory, OrganisationFactory, PersonFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_every_app_with_personal_data_is_registered():
    assert "people" in registered_apps()


def test_export_gives_the_persons_data_as_json_and_records_the_event():
    org = OrganisationFactory()
    admin = user_with_role(org, Role.ORG_ADMIN)
    person = PersonFactory(organisation=org, first_name="Nia", last_name="Evans", job_title="Librarian")
    document = person_export(person=person, actor=admin)
    json.dumps(document)
    assert document["sections"]["people"]["first_name"] == "Nia"
    assert document["sections"]["people"]["job_title"] == "Librarian"
    assert AuditEntry.objects.filter(event="person.exported", object_id=person.pk).exists()


def test_erasure_removes_identity_everywhere_but_keeps_figures():
    org = OrganisationFactory()
    admin = user_with_role(org, Role.ORG_ADMIN)
    department = DepartmentFactory(organisation=org)
    person = user_with_role(org, Role.MEMBER, first_name="Nia", last_name="Evans", department=department).person
    person.job_title = "Librarian"
    person.save()  # audited with her name
    user = person.user
    person_erase(person=person, actor=admin)
    person.refresh_from_db()
    user.refresh_from_db()
    assert person.first_name == "Erased" and person.email == "" and person.employee_number is None
    assert person.user is None
    assert not user.is_active and "nia" not in user.email.lower()
    assert Person.objects.filter(organisation=org, department=department).count() == 1  # still counted
    for entry in AuditEntry.objects.filter(object_id=person.pk):
        assert "Nia" not in entry.object_repr and "Evans" not in json.dumps(entry.changes)
    assert AuditEntry.objects.filter(event="person.erased", object_id=person.pk).exists()


def test_export_and_erase_pages_are_for_organisation_admins_only(client):
    org = OrganisationFactory()
    person = PersonFactory(organisation=org)
    client.force_login(user_with_role(org, Role.LD_ADMIN))
    assert client.get(f"/people/{person.pk}/export/").status_code == 404
    assert client.post(f"/people/{person.pk}/erase/", {"confirm": "on"}).status_code == 404
    client.force_login(user_with_role(org, Role.ORG_ADMIN))
    response = client.get(f"/people/{person.pk}/export/")
    assert response.status_code == 200
    assert json.loads(response.content)["sections"]["people"]["last_name"] == person.last_name


def test_erase_page_needs_confirmation_and_says_so(client):
    org = OrganisationFactory()
    person = PersonFactory(organisation=org, first_name="Owen")
    client.force_login(user_with_role(org, Role.ORG_ADMIN))
    response = client.post(f"/people/{person.pk}/erase/", {})
    assert response.status_code == 200
    assert "Tick the box to confirm" in response.content.decode()
    person.refresh_from_db()
    assert person.first_name == "Owen"
    response = client.post(f"/people/{person.pk}/erase/", {"confirm": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Erased"


def test_erasure_reaches_the_login_its_audit_entries_and_hr_files():
    from cadre.core.audit import acting_as
    from cadre.people import hr_import
    from cadre.people.models import PersonImport
    from cadre.people.services import import_apply, import_preview

    org = OrganisationFactory()
    admin = user_with_role(org, Role.ORG_ADMIN)
    data = b"Employee number,First name,Last name,Email\n501,Nia,Evanswyrm,nia@north.example\n"
    import_apply(plan=hr_import.plan_import(organisation_id=org.pk, data=data), actor=admin)
    finished = import_preview(organisation=org, actor=admin, data=data, filename="staff.csv")
    from cadre.core.models import Membership
    from tests.factories import UserFactory

    person = Person.objects.get(employee_number="501")
    user = UserFactory(email="nia@north.example")
    Membership.objects.create(user=user, organisation=org, role=Role.MEMBER)
    person.user = user
    person.save()
    with acting_as(admin):
        user.full_name = "Nia Evanswyrm"
        user.save()
    person_erase(person=person, actor=admin)
    finished.refresh_from_db()
    assert bytes(finished.content) == b""
    assert finished.status == PersonImport.Status.CANCELLED
    assert "Evanswyrm" not in json.dumps(finished.outcomes)
    user.refresh_from_db()
    assert not user.is_active and user.full_name == ""
    for entry in AuditEntry.objects.all():
        assert "Evanswyrm" not in entry.object_repr + json.dumps(entry.changes), entry


def test_erasing_a_person_whose_login_holds_roles_elsewhere_keeps_that_login():
    from cadre.core.models import Membership

    org, other = OrganisationFactory(), OrganisationFactory()
    admin = user_with_role(org, Role.ORG_ADMIN)
    person = user_with_role(org, Role.LD_ADMIN).person
    user = person.user
    Membership.objects.create(user=user, organisation=other, role=Role.ORG_ADMIN)
    person_erase(person=person, actor=admin)
    user.refresh_from_db()
    assert user.is_active
    assert not Membership.objects.filter(user=user, organisation=org).exists()
    assert Membership.objects.filter(user=user, organisation=other, role=Role.ORG_ADMIN).exists()
