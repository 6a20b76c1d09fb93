"""The weekly quality_calibration job: propose a new config version per brand from overrides."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field

from adcreator.catalog.models import Brand
from adcreator.jobs import registry
from review.models import AdReviewOverride
from review.services import quality_config_propose


class CalibrationParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Empty: every brand of the job's organization with human decisions in the window. The
    # global config is never calibrated from one tenant's decisions.
    brand_ids: list[int] = Field(default_factory=list, max_length=500)
    lookback_days: int = Field(default=90, ge=7, le=730)


def run_calibration(run, params: CalibrationParams, progress) -> dict:
    brands = Brand.objects.filter(organization_id=run.job.organization_id)
    if params.brand_ids:
        brands = brands.filter(pk__in=params.brand_ids)
    else:
        since = timezone.now() - timedelta(days=params.lookback_days)
        with_decisions = AdReviewOverride.objects.filter(created_at__gte=since).values("ad__ad_run__brand_id")
        brands = brands.filter(pk__in=with_decisions)
    proposed, skipped = {}, []
    for brand in brands.order_by("id"):
        config = quality_config_propose(brand_id=brand.pk, lookback_days=params.lookback_days)
        if config is None:
            skipped.append(brand.pk)
        else:
            proposed[str(brand.pk)] = {"config_id": config.pk, "version": config.version,
                                       "samples": config.rationale.get("samples")}
        progress.update(brands_done=len(proposed) + len(skipped))
    return {"proposed": proposed, "skipped_without_data": skipped}


def register() -> None:
    registry.register("quality_calibration", params_model=CalibrationParams, handler=run_calibration)
