"""Queue entry points. Thin: they take ids and call a service."""

from __future__ import annotations

from adcreator.jobs.services import job_run_execute, job_runs_recover_stale


def execute_job_run(run_id: int) -> str:
    run = job_run_execute(run_id=run_id)
    return run.status if run is not None else "already-finished"


def recover_stale_runs() -> dict:
    return job_runs_recover_stale()
