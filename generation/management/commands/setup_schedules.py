"""Create the recurring schedules (idempotent): stale-run recovery, weekly quality calibration."""

from django.core.management.base import BaseCommand
from django_q.models import Schedule

SCHEDULES = {
    # Every minute: resume (or fail) runs whose worker stopped beating.
    "recover-stale-runs": ("adcreator.jobs.tasks.recover_stale_runs", "* * * * *"),
    # Mondays 03:00 UTC: after the weekend's overrides, before the week's review load.
    "weekly-quality-calibration": ("review.schedules.enqueue_weekly_calibration", "0 3 * * 1"),
}


class Command(BaseCommand):
    help = "Create or update the django-q2 schedules (stale-run recovery, weekly learning jobs)."

    def handle(self, *args, **options):
        for name, (func, cron) in SCHEDULES.items():
            _, created = Schedule.objects.update_or_create(
                name=name, defaults={"func": func, "schedule_type": Schedule.CRON, "cron": cron, "repeats": -1},
            )
            self.stdout.write(f"{'created' if created else 'updated'} schedule {name} ({cron}) → {func}")
