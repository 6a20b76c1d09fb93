"""Staff-only job types never reach a client, and a job's counts follow human decisions (issue 17 item 3)."""

import pytest
from django.urls import reverse

from adcreator.jobs.models import Job, JobRun, RunStatus
from adcreator.jobs.registry import STAFF_ONLY_TYPES, is_staff_only
from adcreator.jobs.selectors import jobs_visible_to, recent_jobs
from review.services import review_override_create
from tests.web import make_ad, make_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_job(cat):
    job = Job.objects.create(organization=cat.org, job_type="template_element_detection", name="Detect elements")
    JobRun.objects.create(job=job, status=RunStatus.COMPLETED, metadata={"stage": "done"})
    return job


def test_detection_and_calibration_are_declared_staff_only():
    assert {"template_element_detection", "quality_calibration"} <= STAFF_ONLY_TYPES
    assert is_staff_only("quality_calibration") and not is_staff_only("ad_creation_v2")


def test_a_client_never_sees_a_staff_job(client_in, member, cat, staff_job):
    own = make_run(cat).job_run.job
    assert [j.pk for j in recent_jobs(member)] == [own.pk]
    assert "Detect elements" not in client_in.get(reverse("home")).content.decode()
    assert client_in.get(reverse("job-detail", args=[staff_job.pk])).status_code == 404
    assert client_in.get(reverse("job-progress", args=[staff_job.pk])).status_code == 404


def test_staff_of_the_organization_see_it(member, cat, staff_job):
    member.is_staff = True
    member.save()
    assert staff_job in jobs_visible_to(member)


def test_a_generic_job_page_never_says_waiting_beside_completed(client, make_member, cat, staff_job):
    staff = make_member(cat.org, "sam")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    html = client.get(reverse("job-detail", args=[staff_job.pk])).content.decode()
    assert "Completed" in html and "Waiting for a worker" not in html and "?" not in html.split("Progress")[1][:400]


def test_job_page_counts_follow_a_human_override(client_in, member, cat):
    ad_run = make_run(cat, metadata={"stage": "done", "ads_total": 2, "ads_approved": 2, "ads_rejected": 0})
    make_ad(ad_run, prompt_index=1, status="approved")
    second = make_ad(ad_run, prompt_index=2, status="approved")
    review_override_create(ad=second, user=member, action="override_reject", note="off-brand")
    html = client_in.get(reverse("job-detail", args=[ad_run.job_run.job_id])).content.decode()
    assert 'data-testid="count-approved">1<' in html and 'data-testid="count-rejected">1<' in html


def test_after_retry_rejected_the_page_waits_without_a_full_bar(client_in, cat):
    ad_run = make_run(cat, status=RunStatus.PENDING, metadata={"stage": "done", "ads_total": 1})
    make_ad(ad_run, status="rejected")
    html = client_in.get(reverse("job-detail", args=[ad_run.job_run.job_id])).content.decode()
    progress = html.split('id="job-progress"')[1]
    assert "Waiting for a worker" in progress and "Done" not in progress and "Pending" not in progress
    assert "<progress class=\"bar\" aria-label=\"Progress\"></progress>" in progress  # indeterminate
