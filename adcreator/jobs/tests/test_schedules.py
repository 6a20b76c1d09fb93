"""Issue 11: the recurring schedules exist once `migrate` has run; setup_schedules re-runs it."""

from datetime import datetime, timezone as dt_timezone
from io import StringIO

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from adcreator.jobs.schedules import next_run_after, registered_schedules, schedules_sync

EXPECTED = {
    "recover-stale-runs": ("adcreator.jobs.tasks.recover_stale_runs", "* * * * *"),
    "weekly-quality-calibration": ("review.schedules.enqueue_weekly_calibration", "0 3 * * 1"),
    "daily-meta-sync": ("genome.schedules.enqueue_daily_meta_syncs", "0 2 * * *"),
    "weekly-genome-update": ("genome.schedules.enqueue_weekly_genome_updates", "0 4 * * 1"),
    "weekly-genome-validation": ("genome.schedules.enqueue_weekly_genome_validations", "0 6 * * 1"),
    "daily-experiment-analysis": ("experiments.schedules.enqueue_daily_experiment_analysis", "0 5 * * *"),
}


@pytest.mark.django_db
def test_migrate_alone_creates_the_schedules():
    # The test database was made by `migrate` (pytest-django); nobody ran setup_schedules.
    rows = {s.name: (s.func, s.cron, s.schedule_type, s.repeats) for s in Schedule.objects.all()}
    assert rows == {name: (func, cron, Schedule.CRON, -1) for name, (func, cron) in EXPECTED.items()}


def test_every_app_contributes_its_schedules_to_one_registry():
    assert {s.name: (s.func, s.cron) for s in registered_schedules()} == EXPECTED


def test_a_new_weekly_schedule_waits_for_its_day():
    # 2026-12-01 is a Tuesday: the next Monday 03:00 UTC is 2026-12-07.
    tuesday = datetime(2026, 12, 1, 9, 30, tzinfo=dt_timezone.utc)
    assert next_run_after("0 3 * * 1", tuesday) == datetime(2026, 12, 7, 3, 0, tzinfo=dt_timezone.utc)
    assert next_run_after("* * * * *", tuesday) == datetime(2026, 12, 1, 9, 31, tzinfo=dt_timezone.utc)


@pytest.mark.django_db
def test_sync_is_idempotent_and_repairs_a_changed_row():
    before = {s.name: (s.pk, s.next_run) for s in Schedule.objects.all()}
    assert [what for _, what in schedules_sync()] == ["unchanged"] * len(EXPECTED)
    assert {s.name: (s.pk, s.next_run) for s in Schedule.objects.all()} == before  # no row moved
    Schedule.objects.filter(name="weekly-quality-calibration").update(cron="0 4 * * *")
    Schedule.objects.filter(name="recover-stale-runs").delete()
    outcome = {schedule.name: what for schedule, what in schedules_sync() if what != "unchanged"}
    assert outcome == {"recover-stale-runs": "created", "weekly-quality-calibration": "updated"}
    assert Schedule.objects.get(name="weekly-quality-calibration").cron == "0 3 * * 1"
    assert Schedule.objects.count() == len(EXPECTED)


@pytest.mark.django_db
def test_setup_schedules_is_the_same_sync_again():
    Schedule.objects.all().delete()
    out = StringIO()
    call_command("setup_schedules", stdout=out)
    assert "created schedule recover-stale-runs (* * * * *)" in out.getvalue()
    assert Schedule.objects.count() == len(EXPECTED)
