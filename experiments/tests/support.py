"""Shared steps of the experiments tests: a real catalog, ads made by real generation jobs run in
this process, a brand connected to the simulated market, and the daily loop of the market."""

from __future__ import annotations

from adcreator.jobs.models import Job
from adcreator.jobs.services import job_create, job_run_execute
from generation.models import GeneratedAd
from generation.services import ad_creation_submit
from genome.market_store import market_advance
from genome.services.connection import meta_connection_set


def run_job(job: Job):
    return job_run_execute(run_id=job.runs.order_by("-id").first().pk)


def make_ad(cat, *, template=None, hook=None, size: str = "1:1", color: str = "brand", **extra) -> GeneratedAd:
    """One ad made by a real ad_creation_v2 job (local providers), run here."""
    from adcreator.catalog.models import Hook

    hook = hook or Hook.objects.filter(brand=cat.brand).order_by("id").first()
    submission = ad_creation_submit(organization=cat.org, user=None, parameters={
        "brand_id": cat.brand.pk, "product_id": cat.product.pk,
        "template_selection": {"mode": "manual", "template_ids": [(template or cat.templates[0]).pk]},
        "sizes": [size], "color_modes": [color], "hook_ids": [hook.pk], "genome_seed": 11, **extra})
    run_job(submission.jobs[0])
    return GeneratedAd.objects.filter(ad_run__job_run__job=submission.jobs[0]).order_by("id").first()


def connect_simulated(brand, settings, account_id: str = "act_700100"):
    settings.ADCREATOR_META_PROVIDER = "simulated"
    return meta_connection_set(brand=brand, ad_account_id=account_id, access_token="", user=None)


def sync(brand, lookback_days: int = 30):
    job = job_create(organization=brand.organization, brand=brand, job_type="meta_sync",
                     parameters={"brand_id": brand.pk, "lookback_days": lookback_days})
    return run_job(job)


def analyse(organization, experiment_ids=()):
    job = job_create(organization=organization, job_type="experiment_analysis",
                     parameters={"experiment_ids": list(experiment_ids)})
    return run_job(job)


def advance(account, days: int = 1):
    return market_advance(account=account, days=days)
