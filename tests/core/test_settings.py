import os
import subprocess
import sys

from cadre.core.sso import providers_from_environment


def test_production_settings_pass_the_deployment_check(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cadre.settings",
        "SECRET_KEY": "x" * 30 + "a-long-random-production-secret-key-value",
        "ALLOWED_HOSTS": "cadre.north-borough.gov.uk",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CADRE_HTTPS": "1",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SECURE_HSTS_PRELOAD": "1",
        "CADRE_BEHIND_PROXY": "1",
        "CADRE_VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }
    env.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "cadre", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_development_defaults_fail_the_deployment_check(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cadre.settings", "CADRE_VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "cadre", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_no_single_sign_on_is_configured_by_default():
    assert providers_from_environment({}) == {}


def test_the_demo_outbox_fails_the_deployment_check(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cadre.settings",
        "SECRET_KEY": "x" * 30 + "a-long-random-production-secret-key-value",
        "ALLOWED_HOSTS": "cadre.north-borough.gov.uk",
        "CADRE_VAR_DIR": str(tmp_path),
        "CADRE_DEMO": "1",
    }
    env.pop("EMAIL_BACKEND", None)
    result = subprocess.run(
        [sys.executable, "-m", "cadre", "check", "--deploy"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "cadre.E001" in result.stderr + result.stdout and "cadre.E002" in result.stderr + result.stdout
