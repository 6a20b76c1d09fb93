from django.apps import AppConfig


class ExperimentsConfig(AppConfig):
    name = "experiments"
    label = "experiments"
    verbose_name = "Experiments and winner evolution"

    def ready(self) -> None:
        from adcreator.jobs.schedules import register_schedule
        from experiments import tasks

        tasks.register()
        # 05:00 UTC daily: three hours after the daily Meta syncs (02:00), so each look sees the
        # day that just completed.
        register_schedule("daily-experiment-analysis", func="experiments.schedules.enqueue_daily_experiment_analysis",
                          cron="0 5 * * *", description="One experiment_analysis per organization with experiments.")
