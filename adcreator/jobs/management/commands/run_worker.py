"""The worker entry point for process managers: django-q2's cluster with clean stops."""

from django.conf import settings
from django.core.management.base import BaseCommand

from adcreator.jobs.services import job_runs_release
from adcreator.jobs.worker_supervisor import ClusterSupervisor


class Command(BaseCommand):
    help = ("Run a queue worker (ADCREATOR_WORKERS processes). SIGTERM, SIGINT or SIGHUP — to this "
            "process or its whole group — stops it within ADCREATOR_WORKER_STOP_SECONDS; interrupted "
            "runs go back to pending. A second signal stops it at once.")

    def add_arguments(self, parser):
        parser.add_argument("--stop-seconds", type=float, default=None,
                            help="Override ADCREATOR_WORKER_STOP_SECONDS for this process.")

    def handle(self, *args, **options):
        settings.SECRET_KEY  # like qcluster: task signing needs it, fail now rather than later
        stop_seconds = options["stop_seconds"]
        supervisor = ClusterSupervisor(
            stop_seconds=settings.ADCREATOR_WORKER_STOP_SECONDS if stop_seconds is None else stop_seconds,
            release=lambda worker_ids: job_runs_release(worker_ids=worker_ids),
        )
        exit_code = supervisor.run()
        if exit_code:
            raise SystemExit(exit_code)
