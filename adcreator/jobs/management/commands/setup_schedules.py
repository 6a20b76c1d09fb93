"""Create or update the recurring schedules again (`migrate` already does; this is the re-run)."""

from django.core.management.base import BaseCommand

from adcreator.jobs.schedules import schedules_sync


class Command(BaseCommand):
    help = "Create or update the django-q2 schedules every app registered (stale-run recovery, weekly jobs)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args, **options):
        for schedule, what in schedules_sync(using=options["database"]):
            self.stdout.write(f"{what} schedule {schedule.name} ({schedule.cron}) → {schedule.func}")
