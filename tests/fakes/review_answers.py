"""Vision-review answers for the fake servers: computed from the request, or built exactly.

Computed (the servers' default for a defect-scan or rubric schema):
- defect scan: every defect absent, unless the request text carries `FAKE-DEFECT:<TYPE>`
  (put it in the product description, which both review prompts quote);
- rubric: V4 (colour compliance) measured on the first image — the share of its pixels
  close to a `#rrggbb` colour named in the text — every other check 8.5, and
  `FAKE-SCORE:<CHECK>=<score>` in the text overrides a check.

Built (queue with `scenarios.structured(...)`): `defect_payload`, `rubric_payload` and the
named cases the review tests need (`all_high_rubric`, `borderline_rubric`, `rubric_missing`).
"""

from __future__ import annotations

import io
import re

from PIL import Image

from adcreator.providers.base import DEFECT_TYPES, RUBRIC_CHECKS

DEFECT_MARKER = re.compile(r"FAKE-DEFECT:([A-Z_]+)")
SCORE_MARKER = re.compile(r"FAKE-SCORE:([A-Z]\d)=(-?\d+(?:\.\d+)?)")
# What an unremarkable ad scores on the checks the fake does not measure.
DEFAULT_CHECK_SCORE = 8.5
_HEX = re.compile(r"#([0-9a-fA-F]{6})\b")
# RGB distance under which a pixel counts as "in the palette" (JPEG/resampling noise is ~10).
_PALETTE_DISTANCE = 48


def defect_payload(found: dict[str, str] | None = None, *, confidence: float = 0.9) -> dict:
    """All five defects; those in `found` present with the given evidence."""
    found = found or {}
    return {
        "findings": [
            {"defect": defect, "present": defect in found, "confidence": confidence, "evidence": found.get(defect, "")}
            for defect in DEFECT_TYPES
        ]
    }


def rubric_payload(scores: dict[str, float] | None = None, *, default: float = DEFAULT_CHECK_SCORE,
                   leave_out: tuple[str, ...] = ()) -> dict:
    """All 15 checks at `default` except those in `scores`; `leave_out` drops checks."""
    scores = scores or {}
    return {
        "checks": [
            {"check": check, "score": scores.get(check, default), "reason": f"{check} scored {scores.get(check, default)}"}
            for check in RUBRIC_CHECKS
            if check not in leave_out
        ]
    }


def all_high_rubric() -> dict:
    return rubric_payload(default=9.2)


def borderline_rubric() -> dict:
    """Mostly good, with three checks in the 5.0-7.0 band that triggers a second opinion."""
    return rubric_payload({"V2": 6.5, "V8": 5.0, "C2": 7.0}, default=8.4)


def rubric_missing(check: str = "G2") -> dict:
    return rubric_payload(leave_out=(check,))


def computed_review_answer(fields: set[str], prompt_text: str, images: list[tuple[str, bytes]]) -> dict | None:
    """The default answer for a review schema, or None when the schema is not a review one."""
    if "findings" in fields:
        marked = {name: f"marker in the request; {len(images)} image(s) inspected"
                  for name in DEFECT_MARKER.findall(prompt_text) if name in DEFECT_TYPES}
        return defect_payload(marked)
    if "checks" in fields:
        scores = {check: float(score) for check, score in SCORE_MARKER.findall(prompt_text)}
        payload = rubric_payload(scores)
        if "V4" not in scores and images:
            coverage = palette_coverage(images[0][1], [_rgb(h) for h in _HEX.findall(prompt_text)])
            v4 = next(item for item in payload["checks"] if item["check"] == "V4")
            v4.update(score=round(10 * coverage, 1), reason=f"{coverage:.0%} of the ad is in the requested palette")
        return payload
    return None


def palette_coverage(image: bytes, palette: list[tuple[int, int, int]]) -> float:
    """Share of the image's pixels within _PALETTE_DISTANCE of a palette colour (0 without a palette)."""
    if not palette:
        return 0.0
    counted = Image.open(io.BytesIO(image)).convert("RGB").resize((64, 64)).getcolors(64 * 64) or []
    near = sum(
        count for count, pixel in counted
        if min(sum((a - b) ** 2 for a, b in zip(pixel, colour)) for colour in palette) <= _PALETTE_DISTANCE**2
    )
    return near / (64 * 64)


def _rgb(hex_digits: str) -> tuple[int, int, int]:
    return int(hex_digits[0:2], 16), int(hex_digits[2:4], 16), int(hex_digits[4:6], 16)
