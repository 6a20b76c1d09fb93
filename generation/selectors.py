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
