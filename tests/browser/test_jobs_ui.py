"""The jobs page, cancel and money in a real browser (issue 17 items 3 and 4): the list and its
filters, cancelling a job a real worker is running, the cost per approved ad on the jobs page,
the job page and the results summary."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from adcreator.calls.models import ProviderCall
from adcreator.jobs.models import Job, JobRun, RunStatus
from generation.models import GeneratedAd
from tests.reliability.test_worker_stop import TOTAL_ADS, WORKER_ENV, made, submit_run
from tests.support.catalog import build_catalog
from tests.support.worker import running_qcluster, wait_for
from tests.web import make_ad, make_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def billed(ad_run, n: int, cost: str = "0.039", provider: str = "gemini") -> None:
    run = ad_run.job_run
    ProviderCall.objects.bulk_create([ProviderCall(
        organization_id=run.job.organization_id, brand_id=run.job.brand_id, job_run=run, purpose="image_generation",
        provider=provider, model="m", cost_usd=Decimal(cost), outcome="ok") for _ in range(n)])


def test_the_jobs_page_lists_and_filters_jobs(org, make_member, login):
    cat = build_catalog(org, templates=1)
    done = make_run(cat)
    make_ad(done, prompt_index=1)
    make_ad(done, prompt_index=2, status="rejected")
    running = make_run(cat, status=RunStatus.RUNNING, metadata={"stage": "review_ads", "ads_total": 2})
    Job.objects.filter(pk=running.job_run.job_id).update(name="Still going")
    hidden = Job.objects.create(organization=org, job_type="quality_calibration", name="Staff calibration")
    JobRun.objects.create(job=hidden, status=RunStatus.COMPLETED)
    page = login(make_member(org, "alice"))
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    expect(page).to_have_url(re.compile(r"/jobs/$"))
    rows = page.get_by_test_id("job-row")
    expect(rows).to_have_count(2)  # the staff job is not there
    expect(page.get_by_text("Staff calibration")).to_have_count(0)
    done_row = page.locator(f'[data-job-id="{done.job_run.job_id}"]')
    expect(done_row.get_by_test_id("job-status")).to_have_text("Done")
    expect(done_row.get_by_test_id("job-counts")).to_contain_text("1 approved")
    expect(page.locator(f'[data-job-id="{running.job_run.job_id}"]').get_by_test_id("job-status")).to_have_text(
        "Reviewing ads")
    page.get_by_label("Running").check()
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Still going")
    page.get_by_role("link", name="Still going").click()
    expect(page).to_have_url(re.compile(rf"/jobs/{running.job_run.job_id}/$"))
    expect(page.get_by_test_id("run-status")).to_have_text("Running")


@pytest.mark.e2e
def test_cancel_a_running_job_from_its_page(org, make_member, login, tmp_path):
    run = submit_run(org)  # 24 ads, a real worker with injected image latency
    page = login(make_member(org, "alice"))
    with running_qcluster(command=("run_worker",), extra_env=WORKER_ENV, log_path=tmp_path / "worker.log"):
        wait_for(lambda: made(run) >= 2, timeout=120, message="the first ads")
        page.goto(f"/jobs/{run.job_id}/")
        expect(page.get_by_test_id("run-status")).to_have_text("Running")
        page.get_by_test_id("cancel-job").click()
        expect(page.get_by_test_id("run-status")).to_have_text("Cancelled")
        expect(page.get_by_test_id("progress-detail")).to_contain_text("what was made is kept")
        expect(page.get_by_test_id("cancel-job")).to_have_count(0)
        wait_for(lambda: "stopped: cancelled" in (tmp_path / "worker.log").read_text(), timeout=30,
                 message="the worker to stop the run")
        kept = made(run)
    assert JobRun.objects.get(pk=run.pk).status == RunStatus.CANCELLED
    assert 2 <= kept < TOTAL_ADS
    assert GeneratedAd.objects.filter(ad_run__job_run=run).exclude(image="").count() == kept
    page.reload()
    expect(page.get_by_test_id("count-attempted")).to_have_text(str(kept))


def test_see_the_cost_per_approved_ad(org, make_member, login):
    cat = build_catalog(org, templates=1)
    ad_run = make_run(cat)
    for index in range(1, 5):
        make_ad(ad_run, template=cat.templates[0], prompt_index=index, status="approved" if index <= 3 else "rejected")
    billed(ad_run, n=6)  # 6 × $0.039 = $0.234 over 3 approved ads
    local = make_run(cat)
    make_ad(local, template=cat.templates[0], prompt_index=1)
    billed(local, n=2, cost="0", provider="local")
    page = login(make_member(org, "alice"))
    page.goto("/jobs/")
    row = page.locator(f'[data-job-id="{ad_run.job_run.job_id}"]')
    expect(row.get_by_test_id("job-cost")).to_contain_text("$0.234")
    expect(row.get_by_test_id("job-per-approved")).to_have_text("$0.078")
    expect(page.locator(f'[data-job-id="{local.job_run.job_id}"]').get_by_test_id("job-cost")).to_contain_text(
        "Local providers: free")
    page.goto(f"/jobs/{ad_run.job_run.job_id}/")
    expect(page.get_by_test_id("cost-actual")).to_contain_text("$0.234")
    expect(page.get_by_test_id("cost-per-approved")).to_contain_text("$0.078")
    expect(page.get_by_test_id("cost-estimate")).to_contain_text("at list prices")
    page.goto(f"/results/?run={ad_run.pk}")
    expect(page.get_by_test_id("stat-cost-per-approved")).to_have_text("$0.078")
