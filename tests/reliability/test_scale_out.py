"""Issue 7: with REDIS_URL, two qcluster processes share ten jobs; each runs exactly once."""

import os
import subprocess
import sys
import time
from collections import Counter

import pytest

from adcreator.jobs.models import JobRun, RunStatus
from adcreator.jobs.services import job_create
from tests.support import e2e_handlers  # noqa: F401  (registers the test-only handler)
from tests.support.worker import REPO_ROOT, database_env, running_qcluster, wait_for

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide Redis at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    client.flushdb()
    return client


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_redis_share_ten_jobs_each_run_once(org, tmp_path):
    redis_client = redis_or_skip()
    env = {"REDIS_URL": REDIS_URL, "ADCREATOR_EXTRA_JOB_HANDLERS": "tests.support.e2e_handlers",
           "ADCREATOR_QUEUE_NAME": f"adcreator-test-{os.getpid()}"}
    runs = []
    for i in range(10):
        job = job_create(organization=org, job_type="scorecard", parameters={"message": f"job {i}", "steps": 2, "seconds": 1.0},
                         enqueue=False)
        runs.append(JobRun.objects.create(job=job))
    # Enqueue through the Redis broker from a process configured like the workers.
    subprocess.run([sys.executable, "manage.py", "requeue_pending_runs"], cwd=REPO_ROOT, check=True,
                   env={**os.environ, **database_env(), **env}, capture_output=True)
    started = time.monotonic()
    with running_qcluster(extra_env=env, log_path=tmp_path / "a.log"), \
            running_qcluster(extra_env=env, log_path=tmp_path / "b.log"):
        wait_for(lambda: JobRun.objects.filter(pk__in=[r.pk for r in runs], status=RunStatus.COMPLETED).count() == 10,
                 timeout=90, message="ten jobs on two workers")
    elapsed = time.monotonic() - started
    finished = list(JobRun.objects.filter(pk__in=[r.pk for r in runs]))
    assert all(run.attempts == 1 for run in finished), [run.attempts for run in finished]
    assert all(run.metadata["echo"].startswith("JOB ") for run in finished)
    per_process = Counter(run.metadata["workers"][0] for run in finished)
    assert sum(per_process.values()) == 10
    assert len(per_process) == 2, f"one process ran everything: {per_process}"
    redis_client.flushdb()
    print(f"\nFIGURES scale-out: 10 jobs on 2 workers (Redis) in {elapsed:.1f}s, by process {dict(per_process)}")
