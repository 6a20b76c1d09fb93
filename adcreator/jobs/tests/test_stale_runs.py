from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import OrmQ

from adcreator.jobs.models import Job, JobRun, RunStatus
from adcreator.jobs.services import _claim, job_runs_recover_stale


@pytest.fixture
def running(org):
    def make(seconds_ago: int, attempts: int = 1):
        job = Job.objects.create(organization=org, job_type="scorecard")
        return JobRun.objects.create(job=job, status=RunStatus.RUNNING, attempts=attempts,
                                     heartbeat_at=timezone.now() - timedelta(seconds=seconds_ago))
    return make


@pytest.mark.django_db(transaction=True)
def test_a_silent_run_is_resumed_and_a_beating_one_left_alone(running, settings):
    settings.ADCREATOR_STALE_RUN_SECONDS = 60
    dead, alive = running(120), running(5)
    result = job_runs_recover_stale()
    assert result == {"resumed": [dead.pk], "failed": []}
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == RunStatus.PENDING and dead.metadata["recoveries"] == 1
    assert alive.status == RunStatus.RUNNING
    assert OrmQ.objects.count() == 1  # queued again, once


@pytest.mark.django_db
def test_a_run_that_keeps_dying_is_failed_with_a_reason(running, settings):
    settings.ADCREATOR_STALE_RUN_SECONDS = 60
    settings.ADCREATOR_RUN_MAX_ATTEMPTS = 3
    run = running(300, attempts=3)
    assert job_runs_recover_stale() == {"resumed": [], "failed": [run.pk]}
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "stopped responding 3 time(s)" in run.error and run.finished_at


@pytest.mark.django_db
def test_a_duplicate_delivery_never_runs_beside_a_live_worker(running, settings):
    settings.ADCREATOR_STALE_RUN_SECONDS = 60
    assert _claim(running(5).pk) is None  # someone is on it
    taken = _claim(running(120).pk)  # its worker is gone: take it over
    assert taken is not None and taken.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_runs_of_stopped_workers_go_back_to_pending_without_spending_an_attempt(org):
    from adcreator.jobs.services import job_runs_release

    job = Job.objects.create(organization=org, job_type="scorecard")
    mine = JobRun.objects.create(job=job, status=RunStatus.RUNNING, attempts=2,
                                 metadata={"workers": ["host-a:11", "host-b:42"]})
    resumed_elsewhere = JobRun.objects.create(job=job, status=RunStatus.RUNNING, attempts=2,
                                              metadata={"workers": ["host-b:42", "host-c:7"]})
    finished = JobRun.objects.create(job=job, status=RunStatus.COMPLETED, metadata={"workers": ["host-b:42"]})
    assert job_runs_release(worker_ids={"host-b:42", "host-b:43"}) == [mine.pk]
    mine.refresh_from_db()
    assert mine.status == RunStatus.PENDING and mine.attempts == 1 and mine.metadata["releases"] == 1
    assert JobRun.objects.get(pk=resumed_elsewhere.pk).status == RunStatus.RUNNING  # its owner lives
    assert JobRun.objects.get(pk=finished.pk).status == RunStatus.COMPLETED
    assert OrmQ.objects.count() == 1  # queued again, once
