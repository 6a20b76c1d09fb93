"""One ad at full size with its details: the decisive reason and every finding, its regions on
the image, the other sizes of its brief, where it came from, and the headline edit form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from django.core.exceptions import PermissionDenied

from adcreator.catalog.selectors import require_editor
from generation import selectors
from generation.cards import card_context, region_of

# The ad model's headline column; a template's own limit, when its prompt says one, is tighter.
HEADLINE_MAX = 300


def _may_edit(user, organization_id: int) -> bool:
    try:
        require_editor(user=user, organization_id=organization_id)
    except PermissionDenied:
        return False
    return True


def headline_max_of(ad) -> int:
    headline = ((ad.prompt or {}).get("content") or {}).get("headline")
    limit = headline.get("max_chars") if isinstance(headline, dict) else None
    return min(int(limit), HEADLINE_MAX) if isinstance(limit, int) and limit > 0 else HEADLINE_MAX


@login_required
@require_GET
def ad_page(request, ad_id: int):
    ad = get_object_or_404(selectors.results_ads(request.user, selectors.ResultsFilters()), pk=ad_id)
    siblings = list(selectors.results_ads(request.user, selectors.ResultsFilters())
                    .filter(ad_run_id=ad.ad_run_id, prompt_index=ad.prompt_index).order_by("canvas_size"))
    card = card_context(ad)
    findings = getattr(ad, "findings", None) or []
    # The full view outlines every finding that has a region, failed or not: the page is for looking closely.
    regions = [r for r in (region_of(f.code, f.region, decisive=f.decisive) for f in findings) if r]
    return render(request, "generation/results_ad.html", {
        "ad": ad, "card": card, "findings": findings, "regions": regions or card["why"]["regions"],
        "siblings": siblings, "parent": selectors.parent_of(ad),
        "can_edit": _may_edit(request.user, ad.ad_run.organization_id), "headline_max": headline_max_of(ad),
    })
