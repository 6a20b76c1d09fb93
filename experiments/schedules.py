"""The daily analysis schedule's entry point (registered in ExperimentsConfig.ready, 05:00 UTC).

Run it once a day AFTER the daily meta_sync, so each look sees the day that just completed.
It queues one experiment_analysis job per organization with a running experiment (or a draft
waiting on its arms), and none for an organization whose previous analysis is still waiting
or running (a slow day never stacks up runs).
"""

from __future__ import annotations

from adcreator.catalog.models import Organization
from adcreator.jobs.models import Job, RunStatus
from adcreator.jobs.services import job_create
from experiments.models import Experiment

ACTIVE = (Experiment.Status.RUNNING, Experiment.Status.DRAFT, Experiment.Status.READY)


def enqueue_daily_experiment_analysis() -> list[int]:
    """Queue the day's analysis jobs; returns their ids."""
    organizations = Organization.objects.filter(brands__experiments__status__in=ACTIVE).distinct().order_by("id")
    busy = set(Job.objects.filter(job_type="experiment_analysis",
                                  runs__status__in=[RunStatus.PENDING, RunStatus.RUNNING])
               .values_list("organization_id", flat=True))
    jobs = []
    for organization in organizations:
        if organization.pk in busy:
            continue
        jobs.append(job_create(organization=organization, job_type="experiment_analysis", parameters={},
                               name="Daily experiment analysis").pk)
    return jobs
