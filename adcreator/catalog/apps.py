from django.apps import AppConfig
from django.db.models.signals import pre_save


class CatalogConfig(AppConfig):
    name = "adcreator.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from adcreator.catalog.stored_images import name_uploads_by_content

        # Every model's image uploads, whichever app owns the model (no sender filter).
        pre_save.connect(name_uploads_by_content, dispatch_uid="adcreator.catalog.name_uploads_by_content")
