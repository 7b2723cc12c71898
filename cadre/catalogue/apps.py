from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "cadre.catalogue"
    label = "catalogue"
    verbose_name = "Development catalogue"
