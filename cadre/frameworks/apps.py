from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "cadre.frameworks"
    label = "frameworks"
    verbose_name = "Leadership frameworks"
