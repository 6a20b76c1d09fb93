"""Issue 11: `manage.py run_worker` stops cleanly however a process manager signals it.

A real worker is busy on a 24-ad run (injected image latency) when it is signalled: SIGTERM to
its main process (an operator's `kill`), SIGTERM to its whole process group (systemd's
KillMode=control-group, `kill -TERM -<pgid>`), SIGINT (Ctrl-C). It must exit within its stop
bound, leave no process of its tree running, and leave the run `pending` with every ad made so
far, so that the next worker finishes it. SIGKILL of the main process must take the tree with
it (no orphaned workers running on).
"""

import os
import signal
import time

import pytest

from adcreator.calls.models import ProviderCall
from adcreator.jobs.models import JobRun, RunStatus
from adcreator.jobs.processes import descendants, is_running
from generation.models import AdStatus, GeneratedAd
from generation.services import ad_creation_submit
from tests.support.catalog import build_catalog
from tests.support.worker import running_qcluster, wait_for

STOP_SECONDS = 4
CONCURRENCY = 2
WORKER_ENV = {
    "ADCREATOR_LOCAL_IMAGE_LATENCY": "0.5",
    "ADCREATOR_MAX_CONCURRENCY": str(CONCURRENCY),
    "ADCREATOR_RETRY_REJECTED_MAX": "0",  # every image call is a first attempt at an ad
    "ADCREATOR_WORKER_STOP_SECONDS": str(STOP_SECONDS),
}
# Process start-up and the final database writes, on a loaded 2-core machine.
MARGIN_SECONDS = 8
TOTAL_ADS = 24

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def submit_run(org):
    cat = build_catalog(org, templates=4)
    submission = ad_creation_submit(organization=org, user=None, parameters={
        "brand_id": cat.brand.pk, "product_id": cat.product.pk,
        "template_selection": {"mode": "manual", "template_ids": [t.pk for t in cat.templates]},
        "sizes": ["1:1", "4:5", "9:16"], "color_modes": ["original", "brand"],
    })
    return submission.jobs[0].runs.get()


def made(run) -> int:
    return GeneratedAd.objects.filter(ad_run__job_run=run).exclude(image="").count()


def busy_tree(worker, run) -> set[int]:
    """Wait until the worker is in the middle of the run; its processes at that moment."""
    wait_for(lambda: made(run) >= 2, timeout=120, message="the first ads")
    assert JobRun.objects.get(pk=run.pk).status == RunStatus.RUNNING
    tree = {worker.pid} | descendants(worker.pid)
    assert len(tree) >= 4, tree  # main, sentinel, a worker, pusher, monitor
    return tree


def signal_worker(worker, tree: set[int], how: str) -> None:
    if how == "sigterm-main":
        os.kill(worker.pid, signal.SIGTERM)
    elif how == "sigint-main":
        os.kill(worker.pid, signal.SIGINT)
    elif how == "sigterm-group":
        os.killpg(worker.pid, signal.SIGTERM)  # the worker leads its own session (running_qcluster)
    elif how == "sigterm-every-process":  # what systemd's control-group kill does, cgroup-wide
        for pid in tree:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    else:
        raise ValueError(how)


# SIGTERM to the main process alone: test_the_released_run_is_finished_by_the_next_worker.
@pytest.mark.parametrize("how", ["sigterm-group", "sigterm-every-process", "sigint-main"])
def test_a_busy_worker_stops_within_its_bound_and_its_run_is_left_to_resume(org, tmp_path, how):
    run = submit_run(org)
    log = tmp_path / "worker.log"
    with running_qcluster(command=("run_worker",), extra_env=WORKER_ENV, log_path=log) as worker:
        tree = busy_tree(worker, run)
        signalled_at = time.monotonic()
        made_at_signal = made(run)
        signal_worker(worker, tree, how)
        worker.wait(timeout=STOP_SECONDS + 4 * MARGIN_SECONDS)
        stopped_in = time.monotonic() - signalled_at
    output = log.read_text()
    assert worker.returncode == 0, output[-3000:]
    assert stopped_in <= STOP_SECONDS + MARGIN_SECONDS, f"stopped in {stopped_in:.1f}s\n{output[-3000:]}"
    wait_for(lambda: not any(is_running(pid) for pid in tree), timeout=5, message="no process of the tree left")
    run.refresh_from_db()
    print(f"\nFIGURES worker stop ({how}): stopped in {stopped_in:.1f}s (bound {STOP_SECONDS}s), "
          f"{made_at_signal} ads made at the signal, {made(run)} kept, run {run.status}")
    assert made(run) >= made_at_signal  # nothing made is lost
    if run.status != RunStatus.COMPLETED:  # finished in the grace period, or left to resume
        assert run.status == RunStatus.PENDING and run.metadata.get("releases") == 1, (run.status, output[-3000:])
        assert run.attempts == 0  # a stop is not a failed attempt


def test_sigterm_to_the_main_process_then_the_next_worker_finishes_the_run_without_duplicates(org, tmp_path):
    run = submit_run(org)
    with running_qcluster(command=("run_worker",), extra_env=WORKER_ENV, log_path=tmp_path / "a.log") as worker:
        tree = busy_tree(worker, run)
        signalled_at = time.monotonic()
        signal_worker(worker, tree, "sigterm-main")
        worker.wait(timeout=STOP_SECONDS + 4 * MARGIN_SECONDS)
        stopped_in = time.monotonic() - signalled_at
    assert worker.returncode == 0 and stopped_in <= STOP_SECONDS + MARGIN_SECONDS, stopped_in
    wait_for(lambda: not any(is_running(pid) for pid in tree), timeout=5, message="no process of the tree left")
    assert JobRun.objects.get(pk=run.pk).status == RunStatus.PENDING
    made_by_first = made(run)
    with running_qcluster(command=("run_worker",), extra_env=WORKER_ENV, log_path=tmp_path / "b.log"):
        wait_for(lambda: JobRun.objects.get(pk=run.pk).is_finished, timeout=240, message="the resumed run")
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED, run.error
    ads = GeneratedAd.objects.filter(ad_run__job_run=run)
    assert ads.count() == TOTAL_ADS and len(set(ads.values_list("prompt_index", "canvas_size"))) == TOTAL_ADS
    assert not ads.exclude(status__in=[AdStatus.APPROVED, AdStatus.REJECTED, AdStatus.FLAGGED,
                                       AdStatus.REVIEW_FAILED]).exists()
    image_calls = ProviderCall.objects.filter(job_run=run, purpose="image_generation", outcome="ok").count()
    # Only the ads in flight at the stop were made twice.
    assert 0 <= image_calls - TOTAL_ADS <= CONCURRENCY, image_calls
    print(f"\nFIGURES worker stop (sigterm-main): stopped in {stopped_in:.1f}s (bound {STOP_SECONDS}s); "
          f"{made_by_first}/{TOTAL_ADS} ads before the stop, "
          f"{image_calls - TOTAL_ADS} made twice, run attempts {run.attempts}")


def test_sigkill_of_the_main_process_takes_the_whole_tree_with_it(org, tmp_path):
    run = submit_run(org)
    with running_qcluster(command=("run_worker",), extra_env=WORKER_ENV, log_path=tmp_path / "w.log") as worker:
        tree = busy_tree(worker, run)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        # No worker goes on making ads for a run nobody supervises.
        wait_for(lambda: not any(is_running(pid) for pid in tree), timeout=10, message="the orphans to die")
    # Nobody could release it: the stale-run schedule resumes it (test_crash_recovery).
    assert JobRun.objects.get(pk=run.pk).status == RunStatus.RUNNING
