from django.apps import AppConfig


class ExperimentsConfig(AppConfig):
    name = "experiments"
    label = "experiments"
    verbose_name = "Experiments and winner evolution"

    def ready(self) -> None:
        from experiments import tasks

        tasks.register()
