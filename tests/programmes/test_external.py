"""External participants: invited to an open programme with a record in its organisation and a
login with no role there, so they see their own things and never the organisation's staff."""

import html

import pytest

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.models import AuditEntry, Invitation, Membership, Role
from cadre.core.services import invitation_accept
from cadre.people.models import Person, RoleType
from cadre.programmes.models import Programme
from cadre.programmes.services.design import ProgrammeDetails, StageDetails, programme_save
from cadre.programmes.services.external import ExternalParticipantDetails, external_participant_invite
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def open_programme(org, admin, network):
    return programme_save(
        organisation=org,
        actor=admin,
        details=ProgrammeDetails(
            title="Leading across sectors",
            summary="Council, health and business leaders learning together.",
            audience=Programme.Audience.OPEN,
            network=network,
            status=Programme.Status.PUBLISHED,
            stages=[StageDetails(kind="forum", title="Opening forum")],
        ),
    )


def details(**changes) -> ExternalParticipantDetails:
    values = {"first_name": "Erin", "last_name": "Outside", "email": "Erin@Shop.example", "employer": "Corner Shop Ltd"}
    values.update(changes)
    return ExternalParticipantDetails(**values)


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), Invitation.objects.count(), AuditEntry.objects.count()


def test_an_external_participant_is_invited_with_no_role(
    open_programme, admin, org, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person, link = external_participant_invite(programme=open_programme, actor=admin, details=details())
    assert (person.organisation, person.role_type, person.email) == (
        org,
        RoleType.EXTERNAL_PARTICIPANT,
        "erin@shop.example",
    )
    assert person.user is None and person.full_name == "Erin Outside"
    invitation = Invitation.objects.get(person=person)
    assert invitation.roles == []
    event = AuditEntry.objects.get(event="programme.external_participant_invited")
    assert event.changes == {"programme": open_programme.pk, "employer": "Corner Shop Ltd"}
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == ["Leading across sectors: how to apply", f"You are invited to Cadre for {org.name}"]
    assert all(m.to == ["erin@shop.example"] for m in mailoutbox)
    about = next(m for m in mailoutbox if "how to apply" in m.subject)
    assert f"/programmes/{open_programme.pk}/" in about.body

    user = invitation_accept(token=token_of(link), password="a long and unusual password", full_name="Erin Outside")
    assert not Membership.objects.filter(user=user).exists()
    assert Person.objects.get(pk=person.pk).user == user


def test_only_an_open_programme_takes_external_participants(programme, admin):
    before = counts()
    with pytest.raises(ValidationError, match="not open to people from outside the public sector"):
        external_participant_invite(programme=programme, actor=admin, details=details())
    assert counts() == before


def test_only_its_administrators_invite(open_programme, org, partner_org):
    users = (user_with_role(org, Role.MEMBER), user_with_role(partner_org, Role.LD_ADMIN))
    before = counts()
    for user in users:
        with pytest.raises(PermissionDenied):
            external_participant_invite(programme=open_programme, actor=user, details=details())
    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_name": " "}, "first_name", "Enter their first name."),
        ({"last_name": ""}, "last_name", "Enter their last name."),
        ({"employer": ""}, "employer", "Enter who they work for."),
        ({"employer": "x" * 201}, "employer", "Who they work for must be 200 characters or fewer."),
        ({"email": "erin at shop"}, "email", "Enter an email address in the correct format"),
    ],
)
def test_bad_details_are_refused_and_write_nothing(open_programme, admin, changes, field, message):
    before = counts()
    with pytest.raises(ValidationError) as error:
        external_participant_invite(programme=open_programme, actor=admin, details=details(**changes))
    assert [(p.field, message in p.message) for p in error.value.problems] == [(field, True)]
    assert counts() == before


def test_an_address_already_known_is_refused(open_programme, admin, org):
    staff = user_with_role(org, Role.MEMBER)
    elsewhere = user_with_role(OrganisationFactory(), Role.MEMBER)
    external_participant_invite(programme=open_programme, actor=admin, details=details())
    before = counts()
    for email, message in (
        ("erin@shop.example", "has already been invited"),
        (staff.email.upper(), "so they can apply as a member of staff"),
        (elsewhere.email, "Someone already signs in to Cadre with this email address"),
    ):
        with pytest.raises(ValidationError, match=message):
            external_participant_invite(programme=open_programme, actor=admin, details=details(email=email))
    assert counts() == before


def test_an_external_participant_sees_only_their_own_things(client, open_programme, programme, admin, org, manager):
    colleague = user_with_role(org, Role.MEMBER, first_name="Colin", last_name="Colleague")
    person, link = external_participant_invite(programme=open_programme, actor=admin, details=details())
    user = invitation_accept(token=token_of(link), password="a long and unusual password")
    client.force_login(user)

    home = text(client.get("/"))
    assert "Hello, Erin" in home and "External participant" in home
    assert "Colleague" not in home and "Import staff" not in home and "Your roles" not in home

    people = text(client.get("/people/"))
    assert "Outside" in people and "Colleague" not in people
    assert manager.person.last_name not in people and admin.person.last_name not in people
    assert client.get(f"/people/{colleague.person.pk}/").status_code == 404
    assert client.get(f"/people/{person.pk}/").status_code == 200

    programmes = text(client.get("/programmes/"))
    assert "Leading across sectors" in programmes
    assert "Aspiring managers programme" not in programmes  # shared with the network only
    assert client.get(f"/programmes/{programme.pk}/").status_code == 404
    assert client.get(f"/programmes/{open_programme.pk}/").status_code == 200


def test_the_invitation_page(client, open_programme, programme, admin):
    client.force_login(admin)
    page = text(client.get(f"/programmes/{programme.pk}/external/new/"))
    assert "is not open to people from outside the public sector" in page and "Send the invitation" not in page
    assert "Invite someone from outside the public sector" in text(client.get(f"/programmes/{open_programme.pk}/"))
    path = f"/programmes/{open_programme.pk}/external/new/"
    assert "Send the invitation" in text(client.get(path))

    before = counts()
    response = client.post(path, {"first_name": "Erin", "last_name": "", "email": "erin at shop", "employer": "Shop"})
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert "Enter their last name." in page and 'href="#id_last_name"' in page
    assert "Enter an email address in the correct format, like name@example.com." in page
    assert 'value="Erin"' in page and 'value="Shop"' in page
    assert counts() == before

    response = client.post(
        path,
        {"first_name": "Erin", "last_name": "Outside", "email": "erin@shop.example", "employer": "Shop"},
        follow=True,
    )
    assert "Erin Outside is invited." in text(response)
    assert Person.objects.get(email="erin@shop.example").role_type == RoleType.EXTERNAL_PARTICIPANT

    response = client.post(
        path, {"first_name": "Erin", "last_name": "Again", "email": "ERIN@shop.example", "employer": "Shop"}
    )
    assert "Erin Outside has already been invited with this email address." in text(response)
    assert 'href="#id_email"' in text(response)
    assert Person.objects.filter(email__iexact="erin@shop.example").count() == 1
