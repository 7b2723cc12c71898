import json
import subprocess
import sys

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from cadre.core.models import Invitation, Membership, Organisation, Role
from cadre.people.models import Person
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_create_organisation_invites_its_first_administrator(capsys, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_organisation",
            "north-borough",
            name="North Borough Council",
            type="council",
            admin_email="Ada@North.example",
        )
    out = capsys.readouterr().out
    org = Organisation.objects.get(slug="north-borough")
    assert org.type == "council"
    invitation = Invitation.objects.get(organisation=org)
    assert invitation.email == "ada@north.example"
    assert Role.ORG_ADMIN in invitation.roles
    link = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Invitation"))
    assert link.startswith("http://") and "/invitations/" in link
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body


def test_create_organisation_refuses_a_taken_slug_and_writes_nothing():
    OrganisationFactory(slug="taken")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_organisation", "taken", name="Another", type="council", admin_email="a@b.example")
    assert Invitation.objects.count() == 0


def test_create_organisation_refuses_a_bad_email_and_writes_nothing():
    with pytest.raises(CommandError, match="not a valid email"):
        call_command("create_organisation", "fresh", name="Fresh", type="nhs", admin_email="nope")
    assert not Organisation.objects.filter(slug="fresh").exists()


def test_accepting_the_invitation_creates_the_login_with_its_roles(client, capsys):
    call_command("create_organisation", "east", name="East Council", type="council", admin_email="eve@east.example")
    link = capsys.readouterr().out.split("Invitation for eve@east.example: ")[1].strip()
    path = link.split("127.0.0.1:8000", 1)[1]
    page = client.get(path)
    assert page.status_code == 200
    bad = client.post(path, {"full_name": "Eve", "password": "short", "password_again": "short"})
    assert "There is a problem" in bad.content.decode()
    good = client.post(
        path, {"full_name": "Eve East", "password": "plain words make it", "password_again": "plain words make it"}
    )
    assert good.status_code == 302
    assert set(Membership.objects.filter(user__email="eve@east.example").values_list("role", flat=True)) == {
        Role.ORG_ADMIN,
        Role.MEMBER,
    }
    again = client.post(
        path, {"full_name": "Eve East", "password": "plain words make it", "password_again": "plain words make it"}
    )
    assert "already been used" in again.content.decode()


def _write(tmp_path, text: str) -> str:
    path = tmp_path / "staff.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_people_prints_the_summary_and_is_idempotent(tmp_path, capsys):
    OrganisationFactory(slug="west")
    file = _write(
        tmp_path,
        "Employee number,First name,Last name,Manager employee number\n2,Bo,Bell,1\n1,Al,Ash,\n",
    )
    call_command("import_people", file, organisation="west", dry_run=True)
    assert capsys.readouterr().out.strip() == "new=2 changed=0 unchanged=0 left=0 errors=0"
    assert Person.objects.count() == 0
    call_command("import_people", file, organisation="west")
    assert capsys.readouterr().out.strip() == "new=2 changed=0 unchanged=0 left=0 errors=0"
    call_command("import_people", file, organisation="west", mode="full")
    assert capsys.readouterr().out.strip() == "new=0 changed=0 unchanged=2 left=0 errors=0"


def test_import_people_exits_non_zero_and_names_row_and_column(tmp_path, capsys):
    OrganisationFactory(slug="south")
    file = _write(tmp_path, "Employee number,First name,Last name,Email\n1,Al,Ash,not-an-email\n")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_people", file, organisation="south")
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert captured.out.strip() == "new=0 changed=0 unchanged=0 left=0 errors=1"
    assert "row 2, column email: ‘not-an-email’ is not a valid email address." in captured.err
    assert Person.objects.count() == 0


def test_export_person_command(capsys):
    org = OrganisationFactory(slug="north")
    PersonFactory(organisation=org, employee_number="77", first_name="Rhys")
    call_command("export_person", "77", organisation="north")
    assert json.loads(capsys.readouterr().out)["sections"]["people"]["first_name"] == "Rhys"
    with pytest.raises(CommandError, match="employee number 78"):
        call_command("export_person", "78", organisation="north")


def test_the_cadre_console_command_wraps_management_commands():
    result = subprocess.run(
        [sys.executable, "-m", "cadre", "import-people", "--help"], capture_output=True, text=True, check=True
    )
    assert "--dry-run" in result.stdout and "--mode" in result.stdout
