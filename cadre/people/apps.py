from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "cadre.people"
    label = "people"
    verbose_name = "People and line management"

    def ready(self) -> None:
        from cadre.core.audit import register_fields
        from cadre.people import privacy  # noqa: F401
        from cadre.people.models import Person

        register_fields(Person)
