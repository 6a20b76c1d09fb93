"""Create the weekly learning schedules (idempotent): quality calibration per organization."""

from django.core.management.base import BaseCommand
from django_q.models import Schedule

WEEKLY_SCHEDULES = {
    # Mondays 03:00 UTC: after the weekend's overrides, before the week's review load.
    "weekly-quality-calibration": ("review.schedules.enqueue_weekly_calibration", "0 3 * * 1"),
}


class Command(BaseCommand):
    help = "Create or update the django-q2 schedules of the weekly learning jobs."

    def handle(self, *args, **options):
        for name, (func, cron) in WEEKLY_SCHEDULES.items():
            _, created = Schedule.objects.update_or_create(
                name=name, defaults={"func": func, "schedule_type": Schedule.CRON, "cron": cron, "repeats": -1},
            )
            self.stdout.write(f"{'created' if created else 'updated'} schedule {name} ({cron}) → {func}")
