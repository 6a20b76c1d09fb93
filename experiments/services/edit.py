"""Edit one ad's headline and regenerate that ad (issue 17 item 8): a normal generation job that
makes the same brief in the same size and colour with the person's headline, linked to its
parent by an evolve request of mode "edit", so the child joins the ad's lineage like an evolved ad.
Any reviewed or unreviewed ad may be edited (no winner check); the lineage's round limit holds."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from adcreator.catalog.selectors import require_editor
from experiments.creative import VariationError, base_request
from experiments.models_evolution import Evolution
from experiments.selectors import evolution_of_ad
from experiments.services.errors import ExperimentError
from experiments.services.lineage import evolution_record_lineage
from experiments.vocabulary import EDIT_MODE, MAX_ROUNDS_PER_ANCESTOR
from generation.services import SubmissionError, ad_creation_submit


def ad_headline_edit(*, ad_id: int, headline: str, user, organization_ids: list[int]) -> Evolution:
    """Submit the regeneration of one ad with a new headline; returns the evolve request (its job)."""
    with transaction.atomic():
        ad = (apps.get_model("generation", "GeneratedAd").objects.select_for_update(of=("self",))
              .filter(pk=ad_id, ad_run__organization_id__in=organization_ids)
              .select_related("ad_run", "ad_run__brand", "ad_run__organization", "ad_run__job_run__job").first())
        if ad is None:
            raise ExperimentError({"ad": ["No such ad in your organizations."]})
        require_editor(user=user, organization_id=ad.ad_run.organization_id)
        wanted = " ".join((headline or "").split())
        if not wanted:
            raise ExperimentError({"headline": ["Write the new headline."]})
        if wanted == " ".join(ad.headline.split()):
            raise ExperimentError({"headline": ["This is the ad's headline already; change it to regenerate."]})
        parent_evolution = evolution_of_ad(ad_id=ad.pk)
        child_round = (parent_evolution.round if parent_evolution else 0) + 1
        ancestor_id = parent_evolution.ancestor_ad_id if parent_evolution else ad.pk
        if child_round > MAX_ROUNDS_PER_ANCESTOR:
            raise ExperimentError.whole(
                f"This ad is round {child_round - 1} below ancestor ad #{ancestor_id}; at most "
                f"{MAX_ROUNDS_PER_ANCESTOR} rounds come from one ancestor. Edit ad #{ancestor_id} instead.")
        try:
            request = dict(base_request(ad), headline=wanted)
            submission = ad_creation_submit(organization=ad.ad_run.organization, user=user, parameters=request,
                                            name=f"Edit ad #{ad.pk}: “{wanted}”"[:200], allow_split=False)
        except VariationError as exc:
            raise ExperimentError.whole(str(exc)) from None
        except SubmissionError as exc:
            raise ExperimentError(exc.errors) from None
        evolution = Evolution.objects.create(
            organization=ad.ad_run.organization, brand=ad.ad_run.brand, parent_ad=ad, ancestor_ad_id=ancestor_id,
            round=child_round, mode=EDIT_MODE, variable="headline", from_value=ad.headline[:200],
            to_value=wanted[:200], job=submission.jobs[0], created_by=user if getattr(user, "pk", None) else None,
            detail={"label": f"headline: “{ad.headline}” → “{wanted}”"})
    evolution_record_lineage(organization_id=ad.ad_run.organization_id)
    return evolution
