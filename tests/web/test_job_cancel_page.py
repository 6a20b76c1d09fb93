"""Cancel from the job page and the admin (issue 17 item 3): the same service as the API."""

import pytest
from django.urls import reverse

from adcreator.jobs.models import JobRun, RunStatus
from tests.web import make_run

pytestmark = pytest.mark.django_db


def test_the_job_page_offers_cancel_while_running_and_it_cancels(client_in, cat):
    ad_run = make_run(cat, status=RunStatus.RUNNING, metadata={"stage": "generate_ads", "ads_total": 4})
    job = ad_run.job_run.job
    html = client_in.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert 'data-testid="cancel-job"' in html
    response = client_in.post(reverse("job-cancel", args=[job.pk]), {"next": reverse("job-detail", args=[job.pk])})
    assert response.status_code == 302 and response["Location"] == reverse("job-detail", args=[job.pk])
    assert JobRun.objects.get(pk=ad_run.job_run_id).status == RunStatus.CANCELLED
    page = client_in.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "Cancelled" in page and 'data-testid="cancel-job"' not in page and "what was made is kept" in page


def test_a_viewer_sees_no_cancel_button_and_cannot_post(client, make_member, cat):
    ad_run = make_run(cat, status=RunStatus.PENDING, metadata={})
    client.force_login(make_member(cat.org, "vera", role="viewer"))
    job_id = ad_run.job_run.job_id
    assert 'data-testid="cancel-job"' not in client.get(reverse("job-detail", args=[job_id])).content.decode()
    assert client.post(reverse("job-cancel", args=[job_id])).status_code == 403
    assert JobRun.objects.get(pk=ad_run.job_run_id).status == RunStatus.PENDING


def test_the_admin_action_cancels(admin_client, cat):
    running = make_run(cat, status=RunStatus.RUNNING).job_run
    finished = make_run(cat).job_run
    response = admin_client.post(reverse("admin:jobs_job_changelist"), {
        "action": "cancel", "_selected_action": [running.job_id, finished.job_id]}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Cancelled 1 job(s)." in text and f"job(s) [{finished.job_id}]" in text
    assert JobRun.objects.get(pk=running.pk).status == RunStatus.CANCELLED
