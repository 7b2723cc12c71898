import pytest
from django.core import mail

from cadre.core.models import Invitation, Membership, Role
from tests.factories import OrganisationFactory, PersonFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_an_organisation_admin_grants_and_revokes_a_role(client):
    org = OrganisationFactory()
    admin = user_with_role(org, Role.ORG_ADMIN)
    colleague = user_with_role(org, Role.MEMBER)
    client.force_login(admin)
    response = client.post("/roles/", {"grant": "1", "email": colleague.email.upper(), "role": Role.LD_ADMIN})
    assert response.status_code == 302
    membership = Membership.objects.get(user=colleague, role=Role.LD_ADMIN)
    assert "Learning and development administrator" in client.get("/roles/").content.decode()
    client.post("/roles/", {"revoke": membership.pk})
    assert not Membership.objects.filter(user=colleague, role=Role.LD_ADMIN).exists()


def test_granting_to_someone_outside_the_organisation_is_refused_and_keeps_the_input(client):
    org, other = OrganisationFactory(), OrganisationFactory()
    admin = user_with_role(org, Role.ORG_ADMIN)
    stranger = user_with_role(other, Role.MEMBER)
    client.force_login(admin)
    page = client.post("/roles/", {"grant": "1", "email": stranger.email, "role": Role.ORG_ADMIN}).content.decode()
    assert "There is a problem" in page and f'value="{stranger.email}"' in page
    assert not Membership.objects.filter(user=stranger, organisation=org).exists()


def test_an_admin_cannot_remove_their_own_admin_role_or_another_organisations(client):
    org, other = OrganisationFactory(), OrganisationFactory()
    admin = user_with_role(org, Role.ORG_ADMIN)
    theirs = Membership.objects.get(user=user_with_role(other, Role.ORG_ADMIN), role=Role.ORG_ADMIN)
    client.force_login(admin)
    mine = Membership.objects.get(user=admin, role=Role.ORG_ADMIN)
    client.post("/roles/", {"revoke": mine.pk})
    assert Membership.objects.filter(pk=mine.pk).exists()
    assert client.post("/roles/", {"revoke": theirs.pk}).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_the_roles_page_is_for_organisation_admins(client):
    org = OrganisationFactory()
    client.force_login(user_with_role(org, Role.LD_ADMIN))
    assert client.get("/roles/").status_code == 404


def test_inviting_an_imported_person_links_their_new_login(client, django_capture_on_commit_callbacks):
    org = OrganisationFactory()
    client.force_login(user_with_role(org, Role.LD_ADMIN))
    person = PersonFactory(organisation=org, email="gwen@north.example")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/people/{person.pk}/invite/")
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/invitations/" in line).strip()
    client.logout()
    path = link.split("127.0.0.1:8000", 1)[1]
    client.post(path, {"full_name": "Gwen", "password": "a sturdy passphrase", "password_again": "a sturdy passphrase"})
    person.refresh_from_db()
    assert person.user is not None and person.user.email == "gwen@north.example"
    assert Membership.objects.filter(user=person.user, organisation=org, role=Role.MEMBER).exists()
    assert Invitation.objects.get().accepted_at is not None


def test_inviting_someone_without_an_email_explains_why(client):
    org = OrganisationFactory()
    client.force_login(user_with_role(org, Role.ORG_ADMIN))
    person = PersonFactory(organisation=org, email="")
    page = client.post(f"/people/{person.pk}/invite/", follow=True).content.decode()
    assert "has no email address" in page
    assert Invitation.objects.count() == 0


def test_an_expired_or_unknown_invitation(client):
    from datetime import timedelta

    from django.utils import timezone

    from cadre.core.services import invitation_send

    org = OrganisationFactory()
    invitation, link = invitation_send(organisation=org, email="late@north.example")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    path = link.split("127.0.0.1:8000", 1)[1]
    assert "has expired" in client.get(path).content.decode()
    page = client.post(
        path, {"full_name": "L", "password": "a sturdy passphrase", "password_again": "a sturdy passphrase"}
    )
    assert "has expired" in page.content.decode()
    assert client.get("/invitations/not-a-real-token/").status_code == 404


def test_an_invitation_for_a_login_that_already_has_a_staff_record_elsewhere_is_refused(client):
    from cadre.core.services import invitation_send

    org, other = OrganisationFactory(), OrganisationFactory()
    existing = user_with_role(other, Role.MEMBER)
    person = PersonFactory(organisation=org, email=existing.email)
    _, link = invitation_send(organisation=org, email=existing.email, person=person)
    path = link.split("127.0.0.1:8000", 1)[1]
    response = client.post(
        path, {"full_name": "X", "password": "a sturdy passphrase", "password_again": "a sturdy passphrase"}
    )
    assert response.status_code == 200
    assert "already belongs to a staff record" in response.content.decode()
    existing.refresh_from_db()
    assert existing.check_password("correct horse battery")
    assert not Membership.objects.filter(user=existing, organisation=org).exists()


def test_the_outbox_is_shown_only_in_a_demonstration(client, settings):
    settings.CADRE_SHOW_OUTBOX = False
    assert client.get("/outbox/").status_code == 404
    assert "Emails sent" not in client.get("/").content.decode()


def test_the_persons_page_shows_an_invitation_was_sent_and_offers_a_new_one(client, django_capture_on_commit_callbacks):
    org = OrganisationFactory()
    client.force_login(user_with_role(org, Role.LD_ADMIN))
    person = PersonFactory(organisation=org, first_name="Gwen", email="gwen@north.example")
    assert "Invite Gwen to Cadre" in client.get(f"/people/{person.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/people/{person.pk}/invite/")
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "Invited on" in page and "Send Gwen a new invitation" in page
    assert mail.outbox[0].body.startswith("Hello Gwen,")
    link = next(line for line in mail.outbox[0].body.splitlines() if "/invitations/" in line).strip()
    client.logout()
    form = client.get(link.split("127.0.0.1:8000", 1)[1]).content.decode()
    from django.utils.html import escape

    assert f'value="{escape(person.full_name)}"' in form  # the name HR gave is filled in already
