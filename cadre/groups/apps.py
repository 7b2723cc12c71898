from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "cadre.groups"
    label = "groups"
    verbose_name = "Action learning sets and support-and-challenge groups"

    def ready(self) -> None:
        from cadre.groups import privacy  # noqa: F401  (registers the personal-data handlers)
