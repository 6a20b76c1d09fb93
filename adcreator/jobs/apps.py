import importlib
import os

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class JobsConfig(AppConfig):
    name = "adcreator.jobs"
    label = "jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        from adcreator.jobs.schedules import register_schedule, sync_on_migrate

        register_schedule("recover-stale-runs", func="adcreator.jobs.tasks.recover_stale_runs", cron="* * * * *",
                          description="Every minute: resume (or fail) runs whose worker stopped beating.")
        # Once, after every app's migrations: every app has registered its schedules by then.
        post_migrate.connect(sync_on_migrate, sender=self, dispatch_uid="adcreator.jobs.sync_schedules")
        # Extra handler modules by dotted path (comma-separated). The end-to-end tests use it
        # to give a real qcluster process a handler that exists only in the tests.
        for module in filter(None, (m.strip() for m in os.environ.get("ADCREATOR_EXTRA_JOB_HANDLERS", "").split(","))):
            importlib.import_module(module)
