"""CompileResults: the run's summary, template usage and the final verdict on the run."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Sum

from adcreator.calls.models import ProviderCall
from generation.models import AdRun, AdStatus, GeneratedAd
from generation.pipeline.state import PipelineState
from templates import services as template_services

# Statuses of ads that were made (whatever review said): their templates count as used.
MADE_STATUSES = (AdStatus.GENERATED, AdStatus.APPROVED, AdStatus.REJECTED, AdStatus.FLAGGED, AdStatus.REVIEW_FAILED)


class CompileResults:
    name = "compile_results"

    def run(self, state: PipelineState) -> None:
        ad_run = state.run
        ads = GeneratedAd.objects.filter(ad_run=ad_run)
        by_status = Counter({row["status"]: row["n"] for row in ads.order_by().values("status").annotate(n=Count("id"))})
        used_templates = sorted(set(ads.filter(status__in=MADE_STATUSES, template__isnull=False)
                                    .values_list("template_id", flat=True)))
        if used_templates and not ad_run.generation_config.get("usage_recorded"):
            template_services.template_usage_record(product_id=state.cat.product.pk, template_ids=used_templates)
            AdRun.objects.filter(pk=ad_run.pk).update(generation_config=dict(ad_run.generation_config,
                                                                             usage_recorded=True))
        cost = ProviderCall.objects.filter(job_run_id=state.run_id).aggregate(total=Sum("cost_usd"), calls=Count("id"))
        total = sum(by_status.values())
        failed = by_status.get(AdStatus.GENERATION_FAILED, 0)
        summary = {
            "stage": "done",
            "ad_run_id": ad_run.pk,
            "ads_total": total,
            "ads_generated": total - failed - by_status.get(AdStatus.PENDING, 0),
            "ads_failed": failed,
            "ads_approved": by_status.get(AdStatus.APPROVED, 0),
            "ads_rejected": by_status.get(AdStatus.REJECTED, 0),
            "ads_flagged": by_status.get(AdStatus.FLAGGED, 0),
            "ads_review_failed": by_status.get(AdStatus.REVIEW_FAILED, 0),
            "status_counts": dict(by_status),
            "provider_calls": cost["calls"],
            "cost_usd": float(cost["total"] or 0),
            "templates": [t.id for t in state.templates],
        }
        if total and failed == total:
            errors = Counter(ads.values_list("error", flat=True))
            common, count = errors.most_common(1)[0]
            summary["error"] = f"all {total} ads failed to generate ({count}× {common})"
        state.report(**summary)
