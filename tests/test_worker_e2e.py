"""A real qcluster process picks up an enqueued job and completes it."""

import os

import pytest

from adcreator.jobs import services
from adcreator.jobs.models import RunStatus
from tests.support import e2e_handlers  # noqa: F401  (registers the test-only handler here too)
from tests.support.worker import running_qcluster, wait_for


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_qcluster_process_runs_a_job_to_completion(org, tmp_path):
    job = services.job_create(
        organization=org, job_type="scorecard", parameters={"message": "hello worker", "steps": 4}
    )
    run = job.runs.get()
    assert run.status == RunStatus.PENDING
    log = tmp_path / "qcluster.log"
    with running_qcluster(extra_env={"ADCREATOR_EXTRA_JOB_HANDLERS": "tests.support.e2e_handlers"}, log_path=log):
        wait_for(lambda: run.__class__.objects.get(pk=run.pk).is_finished, timeout=60, message="the run to finish")
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED, log.read_text()[-3000:]
    assert run.metadata["echo"] == "HELLO WORKER"
    assert run.metadata["step"] == 4
    assert run.metadata["pid"] != os.getpid()  # it ran in the worker, not here
