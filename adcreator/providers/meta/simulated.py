"""The simulated market as a `MetaPerformanceSource`: the offline default
(`ADCREATOR_META_PROVIDER=simulated`).

It answers the same protocol as the Graph adapter, in the same units, so `meta_sync` cannot
tell them apart except by `provider_name`. Its ground truth (`market.MarketModel`) stays
inside: callers see only insight rows. Launched ads and the clock come from a `LaunchStore`.

Experiments: `create_experiment` records a PAUSED campaign, one ad set and one ad per arm;
once the caller activates them they deliver like CBO on Meta with an equal minimum spend per
arm — each arm gets its minimum, and the rest of the campaign budget leans mildly towards
the arms that truly convert better (Meta's optimiser does not know the truth at once).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal

from adcreator.providers.meta.contracts import (
    DailyAdInsight,
    DeployedArm,
    ExperimentDeploymentRequest,
    ExperimentDeploymentResult,
    InsightPage,
    MetaCampaign,
    validate_account_id,
    validate_date_range,
)
from adcreator.providers.meta.errors import MetaRequestRejectedError
from adcreator.providers.meta.launches import LaunchedAd, LaunchStore, simulated_id
from adcreator.providers.meta.market import MODEL_VERSION, AdDay, AdProfile, MarketModel
from adcreator.providers.meta import units

PROVIDER = "meta_simulated"
DEFAULT_PAGE_SIZE = 500


class SimulatedMetaSource:
    provider_name = "simulated"
    pages_off_thread = False  # its launch store reads the database
    api_version = MODEL_VERSION

    def __init__(self, store: LaunchStore, *, seed: int = 0, page_size: int = DEFAULT_PAGE_SIZE, currency: str = "USD") -> None:
        self._store = store
        self._market = MarketModel(seed)
        self.page_size = page_size
        self.currency = currency

    def __repr__(self) -> str:
        return f"SimulatedMetaSource(api_version={self.api_version!r})"

    # -- campaigns ------------------------------------------------------------------------
    def list_campaigns(self, account_id: str, campaign_ids: Sequence[str] | None = None) -> list[MetaCampaign]:
        validate_account_id(account_id, provider=PROVIDER)
        known = {campaign.id: campaign for campaign in self._store.campaigns(account_id)}
        if campaign_ids is None:
            return list(known.values())
        missing = [cid for cid in campaign_ids if cid not in known]
        if missing:  # what the Graph API answers for an id it does not know (code 100)
            raise MetaRequestRejectedError(f"campaign(s) {missing} do not exist in {account_id}", provider=PROVIDER, code=100)
        return [known[cid] for cid in dict.fromkeys(campaign_ids)]

    # -- insights -------------------------------------------------------------------------
    def iter_insight_pages(self, account_id: str, since: date, until: date) -> Iterator[InsightPage]:
        validate_account_id(account_id, provider=PROVIDER)
        validate_date_range(since, until, provider=PROVIDER)  # bad arguments raise here, not on first page
        return self._pages(account_id, since, until)

    def _pages(self, account_id: str, since: date, until: date) -> Iterator[InsightPage]:
        today = self._store.today(account_id)
        ads = sorted(self._store.launched(account_id), key=lambda ad: ad.meta_ad_id)
        by_id = {ad.meta_ad_id: ad for ad in ads}
        profiles = [self._profile(account_id, ad) for ad in ads if ad.launched_on is not None]
        # The whole history is simulated (fatigue needs it); only since..until is reported.
        days = [day for day in self._market.simulate(profiles, through=until, today=today) if day.day >= since]
        days.sort(key=lambda day: (day.day, day.ad_key))  # the Graph edge's order: date, then ad
        rows = [self._row(day, by_id[day.ad_key]) for day in days]
        size = max(1, self.page_size)
        pages = max(1, math.ceil(len(rows) / size))
        for number in range(pages):
            yield InsightPage(
                rows=rows[number * size:(number + 1) * size], page_number=number + 1,
                has_more=number + 1 < pages, delivery="simulated",
            )

    def _profile(self, account_id: str, ad: LaunchedAd) -> AdProfile:
        return AdProfile(
            ad_key=ad.meta_ad_id, account_id=account_id, element_tags=dict(ad.element_tags),
            daily_budget=float(ad.daily_budget) if ad.daily_budget is not None else None,
            active_from=ad.launched_on, active_until=ad.paused_on,  # type: ignore[arg-type]
        )

    def _row(self, day: AdDay, ad: LaunchedAd) -> DailyAdInsight:
        return DailyAdInsight(
            date=day.day, meta_ad_id=ad.meta_ad_id, ad_name=ad.ad_name, campaign_id=ad.campaign_id,
            adset_id=ad.adset_id, account_currency=self.currency,
            impressions=day.impressions, clicks=day.clicks, reach=day.reach,
            frequency=day.impressions / day.reach if day.reach else None,
            spend=day.spend, cpm=units.cpm(day.spend, day.impressions), ctr=units.ratio(day.clicks, day.impressions),
            conversions=day.purchases, conversion_value=day.purchase_value, conversion_action_type="purchase",
            conversion_rate=units.ratio(day.purchases, day.clicks), roas=units.roas(day.purchase_value, day.spend),
        )

    # -- experiments ----------------------------------------------------------------------
    def create_experiment(self, request: ExperimentDeploymentRequest) -> ExperimentDeploymentResult:
        account_id = request.account_id
        key = ("experiment", request.campaign_name)
        campaign = MetaCampaign(
            id=simulated_id(account_id, *key, "campaign"), name=request.campaign_name,
            objective=request.objective, status="PAUSED", account_id=account_id,
        )
        budgets = self._arm_budgets(request)
        ads, arms = [], []
        for arm, budget in zip(request.arms, budgets):
            ad = LaunchedAd(
                meta_ad_id=simulated_id(account_id, *key, arm.arm_key, "ad"), ad_name=arm.ad_name,
                campaign_id=campaign.id, adset_id=simulated_id(account_id, *key, arm.arm_key, "adset"),
                objective=request.objective, element_tags=dict(arm.element_tags), launched_on=None, daily_budget=budget,
            )
            ads.append(ad)
            arms.append(DeployedArm(arm_key=arm.arm_key, adset_id=ad.adset_id, ad_id=ad.meta_ad_id,
                                    creative_id=simulated_id(account_id, *key, arm.arm_key, "creative")))
        self._store.add_structure(account_id, campaign, ads)
        return ExperimentDeploymentResult(account_id=account_id, campaign_id=campaign.id, arms=arms,
                                          provider_name=self.provider_name)

    def _arm_budgets(self, request: ExperimentDeploymentRequest) -> list[Decimal]:
        """Each arm's minimum, plus the remainder shared ∝ √(true purchases per impression)."""
        minimum = request.min_daily_spend_per_arm
        remainder = request.daily_budget - minimum * len(request.arms)
        weights = [
            math.sqrt(self._market.ground_truth(request.account_id, dict(arm.element_tags)).purchases_per_1000_impressions)
            for arm in request.arms
        ]
        total = sum(weights) or 1.0
        return [(minimum + remainder * Decimal(repr(w / total))).quantize(Decimal("0.01")) for w in weights]
