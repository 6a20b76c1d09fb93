"""The genome's job handlers: meta_sync (per brand; daily schedule plus run-now)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from adcreator.catalog.models import Brand
from adcreator.jobs import registry
from adcreator.jobs.progress import RunProgress
from genome.selectors import ad_account_for
from genome.services.sync import meta_sync_account
from genome.services.update import genome_update_organization
from genome.services.validation import genome_validate_brand


class MetaSyncParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    brand_id: int = Field(ge=1)
    # Days re-read every time (Meta revises recent days); default ADCREATOR_META_LOOKBACK_DAYS.
    lookback_days: int | None = Field(default=None, ge=1, le=400)
    # The last day to read (a backfill); default: the account's last complete day.
    until: date | None = None


class MetaSyncProgress(RunProgress):
    source: str | None = None
    ad_account_id: str | None = None
    since: str | None = None
    until: str | None = None
    pages: int = 0
    rows_upserted: int = 0
    rows_skipped: int = 0
    ads_seen: int = 0
    campaigns_synced: int = 0
    mappings_by_name: int = 0
    slow_downs: int = 0
    skipped_rows: list[dict] = Field(default_factory=list)
    campaign_sync_error: str | None = None
    campaigns_affected: list[str] = Field(default_factory=list)
    retryable: bool | None = None


def run_meta_sync(run, params: MetaSyncParams, progress) -> dict:
    brand = Brand.objects.get(pk=params.brand_id, organization_id=run.job.organization_id)
    account = ad_account_for(brand_id=brand.pk)
    if account is None:
        # Spec Non-Meta mode: completed, and says why nothing happened.
        return {"skipped": True, "reason": "no_ad_account_linked"}
    if account.status != account.Status.ACTIVE:
        return {"skipped": True, "reason": f"connection_{account.status}",
                "error_detail": account.broken_reason or None}
    return meta_sync_account(account=account, job_run_id=run.pk, progress=progress,
                             lookback_days=params.lookback_days, until=params.until)




class GenomeJobParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Empty: every brand of the job's organization. The update is per organization either way
    # (cold-start priors come from the organization's other brands).
    brand_ids: list[int] = Field(default_factory=list, max_length=500)


def run_genome_update(run, params: GenomeJobParams, progress) -> dict:
    progress.update(stage="updating")
    return {"brands": genome_update_organization(organization_id=run.job.organization_id)}


def run_genome_validation(run, params: GenomeJobParams, progress) -> dict:
    brands = Brand.objects.filter(organization_id=run.job.organization_id).order_by("id")
    if params.brand_ids:
        brands = brands.filter(pk__in=params.brand_ids)
    results = {}
    for brand in brands:
        progress.update(stage="validating", current_brand=brand.name)
        results[str(brand.pk)] = genome_validate_brand(brand=brand)
    return {"brands": results}


def register() -> None:
    registry.register("meta_sync", params_model=MetaSyncParams, handler=run_meta_sync,
                      progress_model=MetaSyncProgress)
    registry.register("creative_genome_update", params_model=GenomeJobParams, handler=run_genome_update)
    registry.register("genome_validation", params_model=GenomeJobParams, handler=run_genome_validation)
