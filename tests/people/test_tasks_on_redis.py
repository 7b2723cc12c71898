"""The same task code runs on Redis with an RQ worker, for installations that scale out."""

import django_rq
import django_rq.settings
import pytest
from django_tasks_rq import Job
from rq import SimpleWorker

from cadre.people import services
from cadre.people.models import Person, PersonImport
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def rq_backend(settings, monkeypatch):
    monkeypatch.setitem(django_rq.settings.QUEUES, "default", {"URL": REDIS, "DEFAULT_TIMEOUT": 60})
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.connection.flushdb()
    yield queue
    queue.connection.flushdb()


def test_a_confirmed_import_waits_in_redis_until_a_worker_runs_it(rq_backend, django_capture_on_commit_callbacks):
    org = OrganisationFactory()
    person_import = services.import_preview(
        organisation=org, actor=None, data=b"Employee number,First name,Last name\n1,Al,Ash\n", filename="s.csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(person_import=person_import, actor=None)
    assert rq_backend.count == 1
    person_import.refresh_from_db()
    assert person_import.status == PersonImport.Status.QUEUED
    assert not Person.objects.exists()
    worker = django_rq.get_worker("default", worker_class=SimpleWorker, job_class=Job)
    assert worker.work(burst=True)
    person_import.refresh_from_db()
    assert person_import.status == PersonImport.Status.COMPLETED
    assert Person.objects.get().employee_number == "1"
