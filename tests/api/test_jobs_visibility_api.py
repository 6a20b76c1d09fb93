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


def test_the_list_filters_by_status_brand_and_date(api, catalog):
    running = Job.objects.create(organization=catalog.org, brand=catalog.brand, job_type="ad_creation_v2")
    JobRun.objects.create(job=running, status=RunStatus.RUNNING)
    waiting = Job.objects.create(organization=catalog.org, job_type="ad_creation_v2")  # no run yet: pending

    def ids(query):
        response = api.get("/api/v1/jobs/" + query)
        assert response.status_code == 200, response.json()
        return {job["id"] for job in response.json()["results"]}

    assert ids("?status=running") == {running.pk}
    assert ids("?status=pending&status=cancelled") == {waiting.pk}
    assert ids(f"?brand={catalog.brand.pk}") == {running.pk}
    assert ids("?date_from=9999-12-31&date_to=9999-12-31") == set()
    assert ids("?date_from=2000-01-01") == {running.pk, waiting.pk}
    for query, field in (("status=done-ish", "status.0"), ("brand=x", "brand"), ("date_from=yesterday", "date_from")):
        bad = api.get(f"/api/v1/jobs/?{query}")
        assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {field}, bad.json()
