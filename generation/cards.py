"""How review results read on a card: colour bands for check scores and congruence, the
defect badge. Pure: no Django, no database; a card is built from an ad-like object."""

from __future__ import annotations

import json
from dataclasses import dataclass

from adcreator.prompts.vocabulary import SIZE_BY_CANVAS
from adcreator.providers.base import RUBRIC_CHECK_NAMES, RUBRIC_CHECKS

# Spec Phase 4: check scores are green at 7+ (the default pass threshold), yellow from 5 (the
# borderline band of the quality config), red below 5.
SCORE_GREEN_MIN = 7.0
SCORE_YELLOW_MIN = 5.0
# Spec Phase 4: congruence red < 0.4, yellow 0.4–0.7, green > 0.7.
CONGRUENCE_RED_BELOW = 0.4
CONGRUENCE_GREEN_ABOVE = 0.7


def score_band(value: float | None) -> str:
    if value is None:
        return "grey"
    if value >= SCORE_GREEN_MIN:
        return "green"
    if value >= SCORE_YELLOW_MIN:
        return "yellow"
    return "red"


def congruence_band(value: float | None) -> str:
    if value is None:
        return "grey"
    if value < CONGRUENCE_RED_BELOW:
        return "red"
    if value > CONGRUENCE_GREEN_ABOVE:
        return "green"
    return "yellow"


@dataclass(frozen=True)
class CheckScore:
    check: str
    name: str
    value: float | None
    band: str

    @property
    def display(self) -> str:
        return "—" if self.value is None else f"{self.value:.1f}"

    @property
    def title(self) -> str:
        return f"{self.check} {self.name}: " + ("not measured" if self.value is None else f"{self.value:.1f}/10")


def check_scores(raw: dict | None) -> list[CheckScore]:
    """All 15 checks in rubric order; an empty list when the ad never reached the rubric."""
    if not raw:
        return []
    return [CheckScore(check, RUBRIC_CHECK_NAMES[check], raw.get(check), score_band(raw.get(check)))
            for check in RUBRIC_CHECKS]


def defect_badge(scan: dict | None) -> dict:
    if not scan or "passed" not in scan:
        return {"label": "NOT SCANNED", "band": "grey", "defects": []}
    if scan["passed"]:
        return {"label": "PASSED", "band": "green", "defects": []}
    return {"label": "FAILED", "band": "red", "defects": list(scan.get("defects") or [])}


def _ratio(numerator, denominator) -> float | None:
    return float(numerator) / float(denominator) if numerator is not None and denominator else None


def sparkline_points(values: list[float | None], *, width: int = 120, height: int = 28) -> str:
    """SVG polyline points of a series (a day without a value is skipped, not drawn as 0)."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = width / max(len(values) - 1, 1)
    return " ".join(f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
                    for i, v in enumerate(values) if v is not None)


def performance_summary(days: list[dict]) -> dict | None:
    """An ad's Meta performance over its days: sums, ratios of sums, the daily CTR sparkline.

    CTR and ROAS are ratios (0.012 is 1.2 %); a total nobody reported is None, never 0."""
    if not days:
        return None

    def total(name: str):
        values = [day[name] for day in days if day[name] is not None]
        return sum(values) if values else None

    impressions, clicks, spend = total("impressions"), total("clicks"), total("spend")
    value = total("conversion_value")
    return {
        "source": days[0]["source"], "days": len(days), "first": days[0]["date"], "last": days[-1]["date"],
        "impressions": impressions, "clicks": clicks, "ctr": _ratio(clicks, impressions), "spend": spend,
        "conversions": total("conversions"), "conversion_value": value, "roas": _ratio(value, spend),
        "sparkline": sparkline_points([day["ctr"] for day in days]),
        "ctr_low": min((d["ctr"] for d in days if d["ctr"] is not None), default=None),
        "ctr_high": max((d["ctr"] for d in days if d["ctr"] is not None), default=None),
    }


def card_context(ad, *, performance: list[dict] | None = None, launchable: bool = False,
                 evolvable: bool = False) -> dict:
    """What one ad card shows, from a GeneratedAd (or anything with the same attributes).
    `evolvable`: it meets the winner criteria (genome.selectors.winner_ad_ids) — "Evolve this ad"."""
    return {
        "performance": performance_summary(performance or []),
        "launchable": launchable,
        "evolvable": evolvable,
        "ad": ad,
        "ratio": SIZE_BY_CANVAS[ad.canvas_size].ratio if ad.canvas_size in SIZE_BY_CANVAS else ad.canvas_size,
        "checks": check_scores(ad.review_check_scores),
        "defect": defect_badge(ad.defect_scan_result),
        "congruence_band": congruence_band(ad.congruence_score),
        "review_band": score_band(ad.review_score),
        "prompt_json": json.dumps(ad.prompt, indent=2, sort_keys=True) if ad.prompt else "",
        "human_decided": bool(getattr(ad, "human_decided", False)),
        "can_override": bool(ad.ai_status),
    }
