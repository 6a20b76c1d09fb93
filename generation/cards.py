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


def card_context(ad) -> dict:
    """What one ad card shows, from a GeneratedAd (or anything with the same attributes)."""
    return {
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
