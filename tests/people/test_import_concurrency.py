"""Two imports at the same moment cannot together make a line-management cycle (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from cadre.core.errors import ValidationError
from cadre.people.models import Person
from cadre.people.services import import_file
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HEADER = "Employee number,First name,Last name,Manager employee number\n"


def test_concurrent_imports_are_applied_one_after_the_other():
    org = OrganisationFactory()
    import_file(
        organisation_id=org.pk,
        data=(HEADER + "E1,A,A,\nE2,B,B,\n").encode(),
        filename="start.csv",
        mode="partial",
        mapping=None,
        actor=None,
    )
    files = [(HEADER + "E1,A,A,E2\n").encode(), (HEADER + "E2,B,B,E1\n").encode()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(data: bytes) -> None:
        try:
            barrier.wait()
            import_file(organisation_id=org.pk, data=data, filename="x.csv", mode="partial", mapping=None, actor=None)
            outcomes.append("imported")
        except ValidationError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(data,)) for data in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(o == "imported" for o in outcomes) == [False, True], outcomes
    assert any("cycle" in o for o in outcomes)
    managers = dict(
        Person.objects.filter(organisation=org).values_list("employee_number", "line_manager__employee_number")
    )
    assert managers in ({"E1": "E2", "E2": None}, {"E1": None, "E2": "E1"})
