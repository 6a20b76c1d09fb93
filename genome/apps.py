from django.apps import AppConfig


class GenomeConfig(AppConfig):
    name = "genome"
    label = "genome"
    verbose_name = "Creative Genome"

    def ready(self) -> None:
        from genome import tasks

        tasks.register()
