from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "adcreator.catalog"
    label = "catalog"
    verbose_name = "Catalog"
