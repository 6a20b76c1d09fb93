from django.apps import AppConfig


class TemplatesConfig(AppConfig):
    name = "templates"
    label = "templates"
    verbose_name = "Ad templates"

    def ready(self) -> None:
        from templates import tasks

        tasks.register()
