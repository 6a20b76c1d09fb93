"""job_cancel: a waiting run never starts, a running one stops at its handler's next check,
what was done is kept, and only owners/editors may cancel (issue 17 item 3)."""

import pytest
from django.core.exceptions import PermissionDenied
from pydantic import BaseModel

from adcreator.jobs import registry, services
from adcreator.jobs.models import Job, JobRun, RunStatus

pytestmark = pytest.mark.django_db


class Steps(BaseModel):
    steps: int


@pytest.fixture
def stepping_handler():
    """A handler that does `steps` units of work, checking for cancellation between them; the
    test cancels from inside unit 2, as a person would while it runs."""
    done = []

    def handler(run, params, progress):
        for step in range(1, params.steps + 1):
            if progress.cancelled():
                raise registry.RunCancelled()
            done.append(step)
            progress.update(step=step)
            if step == 2:
                services.job_cancel(job=run.job, user=None)
                services.CANCEL_CHECK_SECONDS = 0  # the next check reads the database
        return {"finished": True}

    registry.register("reddit_scrape", params_model=Steps, handler=handler)
    original = services.CANCEL_CHECK_SECONDS
    yield done
    services.CANCEL_CHECK_SECONDS = original
    registry.unregister("reddit_scrape")


def test_a_waiting_run_is_cancelled_and_a_worker_that_receives_it_does_nothing(org, make_member):
    owner = make_member(org, "olga", role="owner")
    job = Job.objects.create(organization=org, job_type="reddit_scrape", parameters={"steps": 3})
    run = JobRun.objects.create(job=job)
    cancelled = services.job_cancel(job=job, user=owner)
    assert cancelled.pk == run.pk and cancelled.status == RunStatus.CANCELLED and cancelled.finished_at
    assert services.job_run_execute(run_id=run.pk) is None  # the queued delivery is ignored
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED and run.attempts == 0


def test_a_running_run_stops_at_the_next_check_and_keeps_its_work(org, stepping_handler):
    job = Job.objects.create(organization=org, job_type="reddit_scrape", parameters={"steps": 5})
    run = JobRun.objects.create(job=job)
    services.job_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert stepping_handler == [1, 2]  # stopped between units, never reached 3
    assert run.status == RunStatus.CANCELLED and run.error == ""
    assert run.metadata["step"] == 2 and "finished" not in run.metadata  # progress so far is kept


def test_nothing_to_cancel_and_viewers_are_refused(org, make_member):
    job = Job.objects.create(organization=org, job_type="reddit_scrape", parameters={"steps": 1})
    JobRun.objects.create(job=job, status=RunStatus.COMPLETED)
    with pytest.raises(services.JobNotCancellableError):
        services.job_cancel(job=job, user=None)
    JobRun.objects.create(job=job)
    with pytest.raises(PermissionDenied):
        services.job_cancel(job=job, user=make_member(org, "vic", role="viewer"))
    assert job.runs.filter(status=RunStatus.PENDING).count() == 1


def test_a_cancelled_job_can_run_again(org):
    job = Job.objects.create(organization=org, job_type="reddit_scrape", parameters={"steps": 1})
    JobRun.objects.create(job=job)
    services.job_cancel(job=job, user=None)
    assert services.job_run_now(job=job, user=None).status == RunStatus.PENDING
