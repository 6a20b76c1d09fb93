"""The results dashboard (spec 9c): summary, filters, template groups, overrides, bulk actions,
retry of rejected ads. Overrides answer htmx with the updated card, plain posts with a redirect."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from adcreator.catalog.selectors import brands_for
from adcreator.web.fields import parse_id
from adcreator.web.redirects import redirect_back
from generation import selectors
from generation.cards import card_context, check_legend
from generation.job_selectors import results_spend
from generation.progress import ads_phrase
from generation.forms import BulkOverrideForm, OverrideForm, ResultsFilterForm
from generation.services import ResultsError, ad_run_retry_rejected
from genome.selectors import performance_for_ads, simulated_brand_ids, winner_ad_ids
from review.models import DEFAULT_AUTO_REJECT
from review.selectors import quality_config_active
from review.services import (
    BulkConfirmationNeeded,
    ReviewError,
    review_override_bulk,
    review_override_bulk_changes,
    review_override_create,
)

# Runs offered in the run filter: the recent ones (an older run is reached from its job page).
RUN_FILTER_LIMIT = 50


def _filters(user, query: QueryDict):
    """(form, filters, runs offered): the selected run, when there is one, is among the runs."""
    visible = selectors.ad_runs_visible_to(user).select_related("product", "job_run")
    runs = list(visible[:RUN_FILTER_LIMIT])
    wanted_run = parse_id(query.get("run"))
    if wanted_run is not None and all(r.pk != wanted_run for r in runs):
        runs += list(visible.filter(pk=wanted_run))
    form = ResultsFilterForm(query or None, runs=runs, brands=brands_for(user).order_by("name"))
    if not form.is_bound or not form.is_valid():
        return form, selectors.ResultsFilters(), runs
    data = form.cleaned_data
    return form, selectors.ResultsFilters(
        statuses=tuple(data.get("status") or ()), date_from=data.get("date_from"), date_to=data.get("date_to"),
        run_id=data.get("run"), brand_id=data.get("brand"), sort=data.get("sort") or "newest",
    ), runs


@login_required
@require_GET
def results(request):
    form, filters, runs = _filters(request.user, request.GET)
    paginator = Paginator(selectors.results_ads(request.user, filters), selectors.RESULTS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    groups = selectors.group_by_template(page.object_list)
    cards = _cards([ad for group in groups for ad in group.ads])
    for group in groups:
        group.cards = [cards[ad.pk] for ad in group.ads]
        group.briefs = _briefs(group, cards)
        group.changes = {action: review_override_bulk_changes(ads=group.ads, action=action)
                         for action in ("override_approve", "override_reject")}
    selected_run = next((r for r in runs if r.pk == filters.run_id), None) if filters.run_id else None
    query = request.GET.copy()
    query.pop("page", None)
    summary = selectors.results_summary(request.user, filters)
    return render(request, "generation/results.html", {
        "form": form, "filters": filters, "page": page, "groups": groups,
        "summary": summary,
        "spend": results_spend(request.user, filters, approved_ads=summary.counts["approved"]),
        "selected_run": selected_run,
        "rejected_in_run": selectors.run_rejected_count(selected_run) if selected_run else 0,
        "query_without_page": query.urlencode(),
        "legend": check_legend(), "floors": _floors(filters.brand_id),
    })


def _briefs(group, cards) -> list[dict]:
    """The group's cards by brief (template × hook × colour × variation): its sizes side by side."""
    briefs: dict[int, dict] = {}
    for ad in group.ads:
        brief = briefs.setdefault(ad.prompt_index, {"index": ad.prompt_index, "color_mode": ad.color_mode,
                                                    "variation": ad.variation_index, "cards": []})
        brief["cards"].append(cards[ad.pk])
    return list(briefs.values())


def _floors(brand_id: int | None) -> list[tuple[str, float]]:
    """The auto-reject floors reviews use now: the brand's (or the global) active config's."""
    config = quality_config_active(brand_id=brand_id)
    return sorted((config.auto_reject if config is not None else DEFAULT_AUTO_REJECT).items())


def _summary_of_page(request) -> dict:
    """The summary (and its cost per approved ad) under the filters of the page the htmx request
    came from, so an override updates the counts, the override rate and the cost the user is
    looking at (an out-of-band swap)."""
    current = urlsplit(request.htmx.current_url or "")
    _, filters, _ = _filters(request.user, QueryDict(current.query))
    summary = selectors.results_summary(request.user, filters)
    return {"summary": summary, "spend": results_spend(request.user, filters, approved_ads=summary.counts["approved"])}


def _cards(ads) -> dict[int, dict]:
    """Cards for a page of ads with their Meta performance and launch state: a fixed number of
    queries whatever the number of ads."""
    ids = [ad.pk for ad in ads]
    performance = performance_for_ads(ad_ids=ids)
    simulated = simulated_brand_ids(brand_ids={ad.ad_run.brand_id for ad in ads})
    winners = winner_ad_ids(ads=ads)
    return {ad.pk: card_context(ad, performance=performance.days.get(ad.pk),
                                launchable=ad.status == "approved" and ad.ad_run.brand_id in simulated
                                and ad.pk not in performance.mapped, evolvable=ad.pk in winners,
                                parent=selectors.parent_of(ad)) for ad in ads}


def _local_path(target: str) -> str:
    """`target` when it is a path on this site (the cancel link of the confirm step), else the results."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else reverse("results")


def _back(request):
    return redirect_back(request, "results")


@login_required
@require_POST
def ad_override(request, ad_id: int):
    ad = get_object_or_404(selectors.results_ads(request.user, selectors.ResultsFilters()), pk=ad_id)
    decision = OverrideForm(request.POST)
    if not decision.is_valid():
        return HttpResponseBadRequest("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in decision.errors.items()))
    error = ""
    try:
        review_override_create(ad=ad, user=request.user, action=decision.cleaned_data["action"],
                               note=decision.cleaned_data["note"])
    except ReviewError as exc:
        error = str(exc)
    if request.htmx:
        ad = selectors.results_ads(request.user, selectors.ResultsFilters()).get(pk=ad.pk)
        next_url = request.htmx.current_url_abs_path or reverse("results")
        return render(request, "generation/partials/ad_card_with_summary.html",
                      {"card": _cards([ad])[ad.pk], "card_error": error, "next_url": next_url,
                       **_summary_of_page(request), "oob": True},
                      status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Ad {ad.pk}: {ad.get_status_display().lower()}.")
    return _back(request)


@login_required
@require_POST
def ads_bulk(request):
    bulk = BulkOverrideForm(request.POST)
    if not bulk.is_valid():
        return HttpResponseBadRequest("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in bulk.errors.items()))
    action = bulk.cleaned_data["action"]
    ads = list(selectors.ads_visible_to(request.user).filter(pk__in=bulk.cleaned_data["ad_ids"]))
    try:
        decided = review_override_bulk(ads=ads, user=request.user, action=action,
                                       confirmed=bulk.cleaned_data["confirm"] == "1")
    except BulkConfirmationNeeded as exc:
        # The confirmation step: the same decision again, with the count spelled out.
        return render(request, "generation/results_bulk_confirm.html", {
            "action": action, "changes": exc.changes, "ads": ads, "next_url": _local_path(request.POST.get("next", "")),
            "verb": "approve" if action == "override_approve" else "reject"})
    except ReviewError as exc:
        messages.error(request, f"Nothing changed: {exc}.")
        return _back(request)
    skipped = len(ads) - decided
    verb = "approved" if action == "override_approve" else "rejected"
    messages.success(request, f"{ads_phrase(decided)} {verb}." + (f" {ads_phrase(skipped)} not reviewed yet, left as they are." if skipped else ""))
    return _back(request)


@login_required
@require_POST
def run_retry_rejected(request, run_id: int):
    ad_run = get_object_or_404(selectors.ad_runs_visible_to(request.user).select_related("job_run"), pk=run_id)
    try:
        job_run = ad_run_retry_rejected(ad_run=ad_run, user=request.user)
    except ResultsError as exc:
        messages.error(request, f"Cannot retry: {exc}.")
        return _back(request)
    messages.success(request, "Retrying the rejected ads: each is regenerated and reviewed again.")
    return redirect("job-detail", job_id=job_run.job_id)
