"""The Insights page of a brand (spec 10, 13) and the monitoring page: what the genome learned —
element scores with 90 % credible intervals, the cold-start level, stratified findings with their
Simpson's-paradox flags — and the alerts. Everything here is correlational unless an experiment
says otherwise, and says so."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from adcreator.catalog.selectors import brands_for
from genome.charts import Interval, interval_chart
from genome.dimensions import ELEMENT_DIMENSIONS
from genome.models import AttributionFinding, GenomeState, SystemAlert
from genome.selectors import ad_account_for, alerts_visible_to, element_scores_for

LEVEL_EXPLANATIONS = {
    0: "No data of this brand yet: scores lean on the organization's other brands of the same category "
       "(shrunk by 0.3), or are neutral.",
    1: "Days 1–13: rewards use the proxy metrics (CTR, CPC) only; the category prior still counts fully.",
    2: "Days 14–29: the brand's own evidence, blended with a fading category prior.",
    3: "Day 30 on: the brand's own evidence only.",
}
CHART_ROWS_PER_DIMENSION = 12


@login_required
@require_GET
def insights(request, brand_id: int):
    brand = get_object_or_404(brands_for(request.user), pk=brand_id)
    state = GenomeState.objects.filter(brand=brand).first()
    by_dimension: dict[str, list] = defaultdict(list)
    for row in element_scores_for(brand_id=brand.pk):
        by_dimension[row.dimension].append(row)
    charts = [
        {"dimension": dimension, "svg": interval_chart([
            Interval(label=row.value, mean=row.mean, low=row.ci_low, high=row.ci_high, n=row.matured_ads)
            for row in by_dimension[dimension][:CHART_ROWS_PER_DIMENSION]]),
         "rows": len(by_dimension[dimension])}
        for dimension in ELEMENT_DIMENSIONS if by_dimension.get(dimension)
    ]
    findings = list(AttributionFinding.objects.filter(brand=brand, reported=True).order_by("-strata_agreeing", "dimension"))
    return render(request, "genome/insights.html", {
        "brand": brand, "state": state, "charts": charts, "findings": findings,
        "simpson": list(AttributionFinding.objects.filter(brand=brand, simpson=True).order_by("dimension")),
        "alerts": list(SystemAlert.objects.filter(brand=brand).order_by("status", "-last_seen_at")[:20]),
        "level_explanation": LEVEL_EXPLANATIONS.get(state.cold_start_level) if state else None,
        "account": ad_account_for(brand_id=brand.pk),
    })


@login_required
@require_GET
def monitoring(request):
    brands = list(brands_for(request.user).order_by("name"))
    states = {s.brand_id: s for s in GenomeState.objects.filter(brand__in=brands)}
    return render(request, "genome/monitoring.html", {
        "alerts": list(alerts_visible_to(request.user).filter(status=SystemAlert.Status.OPEN)
                       .select_related("brand").order_by("-level", "-last_seen_at")),
        "resolved": list(alerts_visible_to(request.user).filter(status=SystemAlert.Status.RESOLVED)
                         .select_related("brand").order_by("-resolved_at")[:20]),
        "rows": [(brand, states.get(brand.pk)) for brand in brands],
    })
