from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "cadre.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring and coaching"
