"""Use cases of the job system: create, enqueue, run, report progress."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, CharField, DateTimeField, F, Q, TextField, Value, When
from django.utils import timezone
from pydantic import BaseModel

from adcreator.jobs import registry
from adcreator.jobs.models import OPEN_STATUSES, Job, JobRun, RunStatus

logger = logging.getLogger(__name__)

TASK_PATH = "adcreator.jobs.tasks.execute_job_run"


# Progress is written at most this often (a stage change always goes out at once): the
# pages poll once a second, so writing per ad at 8-way concurrency is only database load.
PROGRESS_MIN_INTERVAL_SECONDS = 0.5
# A handler asks whether its run was cancelled between units of work (ads): at most this often
# it costs one indexed read, so a cancel takes effect within about one ad.
CANCEL_CHECK_SECONDS = 0.25


class JobRunProgress:
    """Keeps a run's metadata in memory and writes it whole: one UPDATE per report, at most
    every PROGRESS_MIN_INTERVAL_SECONDS. The final metadata is written when the run ends.

    Only the worker that owns a run writes its progress, so there is no merge to race.
    """

    def __init__(self, run: JobRun):
        self.run_id = run.pk
        self.metadata: dict[str, Any] = dict(run.metadata or {})
        self._last_write = 0.0
        self._last_cancel_check = 0.0
        self._cancelled = False

    def cancelled(self) -> bool:
        """Whether someone cancelled this run (job_cancel writes the status): read at most every
        CANCEL_CHECK_SECONDS; once cancelled, always cancelled."""
        now = time.monotonic()
        if not self._cancelled and now - self._last_cancel_check >= CANCEL_CHECK_SECONDS:
            self._last_cancel_check = now
            self._cancelled = JobRun.objects.filter(pk=self.run_id, status=RunStatus.CANCELLED).exists()
        return self._cancelled

    def update(self, **fields: Any) -> None:
        stage_changed = "stage" in fields and fields["stage"] != self.metadata.get("stage")
        self.metadata.update(fields)
        now = time.monotonic()
        if stage_changed or now - self._last_write >= PROGRESS_MIN_INTERVAL_SECONDS:
            self._last_write = now
            JobRun.objects.filter(pk=self.run_id).update(metadata=self.metadata, heartbeat_at=timezone.now())


class Heartbeat:
    """Beats `JobRun.heartbeat_at` from a side thread while a handler runs, so a long provider
    call is not mistaken for a dead worker; a worker that dies stops beating."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.interval = max(1.0, settings.ADCREATOR_STALE_RUN_SECONDS / 4)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{run_id}", daemon=True)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                JobRun.objects.filter(pk=self.run_id, status=RunStatus.RUNNING).update(heartbeat_at=timezone.now())
        except Exception:  # a failed beat must never take the job down with it
            logger.exception("heartbeat of run %s failed", self.run_id)
        finally:
            connection.close()

    def __enter__(self):
        # SQLite's in-memory test databases cannot be shared with another thread.
        if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)


def enqueue_on_commit(run: JobRun) -> None:
    def send() -> None:
        from django_q.tasks import async_task

        task_id = async_task(TASK_PATH, run.pk, task_name=f"job-run-{run.pk}", group=run.job.job_type)
        JobRun.objects.filter(pk=run.pk).update(queue_task_id=str(task_id or ""))

    transaction.on_commit(send)


def job_create(
    *,
    organization,
    job_type: str,
    parameters: dict | BaseModel,
    brand=None,
    created_by=None,
    name: str = "",
    enqueue: bool = True,
    split_from: Job | None = None,
    split_index: int = 1,
    split_total: int = 1,
) -> Job:
    """Store the job and (by default) queue a run.

    `parameters` is either the job type's parameter model, already validated by the service
    that is the door (it is stored as it is), or a dict validated here. Raises
    registry.UnknownJobTypeError when no handler exists for the type and
    registry.JobParametersError with per-field messages when the parameters are invalid.
    """
    params = registry.accept_parameters(job_type, parameters)
    with transaction.atomic():
        job = Job.objects.create(
            organization=organization,
            brand=brand,
            job_type=job_type,
            name=name,
            parameters=params.model_dump(mode="json"),
            created_by=created_by,
            split_from=split_from,
            split_index=split_index,
            split_total=split_total,
        )
        if enqueue:
            job_run_enqueue(job=job)
    return job


class JobBusyError(ValueError):
    """The job (or run) is already waiting for a worker or running."""


def job_run_enqueue(*, job: Job) -> JobRun:
    """A fresh pending run, handed to the queue once the transaction commits."""
    with transaction.atomic():
        run = JobRun.objects.create(job=job, status=RunStatus.PENDING)
        enqueue_on_commit(run)
    return run


def job_run_now(*, job: Job, user=None) -> JobRun:
    """"Run now" from any door: refused while a run of the job is waiting or in progress (a
    second one would only race the first)."""
    from adcreator.catalog.selectors import require_editor

    require_editor(user=user, organization_id=job.organization_id)
    with transaction.atomic():
        Job.objects.select_for_update().filter(pk=job.pk).first()  # serialises two clicks
        if job.runs.filter(status__in=[RunStatus.PENDING, RunStatus.RUNNING]).exists():
            raise JobBusyError("this job already has a run waiting or in progress")
        return job_run_enqueue(job=job)


class JobNotCancellableError(ValueError):
    """The job has no run waiting or running: there is nothing to stop."""


def job_cancel(*, job: Job, user=None) -> JobRun:
    """Cancel the job's waiting or running run, from any door (page, API, admin).

    A waiting run never starts (a worker that receives it finds it finished). A running one is
    marked cancelled at once; its worker sees that between two ads and stops, keeping every ad
    it made (the pipeline writes each ad as it is done). Raises JobNotCancellableError when no
    run is waiting or running, PermissionDenied for a viewer."""
    from adcreator.catalog.selectors import require_editor

    require_editor(user=user, organization_id=job.organization_id)
    with transaction.atomic():
        run = (JobRun.objects.select_for_update().filter(job_id=job.pk, status__in=OPEN_STATUSES)
               .order_by("-created_at", "-id").first())
        if run is None:
            raise JobNotCancellableError("this job has no run waiting or running to cancel")
        run.status = RunStatus.CANCELLED
        run.finished_at = timezone.now()
        run.error = ""
        run.save(update_fields=["status", "finished_at", "error"])
    logger.info("run %s of job %s cancelled by %s", run.pk, job.pk, getattr(user, "pk", "the system"))
    return run


def job_run_reopen(*, run_id: int) -> JobRun:
    """Queue a finished run again: it resumes, finishing only what is missing (its handler
    decides what that is — e.g. the rejected ads a retry budget now allows)."""
    with transaction.atomic():
        run = JobRun.objects.select_for_update().select_related("job").get(pk=run_id)
        if run.status in (RunStatus.PENDING, RunStatus.RUNNING):
            raise JobBusyError("the run is still in progress")
        run.status = RunStatus.PENDING
        run.finished_at = None
        run.save(update_fields=["status", "finished_at"])
        enqueue_on_commit(run)
    return run


def _stale_before(now):
    return now - timedelta(seconds=settings.ADCREATOR_STALE_RUN_SECONDS)


def _claim(run_id: int) -> JobRun | None:
    """Mark the run running. None when it is finished, or when another worker is alive on it
    (a duplicate delivery must never run a job twice at the same time)."""
    with transaction.atomic():
        run = JobRun.objects.select_for_update().select_related("job").get(pk=run_id)
        if run.is_finished:
            return None
        now = timezone.now()
        if run.status == RunStatus.RUNNING and run.heartbeat_at and run.heartbeat_at >= _stale_before(now):
            logger.warning("run %s is running elsewhere (heartbeat %s); not taking it over", run_id, run.heartbeat_at)
            return None
        run.status = RunStatus.RUNNING
        run.attempts += 1
        run.started_at = run.started_at or now
        run.heartbeat_at = now
        run.error = ""
        # Which worker ran each attempt: for the scale-out checks and for operators.
        workers = list((run.metadata or {}).get("workers", []))
        workers.append(f"{socket.gethostname()}:{os.getpid()}")
        run.metadata = dict(run.metadata or {}, workers=workers)
        run.save(update_fields=["status", "attempts", "started_at", "heartbeat_at", "error", "metadata"])
        return run


def job_run_fail(*, run_id: int, error: str, metadata: dict | None = None) -> None:
    fields: dict[str, Any] = {"status": RunStatus.FAILED, "error": error[:5000], "finished_at": timezone.now()}
    if metadata is not None:
        fields["metadata"] = metadata
    # A run someone cancelled stays cancelled, whatever its handler did after the stop.
    JobRun.objects.filter(pk=run_id).exclude(status=RunStatus.CANCELLED).update(**fields)


def job_run_execute(*, run_id: int) -> JobRun | None:
    """Run one JobRun in this process: claim it, dispatch to its handler, record the outcome.

    An unknown job type or a handler that raises leaves the run `failed` with the error and
    re-raises, so the queue records the failure too. Returns None for an already finished run.
    """
    run = _claim(run_id)
    if run is None:
        logger.info("run %s is finished or owned by a live worker; ignoring this delivery", run_id)
        return None
    progress = JobRunProgress(run)
    try:
        with Heartbeat(run.pk):
            result = registry.dispatch(run, run.job.job_type, run.job.parameters, progress)
    except registry.RunCancelled:
        logger.info("run %s (%s) stopped: cancelled", run.pk, run.job.job_type)
        JobRun.objects.filter(pk=run.pk).update(metadata=progress.metadata)
        run.refresh_from_db()
        return run
    except registry.UnknownJobTypeError as exc:
        job_run_fail(run_id=run.pk, error=str(exc), metadata=progress.metadata)
        raise
    except Exception as exc:
        logger.exception("run %s (%s) failed", run.pk, run.job.job_type)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        job_run_fail(run_id=run.pk, error=detail, metadata=progress.metadata)
        raise
    final = dict(progress.metadata)
    if result:
        final.update(result)
    status = RunStatus.FAILED if final.get("error") else RunStatus.COMPLETED
    error = str(final.get("error_detail") or final.get("error") or "") if status == RunStatus.FAILED else ""
    # Cancelled after the handler's last check: the stop stands (everything was made anyway),
    # and the final progress is written all the same. One UPDATE either way.
    was_cancelled = Q(status=RunStatus.CANCELLED)
    JobRun.objects.filter(pk=run.pk).update(
        status=Case(When(was_cancelled, then=F("status")), default=Value(status), output_field=CharField()),
        metadata=final,
        error=Case(When(was_cancelled, then=F("error")), default=Value(error), output_field=TextField()),
        finished_at=Case(When(was_cancelled, then=F("finished_at")), default=Value(timezone.now()),
                         output_field=DateTimeField()),
    )
    run.refresh_from_db()
    return run


def job_runs_recover_stale(*, now=None) -> dict[str, list[int]]:
    """Runs whose worker stopped beating (crashed, killed, machine gone): queue them again to
    resume — they finish only what is missing — or fail them once their attempts are spent.
    Called every minute by the `recover-stale-runs` schedule (created by `migrate`)."""
    now = now or timezone.now()
    resumed, failed = [], []
    stale = JobRun.objects.filter(status=RunStatus.RUNNING, heartbeat_at__lt=_stale_before(now))
    for run_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            run = JobRun.objects.select_for_update().filter(pk=run_id, status=RunStatus.RUNNING,
                                                              heartbeat_at__lt=_stale_before(now)).first()
            if run is None:
                continue
            if run.attempts >= settings.ADCREATOR_RUN_MAX_ATTEMPTS:
                run.status = RunStatus.FAILED
                run.error = (f"the worker stopped responding {run.attempts} time(s) "
                             f"(no heartbeat for {settings.ADCREATOR_STALE_RUN_SECONDS}s); giving up")
                run.finished_at = now
                run.save(update_fields=["status", "error", "finished_at"])
                failed.append(run.pk)
            else:
                run.status = RunStatus.PENDING
                run.metadata = dict(run.metadata or {}, recovered_at=now.isoformat(),
                                    recoveries=int((run.metadata or {}).get("recoveries", 0)) + 1)
                run.save(update_fields=["status", "metadata"])
                enqueue_on_commit(run)
                resumed.append(run.pk)
    if resumed or failed:
        logger.warning("stale runs: resumed %s, failed %s", resumed, failed)
    return {"resumed": resumed, "failed": failed}


def job_runs_release(*, worker_ids: set[str], now=None) -> list[int]:
    """Runs that these stopped worker processes ("host:pid", as `_claim` records them) were
    executing: back to `pending` and onto the queue, so the next worker resumes them (it makes
    only the ads still missing). A stop is not the run's failure: the interrupted attempt does
    not count against ADCREATOR_RUN_MAX_ATTEMPTS."""
    now = now or timezone.now()

    def owned(run_metadata) -> bool:
        workers = (run_metadata or {}).get("workers") or []
        return bool(workers) and workers[-1] in worker_ids

    released = []
    candidates = JobRun.objects.filter(status=RunStatus.RUNNING).values_list("pk", "metadata")
    for run_id in [pk for pk, metadata in candidates if owned(metadata)]:
        with transaction.atomic():
            run = JobRun.objects.select_for_update().filter(pk=run_id, status=RunStatus.RUNNING).first()
            if run is None or not owned(run.metadata):
                continue
            run.status = RunStatus.PENDING
            run.attempts = max(run.attempts - 1, 0)
            run.metadata = dict(run.metadata or {}, released_at=now.isoformat(),
                                releases=int((run.metadata or {}).get("releases", 0)) + 1)
            run.save(update_fields=["status", "attempts", "metadata"])
            enqueue_on_commit(run)
        released.append(run_id)
    return released


def job_runs_requeue_pending() -> list[int]:
    """Hand every pending run to the queue again. For a broker that lost its queue (Redis
    keeps nothing across a restart here): runs are idempotent, and a run already taken by a
    live worker is refused at claim time, so a duplicate delivery is harmless."""
    run_ids = list(JobRun.objects.filter(status=RunStatus.PENDING).order_by("id").values_list("pk", flat=True))
    with transaction.atomic():
        for run in JobRun.objects.filter(pk__in=run_ids).select_related("job"):
            enqueue_on_commit(run)
    return run_ids
