"""Recurring jobs: each app registers its schedules in its `ready()`; `migrate` creates them.

A schedule is a django-q2 `Schedule` row (a cron string and a dotted function path). The rows
are made by a post_migrate handler (JobsConfig), so a deployment that only migrates and starts
workers recovers dead workers' runs and runs the weekly jobs; `manage.py setup_schedules` does
the same again on demand. Both are idempotent: a schedule is created once, and updated only
where its registration changed (the next run moves only when the cron string did).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecurringSchedule:
    name: str
    func: str  # dotted path of the function the scheduler calls
    cron: str  # in UTC (TIME_ZONE), evaluated by croniter
    description: str = ""


_SCHEDULES: dict[str, RecurringSchedule] = {}


def register_schedule(name: str, *, func: str, cron: str, description: str = "") -> None:
    schedule = RecurringSchedule(name, func, cron, description)
    existing = _SCHEDULES.get(name)
    if existing is not None and existing != schedule:
        raise ValueError(f"schedule {name!r} is registered twice, differently: {existing} / {schedule}")
    _SCHEDULES[name] = schedule


def registered_schedules() -> list[RecurringSchedule]:
    return [_SCHEDULES[name] for name in sorted(_SCHEDULES)]


def next_run_after(cron: str, moment: datetime) -> datetime:
    """The cron's first occurrence after `moment`: a new weekly job waits for its day instead
    of running the moment the schedule row appears."""
    from croniter import croniter

    return croniter(cron, moment).get_next(datetime)


def schedules_sync(*, using: str = "default", now: datetime | None = None) -> list[tuple[RecurringSchedule, str]]:
    """Create or update every registered schedule; returns (schedule, "created"|"updated"|"unchanged")."""
    from django_q.models import Schedule

    now = now or timezone.now()
    outcome = []
    for schedule in registered_schedules():
        row = Schedule.objects.using(using).filter(name=schedule.name).first()
        if row is None:
            Schedule.objects.using(using).create(
                name=schedule.name, func=schedule.func, schedule_type=Schedule.CRON, cron=schedule.cron,
                repeats=-1, next_run=next_run_after(schedule.cron, now))
            outcome.append((schedule, "created"))
            continue
        wanted = {"func": schedule.func, "schedule_type": Schedule.CRON, "cron": schedule.cron, "repeats": -1}
        changed = {field: value for field, value in wanted.items() if getattr(row, field) != value}
        if changed:
            if "cron" in changed or "schedule_type" in changed:
                changed["next_run"] = next_run_after(schedule.cron, now)
            Schedule.objects.using(using).filter(pk=row.pk).update(**changed)
        outcome.append((schedule, "updated" if changed else "unchanged"))
    return outcome


def sync_on_migrate(sender, using: str = "default", verbosity: int = 1, **kwargs) -> None:
    """post_migrate handler: the schedules exist once the queue's tables do."""
    from django_q.models import Schedule

    if Schedule._meta.db_table not in connections[using].introspection.table_names():
        logger.warning("django-q2's tables are not migrated on %r yet: schedules not created", using)
        return
    for schedule, what in schedules_sync(using=using):
        if what != "unchanged" and verbosity >= 1:
            logger.info("schedule %s %s (%s → %s)", schedule.name, what, schedule.cron, schedule.func)
