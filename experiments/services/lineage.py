"""Lineage rows (spec ad_lineage) for the ads evolve jobs made.

A generation job knows nothing of lineage; each evolve request (`Evolution`) names its job.
This sweep finds, in one query, every ad made by an evolve job that has no lineage row yet and
writes the rows in one insert — whenever it runs (after every evolve submission, in the daily
experiment_analysis job, before the lineage pages and API answer). So lineage appears however
the ads were made (a resumed run, a retry of rejected ads, a part of a split job) and a row is
never written twice (one per child ad, enforced by the table).
"""

from __future__ import annotations

from django.apps import apps
from django.utils import timezone

from experiments.models_evolution import AdLineage, Evolution


def evolution_record_lineage(*, organization_id: int | None = None) -> int:
    """Write the missing lineage rows; returns how many were written."""
    ads = apps.get_model("generation", "GeneratedAd").objects.filter(
        ad_run__job_run__job__evolution__isnull=False, lineage__isnull=True)
    if organization_id is not None:
        ads = ads.filter(ad_run__organization_id=organization_id)
    missing = list(ads.values_list("pk", "element_tags", "ad_run__job_run__job__evolution"))
    if not missing:
        return 0
    evolutions = {e.pk: e for e in Evolution.objects.filter(pk__in={row[2] for row in missing})}
    rows = []
    for ad_id, tags, evolution_id in missing:
        evolution = evolutions[evolution_id]
        to_value = evolution.to_value
        if evolution.variable and not to_value:  # each child has its own value (cross-size)
            raw = (tags or {}).get(evolution.variable)
            to_value = "" if raw is None else str(raw)
        rows.append(AdLineage(child_ad_id=ad_id, parent_ad_id=evolution.parent_ad_id,
                              ancestor_ad_id=evolution.ancestor_ad_id, round=evolution.round, mode=evolution.mode,
                              variable=evolution.variable, from_value=evolution.from_value, to_value=to_value,
                              evolution=evolution))
    created = AdLineage.objects.bulk_create(rows, ignore_conflicts=True)
    Evolution.objects.filter(pk__in=evolutions).update(lineage_recorded_at=timezone.now())
    return len(created)
