"""Issue 13 in a real browser: connect a brand to the (simulated) Meta market, launch an approved ad
from the results page, sync, and read the ad's performance — labelled Simulated — on its card."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from adcreator.jobs.models import Job, JobRun
from adcreator.jobs.services import job_run_execute
from genome.models import AdAccount, AdMapping
from tests.support.catalog import build_catalog
from tests.web import make_ad, make_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cat(org):
    return build_catalog(org, templates=2)


def test_connect_launch_sync_and_read_the_performance(cat, org, make_member, login):
    page = login(make_member(org, "alice"))
    approved = make_ad(make_run(cat), template=cat.templates[0], status="approved")

    page.goto(f"/brands/{cat.brand.pk}/meta/")
    expect(page.get_by_test_id("not-connected")).to_be_visible()
    page.fill("#id_ad_account_id", "12345")  # not an account id: the error names the fix
    page.get_by_test_id("connect").click()
    expect(page.locator(".field-error").first).to_contain_text("act_")
    page.fill("#id_ad_account_id", "act_12345")
    page.get_by_test_id("connect").click()
    expect(page.get_by_test_id("account-id")).to_have_text("act_12345")
    expect(page.get_by_test_id("connection-health")).to_contain_text("Simulated")
    assert AdAccount.objects.get(brand=cat.brand).source == "simulated"

    page.goto("/results/")
    card = page.locator(f'[data-ad-id="{approved.pk}"]')
    card.get_by_test_id("launch").click()
    expect(page.locator(".flash").first).to_contain_text("simulated market")
    assert AdMapping.objects.filter(generated_ad=approved, origin="launch").exists()
    expect(page.locator(f'[data-ad-id="{approved.pk}"]').get_by_test_id("launch")).to_have_count(0)

    call_command("simulate_market", "--brand", cat.brand.slug, "--days", "7")
    page.goto(f"/brands/{cat.brand.pk}/meta/")
    page.get_by_test_id("sync-now").click()  # queues meta_sync and opens its job page
    job = Job.objects.get(job_type="meta_sync")
    job_run_execute(run_id=JobRun.objects.get(job=job).pk)  # the worker's part, in-process
    page.reload()
    expect(page.get_by_test_id("run-status")).to_have_text("Completed")

    page.goto("/results/")
    performance = page.locator(f'[data-ad-id="{approved.pk}"]').get_by_test_id("performance")
    expect(performance.get_by_test_id("perf-source")).to_have_text("Simulated")
    expect(performance.get_by_test_id("perf-ctr")).to_contain_text("%")
    assert int(performance.get_by_test_id("perf-impressions").inner_text()) > 0
    expect(performance.get_by_test_id("sparkline")).to_be_visible()
