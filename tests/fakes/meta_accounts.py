"""Ad-account data for the Graph API stand-in, in Meta's wire format.

Rows are what the insights edge returns for `level=ad, time_increment=1`: numbers as
strings, CTR as a percentage, `actions` / `action_values` / `purchase_roas` as lists in
which one purchase appears under several action types, and metrics Meta did not measure
simply absent. `FakeAdAccount.generated` makes a large account for the sync benchmark (2,000 ads × 28 days:
~1.5 s of CPU; each row is serialised once and the JSON cached, so pages are cheap to serve);
tests build small ones row by row.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

# The action types Meta lists one purchase under, all at once.
PURCHASE_TYPES = ("omni_purchase", "purchase", "offsite_conversion.fb_pixel_purchase")


@dataclass
class FakeAdAccount:
    account_id: str = "act_1234567890"
    currency: str = "USD"
    rows: list[dict] = field(default_factory=list)  # wire rows, every field present that Meta sent
    campaigns: dict[str, dict] = field(default_factory=dict)  # id → wire campaign (all fields)

    def __post_init__(self) -> None:
        self._sorted = False
        self._serialised: dict[int, str] = {}
        self._projected: dict[tuple[str, ...], dict[int, str]] = {}  # fields asked for → row → JSON

    # -- building -----------------------------------------------------------------------
    def add_campaign(self, campaign_id: str, name: str, objective: str | None, status: str = "ACTIVE") -> dict:
        wire = {"id": campaign_id, "name": name, "status": status, "account_id": self.account_id.removeprefix("act_")}
        if objective is not None:
            wire["objective"] = objective
        self.campaigns[campaign_id] = wire
        return wire

    def add_row(self, row: dict) -> None:
        self.rows.append(row)
        self._sorted = False

    @classmethod
    def generated(
        cls, *, n_ads: int = 2000, days: int = 28, until: date = date(2026, 3, 28), seed: int = 7,
        ads_per_adset: int = 10, adsets_per_campaign: int = 5, account_id: str = "act_1234567890",
    ) -> "FakeAdAccount":
        """A large account: n_ads ads, each with a row for each of `days` days up to `until`."""
        account = cls(account_id=account_id)
        rng = random.Random(seed)
        objectives = ("OUTCOME_SALES", "OUTCOME_TRAFFIC", "CONVERSIONS", "OUTCOME_AWARENESS")
        ads = []
        for index in range(n_ads):
            adset_index = index // ads_per_adset
            campaign_index = adset_index // adsets_per_campaign
            campaign_id = str(120200000000000 + campaign_index)
            if campaign_id not in account.campaigns:
                account.add_campaign(campaign_id, f"Campaign {campaign_index}", objectives[campaign_index % len(objectives)])
            base_ctr = rng.uniform(0.004, 0.022)
            ads.append((str(120210000000000 + index), f"AdCreator {index:05d} | {rng.getrandbits(32):08x}",
                        str(120220000000000 + adset_index), campaign_id, base_ctr, rng.uniform(20, 60)))
        for offset in range(days):
            day = (until - timedelta(days=days - 1 - offset)).isoformat()
            for ad_id, ad_name, adset_id, campaign_id, base_ctr, budget in ads:
                account.rows.append(wire_row(rng, day, ad_id, ad_name, adset_id, campaign_id, base_ctr, budget, account.currency))
        account._sorted = True  # generated in (date, ad) order already
        return account

    # -- reading (the server's side) --------------------------------------------------------
    def rows_between(self, since: str, until: str) -> list[int]:
        """Indexes of the rows in since..until, in the edge's order (date, then ad id)."""
        if not self._sorted:
            self.rows.sort(key=lambda row: (row.get("date_start", ""), row.get("ad_id", "")))
            self._serialised.clear()
            self._projected.clear()
            self._sorted = True
        return [i for i, row in enumerate(self.rows) if since <= row.get("date_start", "") <= until]

    def row_json(self, index: int, fields: tuple[str, ...] | None) -> str:
        """One row as the JSON Meta sends: only the fields asked for (dates always), cached."""
        if fields is None:
            cached = self._serialised.get(index)
            if cached is None:
                cached = self._serialised[index] = json.dumps(self.rows[index], separators=(",", ":"))
            return cached
        cache = self._projected.setdefault(fields, {})
        cached = cache.get(index)
        if cached is None:
            wanted = set(fields) | {"date_start", "date_stop"}
            row = self.rows[index]
            cached = cache[index] = json.dumps({k: v for k, v in row.items() if k in wanted}, separators=(",", ":"))
        return cached


def wire_row(rng: random.Random, day: str, ad_id: str, ad_name: str, adset_id: str, campaign_id: str,
             base_ctr: float, budget: float, currency: str = "USD") -> dict:
    """One plausible day of one ad, as Meta sends it."""
    cpm = rng.uniform(8, 15)
    spend = round(budget * rng.uniform(0.85, 1.1), 2)
    impressions = int(spend / cpm * 1000)
    mean_clicks = impressions * base_ctr
    clicks = min(impressions, max(0, round(rng.gauss(mean_clicks, math.sqrt(mean_clicks * (1 - base_ctr)) or 1))))
    purchases = min(clicks, _poisson(rng, clicks * 0.025))
    reach = int(impressions / rng.uniform(1.05, 1.4))
    row: dict = {
        "ad_id": ad_id, "ad_name": ad_name, "adset_id": adset_id, "campaign_id": campaign_id,
        "account_currency": currency, "date_start": day, "date_stop": day,
        "impressions": str(impressions), "clicks": str(clicks), "spend": f"{spend:.2f}",
        "cpm": f"{spend / impressions * 1000:.6f}" if impressions else "0",
        "ctr": f"{clicks / impressions * 100:.6f}" if impressions else "0",
    }
    if rng.random() > 0.05:  # Meta sometimes leaves reach/frequency out of a day row
        row["reach"] = str(reach)
        row["frequency"] = f"{impressions / reach:.6f}" if reach else "0"
    if clicks:
        actions = [{"action_type": "link_click", "value": str(clicks)}]
        if purchases:
            value = round(purchases * rng.uniform(25, 90), 2)
            actions += [{"action_type": kind, "value": str(purchases)} for kind in PURCHASE_TYPES]
            row["action_values"] = [{"action_type": kind, "value": f"{value:.2f}"} for kind in PURCHASE_TYPES]
            row["purchase_roas"] = [{"action_type": "omni_purchase", "value": f"{value / spend:.6f}"}]
        row["actions"] = actions
    return row


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means of daily purchases."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
