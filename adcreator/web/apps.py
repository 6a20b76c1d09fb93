from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save


def create_cache_table(using: str = "default", **kwargs) -> None:
    """`migrate` creates the database cache's table (idempotent; nothing when Redis is the cache)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class WebConfig(AppConfig):
    """The shared web core: base template, login and its throttle, static files, stored images.

    It imports no app; each app's pages and API views build on it."""

    name = "adcreator.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        from django.contrib import admin
        from django.urls import register_converter

        from adcreator.web.auth import ThrottledAdminAuthenticationForm
        from adcreator.web.fields import IdConverter
        from adcreator.web.stored_images import name_uploads_by_content

        # `<id:…>` in every app's URLs: digits within the primary-key range, else a 404.
        register_converter(IdConverter, "id")
        admin.site.login_form = ThrottledAdminAuthenticationForm
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="adcreator.web.create_cache_table")
        # Every model's image uploads, whichever app owns the model (no sender filter).
        pre_save.connect(name_uploads_by_content, dispatch_uid="adcreator.web.name_uploads_by_content")
