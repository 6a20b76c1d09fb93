"""Pages of the genome: each brand's Meta connection (connect, replace the token, disconnect,
last sync, health), the mapping upload, launching ads into the simulated market."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from adcreator.catalog.selectors import brands_for, organization_ids_for
from adcreator.jobs.models import Job
from adcreator.jobs.selectors import latest_run
from adcreator.web.redirects import redirect_back
from genome.forms import MappingUploadForm, MetaConnectionForm
from genome.models import AdAccount, AdMapping
from genome.selectors import ad_account_for
from genome.services.connection import (
    MetaConnectionError,
    meta_connection_delete,
    meta_connection_set,
)
from genome.services.mapping import MappingError, mappings_create, resolve_ad_refs
from genome.services.market import LaunchError, market_launch_ads
from genome.services.sync_jobs import meta_sync_enqueue
from genome.sources import configured_source


def _brand(request, brand_id: int):
    return get_object_or_404(brands_for(request.user), pk=brand_id)


def _last_sync_run(brand):
    job = jobs_visible_to_brand(brand).first()
    return latest_run(job) if job else None


def jobs_visible_to_brand(brand):
    return Job.objects.filter(brand=brand, job_type="meta_sync").order_by("-created_at", "-id").prefetch_related("runs")


@login_required
@require_GET
def connections(request):
    brands = list(brands_for(request.user).order_by("name", "id"))
    accounts = {a.brand_id: a for a in AdAccount.objects.filter(brand__in=brands)}
    return render(request, "genome/connections.html", {
        "rows": [(brand, accounts.get(brand.pk)) for brand in brands], "provider": configured_source()})


@login_required
@require_http_methods(["GET", "POST"])
def connection(request, brand_id: int):
    brand = _brand(request, brand_id)
    account = ad_account_for(brand_id=brand.pk)
    form = MetaConnectionForm(request.POST or None, initial={"ad_account_id": account.ad_account_id if account else ""})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            token = form.cleaned_data["access_token"]
            keep = not token and account is not None and account.access_token_encrypted
            try:
                if keep:  # the account id changed, the token stays: re-encrypting needs the plain token
                    account = _change_account_id(account, form.cleaned_data["ad_account_id"], request.user)
                else:
                    account = meta_connection_set(brand=brand, ad_account_id=form.cleaned_data["ad_account_id"],
                                                  access_token=token, user=request.user)
            except MetaConnectionError as exc:
                for field, errors in exc.errors.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, f"{brand.name} is connected to {account.ad_account_id} "
                                          f"({'Simulated' if account.source == 'simulated' else 'Meta'}).")
                return redirect("brand-meta", brand_id=brand.pk)
        status = 400
    return render(request, "genome/connection.html", {
        "brand": brand, "account": account, "form": form, "upload": MappingUploadForm(),
        "provider": configured_source(), "last_run": _last_sync_run(brand),
        "mappings": AdMapping.objects.filter(account=account).count() if account else 0,
    }, status=status)


def _change_account_id(account: AdAccount, ad_account_id: str, user) -> AdAccount:
    from genome.secrets import decrypt_token

    return meta_connection_set(brand=account.brand, ad_account_id=ad_account_id,
                               access_token=decrypt_token(account.access_token_encrypted), user=user)


@login_required
@require_POST
def disconnect(request, brand_id: int):
    brand = _brand(request, brand_id)
    meta_connection_delete(brand=brand, user=request.user)
    messages.success(request, f"{brand.name} is disconnected: the token is erased; the synced history stays.")
    return redirect("brand-meta", brand_id=brand.pk)


@login_required
@require_POST
def sync_now(request, brand_id: int):
    brand = _brand(request, brand_id)
    from adcreator.catalog.selectors import require_editor

    require_editor(user=request.user, organization_id=brand.organization_id)
    job, created = meta_sync_enqueue(brand=brand, created_by=request.user)
    if not created:
        messages.info(request, f"A sync of {brand.name} is already queued or running: here it is.")
    return redirect("job-detail", job_id=job.pk)


@login_required
@require_POST
def upload_mappings(request, brand_id: int):
    brand = _brand(request, brand_id)
    form = MappingUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("csv_file", []):
            messages.error(request, f"Mappings not uploaded: {error}")
        return redirect("brand-meta", brand_id=brand.pk)
    rows = form.cleaned_data["csv_file"]
    try:
        items = resolve_ad_refs(brand=brand, refs=[(line, ref, meta) for line, ref, meta in rows])
        created = mappings_create(user=request.user, organization_ids=organization_ids_for(request.user),
                                  items=items, origin=AdMapping.Origin.CSV)
    except MappingError as exc:
        for where, errors in list(exc.errors.items())[:10]:
            messages.error(request, f"Mappings not uploaded — {where}: {' '.join(errors)}")
        return redirect("brand-meta", brand_id=brand.pk)
    messages.success(request, f"{len(created)} mapping(s) added ({len(items) - len(created)} already there).")
    return redirect("brand-meta", brand_id=brand.pk)


@login_required
@require_POST
def ad_launch(request, ad_id: int):
    try:
        market_launch_ads(ad_ids=[ad_id], user=request.user, organization_ids=organization_ids_for(request.user))
    except LaunchError as exc:
        messages.error(request, f"Not launched: {exc}.")
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Ad {ad_id} is live in the simulated market; sync the brand to see its numbers.")
    return redirect_back(request, "results")
