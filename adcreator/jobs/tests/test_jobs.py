import logging

import pytest
from django.db import IntegrityError, connection, transaction
from pydantic import BaseModel

from adcreator.jobs import registry, services
from adcreator.jobs.models import Job, JobRun, JobType, RunStatus


class CountParams(BaseModel):
    n: int


@pytest.fixture
def spy_handler():
    calls = []

    def handler(run, params, progress):
        calls.append((run.pk, params))
        progress.update(done=params.n)
        return {"result": params.n * 2}

    registry.register("amazon_review_scrape", params_model=CountParams, handler=handler)
    yield calls
    registry.unregister("amazon_review_scrape")


@pytest.mark.django_db
def test_database_refuses_unknown_job_type(org):
    job = Job.objects.create(organization=org, job_type=JobType.META_SYNC)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.filter(pk=job.pk).update(job_type="ad_creation_v3")
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO jobs_job (organization_id, job_type, name, parameters, split_index, split_total, created_at)"
                " VALUES (%s, %s, '', '{}', 1, 1, CURRENT_TIMESTAMP)",
                [org.pk, "definitely_not_a_type"],
            )
    assert list(Job.objects.values_list("job_type", flat=True)) == ["meta_sync"]


@pytest.mark.django_db
def test_database_refuses_unknown_run_status(org):
    run = JobRun.objects.create(job=Job.objects.create(organization=org, job_type=JobType.META_SYNC))
    with pytest.raises(IntegrityError), transaction.atomic():
        JobRun.objects.filter(pk=run.pk).update(status="done-ish")


def test_registry_refuses_types_outside_the_closed_list():
    with pytest.raises(ValueError, match="closed list"):
        registry.register("ad_creation_v9", params_model=CountParams, handler=lambda *a: None)


@pytest.mark.django_db
def test_dispatching_unknown_type_logs_fails_raises_and_calls_no_handler(org, spy_handler, caplog):
    job = Job.objects.create(organization=org, job_type=JobType.REDDIT_SCRAPE, parameters={"n": 1})
    run = JobRun.objects.create(job=job)
    caplog.set_level(logging.ERROR, logger="adcreator.jobs.registry")
    with pytest.raises(registry.UnknownJobTypeError):
        services.job_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "reddit_scrape" in run.error
    assert any("no handler for job type 'reddit_scrape'" in r.getMessage() for r in caplog.records)
    assert spy_handler == []


def test_dispatch_with_a_bare_unknown_type_raises_without_fallthrough(spy_handler, caplog):
    caplog.set_level(logging.ERROR)
    with pytest.raises(registry.UnknownJobTypeError):
        registry.dispatch(None, "totally_unknown", {"n": 1}, progress=None)
    assert spy_handler == []
    assert "totally_unknown" in caplog.text


@pytest.mark.django_db
def test_job_create_validates_parameters_per_type(org, spy_handler):
    with pytest.raises(registry.JobParametersError) as excinfo:
        services.job_create(organization=org, job_type="amazon_review_scrape", parameters={"n": "many"}, enqueue=False)
    assert "n" in excinfo.value.errors
    assert Job.objects.count() == 0
    with pytest.raises(registry.UnknownJobTypeError):
        services.job_create(organization=org, job_type="scorecard_v2", parameters={}, enqueue=False)


@pytest.mark.django_db
def test_execute_runs_handler_and_records_progress(org, spy_handler):
    job = services.job_create(organization=org, job_type="amazon_review_scrape", parameters={"n": 21}, enqueue=False)
    run = JobRun.objects.create(job=job)
    finished = services.job_run_execute(run_id=run.pk)
    assert finished.status == RunStatus.COMPLETED
    assert {k: v for k, v in finished.metadata.items() if k != "workers"} == {"done": 21, "result": 42}
    assert len(finished.metadata["workers"]) == 1  # which process ran it
    assert finished.attempts == 1 and finished.started_at and finished.finished_at
    assert len(spy_handler) == 1
    # A duplicate delivery of a finished run does nothing.
    assert services.job_run_execute(run_id=run.pk) is None
    assert len(spy_handler) == 1


@pytest.mark.django_db
def test_handler_exception_marks_run_failed_and_reraises(org):
    def broken(run, params, progress):
        progress.update(ads_attempted=1)
        raise RuntimeError("provider exploded")

    registry.register("competitor_scrape", params_model=CountParams, handler=broken)
    try:
        job = Job.objects.create(organization=org, job_type="competitor_scrape", parameters={"n": 1})
        run = JobRun.objects.create(job=job)
        with pytest.raises(RuntimeError):
            services.job_run_execute(run_id=run.pk)
        run.refresh_from_db()
        assert run.status == RunStatus.FAILED
        assert "provider exploded" in run.error
        assert run.metadata["ads_attempted"] == 1
    finally:
        registry.unregister("competitor_scrape")


@pytest.mark.django_db(transaction=True)
def test_run_now_enqueues_on_commit_only(org, spy_handler):
    from django_q.models import OrmQ

    with transaction.atomic():
        job = services.job_create(organization=org, job_type="amazon_review_scrape", parameters={"n": 2})
        assert OrmQ.objects.count() == 0  # nothing leaves before the commit
    assert OrmQ.objects.count() == 1
    services.job_run_enqueue(job=job)
    assert OrmQ.objects.count() == 2
    assert job.runs.count() == 2
    assert all(run.queue_task_id for run in job.runs.all())
