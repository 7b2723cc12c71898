"""`cadre verify-badge FILE`: one line out, and the exit status says valid (0), invalid (1) or
unreadable (2)."""

import io
import subprocess
import sys

import pytest
from django.core.management import call_command

from cadre.cli import main as cadre
from tests.credentials.helpers import claims_of, issue, resign, stranger_key

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    with pytest.raises(SystemExit) as ended:
        call_command("verify_badge", *args, stdout=out)
    return ended.value.code, out.getvalue()


def test_a_valid_credential_prints_who_awarded_what_to_whom(org, tmp_path):
    credential = issue(org)
    path = tmp_path / "badge.jwt"
    path.write_text(credential.jwt + "\n", encoding="utf-8")
    status, printed = run(str(path))
    assert status == 0
    assert printed == f"valid issuer={org.name} recipient=Sam Smith achievement=Leading through change\n"


def test_an_invalid_credential_prints_the_reason_and_exits_1(org, tmp_path):
    credential = issue(org)
    path = tmp_path / "forged.jwt"
    path.write_text(resign(claims_of(credential), credential.key, private_key=stranger_key()), encoding="utf-8")
    status, printed = run(str(path))
    assert status == 1 and printed.startswith("invalid: bad signature: ") and printed.count("\n") == 1
    path.write_text("this is not a credential", encoding="utf-8")
    assert run(str(path))[1].startswith("invalid: bad format: ")


def test_a_withdrawn_credential_exits_1(org, tmp_path):
    from cadre.credentials.services import credential_revoke

    credential = issue(org)
    credential_revoke(credential=credential, reason="Issued in error.", actor=None)
    path = tmp_path / "badge.jwt"
    path.write_text(credential.jwt, encoding="utf-8")
    status, printed = run(str(path))
    assert status == 1 and printed.startswith("invalid: revoked: ") and "Issued in error." in printed


def test_an_unreadable_file_exits_2(tmp_path):
    status, printed = run(str(tmp_path / "missing.jwt"))
    assert status == 2 and printed.startswith("unreadable: ")
    binary = tmp_path / "picture.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    status, printed = run(str(binary))
    assert status == 2 and "not a text file" in printed
    assert run(str(tmp_path))[0] == 2  # a folder


def test_the_cadre_command_runs_it_by_its_hyphenated_name(org, tmp_path, capsys):
    credential = issue(org)
    path = tmp_path / "badge.jwt"
    path.write_text(credential.jwt, encoding="utf-8")
    with pytest.raises(SystemExit) as ended:
        cadre(["cadre", "verify-badge", str(path)])
    assert ended.value.code == 0
    assert capsys.readouterr().out.startswith("valid issuer=")


def test_standard_input_is_read_with_a_dash(org, monkeypatch):
    credential = issue(org)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(credential.jwt.encode())))
    assert run("-")[0] == 0


def test_the_installed_command_exits_2_for_a_missing_file(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "cadre", "verify-badge", str(tmp_path / "nothing.jwt")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 2, completed.stderr
    assert completed.stdout.startswith("unreadable: ")
