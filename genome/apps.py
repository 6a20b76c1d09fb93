from django.apps import AppConfig


class GenomeConfig(AppConfig):
    name = "genome"
    label = "genome"
    verbose_name = "Creative Genome"

    def ready(self) -> None:
        from adcreator.jobs.schedules import register_schedule
        from genome import tasks

        tasks.register()
        # 02:00 UTC: Meta's previous day is complete for most account time zones by then.
        register_schedule("daily-meta-sync", func="genome.schedules.enqueue_daily_meta_syncs", cron="0 2 * * *",
                          description="One meta_sync per brand with an active Meta connection.")
        # Mondays, after the day's syncs and before the week's generation: update, then validate.
        register_schedule("weekly-genome-update", func="genome.schedules.enqueue_weekly_genome_updates",
                          cron="0 4 * * 1", description="One creative_genome_update per organization with Meta data.")
        register_schedule("weekly-genome-validation", func="genome.schedules.enqueue_weekly_genome_validations",
                          cron="0 6 * * 1", description="One genome_validation per organization with Meta data.")
