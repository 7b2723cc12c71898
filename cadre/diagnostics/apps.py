from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "cadre.diagnostics"
    label = "diagnostics"
    verbose_name = "Diagnostics: self-assessment and 360 feedback"

    def ready(self) -> None:
        from cadre.diagnostics import privacy  # noqa: F401
