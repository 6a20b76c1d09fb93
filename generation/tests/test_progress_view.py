"""One progress model for every phase (issue 17 item 3): pure, no database."""

from generation.progress import AdCounts, GenerationProgress, progress_view


def view(status, counts=AdCounts(), **progress):
    return progress_view(status=status, progress=GenerationProgress(**progress), counts=counts)


def test_a_run_queued_again_after_it_finished_is_waiting_not_done():
    # "Retry rejected" reopens a finished run: its metadata still says stage "done".
    counts = AdCounts(total=8, approved=6, rejected=2)
    shown = view("pending", counts, stage="done", ads_total=8)
    assert shown.badge == "Waiting" and shown.phase == "Waiting for a worker"
    assert shown.value is None  # no full bar beside "Waiting"
    assert shown.detail == "8 of 8 ads made so far"
    assert not shown.show_current


def test_nothing_known_yet_says_starting_never_zero_of_unknown():
    for shown in (view("pending"), view("running", stage="fetch_context"), view("running", stage="")):
        assert "?" not in shown.detail and shown.value is None
        assert shown.detail == "Starting…"
    assert view("running", stage="fetch_context").phase == "Gathering the catalog"


def test_the_bar_is_not_full_while_reviewing():
    counts = AdCounts(total=4, generated=3, approved=1)
    shown = view("running", counts, stage="review_ads", ads_total=4)
    assert shown.phase == "Reviewing ads" and shown.detail == "1 of 4 ads reviewed"
    assert shown.value == 5 and shown.maximum == 8 and shown.percent == 62
    everything_reviewed = view("running", AdCounts(total=4, approved=4), stage="review_ads", ads_total=4)
    assert everything_reviewed.value < everything_reviewed.maximum  # full only when the run is done


def test_generation_then_review_then_retries_move_one_bar_forward():
    generating = view("running", AdCounts(total=4, pending=2, generated=2), stage="generate_ads", ads_total=4)
    reviewing = view("running", AdCounts(total=4, generated=2, approved=2), stage="review_ads", ads_total=4)
    assert generating.detail == "2 of 4 ads made" and generating.show_current
    assert generating.percent < reviewing.percent < 100
    retrying = view("running", AdCounts(total=4, approved=2, rejected=2), stage="retry_rejected", ads_total=4,
                    ads_to_retry=2, ads_retried=1)
    assert retrying.phase == "Retrying rejected ads"
    assert retrying.detail == "1 of 2 rejected ads regenerated and reviewed again"
    assert retrying.value < retrying.maximum


def test_finished_runs_say_how_they_ended():
    done = view("completed", AdCounts(total=2, approved=1, rejected=1), stage="done", ads_total=2)
    assert (done.badge, done.phase, done.detail, done.percent) == ("Completed", "Done", "2 ads: 1 approved", 100)
    one = view("completed", AdCounts(total=1, approved=1), stage="done", ads_total=1)
    assert one.detail == "1 ad: 1 approved"
    cancelled = view("cancelled", AdCounts(total=6, pending=4, approved=2), stage="generate_ads", ads_total=6)
    assert cancelled.badge == "Cancelled" and cancelled.detail == "Stopped after 2 of 6 ads; what was made is kept."
    assert cancelled.percent < 100
    assert view("failed", stage="initialize").detail == "Nothing was made."
