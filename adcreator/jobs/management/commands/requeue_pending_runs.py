from django.core.management.base import BaseCommand

from adcreator.jobs.services import job_runs_requeue_pending


class Command(BaseCommand):
    help = "Queue every pending job run again (after a broker restart lost its queue)."

    def handle(self, *args, **options):
        run_ids = job_runs_requeue_pending()
        self.stdout.write(f"queued {len(run_ids)} pending run(s): {run_ids}")
