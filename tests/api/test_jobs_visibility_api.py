"""GET /api/v1/jobs/ and /jobs/<id>/ leave staff-only job types out for clients (issue 17 item 3)."""

import pytest

from adcreator.jobs.models import Job, JobRun, RunStatus
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def test_staff_only_jobs_are_not_listed_nor_found(make_member, catalog):
    client_user = make_member(catalog.org, "carol")
    hidden = Job.objects.create(organization=catalog.org, job_type="quality_calibration", name="Calibrate")
    JobRun.objects.create(job=hidden, status=RunStatus.COMPLETED)
    own = Job.objects.create(organization=catalog.org, job_type="ad_creation_v2", name="Mine")
    api = token_client(client_user)
    listed = api.get("/api/v1/jobs/").json()
    ids = [job["id"] for job in listed["results"]]
    assert ids == [own.pk]
    assert api.get(f"/api/v1/jobs/{hidden.pk}/").status_code == 404
    assert api.get("/api/v1/jobs/?job_type=quality_calibration").json()["results"] == []
    staff = make_member(catalog.org, "sam")
    staff.is_staff = True
    staff.save()
    assert hidden.pk in [job["id"] for job in token_client(staff).get("/api/v1/jobs/").json()["results"]]
