"""Issue 7: SIGKILL a real worker mid-run; the next worker resumes and nothing is made twice
beyond what was in flight."""

import signal
import time

import pytest

from adcreator.calls.models import ProviderCall
from adcreator.jobs.models import JobRun, RunStatus
from adcreator.jobs.services import job_runs_recover_stale
from generation.models import AdStatus, GeneratedAd
from generation.services import ad_creation_submit
from tests.support.catalog import build_catalog
from tests.support.worker import running_qcluster, stop_process_group, wait_for

CONCURRENCY = 4
WORKER_ENV = {
    "ADCREATOR_LOCAL_IMAGE_LATENCY": "0.4",
    "ADCREATOR_STALE_RUN_SECONDS": "4",
    "ADCREATOR_MAX_CONCURRENCY": str(CONCURRENCY),
    "ADCREATOR_RETRY_REJECTED_MAX": "0",  # so every image call is a first attempt at an ad
}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_run_then_a_new_worker_completes_it(org, tmp_path, settings):
    settings.ADCREATOR_STALE_RUN_SECONDS = 4
    cat = build_catalog(org, templates=4)
    submission = ad_creation_submit(organization=org, user=None, parameters={
        "brand_id": cat.brand.pk, "product_id": cat.product.pk,
        "template_selection": {"mode": "manual", "template_ids": [t.pk for t in cat.templates]},
        "sizes": ["1:1", "4:5", "9:16"], "color_modes": ["original", "brand"],
    })
    run = submission.jobs[0].runs.get()
    made = lambda: GeneratedAd.objects.filter(ad_run__job_run=run).exclude(image="").count()  # noqa: E731

    with running_qcluster(extra_env=WORKER_ENV, log_path=tmp_path / "worker-a.log") as worker_a:
        wait_for(lambda: made() >= 6, timeout=120, message="the first ads")
        stop_process_group(worker_a, sig=signal.SIGKILL)
        crashed_at = time.monotonic()
    made_before_crash = made()
    assert made_before_crash < 24, "the run finished before the crash; nothing was tested"
    assert JobRun.objects.get(pk=run.pk).status == RunStatus.RUNNING  # the dead worker left it running

    # The recovery schedule's tick, once the heartbeat is stale.
    wait_for(lambda: job_runs_recover_stale()["resumed"] == [run.pk], timeout=30, message="the stale run")
    with running_qcluster(extra_env=WORKER_ENV, log_path=tmp_path / "worker-b.log"):
        wait_for(lambda: JobRun.objects.get(pk=run.pk).is_finished, timeout=180, message="the resumed run")
    recovered_in = time.monotonic() - crashed_at

    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED, run.error
    ads = GeneratedAd.objects.filter(ad_run__job_run=run)
    assert ads.count() == 24
    assert len(set(ads.values_list("prompt_index", "canvas_size"))) == 24
    assert not ads.exclude(status__in=[AdStatus.APPROVED, AdStatus.REJECTED, AdStatus.FLAGGED,
                                       AdStatus.REVIEW_FAILED]).exists()
    image_calls = ProviderCall.objects.filter(job_run=run, purpose="image_generation", outcome="ok").count()
    extra = image_calls - 24
    assert 0 <= extra <= CONCURRENCY, f"{extra} ads generated twice; at most the {CONCURRENCY} in flight may be"
    print(f"\nFIGURES crash-recovery: {made_before_crash}/24 ads before SIGKILL, crash→completion "
          f"{recovered_in:.1f}s, extra provider calls {extra}, run attempts {run.attempts}")
