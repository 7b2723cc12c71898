import os

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["tests.diagnostics.fixtures", "tests.programmes.fixtures"]

settings.register_profile("ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Each test gets its own outbox and cache folder, immediate tasks and fast password hashing."""
    settings.CADRE_OUTBOX_DIR = tmp_path / "outbox"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CADRE_SHOW_OUTBOX = True
    from django.core.cache import cache

    cache.clear()
    yield


def is_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"
