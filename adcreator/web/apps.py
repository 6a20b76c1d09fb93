from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **kwargs) -> None:
    """`migrate` creates the database cache's table (idempotent; nothing when Redis is the cache)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class WebConfig(AppConfig):
    name = "adcreator.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        from django.contrib import admin

        from adcreator.web.auth import ThrottledAdminAuthenticationForm

        admin.site.login_form = ThrottledAdminAuthenticationForm
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="adcreator.web.create_cache_table")
