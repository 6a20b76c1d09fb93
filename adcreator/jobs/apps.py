import importlib
import os

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "adcreator.jobs"
    label = "jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        # Extra handler modules by dotted path (comma-separated). The end-to-end tests use it
        # to give a real qcluster process a handler that exists only in the tests.
        for module in filter(None, (m.strip() for m in os.environ.get("ADCREATOR_EXTRA_JOB_HANDLERS", "").split(","))):
            importlib.import_module(module)
