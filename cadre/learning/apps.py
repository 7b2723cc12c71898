from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "cadre.learning"
    label = "learning"
    verbose_name = "Learning requests and records"

    def ready(self) -> None:
        from cadre.learning import privacy  # noqa: F401
        from cadre.learning.record import register_source, requests_source

        register_source(requests_source)
