"""Run any registered job type for a brand through the queue; --wait follows it to the end.

    manage.py run_job meta_sync --brand demo --wait
    manage.py run_job creative_genome_update --brand demo --params '{"lookback_days": 60}'

The job's parameters are its type's pydantic model: `--brand` fills `brand_id` (or
`brand_ids`) when the model has it, `--params` the rest. Exit code 0 only when the run
completed (as create_ads).
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from adcreator.jobs import registry
from adcreator.jobs.cli import find_brand, follow_run, no_worker_hint
from adcreator.jobs.models import JobRun, RunStatus
from adcreator.jobs.services import job_create


class Command(BaseCommand):
    help = "Queue a job of any registered type for a brand (meta_sync, the weekly learning jobs, …)."

    def add_arguments(self, parser):
        parser.add_argument("job_type", help=f"one of: {', '.join(registry.registered_types())}")
        parser.add_argument("--brand", required=True, help="brand slug")
        parser.add_argument("--org", help="organization slug (when the brand slug is ambiguous)")
        parser.add_argument("--params", default="{}", help="more parameters as a JSON object")
        parser.add_argument("--wait", action="store_true", help="follow progress until the run finishes")
        parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait with --wait")

    def handle(self, *args, **opts):
        job_type = opts["job_type"]
        if job_type not in registry.registered_types():
            raise CommandError(f"unknown job type {job_type!r}; registered: {', '.join(registry.registered_types())}")
        brand = find_brand(opts["brand"], opts.get("org"))
        try:
            parameters = json.loads(opts["params"])
        except json.JSONDecodeError as exc:
            raise CommandError(f"--params is not JSON: {exc.msg} at character {exc.pos}") from None
        if not isinstance(parameters, dict):
            raise CommandError("--params must be a JSON object, e.g. '{\"lookback_days\": 14}'")
        fields = registry.get_handler(job_type).params_model.model_fields
        if "brand_id" in fields:
            parameters.setdefault("brand_id", brand.pk)
        elif "brand_ids" in fields:
            parameters.setdefault("brand_ids", [brand.pk])
        try:
            job = job_create(organization=brand.organization, brand=brand, job_type=job_type, parameters=parameters,
                             name=f"{registry.label_of(job_type)} of {brand.name} (command line)")
        except registry.JobParametersError as exc:
            lines = [f"  {field}: {'; '.join(msgs)}" for field, msgs in exc.errors.items()]
            raise CommandError("the job was not queued:\n" + "\n".join(lines)) from None
        self.stdout.write(f"Queued job {job.pk}: {job}")
        if not opts["wait"]:
            return
        run = follow_run(job, timeout=opts["timeout"], draw=self._draw)
        self.stdout.write("")
        if run is None:
            self.stderr.write(no_worker_hint(job, opts["timeout"]))
            sys.exit(1)
        progress = registry.progress_of(job_type, run.metadata)
        self.stdout.write(f"Run {run.pk}: {run.status}" + (f" — {run.error}" if run.error else ""))
        for key, value in sorted(progress.model_dump(exclude_defaults=True, exclude={"workers"}).items()):
            self.stdout.write(f"  {key}: {value}")
        if run.status != RunStatus.COMPLETED:
            sys.exit(1)

    def _draw(self, run: JobRun) -> None:
        progress = registry.progress_of(run.job.job_type, run.metadata)
        line = f"\r{run.status:<9} {progress.stage or 'waiting for a worker'}"
        self.stdout.write(line[:150].ljust(150), ending="")
        self.stdout.flush()
