"""How review results read on a card: colour bands for check scores and congruence, the
defect badge. Pure: no Django, no database; a card is built from an ad-like object."""

from __future__ import annotations

import json
from dataclasses import dataclass

from adcreator.prompts.vocabulary import SIZE_BY_CANVAS
from adcreator.providers.base import DEFECT_TYPES, RUBRIC_CHECK_NAMES, RUBRIC_CHECKS
from adcreator.providers.review_prompts import DEFECT_DEFINITIONS, RUBRIC_DEFINITIONS
from review.decision import useful_actions

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
        score = "not measured" if self.value is None else f"{self.value:.1f}/10"
        return f"{self.check} {self.name}: {score} — {RUBRIC_DEFINITIONS[self.check]}"


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


# --- why an ad was decided (issue 16 item 4, issue 17 item 5) ---------------------------------

EXPLAINED_STATUSES = ("rejected", "flagged", "review_failed")
ACTION_BUTTONS: dict[str, tuple[str, str]] = {  # action → (button text, css class)
    "confirm": ("Confirm", ""), "override_approve": ("Override Approve", "ok-btn"),
    "override_reject": ("Override Reject", "bad-btn"),
}


@dataclass(frozen=True)
class LegendEntry:
    code: str
    name: str
    definition: str


def check_legend() -> list[LegendEntry]:
    """What each chip code means: the rubric's checks, then the defect scan's defects (spec 6a)."""
    return ([LegendEntry(c, RUBRIC_CHECK_NAMES[c], RUBRIC_DEFINITIONS[c]) for c in RUBRIC_CHECKS]
            + [LegendEntry(d, d.replace("_", " ").capitalize(), DEFECT_DEFINITIONS[d]) for d in DEFECT_TYPES])


@dataclass(frozen=True)
class Region:
    """A finding's box in percent of the ad, for an SVG overlay with a 0–100 viewBox."""

    code: str
    x: float
    y: float
    width: float
    height: float
    decisive: bool


def region_of(code: str, box, *, decisive: bool) -> Region | None:
    if not box or len(box) != 4:
        return None
    x0, y0, x1, y1 = (min(max(float(v), 0.0), 1.0) for v in box)
    if x1 <= x0 or y1 <= y0:
        return None
    return Region(code, round(x0 * 100, 2), round(y0 * 100, 2), round((x1 - x0) * 100, 2), round((y1 - y0) * 100, 2),
                  decisive)


def review_explanation(ad) -> dict:
    """The decisive reason, the failed findings with their reasons, and the regions to outline.
    Reads `ad.review_decision` and `ad.findings` as generation.selectors prefetches them."""
    try:
        decision = ad.review_decision
    except AttributeError:  # Django's RelatedObjectDoesNotExist: reviewed before reasons were stored
        decision = None
    findings = [f for f in (getattr(ad, "findings", None) or []) if f.failed]
    regions = [r for r in (region_of(f.code, f.region, decisive=f.decisive) for f in findings) if r]
    if decision is not None and decision.region and not any(f.decisive for f in findings):
        region = region_of(decision.code or "decision", decision.region, decisive=True)
        regions += [region] if region else []
    explains = (ad.status in EXPLAINED_STATUSES or ad.ai_status in EXPLAINED_STATUSES)
    return {"decision": decision, "show_decision": bool(decision) and explains, "failed": findings,
            "regions": regions, "reasons_missing": explains and decision is None}


def action_buttons(ad) -> list[dict]:
    actions = useful_actions(status=ad.status, ai_status=ad.ai_status or "",
                             human_decided=bool(getattr(ad, "human_decided", False)))
    return [{"action": a, "text": ACTION_BUTTONS[a][0], "css": ACTION_BUTTONS[a][1]} for a in actions]


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
                 evolvable: bool = False, parent=None) -> dict:
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
        "actions": action_buttons(ad),
        "why": review_explanation(ad),
        "parent": parent,  # generation.selectors.Parent: the ad this one was made from
    }
