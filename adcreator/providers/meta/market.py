"""The simulated market's hidden model: how an ad's element tags turn into daily delivery,
clicks and purchases. Pure (numpy + scipy, no Django, no SDK).

What it models, per launched ad and day:

- a brand (ad account) profile, seeded: base CTR (~0.6–1.4 %), base conversion rate
  (purchases per click, ~1.2–3.5 %), CPM ($8–15), average order value, fatigue rate;
- hidden per-element effects: every (dimension, value) of the ad's element tags — known or
  never seen before — has a seeded random log-lift on CTR and a correlated one on CVR, with a
  spread per dimension (`EFFECT_SPREAD`: hooks and belief angles matter more than colour);
- a weekday pattern on CTR, CVR and CPM;
- delivery from the daily budget at the day's CPM; reach from a finite audience, so
  cumulative frequency grows and CTR fatigues as exp(−rate × (frequency − 1));
- binomial noise for clicks (of impressions) and purchases (of clicks);
- Meta's attribution lag: the last two complete days report only part of their purchases,
  revised upward as the market's clock moves on (quantile-coupled, so a revision never goes down).

Determinism: every random number is a counter-based hash of (seed, ad id, date, stream), so
the same (seed, ad, date, today) always gives the same numbers — a re-sync is stable.

`MarketModel.ground_truth` is the oracle (true expected rates) for benchmarks that measure
regret. Product code must never call it: the rest of the system sees only insight rows.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from scipy.special import ndtri
from scipy.stats import binom

MODEL_VERSION = "simulated-market-v1"

# Standard deviation of each dimension's log-lift on CTR. Unlisted dimensions get DEFAULT_SPREAD.
EFFECT_SPREAD: dict[str, float] = {
    "hook_type": 0.20,
    "belief_angle_id": 0.18,
    "awareness_stage": 0.15,
    "visual_style": 0.12,
    "template_category": 0.10,
    "canvas_size": 0.08,
    "persona_id": 0.08,
    "color_mode": 0.06,
    "offer_variant_id": 0.06,
    "hook_id": 0.05,
    "template_id": 0.05,
}
DEFAULT_SPREAD = 0.05
# Tags that describe our pipeline, not the creative a viewer sees.
IGNORED_DIMENSIONS = frozenset({"prompt_version", "content_source"})
CVR_SPREAD_SHARE = 0.5  # an element's CVR effect is half as wide as its CTR effect…
CVR_CORRELATION = 0.4  # …and partly the same direction

WEEKDAY_CTR = (0.97, 0.98, 1.00, 1.00, 0.99, 1.03, 1.04)  # Monday first
WEEKDAY_CVR = (1.00, 1.02, 1.02, 1.00, 0.98, 0.97, 1.01)
WEEKDAY_CPM = (1.02, 1.00, 1.00, 1.00, 1.01, 0.97, 0.96)
# Share of a day's purchases already reported 1 and 2 days later; complete after that.
REPORTED_SHARE = {1: 0.78, 2: 0.93}
CPM_NOISE, SPEND_NOISE, VALUE_NOISE = 0.08, 0.05, 0.35

_MASK = (1 << 64) - 1


def _hash64(*parts: object) -> int:
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _unit(*parts: object) -> float:
    """A uniform in (0, 1) from the parts."""
    return ((_hash64(*parts) >> 11) + 0.5) / float(1 << 53)


def _normal(*parts: object) -> float:
    return float(ndtri(_unit(*parts)))


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, vectorised (uint64 arithmetic wraps, as intended)."""
    z = values + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


_STREAMS = ("cpm", "spend", "clicks", "purchases", "value", "lag")


def _uniforms(key: int, ordinals: np.ndarray) -> dict[str, np.ndarray]:
    """One uniform in (0, 1) per day and stream for `key`: a pure function of its inputs."""
    bases = np.array([_hash64(key, stream) & _MASK for stream in _STREAMS], dtype=np.uint64)
    z = _mix(_mix(ordinals.astype(np.uint64)[None, :] ^ bases[:, None]))
    block = ((z >> np.uint64(11)).astype(np.float64) + 0.5) / float(1 << 53)
    return dict(zip(_STREAMS, block))


@dataclass(frozen=True)
class BrandProfile:
    base_ctr: float
    base_cvr: float
    cpm: float  # dollars per thousand impressions
    average_order_value: float
    fatigue_rate: float
    audience_days: float  # an ad's audience, in days of its own expected delivery


@dataclass(frozen=True)
class ElementEffect:
    ctr_log_lift: float
    cvr_log_lift: float


@dataclass(frozen=True)
class AdProfile:
    """What the market needs to know about one ad to deliver it."""

    ad_key: str  # the Meta ad id
    account_id: str
    element_tags: dict
    daily_budget: float | None  # dollars; None → a seeded budget
    active_from: date  # the first day it delivers
    active_until: date | None = None  # the first day it no longer delivers (paused), if any


@dataclass(frozen=True)
class TrueRates:
    """GROUND TRUTH (oracle): expected rates of an element combination. Benchmarks only."""

    ctr: float
    cvr: float  # purchases per click
    purchases_per_1000_impressions: float
    value_per_1000_impressions: float
    cpm: float
    roas: float


@dataclass(frozen=True)
class AdDay:
    """One simulated day of one ad, as Meta would report it on `today`."""

    ad_key: str
    day: date
    impressions: int
    reach: int
    clicks: int
    spend: Decimal
    purchases: int  # reported so far (attribution lag included)
    purchase_value: Decimal  # reported so far
    cumulative_frequency: float


class MarketModel:
    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        # Pure functions of (seed, inputs): cached, because every ad asks for the same few.
        self._brands: dict[str, BrandProfile] = {}
        self._effects: dict[tuple[str, str], ElementEffect] = {}

    # -- hidden parameters ----------------------------------------------------------------
    def brand(self, account_id: str) -> BrandProfile:
        if account_id not in self._brands:
            self._brands[account_id] = self._draw_brand(account_id)
        return self._brands[account_id]

    def _draw_brand(self, account_id: str) -> BrandProfile:
        u = lambda name: _unit(self.seed, "brand", account_id, name)  # noqa: E731
        return BrandProfile(
            base_ctr=math.exp(math.log(0.006) + u("ctr") * (math.log(0.014) - math.log(0.006))),
            base_cvr=0.012 + u("cvr") * (0.035 - 0.012),
            cpm=8.0 + u("cpm") * 7.0,
            average_order_value=30.0 + u("aov") * 60.0,
            fatigue_rate=0.12 + u("fatigue") * 0.10,
            audience_days=8.0 + u("audience") * 12.0,
        )

    def effect(self, dimension: str, value: object) -> ElementEffect:
        """The hidden effect of one element value; any value, seen before or not, has one."""
        cache_key = (dimension, str(value))
        if cache_key not in self._effects:
            self._effects[cache_key] = self._draw_effect(dimension, str(value))
        return self._effects[cache_key]

    def _draw_effect(self, dimension: str, value: str) -> ElementEffect:
        spread = EFFECT_SPREAD.get(dimension, DEFAULT_SPREAD)
        z_ctr = _normal(self.seed, "effect", dimension, value, "ctr")
        z_cvr = _normal(self.seed, "effect", dimension, value, "cvr")
        cvr = spread * CVR_SPREAD_SHARE * (CVR_CORRELATION * z_ctr + math.sqrt(1 - CVR_CORRELATION**2) * z_cvr)
        return ElementEffect(ctr_log_lift=spread * z_ctr, cvr_log_lift=cvr)

    def quality(self, element_tags: dict) -> tuple[float, float]:
        """(CTR multiplier, CVR multiplier) of an ad from its element tags."""
        ctr_lift = cvr_lift = 0.0
        for dimension, value in sorted(element_tags.items()):
            if value is None or value == "" or dimension in IGNORED_DIMENSIONS:
                continue
            effect = self.effect(dimension, value)
            ctr_lift += effect.ctr_log_lift
            cvr_lift += effect.cvr_log_lift
        return math.exp(ctr_lift), math.exp(cvr_lift)

    def default_budget(self, ad_key: str) -> float:
        return 20.0 + _unit(self.seed, "budget", ad_key) * 30.0

    # -- the oracle (benchmarks only) -----------------------------------------------------
    def ground_truth(self, account_id: str, element_tags: dict, *, weekday: int | None = None,
                     cumulative_frequency: float = 1.0) -> TrueRates:
        """GROUND TRUTH for regret measurement: what an ad with these tags earns on average.

        Never call this from product code: a learner that reads it is cheating.
        """
        brand = self.brand(account_id)
        q_ctr, q_cvr = self.quality(element_tags)
        days = range(7) if weekday is None else (weekday,)
        fatigue = math.exp(-brand.fatigue_rate * max(0.0, cumulative_frequency - 1.0))
        ctr = sum(min(0.2, brand.base_ctr * q_ctr * WEEKDAY_CTR[d] * fatigue) for d in days) / len(days)
        cvr = sum(min(0.5, brand.base_cvr * q_cvr * WEEKDAY_CVR[d]) for d in days) / len(days)
        cpm = brand.cpm * sum(WEEKDAY_CPM[d] for d in days) / len(days)
        purchases = 1000 * ctr * cvr
        value = purchases * brand.average_order_value
        return TrueRates(ctr=ctr, cvr=cvr, purchases_per_1000_impressions=purchases,
                         value_per_1000_impressions=value, cpm=cpm, roas=value / cpm)

    # -- simulation -----------------------------------------------------------------------
    def simulate(self, ads: list[AdProfile], *, through: date, today: date) -> list[AdDay]:
        """Every delivered day of every ad, from its first active day up to `through` and
        before `today` (the current day is not complete), as reported on `today`."""
        last = min(through, today - timedelta(days=1))
        plans = [plan for plan in (self._delivery(ad, last, today) for ad in ads) if plan is not None]
        if not plans:
            return []
        impressions = np.concatenate([p["impressions"] for p in plans])
        ctr = np.concatenate([p["ctr"] for p in plans])
        cvr = np.concatenate([p["cvr"] for p in plans])
        u_clicks = np.concatenate([p["u_clicks"] for p in plans])
        u_purchases = np.concatenate([p["u_purchases"] for p in plans])
        u_lag = np.concatenate([p["u_lag"] for p in plans])
        share = np.concatenate([p["share"] for p in plans])
        clicks = binom.ppf(u_clicks, impressions, ctr).astype(np.int64)
        purchases = binom.ppf(u_purchases, clicks, cvr).astype(np.int64)
        reported = binom.ppf(u_lag, purchases, share).astype(np.int64)
        out: list[AdDay] = []
        offset = 0
        for plan in plans:
            n = len(plan["days"])
            for i in range(n):
                j = offset + i
                bought = int(purchases[j])
                got = int(reported[j])
                value = plan["order_value"][i] * bought
                reported_value = value * got / bought if bought else 0.0
                out.append(AdDay(
                    ad_key=plan["ad_key"], day=plan["days"][i], impressions=int(impressions[j]),
                    reach=int(plan["reach"][i]), clicks=int(clicks[j]), spend=_money(plan["spend"][i]),
                    purchases=got, purchase_value=_money(reported_value),
                    cumulative_frequency=float(plan["frequency"][i]),
                ))
            offset += n
        return out

    def _delivery(self, ad: AdProfile, last: date, today: date) -> dict | None:
        end = last if ad.active_until is None else min(last, ad.active_until - timedelta(days=1))
        if end < ad.active_from:
            return None
        count = (end - ad.active_from).days + 1
        days = [ad.active_from + timedelta(days=i) for i in range(count)]
        ordinals = np.array([d.toordinal() for d in days], dtype=np.int64)
        weekdays = np.array([d.weekday() for d in days])
        key = _hash64(self.seed, ad.ad_key)
        brand = self.brand(ad.account_id)
        q_ctr, q_cvr = self.quality(ad.element_tags)
        budget = ad.daily_budget if ad.daily_budget is not None else self.default_budget(ad.ad_key)

        u = _uniforms(key, ordinals)
        cpm = brand.cpm * np.take(WEEKDAY_CPM, weekdays) * np.exp(CPM_NOISE * ndtri(u["cpm"]))
        spend_target = budget * np.exp(SPEND_NOISE * ndtri(u["spend"]))
        impressions = np.floor(spend_target / cpm * 1000).astype(np.int64)
        spend = impressions * cpm / 1000

        # Finite audience: unique reach R(I) = A (1 - exp(-I / A)); frequency = I / R.
        audience = max(1.0, budget / brand.cpm * 1000 * brand.audience_days)
        cumulative = np.cumsum(impressions)
        before = cumulative - impressions
        middle = before + impressions / 2
        frequency = np.where(middle > 0, middle / (audience * (1 - np.exp(-middle / audience))), 1.0)
        reach_before = audience * (1 - np.exp(-before / audience))
        reach_after = audience * (1 - np.exp(-cumulative / audience))
        # A day's reach: its new people, plus returning ones who see it ~1.6 times that day.
        new_people = reach_after - reach_before
        reach = np.minimum(impressions, np.round(new_people + (impressions - new_people) / 1.6)).astype(np.int64)
        reach = np.maximum(reach, np.minimum(impressions, 1))

        fatigue = np.exp(-brand.fatigue_rate * np.maximum(0.0, frequency - 1.0))
        ctr = np.clip(brand.base_ctr * q_ctr * np.take(WEEKDAY_CTR, weekdays) * fatigue, 1e-5, 0.2)
        cvr = np.clip(brand.base_cvr * q_cvr * np.take(WEEKDAY_CVR, weekdays), 1e-5, 0.5)
        order_value = brand.average_order_value * np.exp(
            VALUE_NOISE * ndtri(u["value"]) - VALUE_NOISE**2 / 2
        )
        # How complete a day's purchases are depends only on how long ago it was (`today`).
        share = np.array([REPORTED_SHARE.get((today - d).days, 1.0) for d in days])
        return {
            "ad_key": ad.ad_key, "days": days, "impressions": impressions, "spend": spend, "reach": reach,
            "frequency": frequency, "ctr": ctr, "cvr": cvr, "order_value": order_value, "share": share,
            "u_clicks": u["clicks"], "u_purchases": u["purchases"], "u_lag": u["lag"],
        }


def _money(value: float) -> Decimal:
    """Dollars to the cent (float → Decimal through whole cents, which is exact)."""
    return Decimal(int(math.floor(float(value) * 100 + 0.5))).scaleb(-2)
