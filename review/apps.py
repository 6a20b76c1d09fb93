from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    label = "review"
    verbose_name = "Review"

    def ready(self) -> None:
        from adcreator.jobs.schedules import register_schedule
        from review import tasks

        tasks.register()
        # Mondays 03:00 UTC: after the weekend's overrides, before the week's review load.
        register_schedule("weekly-quality-calibration", func="review.schedules.enqueue_weekly_calibration",
                          cron="0 3 * * 1", description="One quality_calibration job per organization.")
