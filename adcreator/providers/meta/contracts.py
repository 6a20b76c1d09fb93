"""What crosses the Meta provider boundary: pydantic models and the `MetaPerformanceSource`
protocol that the Graph adapter and the simulated market both answer.

Units are pinned here and nowhere else (the conversions live in `units.py`):

- counts (impressions, clicks, reach, conversions) are ints;
- money (spend, cpm, conversion_value) is a `Decimal` in the account's currency (major units:
  dollars, not cents);
- `ctr` and `conversion_rate` are ratios — a CTR of 1.2 % is 0.012 — and `frequency` a float;
- `roas` is conversion value / spend, None when spend is 0 or the value is unknown;
- a metric Meta did not report is None, never an invented 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from adcreator.providers.errors import InvalidInputError

ACCOUNT_ID_PATTERN = re.compile(r"^act_\d{1,20}$")
# Meta keeps insights for 37 months; a longer range is refused by the API anyway.
MAX_RANGE_DAYS = 37 * 31


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def validate_account_id(account_id: str, *, provider: str) -> str:
    """`act_<digits>` or a clear InvalidInputError (never a crash deep inside the SDK)."""
    if not isinstance(account_id, str) or not ACCOUNT_ID_PATTERN.match(account_id):
        raise InvalidInputError(f"ad account id must look like act_<digits>, got {account_id!r}", provider=provider)
    return account_id


def validate_date_range(since: date, until: date, *, provider: str) -> None:
    if not isinstance(since, date) or not isinstance(until, date):
        raise InvalidInputError("since and until must be dates", provider=provider)
    if since > until:
        raise InvalidInputError(f"since {since} is after until {until}", provider=provider)
    if (until - since) > timedelta(days=MAX_RANGE_DAYS):
        raise InvalidInputError(f"date range {since}..{until} is longer than Meta keeps (37 months)", provider=provider)


# -- campaigns and insights --------------------------------------------------------------


class MetaCampaign(_Model):
    id: str
    name: str | None = None
    # As Meta spells it (ODAX "OUTCOME_SALES" or legacy "CONVERSIONS"); normalising it into
    # our vocabulary is the caller's job. None when Meta did not return it.
    objective: str | None = None
    status: str | None = None
    account_id: str | None = None


class DailyAdInsight(_Model):
    """One ad on one day (`level=ad`, `time_increment=1`)."""

    date: date
    meta_ad_id: str
    ad_name: str | None = None
    campaign_id: str | None = None
    adset_id: str | None = None
    account_currency: str | None = None

    impressions: int | None = Field(default=None, ge=0)
    clicks: int | None = Field(default=None, ge=0)
    reach: int | None = Field(default=None, ge=0)
    frequency: float | None = Field(default=None, ge=0)
    spend: Decimal | None = Field(default=None, ge=0)
    cpm: Decimal | None = Field(default=None, ge=0)
    ctr: float | None = Field(default=None, ge=0)  # ratio: 0.012 is 1.2 %

    # One purchase counted once, under the action type named here (see units.PURCHASE_ACTION_TYPES).
    conversions: int | None = Field(default=None, ge=0)
    conversion_value: Decimal | None = Field(default=None, ge=0)
    conversion_action_type: str | None = None
    conversion_rate: float | None = Field(default=None, ge=0)  # ratio: conversions / clicks
    roas: float | None = Field(default=None, ge=0)  # conversion_value / spend


class ApiUsage(_Model):
    """What the usage headers said on one response (percentages of the allowed quota)."""

    max_percent: float | None = None  # the highest figure any header reported; None = no header
    regain_access_seconds: float | None = None  # Meta's estimated_time_to_regain_access, in seconds
    by_header: dict[str, float] = Field(default_factory=dict)  # header name → its highest figure


class SkippedRow(_Model):
    meta_ad_id: str | None
    date: str | None
    reason: str


class InsightPage(_Model):
    """One page of daily ad insights, handed over as soon as it is read so the caller can
    upsert it before the next page is fetched (a crash loses at most one page)."""

    rows: list[DailyAdInsight]
    page_number: int = Field(ge=1)
    has_more: bool
    delivery: Literal["sync", "async", "simulated"]
    usage: ApiUsage | None = None  # None: the source reports no usage (simulated)
    # Rows Meta sent that could not be read (a non-numeric count…): reported, never dropped silently.
    skipped: list[SkippedRow] = Field(default_factory=list)


# -- experiment deployment (issue 15, 12b) -----------------------------------------------

BIDS_NEEDING_AMOUNT = {"COST_CAP", "LOWEST_COST_WITH_BID_CAP"}


class CreativeSpec(_Model):
    """The ad's creative: an existing creative id, or what is needed to make a link ad."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    creative_id: str | None = None
    page_id: str | None = None
    image_png: bytes | None = Field(default=None, repr=False)
    image_hash: str | None = None
    link_url: str | None = None
    primary_text: str = ""
    headline: str = ""
    call_to_action: str = "SHOP_NOW"

    @model_validator(mode="after")
    def _complete(self) -> "CreativeSpec":
        if self.creative_id:
            return self
        if not (self.page_id and self.link_url and (self.image_png or self.image_hash)):
            raise ValueError("a creative needs creative_id, or page_id + link_url + image_png/image_hash")
        return self


class AdSetSpec(_Model):
    """What every arm's ad set shares. There is one per deployment, so targeting, bid and
    placements are identical across arms by construction, not by a later check."""

    targeting: dict  # Meta's targeting spec, placements included (publisher_platforms, …)
    optimization_goal: str = "OFFSITE_CONVERSIONS"
    billing_event: str = "IMPRESSIONS"
    promoted_object: dict | None = None  # e.g. {"pixel_id": "…", "custom_event_type": "PURCHASE"}
    bid_amount: Decimal | None = Field(default=None, gt=0)  # account currency, major units
    start_time: datetime | None = None
    end_time: datetime | None = None

    @field_validator("targeting")
    @classmethod
    def _targeting_given(cls, value: dict) -> dict:
        if not value:
            raise ValueError("targeting must not be empty (Meta requires at least geo_locations)")
        return value


class ArmSpec(_Model):
    arm_key: str = Field(min_length=1, max_length=40)
    ad_name: str = Field(min_length=1, max_length=200)
    creative: CreativeSpec
    # The arm's ad's element tags (dimension → value). Meta never sees them; the simulated
    # market needs them to deliver the arm as an ad with those elements would be delivered.
    element_tags: dict[str, str | int | None] = Field(default_factory=dict)


class ExperimentDeploymentRequest(_Model):
    """A dedicated CBO campaign, one ad set per arm, one ad per ad set — all PAUSED."""

    account_id: str
    campaign_name: str = Field(min_length=1, max_length=200)
    objective: str = "OUTCOME_SALES"
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    daily_budget: Decimal = Field(gt=0)  # the campaign's (CBO) budget, account currency
    min_daily_spend_per_arm: Decimal = Field(gt=0)  # equal for every arm
    bid_strategy: str = "LOWEST_COST_WITHOUT_CAP"
    special_ad_categories: list[str] = Field(default_factory=list)
    ad_set: AdSetSpec
    arms: list[ArmSpec] = Field(min_length=2, max_length=4)

    @field_validator("account_id")
    @classmethod
    def _account(cls, value: str) -> str:
        if not ACCOUNT_ID_PATTERN.match(value):
            raise ValueError(f"ad account id must look like act_<digits>, got {value!r}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "ExperimentDeploymentRequest":
        keys = [arm.arm_key for arm in self.arms]
        if len(set(keys)) != len(keys):
            raise ValueError(f"arm keys must be unique, got {keys}")
        if self.min_daily_spend_per_arm * len(self.arms) > self.daily_budget:
            raise ValueError(
                f"{len(self.arms)} arms x minimum {self.min_daily_spend_per_arm} exceed the daily budget {self.daily_budget}"
            )
        if self.bid_strategy in BIDS_NEEDING_AMOUNT and self.ad_set.bid_amount is None:
            raise ValueError(f"bid strategy {self.bid_strategy} needs ad_set.bid_amount")
        return self

    def ad_set_name(self, arm: ArmSpec) -> str:
        return f"{self.campaign_name} | {arm.arm_key}"


class DeployedArm(_Model):
    arm_key: str
    adset_id: str
    ad_id: str
    creative_id: str | None = None


class ExperimentDeploymentResult(_Model):
    account_id: str
    campaign_id: str
    status: Literal["PAUSED"] = "PAUSED"
    arms: list[DeployedArm]
    provider_name: str


# -- the protocol ------------------------------------------------------------------------


@runtime_checkable
class MetaPerformanceSource(Protocol):
    """Where performance data comes from: the Graph API or the simulated market.

    Every method raises only `adcreator.providers.errors.ProviderError` subclasses (see
    `adcreator.providers.meta.errors` for the Meta-specific ones).
    """

    provider_name: str  # "graph" | "simulated"
    api_version: str  # "v26.0" for Graph; the model's version for the simulation
    # Whether paging may run in another thread than the caller's: False when the source reads
    # the database (a second thread has its own connection, outside the caller's transaction).
    pages_off_thread: bool

    def list_campaigns(self, account_id: str, campaign_ids: Sequence[str] | None = None) -> list[MetaCampaign]:
        """The named campaigns (any status), or every campaign the account's edge lists."""
        ...

    def iter_insight_pages(self, account_id: str, since: date, until: date) -> Iterator[InsightPage]:
        """Daily ad-level insights for since..until inclusive, page by page, to the end.
        Bad arguments raise InvalidInputError at the call, before any page is fetched."""
        ...

    def create_experiment(self, request: ExperimentDeploymentRequest) -> ExperimentDeploymentResult:
        """Create the paused campaign / ad sets / ads of an experiment; return their ids."""
        ...
