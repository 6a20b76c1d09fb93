"""Creating an experiment's structure on Meta (issue 15, 12b), all PAUSED:

- one campaign with the budget on the campaign (CBO, "Advantage campaign budget") and the
  bid strategy there;
- one ad set per arm, every one built from the same `AdSetSpec` (targeting, placements,
  optimisation goal, billing event, bid amount) with the same `daily_min_spend_target`;
- one ad per ad set, its creative an existing creative id or a link ad made from the image.

Money goes to Meta in the currency's minor unit (cents). Creates are not idempotent on
Meta's side, so they run with `idempotent=False` (only a rate limit is retried). If a step
fails, `MetaDeploymentError.created` lists what already exists, to record or delete.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from facebook_business.adobjects.adaccount import AdAccount

from adcreator.providers.errors import MalformedResponseError, ProviderError
from adcreator.providers.meta.contracts import (
    ArmSpec,
    CreativeSpec,
    DeployedArm,
    ExperimentDeploymentRequest,
    ExperimentDeploymentResult,
)
from adcreator.providers.meta.errors import MetaDeploymentError
from adcreator.providers.meta.units import to_minor_units

PAUSED = "PAUSED"


def campaign_params(request: ExperimentDeploymentRequest) -> dict[str, Any]:
    return {
        "name": request.campaign_name,
        "objective": request.objective,
        "status": PAUSED,
        "buying_type": "AUCTION",
        "special_ad_categories": list(request.special_ad_categories),
        # A budget on the campaign is what makes it CBO; Meta then spreads it over the ad sets.
        "daily_budget": to_minor_units(request.daily_budget, request.currency),
        "bid_strategy": request.bid_strategy,
    }


def ad_set_params(request: ExperimentDeploymentRequest, arm: ArmSpec, campaign_id: str) -> dict[str, Any]:
    spec = request.ad_set
    params: dict[str, Any] = {
        "name": request.ad_set_name(arm),
        "campaign_id": campaign_id,
        "status": PAUSED,
        "targeting": spec.targeting,
        "optimization_goal": spec.optimization_goal,
        "billing_event": spec.billing_event,
        # Equal minimum spend per arm: CBO may not starve an arm before it has been seen.
        "daily_min_spend_target": to_minor_units(request.min_daily_spend_per_arm, request.currency),
    }
    if spec.promoted_object:
        params["promoted_object"] = spec.promoted_object
    if spec.bid_amount is not None:
        params["bid_amount"] = to_minor_units(spec.bid_amount, request.currency)
    if spec.start_time is not None:
        params["start_time"] = spec.start_time.isoformat()
    if spec.end_time is not None:
        params["end_time"] = spec.end_time.isoformat()
    return params


def creative_params(arm: ArmSpec, image_hash: str) -> dict[str, Any]:
    creative = arm.creative
    return {
        "name": arm.ad_name,
        "object_story_spec": {
            "page_id": creative.page_id,
            "link_data": {
                "image_hash": image_hash,
                "link": creative.link_url,
                "message": creative.primary_text,
                "name": creative.headline,
                "call_to_action": {"type": creative.call_to_action, "value": {"link": creative.link_url}},
            },
        },
    }


# call(purpose key, fn, idempotent) runs one HTTP call the adapter's way (runner, slow-down).
Call = Callable[..., Any]


def deploy_experiment(
    request: ExperimentDeploymentRequest, *, account: AdAccount, call: Call, provider: str, provider_name: str
) -> ExperimentDeploymentResult:
    created: dict[str, list[str]] = {"campaigns": [], "adsets": [], "creatives": [], "ads": []}

    def create(purpose: str, method, params: dict[str, Any], kind: str) -> str:
        node = call(purpose, lambda: method(params=params), idempotent=False)
        object_id = node.export_all_data().get("id")
        if not object_id:
            raise MalformedResponseError(f"{purpose}: answer has no id", provider=provider)
        created[kind].append(str(object_id))
        return str(object_id)

    def creative_id(creative: CreativeSpec, arm: ArmSpec) -> str:
        if creative.creative_id:
            return creative.creative_id
        image_hash = creative.image_hash or upload_image(creative.image_png or b"")
        return create("create_creative", account.create_ad_creative, creative_params(arm, image_hash), "creatives")

    def upload_image(png: bytes) -> str:
        # Same bytes, same hash: an upload is safe to repeat, so it may be retried.
        encoded = base64.b64encode(png).decode()
        image = call("upload_image", lambda: account.create_ad_image(params={"bytes": encoded}), idempotent=True)
        image_hash = image.export_all_data().get("hash")
        if not image_hash:
            raise MalformedResponseError("image upload answered without a hash", provider=provider)
        return str(image_hash)

    try:
        campaign_id = create("create_campaign", account.create_campaign, campaign_params(request), "campaigns")
        arms = []
        for arm in request.arms:
            adset_id = create("create_adset", account.create_ad_set, ad_set_params(request, arm, campaign_id), "adsets")
            used_creative = creative_id(arm.creative, arm)
            ad_params = {"name": arm.ad_name, "adset_id": adset_id, "creative": {"creative_id": used_creative}, "status": PAUSED}
            ad_id = create("create_ad", account.create_ad, ad_params, "ads")
            arms.append(DeployedArm(arm_key=arm.arm_key, adset_id=adset_id, ad_id=ad_id, creative_id=used_creative))
    except ProviderError as error:
        failure = MetaDeploymentError(
            f"experiment deployment stopped: {error.message}", provider=provider, created=created, cause=error
        )
    else:
        return ExperimentDeploymentResult(
            account_id=request.account_id, campaign_id=campaign_id, arms=arms, provider_name=provider_name
        )
    raise failure
