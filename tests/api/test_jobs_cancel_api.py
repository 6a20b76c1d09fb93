"""POST /api/v1/jobs/<id>/cancel/: tenancy, roles, state (issue 17 item 3)."""

import pytest

from adcreator.jobs.models import Job, JobRun, RunStatus
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def waiting_job(org, status=RunStatus.RUNNING):
    job = Job.objects.create(organization=org, job_type="ad_creation_v2", name="Spring")
    JobRun.objects.create(job=job, status=status)
    return job


def test_an_editor_cancels_a_running_job(api, catalog):
    job = waiting_job(catalog.org)
    response = api.post(f"/api/v1/jobs/{job.pk}/cancel/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled" and response.json()["finished_at"]
    assert api.get(f"/api/v1/jobs/{job.pk}/").json()["latest_run"]["status"] == "cancelled"


def test_nothing_to_cancel_is_a_conflict(api, catalog):
    job = waiting_job(catalog.org, status=RunStatus.COMPLETED)
    response = api.post(f"/api/v1/jobs/{job.pk}/cancel/")
    assert response.status_code == 409
    assert "no run waiting or running" in response.json()["error"]["message"]


def test_a_viewer_may_not_cancel(catalog, make_member):
    job = waiting_job(catalog.org, status=RunStatus.PENDING)
    response = token_client(make_member(catalog.org, "vera", role="viewer")).post(f"/api/v1/jobs/{job.pk}/cancel/")
    assert response.status_code == 403
    assert job.runs.get().status == RunStatus.PENDING


def test_another_tenant_and_unknown_ids_are_not_found(intruder, api, catalog):
    job = waiting_job(catalog.org)
    assert intruder.post(f"/api/v1/jobs/{job.pk}/cancel/").status_code == 404
    assert api.post("/api/v1/jobs/999999999/cancel/").status_code == 404
    assert api.post("/api/v1/jobs/99999999999999999999999/cancel/").status_code == 404
    assert api.get(f"/api/v1/jobs/{job.pk}/cancel/").status_code == 405
    assert job.runs.get().status == RunStatus.RUNNING


def test_a_staff_only_job_cannot_be_cancelled_by_a_client(api, catalog):
    job = Job.objects.create(organization=catalog.org, job_type="quality_calibration")
    JobRun.objects.create(job=job, status=RunStatus.RUNNING)
    assert api.post(f"/api/v1/jobs/{job.pk}/cancel/").status_code == 404
