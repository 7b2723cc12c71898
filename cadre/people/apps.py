from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "cadre.people"
    label = "people"
    verbose_name = "People and line management"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cadre.people import privacy  # noqa: F401
        from cadre.people.models import Person

        auditlog.register(Person, exclude_fields=["created_at", "updated_at"])
