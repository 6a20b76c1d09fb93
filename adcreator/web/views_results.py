"""The results dashboard (spec 9c): summary, filters, template groups, overrides, bulk actions,
retry of rejected ads. Overrides answer htmx with the updated card, plain posts with a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from adcreator.catalog.selectors import brands_for
from adcreator.web import queries
from adcreator.web.forms import ResultsFilterForm
from adcreator.web.scores import card_context
from generation.results import ResultsError, ad_run_retry_rejected
from review.models import AdReviewOverride
from review.services import ReviewError, review_override_bulk, review_override_create

# Runs offered in the run filter: the recent ones (an older run is reached from its job page).
RUN_FILTER_LIMIT = 50
ACTIONS = {a.value for a in AdReviewOverride.Action}


def _filters(request) -> tuple[ResultsFilterForm, queries.ResultsFilters]:
    runs = list(queries.ad_runs_for(request.user).select_related("product")[:RUN_FILTER_LIMIT])
    wanted_run = request.GET.get("run")
    if wanted_run and wanted_run.isdigit() and all(r.pk != int(wanted_run) for r in runs):
        runs += list(queries.ad_runs_for(request.user).select_related("product").filter(pk=int(wanted_run)))
    form = ResultsFilterForm(request.GET or None, runs=runs, brands=brands_for(request.user).order_by("name"))
    if not form.is_bound or not form.is_valid():
        return form, queries.ResultsFilters()
    data = form.cleaned_data
    return form, queries.ResultsFilters(
        statuses=tuple(data.get("status") or ()), date_from=data.get("date_from"), date_to=data.get("date_to"),
        run_id=data.get("run"), brand_id=data.get("brand"), sort=data.get("sort") or "newest",
    )


@login_required
@require_GET
def results(request):
    form, filters = _filters(request)
    paginator = Paginator(queries.results_ads(request.user, filters), queries.RESULTS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    groups = queries.group_by_template(page.object_list)
    for group in groups:
        group.cards = [card_context(ad) for ad in group.ads]
    selected_run = None
    if filters.run_id:
        selected_run = queries.ad_runs_for(request.user).select_related("job_run", "product").filter(pk=filters.run_id).first()
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/results.html", {
        "form": form, "filters": filters, "page": page, "groups": groups,
        "summary": queries.results_summary(request.user, filters),
        "selected_run": selected_run,
        "rejected_in_run": queries.run_rejected_count(selected_run) if selected_run else 0,
        "query_without_page": query.urlencode(),
    })


def _back(request):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("results")


@login_required
@require_POST
def ad_override(request, ad_id: int):
    ad = get_object_or_404(queries.results_ads(request.user, queries.ResultsFilters()), pk=ad_id)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return HttpResponseBadRequest("unknown action")
    error = ""
    try:
        review_override_create(ad=ad, user=request.user, action=action, note=request.POST.get("note", ""))
    except ReviewError as exc:
        error = str(exc)
    if request.htmx:
        ad = queries.results_ads(request.user, queries.ResultsFilters()).get(pk=ad.pk)
        next_url = request.htmx.current_url_abs_path or reverse("results")
        return render(request, "web/partials/ad_card.html",
                      {"card": card_context(ad), "card_error": error, "next_url": next_url},
                      status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Ad {ad.pk}: {ad.get_status_display().lower()}.")
    return _back(request)


@login_required
@require_POST
def ads_bulk(request):
    action = request.POST.get("action", "")
    if action not in ("override_approve", "override_reject"):
        return HttpResponseBadRequest("unknown action")
    ids = [int(v) for v in request.POST.getlist("ad_ids") if v.isdigit()]
    ads = list(queries.ads_for(request.user).filter(pk__in=ids))
    decided = review_override_bulk(ads=ads, user=request.user, action=action)
    skipped = len(ads) - decided
    verb = "approved" if action == "override_approve" else "rejected"
    messages.success(request, f"{decided} ad(s) {verb}." + (f" {skipped} not reviewed yet, left as they are." if skipped else ""))
    return _back(request)


@login_required
@require_POST
def run_retry_rejected(request, run_id: int):
    ad_run = get_object_or_404(queries.ad_runs_for(request.user).select_related("job_run"), pk=run_id)
    try:
        job_run = ad_run_retry_rejected(ad_run=ad_run, user=request.user)
    except ResultsError as exc:
        messages.error(request, f"Cannot retry: {exc}.")
        return _back(request)
    messages.success(request, "Retrying the rejected ads: each is regenerated and reviewed again.")
    return redirect("job-detail", job_id=job_run.job_id)
