from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cadre.core"
    label = "core"
    verbose_name = "Organisations, roles and audit"

    def ready(self) -> None:
        from cadre.core import audit, checks, privacy  # noqa: F401  (registers audited models, checks, the privacy registry)
