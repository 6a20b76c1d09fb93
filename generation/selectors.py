"""Reads of generation results."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from generation.models import AdRun, GeneratedAd


def ads_for_run(*, ad_run_id: int) -> QuerySet[GeneratedAd]:
    return GeneratedAd.objects.filter(ad_run_id=ad_run_id).select_related("template").order_by("prompt_index", "canvas_size")


def ad_run_for_job_run(*, job_run_id: int) -> AdRun | None:
    return AdRun.objects.filter(job_run_id=job_run_id).first()


def run_summary_table(*, ad_run_id: int) -> list[dict]:
    """One row per (template, colour) with its sizes and statuses, for the CLI summary."""
    rows = (
        GeneratedAd.objects.filter(ad_run_id=ad_run_id)
        .order_by()
        .values("template__name", "color_mode", "canvas_size", "status")
        .annotate(n=Count("id"))
    )
    table: dict[tuple, dict] = {}
    for row in rows:
        key = (row["template__name"] or "(uploaded)", row["color_mode"])
        entry = table.setdefault(key, {"template": key[0], "color_mode": key[1], "sizes": set(), "statuses": {}})
        entry["sizes"].add(row["canvas_size"])
        entry["statuses"][row["status"]] = entry["statuses"].get(row["status"], 0) + row["n"]
    return [dict(entry, sizes=sorted(entry["sizes"])) for _, entry in sorted(table.items())]


REVIEW_PURPOSES = ("defect_scan", "rubric_review", "second_opinion")


def review_metrics(*, brand_id: int, since=None) -> dict:
    """Spec 6 / Phase 4 metrics for a brand: defect catch rate (share of the AI's rejections
    made at stage 1), review cost per reviewed ad and per approved ad, and the override rate.
    A constant number of queries, whatever the number of ads."""
    from django.db.models import Q, Sum

    from generation.models import ProviderCall
    from review.services import override_rate

    ads = GeneratedAd.objects.filter(ad_run__brand_id=brand_id).exclude(ai_status="")
    calls = ProviderCall.objects.filter(ad_run__brand_id=brand_id, purpose__in=REVIEW_PURPOSES)
    if since is not None:
        ads = ads.filter(created_at__gte=since)
        calls = calls.filter(created_at__gte=since)
    counts = ads.aggregate(
        reviewed=Count("id"),
        approved=Count("id", filter=Q(ai_status="approved")),
        rejected=Count("id", filter=Q(ai_status="rejected")),
        rejected_at_stage_1=Count("id", filter=Q(ai_status="rejected", review__stage_reached=1)),
        flagged=Count("id", filter=Q(ai_status="flagged")),
        review_failed=Count("id", filter=Q(ai_status="review_failed")),
    )
    cost = float(calls.aggregate(total=Sum("cost_usd"))["total"] or 0)
    return {
        **counts,
        "defect_catch_rate": round(counts["rejected_at_stage_1"] / counts["rejected"], 4) if counts["rejected"] else None,
        "review_cost_usd": round(cost, 5),
        "review_cost_per_ad": round(cost / counts["reviewed"], 5) if counts["reviewed"] else None,
        "review_cost_per_approved_ad": round(cost / counts["approved"], 5) if counts["approved"] else None,
        **override_rate(brand_id=brand_id),
    }
