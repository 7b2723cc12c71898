from django.apps import AppConfig


class GroupingConfig(AppConfig):
    name = "cadre.grouping"
    verbose_name = "Group forming"
