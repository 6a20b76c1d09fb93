"""Deploying an experiment (spec 12b): a dedicated CBO campaign, one ad set per arm with the same
targeting, bid and placements and the same minimum daily spend, one ad per ad set — created
PAUSED through the brand's Meta performance source.

- Meta (Graph): the structure is created paused for the advertiser to review and activate in
  Ads Manager; the experiment's days start with its first delivery.
- The simulated market: the same call, then the ads are switched on at once (as activating
  them in Ads Manager would), so the experiment's days start on the market's today.
- No connection: refused ("Requires Meta connection").

Every arm gets an equal share of the daily budget as its minimum (`experiments.planning`), so
the intended split of impressions is equal: what the daily sample-ratio check tests.
"""

from __future__ import annotations

import time

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from adcreator.calls.ledger import CallLedger, CallScope
from adcreator.catalog.models import LandingPage
from adcreator.catalog.selectors import require_editor
from adcreator.jobs.registry import validation_errors
from adcreator.providers.calls import PendingCall
from adcreator.providers.errors import ProviderError
from adcreator.providers.meta.contracts import AdSetSpec, ArmSpec, CreativeSpec, ExperimentDeploymentRequest
from adcreator.providers.retry import AttemptRecord
from experiments.models import Experiment, ExperimentArm
from experiments.services.arms import experiment_check_arms
from experiments.services.errors import ExperimentError
from genome.market_store import market_set_delivery, market_today
from genome.models import AdAccount, AdMapping, Source
from genome.secrets import TokenUnreadable
from genome.selectors import ad_account_for
from genome.sources import source_for

REQUIRES_META = ("Requires Meta connection: connect the brand's ad account (or the simulated market) on its Meta "
                 "page; experiments run as their own ad sets on Meta.")
# The experiment measures CTR: the ad sets optimise for link clicks and pay per impression.
OPTIMIZATION_GOAL = "LINK_CLICKS"
OBJECTIVE = "OUTCOME_TRAFFIC"


def _link_url(experiment: Experiment, given: str) -> str:
    if given:
        return given
    from adcreator.catalog.models import OfferVariant

    offer_id = experiment.base_parameters.get("offer_variant_id")
    offer = OfferVariant.objects.filter(pk=offer_id).first() if offer_id else None
    if offer and offer.landing_page_url:
        return offer.landing_page_url
    page = LandingPage.objects.filter(brand=experiment.brand).order_by("id").first()
    return page.url if page else ""


def _creative(account: AdAccount, ad, *, page_id: str, link_url: str) -> CreativeSpec:
    if account.source == Source.SIMULATED:
        # The simulated market shows no creative: our ad's short id stands for it.
        return CreativeSpec(creative_id=f"adcreator-{ad.short_id}")
    with default_storage.open(ad.image.name, "rb") as handle:
        image = handle.read()
    return CreativeSpec(page_id=page_id, image_png=image, link_url=link_url, primary_text=ad.headline[:500],
                        headline=ad.headline[:255], call_to_action="SHOP_NOW")


def deployment_request(experiment: Experiment, arms: list[ExperimentArm], account: AdAccount, *, page_id: str = "",
                       link_url: str = "", countries: list[str] | None = None) -> ExperimentDeploymentRequest:
    errors: dict[str, list[str]] = {}
    link = _link_url(experiment, link_url.strip())
    if account.source == Source.GRAPH:
        if not page_id.strip().isdigit():
            errors["page_id"] = ["The Facebook Page id (digits) the ads run under is needed to create their creatives."]
        if not link.startswith("https://"):
            errors["link_url"] = ["The https:// address the ads link to is needed (none is known for the product)."]
        if any(not arm.generated_ad.image for arm in arms):
            errors["__all__"] = ["Every arm's ad needs its image to upload to Meta."]
    codes = [c.strip().upper() for c in (countries or ["US"]) if c and c.strip()]
    if not codes or any(len(c) != 2 or not c.isalpha() for c in codes):
        errors["countries"] = ["Two-letter country codes (US, GB …) where the ad sets deliver."]
    if errors:
        raise ExperimentError(errors)
    try:
        return ExperimentDeploymentRequest(
            account_id=account.ad_account_id, campaign_name=f"AdCreator EXP-{experiment.pk} · {experiment.name}"[:200],
            objective=OBJECTIVE, currency=account.currency or experiment.currency,
            daily_budget=experiment.daily_budget, min_daily_spend_per_arm=experiment.min_daily_spend_per_arm,
            ad_set=AdSetSpec(targeting={"geo_locations": {"countries": codes}},
                             optimization_goal=OPTIMIZATION_GOAL, billing_event="IMPRESSIONS"),
            arms=[ArmSpec(arm_key=arm.key, ad_name=f"EXP-{experiment.pk} {arm.key} · {arm.generated_ad.short_id}",
                          creative=_creative(account, arm.generated_ad, page_id=page_id.strip(), link_url=link),
                          element_tags={k: v for k, v in (arm.generated_ad.element_tags or {}).items()
                                        if v is None or isinstance(v, (str, int))})
                  for arm in arms],
        )
    except ValidationError as exc:
        raise ExperimentError(validation_errors(exc)) from None


def experiment_deploy(*, experiment: Experiment, user, page_id: str = "", link_url: str = "",
                      countries: list[str] | None = None) -> Experiment:
    """Create the experiment's paused structure on the brand's Meta account and record its ids."""
    require_editor(user=user, organization_id=experiment.brand.organization_id)
    if experiment.status == Experiment.Status.RUNNING or experiment.is_finished:
        raise ExperimentError.whole(f"The experiment is already {experiment.get_status_display().lower()}.")
    account = ad_account_for(brand_id=experiment.brand_id)
    if account is None or account.status != AdAccount.Status.ACTIVE:
        raise ExperimentError.whole(REQUIRES_META)
    reasons = experiment_check_arms(experiment=experiment)
    experiment.refresh_from_db()
    if reasons or experiment.status != Experiment.Status.READY:
        raise ExperimentError({"__all__": ["The experiment is not ready to deploy.", *reasons]})
    arms = list(experiment.arms.select_related("generated_ad").order_by("position"))
    request = deployment_request(experiment, arms, account, page_id=page_id, link_url=link_url, countries=countries)
    pending: list[PendingCall] = []
    ledger = CallLedger(CallScope(organization_id=experiment.brand.organization_id, brand_id=experiment.brand_id))
    started = time.perf_counter()
    try:
        source = source_for(account, observer=pending.append)
        result = source.create_experiment(request)
    except TokenUnreadable as exc:
        raise ExperimentError.whole(f"The brand's Meta token cannot be read ({exc}); replace it on its Meta page.") from None
    except ProviderError as exc:
        ledger.write(pending)
        created = getattr(exc, "created", None)
        Experiment.objects.filter(pk=experiment.pk).update(deployment={
            "provider": account.source, "error": exc.message[:500], "retryable": exc.retryable,
            "created": created or {}, "failed_at": timezone.now().isoformat()})
        note = f" Created on Meta before it stopped (paused; delete or reuse them): {created}." if created else ""
        raise ExperimentError.whole(f"Meta refused the deployment: {exc.message}.{note}") from None
    if account.source == Source.SIMULATED:
        pending.append(PendingCall(purpose="meta.deploy.experiment", provider="meta_simulated", model="simulated-market",
                                   attempt=AttemptRecord(1, int((time.perf_counter() - started) * 1000), None)))
    by_key = {arm.arm_key: arm for arm in result.arms}
    with transaction.atomic():
        ledger.write(pending)
        for arm in arms:
            deployed = by_key[arm.key]
            arm.meta_adset_id, arm.meta_ad_id = deployed.adset_id, deployed.ad_id
            AdMapping.objects.get_or_create(meta_ad_id=deployed.ad_id, defaults={
                "account": account, "generated_ad": arm.generated_ad, "origin": AdMapping.Origin.EXPERIMENT,
                "created_by": user if getattr(user, "pk", None) else None})
        ExperimentArm.objects.bulk_update(arms, ["meta_adset_id", "meta_ad_id"])
        experiment.campaign_id = result.campaign_id
        experiment.deployed_at = timezone.now()
        experiment.status = Experiment.Status.RUNNING
        experiment.deployment = {
            "provider": account.source, "account_id": account.ad_account_id, "campaign_id": result.campaign_id,
            "created_paused": True, "daily_budget": str(request.daily_budget),
            "min_daily_spend_per_arm": str(request.min_daily_spend_per_arm), "objective": request.objective,
            "optimization_goal": OPTIMIZATION_GOAL, "countries": request.ad_set.targeting["geo_locations"]["countries"],
            "arms": [deployed.model_dump() for deployed in result.arms]}
        if account.source == Source.SIMULATED:
            market_set_delivery(account=account, meta_ad_ids=[arm.meta_ad_id for arm in arms], active=True)
            experiment.started_on = market_today(account)
            experiment.deployment["activated"] = experiment.started_on.isoformat()
        experiment.save()
    return experiment


def paused_note(experiment: Experiment) -> str:
    return ("Created PAUSED on Meta: review campaign " + (experiment.campaign_id or "?") + " in Ads Manager and "
            "activate it; the experiment's days start with its first delivery.")

