import pytest
from django.contrib.contenttypes.models import ContentType

from cadre.core.audit import acting_as
from cadre.core.models import AuditEntry, Membership, Role
from cadre.core.services import role_grant
from cadre.people.models import Person
from cadre.people.services import person_set_line_manager
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


def test_changing_a_person_records_who_when_and_before_and_after():
    org = OrganisationFactory()
    admin = user_with_role(org, Role.ORG_ADMIN)
    person = PersonFactory(organisation=org, job_title="Officer")
    with acting_as(admin):
        person.job_title = "Senior officer"
        person.save()
    entry = entries_for(person).order_by("-id").first()
    assert entry.actor == admin
    assert entry.organisation_id == org.pk
    assert entry.changes["job_title"] == ["Officer", "Senior officer"]
    assert entry.timestamp is not None


def test_line_manager_changes_and_role_grants_are_audited():
    org = OrganisationFactory()
    admin = user_with_role(org, Role.ORG_ADMIN)
    boss, person = PersonFactory(organisation=org), PersonFactory(organisation=org)
    with acting_as(admin):
        person_set_line_manager(person=person, manager=boss, actor=admin)
        membership = role_grant(user=UserFactory(), organisation=org, role=Role.LD_ADMIN, actor=admin)
    assert entries_for(person).filter(changes__has_key="line_manager").exists()
    granted = entries_for(membership).get()
    assert granted.organisation_id == org.pk and granted.actor == admin


def test_organisation_admins_read_their_own_log_only(client):
    org, other = OrganisationFactory(), OrganisationFactory()
    admin = user_with_role(org, Role.ORG_ADMIN)
    theirs = PersonFactory(organisation=other, last_name="Zanzibar")
    mine = PersonFactory(organisation=org, last_name="Quaggan")
    client.force_login(admin)
    page = client.get("/audit/").content.decode()
    assert "Quaggan" in page
    assert "Zanzibar" not in page
    assert client.get(f"/audit/?organisation={other.slug}").content.decode().count("Zanzibar") == 0
    assert mine and theirs


def test_a_member_cannot_read_the_audit_log(client):
    org = OrganisationFactory()
    client.force_login(user_with_role(org, Role.LD_ADMIN))
    assert client.get("/audit/").status_code == 404


def test_cycle_is_refused_when_setting_a_line_manager():
    from cadre.core.errors import ValidationError

    org = OrganisationFactory()
    top = PersonFactory(organisation=org)
    middle = PersonFactory(organisation=org, line_manager=top)
    bottom = PersonFactory(organisation=org, line_manager=middle)
    with pytest.raises(ValidationError, match="cycle"):
        person_set_line_manager(person=top, manager=bottom, actor=None)
    top.refresh_from_db()
    assert top.line_manager is None
    assert Membership.objects.count() == 0
    assert Person.objects.count() == 3


def test_the_audit_log_reads_in_plain_words_and_filters_by_kind(client):
    org = OrganisationFactory()
    admin = user_with_role(org, Role.ORG_ADMIN)
    with acting_as(admin):
        role_grant(
            user=UserFactory(full_name="Rhian Roberts"), organisation=org, role=Role.EXECUTIVE_VIEWER, actor=admin
        )
        person = PersonFactory(organisation=org, job_title="Officer", last_name="Quayle")
        person.job_title = "Senior officer"
        person.save()
    client.force_login(admin)
    page = client.get("/audit/").content.decode()
    assert "Job title: Officer → Senior officer" in page
    assert "Role: executive_viewer" in page and "Id:" not in page and "None" not in page
    roles_only = client.get("/audit/?kind=roles").content.decode()
    assert "Rhian Roberts" in roles_only and "Quayle" not in roles_only
