"""Spec "Pending UI Tests", Phase 2 / Full E2E: the browser submits, a real qcluster process runs
the pipeline (local providers), the job page follows it live, the results page shows the ads;
then "Retry rejected" regenerates a rejected ad through the staged review."""

import re
import signal

import pytest
from playwright.sync_api import expect

from adcreator.jobs.models import JobRun, RunStatus
from generation.models import GeneratedAd
from tests.support.catalog import build_catalog
from tests.support.worker import running_qcluster, stop_process_group, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A worker run of two ads takes a few seconds; the margin covers a slow CI machine.
RUN_TIMEOUT_MS = 90_000


def stop_quickly(cluster) -> None:
    """The work is done: an idle cluster stops on SIGINT at once, where SIGTERM after a task
    was seen to wait out the helper's 15 s grace period (it then gets the same SIGKILL)."""
    stop_process_group(cluster, sig=signal.SIGINT, timeout=5)


def test_job_creation_worker_execution_and_results_display(org, make_member, login, tmp_path):
    cat = build_catalog(org, templates=2)
    page = login(make_member(org, "alice"))
    page.goto("/create/")
    page.locator(".tpl-card", has_text=cat.templates[0].name).click()
    page.get_by_label("Brand — your brand colours").check()  # 1 template × 1 size × 2 colours
    expect(page.get_by_test_id("attempts")).to_have_text("2")
    with running_qcluster(log_path=tmp_path / "qcluster.log") as cluster:
        page.locator("#estimate").get_by_role("button", name=re.compile("Generate")).click()
        expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
        page.evaluate("window.__noReload = true")
        expect(page.get_by_test_id("run-status")).to_have_text("Completed", timeout=RUN_TIMEOUT_MS)
        assert page.evaluate("window.__noReload") is True  # progress arrived by polling, not reloads
        expect(page.get_by_test_id("count-attempted")).to_have_text("2")
        expect(page.get_by_test_id("stage")).to_have_text("Done")
        page.get_by_test_id("results-link").click()
        stop_quickly(cluster)
    expect(page).to_have_url(re.compile(r"/results/\?run=\d+"))
    cards = page.get_by_test_id("ad-card")
    expect(cards).to_have_count(2)
    ads = list(GeneratedAd.objects.filter(ad_run__job_run__job__organization=org))
    assert len(ads) == 2 and all(ad.image for ad in ads)
    for ad in ads:
        expect(page.locator(f'[data-ad-id="{ad.pk}"] [data-testid=status]')).to_have_text(ad.get_status_display())
    expect(page.get_by_test_id("group-name")).to_have_text(cat.templates[0].name)
    natural = page.locator(f'[data-ad-id="{ads[0].pk}"] img').evaluate("img => img.naturalWidth")
    assert natural > 0  # the thumbnail really loaded through the scoped image view


def test_retry_rejected_uses_the_staged_review(org, make_member, login, tmp_path):
    from generation.services import ad_creation_submit

    cat = build_catalog(org, templates=1)
    member = make_member(org, "alice")
    submission = ad_creation_submit(organization=org, user=member, parameters={
        "brand_id": cat.brand.pk, "product_id": cat.product.pk,
        "template_selection": {"mode": "manual", "template_ids": [cat.templates[0].pk]},
        "sizes": ["1:1"], "color_modes": ["original"],
    })
    run = submission.jobs[0].runs.get()
    log = tmp_path / "qcluster.log"
    # No automatic retry in the first pass, so the retry below is the dashboard's.
    with running_qcluster(log_path=log, extra_env={"ADCREATOR_RETRY_REJECTED_MAX": "0"}) as cluster:
        wait_for(lambda: JobRun.objects.get(pk=run.pk).is_finished, timeout=90, message="the first run")
        assert JobRun.objects.get(pk=run.pk).status == RunStatus.COMPLETED, log.read_text()[-3000:]
        ad = GeneratedAd.objects.get(ad_run__job_run=run)
        first_review = dict(ad.review)
        assert ad.retry_count == 0 and ad.ai_status
        # The reviewer rejected it (forced here, as the local judge's verdict depends on the image).
        GeneratedAd.objects.filter(pk=ad.pk).update(status="rejected", ai_status="rejected",
                                                    review=dict(first_review, status="rejected"))
        page = login(member)
        page.goto(f"/results/?run={ad.ad_run_id}")
        expect(page.get_by_test_id("stat-rejected")).to_have_text("1")
        page.get_by_role("button", name="Retry rejected (1)").click()
        expect(page).to_have_url(re.compile(rf"/jobs/{run.job_id}/$"))
        expect(page.get_by_test_id("run-status")).to_have_text("Completed", timeout=RUN_TIMEOUT_MS)
        stop_quickly(cluster)
    ad.refresh_from_db()
    assert ad.retry_count == 1, log.read_text()[-3000:]
    # A fresh staged review: stage 1 ran again (a defect scan is recorded) and the previous attempt is kept.
    assert ad.review["previous_attempts"][0]["status"] == "rejected"
    assert ad.review.get("stage_reached") in (1, 2, 3) and ad.defect_scan_result.get("passed") is not None
    assert ad.image.name.endswith("-retry1.png")
    from adcreator.calls.models import ProviderCall

    assert ProviderCall.objects.filter(ad_id=ad.pk, purpose="defect_scan").count() == 2
    page.goto(f"/results/?run={ad.ad_run_id}")
    expect(page.get_by_test_id("retry-count")).to_have_text("retry 1")
