"""Cancel a running job (issue 17 item 3): a real worker busy on a 24-ad run stops between two
ads, keeps every ad it made, records no call after the stop, and takes the next job."""

import time

import pytest

from adcreator.calls.models import ProviderCall
from adcreator.jobs.models import JobRun, RunStatus
from adcreator.jobs.services import job_cancel
from generation.models import AdStatus, GeneratedAd
from generation.services import ad_creation_submit
from tests.reliability.test_worker_stop import CONCURRENCY, TOTAL_ADS, WORKER_ENV, made, submit_run
from tests.support.worker import running_qcluster, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_running_job_stops_between_ads_and_keeps_what_it_made(org, make_member, tmp_path):
    editor = make_member(org, "eddie")
    run = submit_run(org)
    log = tmp_path / "worker.log"
    with running_qcluster(command=("run_worker",), extra_env=WORKER_ENV, log_path=log):
        wait_for(lambda: made(run) >= 2, timeout=120, message="the first ads")
        assert JobRun.objects.get(pk=run.pk).status == RunStatus.RUNNING
        cancelled_at = time.monotonic()
        job_cancel(job=run.job, user=editor)
        made_at_cancel = made(run)
        # The worker stores the ads in flight (at most CONCURRENCY), then stops.
        wait_for(lambda: "stopped: cancelled" in log.read_text(), timeout=30, message="the worker to stop the run")
        stopped_in = time.monotonic() - cancelled_at
        kept, calls = made(run), ProviderCall.objects.filter(job_run=run).count()
        time.sleep(3)  # nothing more happens on this run
        assert (made(run), ProviderCall.objects.filter(job_run=run).count()) == (kept, calls)
        # The worker is free again: the next job (one ad, to keep the test short) is taken and finished.
        parameters = run.job.parameters
        second = ad_creation_submit(organization=org, user=None, parameters={
            "brand_id": parameters["brand_id"], "product_id": parameters["product_id"],
            "template_selection": {"mode": "manual", "template_ids": parameters["template_selection"]["template_ids"][:1]},
            "sizes": ["1:1"], "color_modes": ["original"]}).jobs[0].runs.get()
        wait_for(lambda: JobRun.objects.get(pk=second.pk).is_finished, timeout=240, message="the next job")
    run.refresh_from_db()
    output = log.read_text()
    assert run.status == RunStatus.CANCELLED, output[-3000:]
    assert made_at_cancel <= kept <= made_at_cancel + CONCURRENCY, (made_at_cancel, kept)
    assert kept < TOTAL_ADS
    ads = GeneratedAd.objects.filter(ad_run__job_run=run)
    assert ads.exclude(image="").count() == kept  # every image made is still there
    assert ads.filter(status=AdStatus.PENDING).count() == TOTAL_ADS - ads.exclude(status=AdStatus.PENDING).count()
    assert JobRun.objects.get(pk=second.pk).status == RunStatus.COMPLETED
    print(f"\nFIGURES cancel: stopped {stopped_in:.1f}s after the cancel; {made_at_cancel} ads made at the "
          f"cancel, {kept} kept of {TOTAL_ADS}")
