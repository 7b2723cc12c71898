from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "cadre.credentials"
    label = "credentials"
    verbose_name = "Certificates and badges"

    def ready(self) -> None:
        from cadre.credentials import privacy  # noqa: F401
