"""The simulated market's account state in the database: its `LaunchStore` (the market's clock,
campaigns and ads), so every worker and page sees the same simulated account."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from adcreator.providers.meta.contracts import MetaCampaign
from adcreator.providers.meta.launches import LaunchedAd
from genome.models import AdAccount, SimulatedAd, SimulatedCampaign, SimulatedClock


class DbLaunchStore:
    """A LaunchStore over one simulated AdAccount's rows."""

    def __init__(self, account: AdAccount):
        self.account = account

    def _check(self, account_id: str) -> None:
        if account_id != self.account.ad_account_id:
            raise ValueError(f"this store holds {self.account.ad_account_id}, not {account_id}")

    def today(self, account_id: str) -> date:
        self._check(account_id)
        return market_today(self.account)

    def launched(self, account_id: str) -> list[LaunchedAd]:
        self._check(account_id)
        return [
            LaunchedAd(meta_ad_id=ad.meta_ad_id, ad_name=ad.ad_name, campaign_id=ad.campaign_id, adset_id=ad.adset_id,
                       objective=ad.objective, element_tags=ad.element_tags, launched_on=ad.launched_on,
                       paused_on=ad.paused_on, daily_budget=ad.daily_budget)
            for ad in SimulatedAd.objects.filter(account=self.account).order_by("meta_ad_id")
        ]

    def campaigns(self, account_id: str) -> list[MetaCampaign]:
        self._check(account_id)
        return [MetaCampaign(id=c.campaign_id, name=c.name, objective=c.objective, status=c.status,
                             account_id=account_id)
                for c in SimulatedCampaign.objects.filter(account=self.account).order_by("campaign_id")]

    def add_structure(self, account_id: str, campaign: MetaCampaign, ads: list[LaunchedAd]) -> None:
        self._check(account_id)
        with transaction.atomic():
            SimulatedCampaign.objects.get_or_create(
                account=self.account, campaign_id=campaign.id,
                defaults={"name": campaign.name or "", "objective": campaign.objective or "", "status": campaign.status or ""})
            SimulatedAd.objects.bulk_create([
                SimulatedAd(account=self.account, meta_ad_id=ad.meta_ad_id, ad_name=ad.ad_name, campaign_id=ad.campaign_id,
                            adset_id=ad.adset_id, objective=ad.objective, element_tags=ad.element_tags,
                            launched_on=ad.launched_on, paused_on=ad.paused_on, daily_budget=ad.daily_budget)
                for ad in ads
            ], ignore_conflicts=True)


def market_today(account: AdAccount) -> date:
    """The simulated account's current day; it starts on the real day the account was connected."""
    clock = SimulatedClock.objects.filter(account=account).first()
    return clock.today if clock else timezone.localdate()


def market_advance(*, account: AdAccount, days: int) -> date:
    """Move the simulated account's clock forward (`manage.py simulate_market --days N`)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    with transaction.atomic():
        clock, _ = SimulatedClock.objects.select_for_update().get_or_create(
            account=account, defaults={"today": market_today(account)})
        clock.today = clock.today + timedelta(days=days)
        clock.save(update_fields=["today"])
    return clock.today


def market_set_delivery(*, account: AdAccount, meta_ad_ids: list[str], active: bool) -> int:
    """Activate (deliver from today) or pause simulated ads, as the Ads Manager switch does."""
    today = market_today(account)
    ads = SimulatedAd.objects.filter(account=account, meta_ad_id__in=meta_ad_ids)
    if active:
        return ads.update(launched_on=today, paused_on=None)
    return ads.filter(paused_on__isnull=True).update(paused_on=today)
