"""Which ads run in the simulated market, and the market's clock: the `LaunchStore` seam.

The simulated market holds no state of its own. A store tells it which ads were launched
into an account (with their element tags) and what day it is there; the lead's DB-backed
store implements the protocol (and `manage.py simulate_market --days N` moves its clock);
`InMemoryLaunchStore` is the one for tests and benchmarks.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from adcreator.providers.meta.contracts import MetaCampaign

LAUNCH_CAMPAIGN_NAME = "AdCreator launches (simulated)"


class LaunchedAd(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    meta_ad_id: str = Field(pattern=r"^\d+$")
    ad_name: str
    campaign_id: str
    adset_id: str
    objective: str = "OUTCOME_SALES"
    element_tags: dict[str, str | int | None] = Field(default_factory=dict)
    launched_on: date | None  # first day it delivers; None = created paused, not activated yet
    paused_on: date | None = None  # first day it no longer delivers
    daily_budget: Decimal | None = Field(default=None, gt=0)  # None: the market picks one (seeded)


@runtime_checkable
class LaunchStore(Protocol):
    def today(self, account_id: str) -> date:
        """The market's current day in this account (that day is not complete yet)."""
        ...

    def launched(self, account_id: str) -> list[LaunchedAd]:
        """Every ad ever created in the account, paused ones included."""
        ...

    def campaigns(self, account_id: str) -> list[MetaCampaign]:
        ...

    def add_structure(self, account_id: str, campaign: MetaCampaign, ads: list[LaunchedAd]) -> None:
        """Record a campaign and its ads; repeating it with the same ids changes nothing."""
        ...


def simulated_id(*parts: object) -> str:
    """A stable 15-digit, Meta-looking id for the parts (same parts, same id)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return str(900_000_000_000_000 + int.from_bytes(digest, "little") % 99_999_999_999_999)


def new_launch(
    account_id: str, *, ad_key: str, ad_name: str, element_tags: dict, launched_on: date,
    daily_budget: Decimal | None = None, objective: str = "OUTCOME_SALES",
) -> tuple[MetaCampaign, LaunchedAd]:
    """The campaign and ad a "launch into the simulated market" creates for one of our ads.

    `ad_key` is what makes the ids (our ad's stable public id): launching the same ad twice
    gives the same Meta ids, so a repeated click creates nothing new.
    """
    campaign = MetaCampaign(
        id=simulated_id(account_id, "campaign", "launches"), name=LAUNCH_CAMPAIGN_NAME,
        objective=objective, status="ACTIVE", account_id=account_id,
    )
    ad = LaunchedAd(
        meta_ad_id=simulated_id(account_id, "ad", ad_key), ad_name=ad_name, campaign_id=campaign.id,
        adset_id=simulated_id(account_id, "adset", ad_key), objective=objective,
        element_tags=dict(element_tags), launched_on=launched_on, daily_budget=daily_budget,
    )
    return campaign, ad


class InMemoryLaunchStore:
    """A LaunchStore in memory, with the clock and status changes a test needs."""

    def __init__(self, today: date) -> None:
        self._start = today
        self._today: dict[str, date] = {}
        self._ads: dict[str, dict[str, LaunchedAd]] = {}
        self._campaigns: dict[str, dict[str, MetaCampaign]] = {}

    def today(self, account_id: str) -> date:
        return self._today.get(account_id, self._start)

    def launched(self, account_id: str) -> list[LaunchedAd]:
        return list(self._ads.get(account_id, {}).values())

    def campaigns(self, account_id: str) -> list[MetaCampaign]:
        return list(self._campaigns.get(account_id, {}).values())

    def add_structure(self, account_id: str, campaign: MetaCampaign, ads: list[LaunchedAd]) -> None:
        self._campaigns.setdefault(account_id, {}).setdefault(campaign.id, campaign)
        for ad in ads:
            self._ads.setdefault(account_id, {}).setdefault(ad.meta_ad_id, ad)

    # -- what the lead's store does through pages and commands ------------------------------
    def advance(self, account_id: str, days: int = 1) -> date:
        self._today[account_id] = self.today(account_id) + timedelta(days=days)
        return self._today[account_id]

    def activate(self, account_id: str, meta_ad_ids: list[str]) -> None:
        """Paused → delivering from today (what "activate" on Meta does)."""
        for ad_id in meta_ad_ids:
            ad = self._ads[account_id][ad_id]
            self._ads[account_id][ad_id] = ad.model_copy(update={"launched_on": self.today(account_id), "paused_on": None})

    def pause(self, account_id: str, meta_ad_ids: list[str]) -> None:
        for ad_id in meta_ad_ids:
            ad = self._ads[account_id][ad_id]
            self._ads[account_id][ad_id] = ad.model_copy(update={"paused_on": self.today(account_id)})
