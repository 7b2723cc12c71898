from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "cadre.programmes"
    label = "programmes"
    verbose_name = "Programmes and cohorts"

    def ready(self) -> None:
        from cadre.learning.record import register_source
        from cadre.programmes.record import programme_places

        register_source(programme_places)
