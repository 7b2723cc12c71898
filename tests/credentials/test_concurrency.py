"""Two first issues for an organisation at once make one signing key, and two withdrawals at once
record one (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from cadre.core.errors import ValidationError
from cadre.credentials.models import Credential, IssuerKey
from cadre.credentials.services import credential_revoke
from cadre.credentials.verification import verify
from tests.credentials.helpers import issue
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _together(calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call) -> None:
        try:
            barrier.wait()
            call()
            outcomes.append("done")
        except ValidationError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_first_issues_at_once_share_one_key():
    org = OrganisationFactory()
    outcomes = _together([lambda: issue(org), lambda: issue(org, recipient_name="Alex Jones")])
    assert outcomes == ["done", "done"]
    assert IssuerKey.objects.filter(organisation=org).count() == 1
    assert all(verify(c.jwt).valid for c in Credential.objects.all())


def test_two_withdrawals_at_once_record_one():
    credential = issue(OrganisationFactory())
    outcomes = _together(
        [
            lambda: credential_revoke(credential=Credential.objects.get(), reason="First.", actor=None),
            lambda: credential_revoke(credential=Credential.objects.get(), reason="Second.", actor=None),
        ]
    )
    assert sorted(outcomes) == ["done", "reason: It has already been withdrawn."]
    credential.refresh_from_db()
    assert credential.revocation_reason in {"First.", "Second."}
