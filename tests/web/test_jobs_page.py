"""The jobs page /jobs/ (issue 17 items 3 and 4): filters, status, counts after overrides,
cost and cost per approved ad, cancel — in a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from adcreator.calls.models import ProviderCall
from adcreator.jobs.models import Job, JobRun, RunStatus
from review.services import review_override_create
from tests.web import make_ad, make_run

pytestmark = pytest.mark.django_db


def billed(ad_run, n=1, cost="0.039", provider="gemini"):
    run = ad_run.job_run
    ProviderCall.objects.bulk_create([ProviderCall(
        organization_id=run.job.organization_id, brand_id=run.job.brand_id, job_run=run, purpose="image_generation",
        provider=provider, model="m", cost_usd=Decimal(cost), outcome="ok") for _ in range(n)])


def rows_of(html: str) -> int:
    return html.count('data-testid="job-row"')


def test_the_jobs_page_lists_status_counts_and_money(client_in, member, cat):
    ad_run = make_run(cat)
    make_ad(ad_run, prompt_index=1)
    second = make_ad(ad_run, prompt_index=2)
    billed(ad_run, n=2)
    review_override_create(ad=second, user=member, action="override_reject", note="")
    html = client_in.get(reverse("jobs")).content.decode()
    assert rows_of(html) == 1
    assert "1 approved</span> · 1 rejected" in html  # counts from current statuses, after the override
    assert 'data-testid="job-per-approved">$0.078<' in html  # $0.078 over the one ad still approved
    assert "estimate ~$" in html and "at list prices" in html
    assert 'data-testid="brand-spend"' in html and "Spend per brand and month" in html


def test_local_providers_are_shown_as_free(client_in, cat):
    ad_run = make_run(cat)
    make_ad(ad_run)
    billed(ad_run, n=3, cost="0", provider="local")
    html = client_in.get(reverse("jobs")).content.decode()
    assert 'data-testid="job-cost">Local providers: free' in html
    assert 'data-testid="job-per-approved">Free<' in html
    job_page = client_in.get(reverse("job-detail", args=[ad_run.job_run.job_id])).content.decode()
    assert "Local providers: free" in job_page and "not charged: local providers are free" in job_page


def test_filters_by_status_type_brand_and_date(client_in, cat):
    done = make_run(cat).job_run.job
    running = make_run(cat, status=RunStatus.RUNNING, metadata={"stage": "generate_ads"}).job_run.job
    sync = Job.objects.create(organization=cat.org, brand=cat.brand, job_type="meta_sync", name="Sync")
    JobRun.objects.create(job=sync, status=RunStatus.FAILED)
    Job.objects.filter(pk=done.pk).update(created_at=timezone.now() - timedelta(days=10))

    def listed(query):
        html = client_in.get(reverse("jobs") + query).content.decode()
        return {int(part.split('"')[0]) for part in html.split('data-job-id="')[1:]}

    assert listed("") == {done.pk, running.pk, sync.pk}
    assert listed("?status=running") == {running.pk}
    assert listed("?status=completed&status=failed") == {done.pk, sync.pk}
    assert listed("?job_type=meta_sync") == {sync.pk}
    assert listed(f"?brand={cat.brand.pk}") == {done.pk, running.pk, sync.pk}
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert listed(f"?date_from={since}") == {running.pk, sync.pk}
    # Bad input is a form error or ignored, never a 500 or another tenant's rows.
    for bad in ("?status=nope", "?brand=999999", "?date_from=2026-02-31", "?page=abc", "?brand=%00"):
        assert client_in.get(reverse("jobs") + bad).status_code == 200


def test_staff_only_types_are_not_offered_nor_listed(client_in, cat):
    hidden = Job.objects.create(organization=cat.org, job_type="template_element_detection", name="Detect")
    html = client_in.get(reverse("jobs")).content.decode()
    assert 'value="template_element_detection"' not in html and f'data-job-id="{hidden.pk}"' not in html


def test_cancel_from_the_list_for_editors_only(client_in, client, make_member, cat):
    running = make_run(cat, status=RunStatus.RUNNING, metadata={"stage": "generate_ads"})
    make_run(cat)
    html = client_in.get(reverse("jobs")).content.decode()
    assert html.count('data-testid="cancel-job"') == 1
    response = client_in.post(reverse("job-cancel", args=[running.job_run.job_id]), {"next": reverse("jobs")})
    assert response["Location"] == reverse("jobs")
    assert JobRun.objects.get(pk=running.job_run_id).status == RunStatus.CANCELLED
    make_run(cat, status=RunStatus.PENDING, metadata={})
    client.force_login(make_member(cat.org, "vera", role="viewer"))
    assert 'data-testid="cancel-job"' not in client.get(reverse("jobs")).content.decode()


def test_the_jobs_page_queries_do_not_grow_with_jobs(client_in, cat):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client_in.get(reverse("jobs")).status_code == 200
        return len(captured)

    def add_jobs(n):
        for i in range(n):
            ad_run = make_run(cat, status=RunStatus.RUNNING if i % 2 else RunStatus.COMPLETED,
                              metadata={"stage": "review_ads", "ads_total": 2})
            make_ad(ad_run, prompt_index=1, image=False)
            make_ad(ad_run, prompt_index=2, status="rejected", image=False)
            billed(ad_run)

    add_jobs(2)
    few = queries()
    add_jobs(12)
    assert queries() == few
    print(f"\nFIGURES /jobs/: {few} queries for 2 jobs and for 14")
