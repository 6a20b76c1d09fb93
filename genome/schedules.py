"""Entry points of the genome's recurring jobs (registered in GenomeConfig.ready, created by `migrate`).

Daily: a Meta sync per brand with an active connection (the Graph API or the simulated market).
Weekly, after Monday's syncs: the genome update per organization (rewards, element scores,
snapshots), then validation per organization (prediction accuracy, drift, alerts).
"""

from __future__ import annotations

from adcreator.catalog.models import Brand, Organization
from adcreator.jobs.services import job_create
from genome.models import AdAccount
from genome.services.sync_jobs import meta_sync_enqueue


def enqueue_daily_meta_syncs() -> int:
    """One meta_sync per connected brand (none for a brand whose sync is still queued or running)."""
    brands = (Brand.objects.filter(meta_account__status=AdAccount.Status.ACTIVE)
              .select_related("organization").order_by("id"))
    return sum(meta_sync_enqueue(brand=brand, name=f"Daily Meta sync of {brand.name}")[1] for brand in brands)


def _organizations_with_accounts():
    return Organization.objects.filter(brands__meta_account__isnull=False).distinct().order_by("id")


def enqueue_weekly_genome_updates() -> int:
    count = 0
    for organization in _organizations_with_accounts():
        job_create(organization=organization, job_type="creative_genome_update", parameters={},
                   name="Weekly Creative Genome update")
        count += 1
    return count


def enqueue_weekly_genome_validations() -> int:
    count = 0
    for organization in _organizations_with_accounts():
        job_create(organization=organization, job_type="genome_validation", parameters={},
                   name="Weekly genome validation")
        count += 1
    return count
