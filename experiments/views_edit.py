"""The headline edit of one ad (issue 17 item 8): posted from the ad's full-size page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from adcreator.catalog.selectors import organization_ids_for
from experiments.services import ExperimentError, ad_headline_edit


@login_required
@require_POST
def ad_edit_headline(request, ad_id: int):
    try:
        evolution = ad_headline_edit(ad_id=ad_id, headline=request.POST.get("headline", ""), user=request.user,
                                     organization_ids=organization_ids_for(request.user))
    except ExperimentError as exc:
        for field, errors in exc.errors.items():
            name = "" if field == "__all__" else f"{field.replace('_', ' ').capitalize()}: "
            messages.error(request, f"Not regenerated — {name}{' '.join(errors)}")
        return redirect("ad-page", ad_id=ad_id)
    except PermissionDenied as exc:
        messages.error(request, f"Not regenerated — {exc}")
        return redirect("ad-page", ad_id=ad_id)
    messages.success(request, f"Regenerating ad #{ad_id} with “{evolution.to_value}”: the new ad keeps ad #{ad_id} "
                              "as its parent.")
    return redirect("job-detail", job_id=evolution.job_id)
