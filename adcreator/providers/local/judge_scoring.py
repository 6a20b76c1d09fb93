"""From pixel measurements to the 15 rubric scores of the local judge (spec 6a).

Each score is a documented monotonic mapping of measured values (knots below, with their
rationale), and each reason states the values it came from. Checks the pixels cannot
answer get `score=None` and say why: they are left out of the weighted score, not invented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adcreator.prompts.models import AdGenerationPrompt
from adcreator.providers.base import RUBRIC_CHECKS, CheckScore, DefectFinding
from adcreator.providers.local.judge_measures import score_from_knots
from adcreator.providers.local.judge_scoring_text import (
    brand_guidelines,
    cta_effectiveness,
    headline_clarity,
    headline_congruence,
    label_accuracy,
    text_legibility,
)

if TYPE_CHECKING:
    from adcreator.providers.local.judge import AdMeasurements
    from adcreator.providers.local.judge_artefacts import ArtefactMeasurement

# CIELAB ΔE → colour compliance. ΔE ≈ 2.3 is a just-noticeable difference and above ~10 a
# colour reads as a different colour at a glance; the measured ΔE is an average over the
# ad's colours, so it understates any single miss and the curve is steep early on.
DELTA_E_KNOTS = ((0.0, 10.0), (2.0, 9.7), (5.0, 8.8), (8.0, 7.2), (12.0, 5.0), (20.0, 2.5), (40.0, 0.5), (60.0, 0.0))
# Hue error of the ad's off-palette colours (judge_measures.hue_error) → colour compliance:
# faithful renders stay under 35°; from 50° the ad is recoloured (V4 under its floor of 3).
HUE_ERROR_KNOTS = ((0.0, 10.0), (20.0, 9.0), (35.0, 7.0), (50.0, 2.9), (70.0, 1.5), (120.0, 0.5), (180.0, 0.0))
# Below this chromatic weight (Σ share × chroma; 5 is a fifth of the ad at chroma 25) an ad is
# too nearly neutral for its hue to say which palette it uses.
HUE_MIN_CHROMATIC_WEIGHT = 2.0
# A palette with colour in it (chroma at least PALETTE_COLOURFUL) asks for that colour: an ad
# whose most colourful area stays under COLOURLESS_SHARE of the palette's strongest chroma shows
# none of it (drawn in greys, or in another palette's pale tints). Faithful renders of the tuning
# seeds reached 0.48 of it at the least; such ads measured 0.16-0.24.
PALETTE_COLOURFUL = 20.0
COLOURLESS_SHARE = 0.3
COLOURLESS_SCORE = 2.5
# Correlation of the coarse structure maps (edge density, luminance) with the template's.
LAYOUT_KNOTS = ((-1.0, 0.0), (0.0, 1.5), (0.2, 3.5), (0.4, 5.5), (0.6, 7.5), (0.8, 9.0), (1.0, 10.0))
# Product match (0.6 colour-histogram intersection + 0.4 structural similarity) → accuracy.
PRODUCT_KNOTS = ((0.0, 0.0), (0.3, 2.5), (0.5, 5.0), (0.75, 8.0), (0.9, 9.5), (1.0, 10.0))
# Histogram intersection alone → "is this the right product image" (asset accuracy).
ASSET_COLOUR_KNOTS = ((0.0, 0.0), (0.2, 1.5), (0.4, 4.0), (0.6, 7.0), (0.8, 9.5), (1.0, 10.0))
# Share of the logo region holding something drawn: a logo fills a few percent at least.
LOGO_CONTENT_KNOTS = ((0.0, 1.0), (0.01, 2.0), (0.03, 7.0), (0.06, 9.5), (1.0, 9.5))
# Crete blur metric (0 sharp … 1 blurred): renders measure ~0.18, a 3 px Gaussian blur on
# 1080 px ~0.6, an 8 px one ~0.86.
BLUR_PENALTY_KNOTS = ((0.0, 0.0), (0.35, 0.0), (0.5, 2.0), (0.7, 4.5), (0.85, 6.5), (1.0, 8.0))
# Estimated noise σ in grey levels: clean artwork ~0, sensor noise of a good photo 1-3.
NOISE_PENALTY_KNOTS = ((0.0, 0.0), (2.0, 0.0), (5.0, 1.5), (10.0, 4.0), (16.0, 6.0), (40.0, 8.0))
# JPEG blockiness (judge_artefacts): renders measure 0.9-1.2 (72 faithful renders of the tuning
# seeds: at most 1.37), the same saved as quality-75 JPEG 1.1-1.35, quality 10 1.7-1.8,
# quality 3 2.2-2.3. Blocks that visible make an ad nobody would run: from 1.6 on the penalty
# takes V7 under its auto-reject floor (review.models.DEFAULT_AUTO_REJECT).
BLOCKINESS_PENALTY_KNOTS = ((1.0, 0.0), (1.4, 0.0), (1.6, 7.5), (3.0, 8.5))
# An ad framed by empty bars is one of another ratio fitted in, not laid out again: nobody
# would run it at this size, so V7 goes under its floor (no faithful render has bars).
LETTERBOX_PENALTY = 7.5
LETTERBOX_LAYOUT_SCORE = 1.0
SEAM_PENALTY = 1.5  # per seam, at most two counted: a visible join is one retouch away from fine
BANDING_PENALTY = 2.0  # a posterised gradient looks cheap but does not hide the message
CLIPPED_FINISH_PENALTY = 1.5  # in V7: cut-off copy is also an unprofessional finish
BLANK_SCORE = 0.5  # a blank image is not an ad: the lowest score short of "broken input"
BLANK_SCENE_CAP = 2.0  # V8 of a blank image: coherent, but there is no scene
NO_PRODUCT_SCORE = 1.0  # a product image was given and nothing in the ad carries its colours
DISTORTED_PRODUCT_CAP = 4.0  # a squashed or stretched product is not an exact reproduction


def rubric_checks(measured: AdMeasurements, prompt: AdGenerationPrompt, findings: dict[str, DefectFinding]) -> list[CheckScore]:
    """The 15 checks; `findings` are the defect scan's, by defect type (V1 and V9 follow them)."""
    distortion, packaging = findings["PRODUCT_DISTORTION"], findings["PACKAGING_TEXT_ERROR"]
    text = measured.text
    scores: dict[str, tuple] = {
        "V1": _product_accuracy(measured, distortion),
        "V2": text_legibility(text, prompt),
        "V3": _layout_fidelity(measured),
        "V4": _colour_compliance(measured, prompt),
        "V5": brand_guidelines(text, prompt),
        "V6": _asset_accuracy(measured),
        "V7": _production_quality(measured),
        "V8": _background_coherence(measured),
        "V9": label_accuracy(packaging, text),
        "C1": headline_clarity(text, prompt),
        "C2": cta_effectiveness(text, prompt),
        "C3": (None, "not measured: whether the message suits the awareness stage is a question of meaning, not pixels"),
        "C4": (None, "not measured: the emotional response an ad triggers cannot be read from pixel statistics"),
        "G1": headline_congruence(text, prompt),
        "G2": (None, "not measured: whether the visuals reinforce the copy needs recognising what the picture shows"),
    }
    checks = []
    for check in RUBRIC_CHECKS:
        value, reason, *rest = scores[check]
        region = rest[0] if rest else None
        score = None if value is None else round(max(0.0, min(10.0, value)), 2)
        checks.append(CheckScore(check=check, score=score, reason=reason, region=region if score is not None and score < 7 else None))
    return checks


def _product_accuracy(m: AdMeasurements, distortion: DefectFinding) -> tuple:
    if m.product_images_given == 0:
        return None, "not measured: no source product image was supplied"
    if m.product is None:
        return None, "not measured: no product image could be decoded"
    if m.artefacts.blank:
        return BLANK_SCORE, f"image is blank (grey-level spread {m.artefacts.grey_std}): no product shown"
    match = m.product
    if not match.found and match.ambiguous:
        return None, f"not measured: {match.evidence}"
    if not match.found and not m.product_expected:
        return None, "not measured: the template's layout has no product slot, and no product is shown"
    if not match.found:
        return NO_PRODUCT_SCORE, ("product not found: no region of the ad carries the source product's colour signature"
                                  + (f", and {match.evidence}" if match.evidence else "")), None
    score = score_from_knots(match.similarity, PRODUCT_KNOTS)
    reason = (f"product found at {_box(match.box)} ({match.area_share:.1%} of the ad): colour-histogram match "
              f"{match.colour_similarity:.2f}, structural similarity {match.structure_similarity:.2f}")
    if distortion.present:
        return min(score, DISTORTED_PRODUCT_CAP), f"{reason}; distorted: {distortion.evidence}", match.box
    return score, reason, match.box


def _bars(a) -> str:
    vertical, horizontal = a.bars
    return (f"resized, not laid out again: empty bars take {vertical:.0%} of the height" if vertical
            else f"resized, not laid out again: empty bars take {horizontal:.0%} of the width")


def _layout_fidelity(m: AdMeasurements) -> tuple[float | None, str]:
    if max(m.artefacts.bars) > 0:
        return LETTERBOX_LAYOUT_SCORE, _bars(m.artefacts) + " (an ad of another ratio fitted into this canvas)"
    if m.layout is None:
        return None, "not measured: no template image was supplied"
    layout = m.layout
    return score_from_knots(layout.similarity, LAYOUT_KNOTS), (
        f"structure correlation with the template {layout.similarity:.2f} (edge density {layout.edge_correlation:.2f}, "
        f"luminance from its median {layout.luminance_correlation:.2f}) on a {layout.grid[0]}x{layout.grid[1]} grid, template {layout.fit}ed to the canvas ratio")


def _colour_compliance(m: AdMeasurements, prompt: AdGenerationPrompt) -> tuple[float | None, str]:
    palette = m.palette
    colours = ", ".join(f"{hex_} {share:.0%}" for hex_, share in palette.dominant[:5])
    excluded = f"; product area ({palette.excluded_share:.0%}) left out" if palette.excluded_share else ""
    score = score_from_knots(palette.effective_delta_e, DELTA_E_KNOTS)
    findings = ""  # what the hue and colour-presence measures add to the reason
    if palette.hue_error_deg is not None and palette.chromatic_weight >= HUE_MIN_CHROMATIC_WEIGHT:
        by_hue = score_from_knots(palette.hue_error_deg, HUE_ERROR_KNOTS)
        findings = f"; off-palette hues {palette.hue_error_deg:.0f}° from the palette's" + (" (decides)" if by_hue < score else "")
        score = min(score, by_hue)
    if palette.ad_max_chroma is not None and palette.palette_max_chroma is not None \
            and palette.palette_max_chroma >= PALETTE_COLOURFUL and palette.ad_max_chroma < COLOURLESS_SHARE * palette.palette_max_chroma:
        findings += (f"; the ad shows none of the palette's colour (its most colourful area has chroma {palette.ad_max_chroma:.0f}, "
                f"the palette's {palette.palette_max_chroma:.0f})")
        score = min(score, COLOURLESS_SCORE)
    return score, (
        f"ΔE {palette.effective_delta_e:.1f} to the {prompt.style.color_mode} palette {palette.palette or prompt.style.palette} "
        f"(ad colours to palette {palette.precision_delta_e:.1f}, palette to ad colours {palette.recall_delta_e:.1f}); "
        f"dominant colours {colours}{excluded}{findings}")


def _asset_accuracy(m: AdMeasurements) -> tuple[float | None, str]:
    parts: list[tuple[float, str]] = []
    if m.product is not None:
        if m.product.found:
            parts.append((score_from_knots(m.product.colour_similarity, ASSET_COLOUR_KNOTS),
                          f"product image colour match {m.product.colour_similarity:.2f}"))
        elif m.product.ambiguous or not m.product_expected:
            pass  # not measured: an uncertain match, or a layout without a product, proves nothing
        else:
            parts.append((NO_PRODUCT_SCORE, "product image not found in the ad"))
    best = m.logo.best
    if m.logo.expected and best is not None:
        parts.append((score_from_knots(best.content_share, LOGO_CONTENT_KNOTS),
                      f"logo expected: {best.content_share:.1%} of the logo region {_box(best.box)} differs from its ground {best.ground}"))
    if not parts:
        return None, "not measured: no product image was supplied and no logo was expected in a known place"
    return sum(score for score, _ in parts) / len(parts), "; ".join(reason for _, reason in parts)


def _quality_penalties(a: ArtefactMeasurement) -> list[tuple[float, str]]:
    penalties = []
    noise = score_from_knots(a.noise_sigma, NOISE_PENALTY_KNOTS)
    if noise:
        penalties.append((noise, f"noise σ {a.noise_sigma:.1f} grey levels"))
    if a.seams:
        penalties.append((SEAM_PENALTY * min(2, a.seams), f"{a.seams} seam(s): {', '.join(a.details)}"))
    if a.band_edges:
        penalties.append((BANDING_PENALTY, f"banding: {a.band_edges} stepped gradient lines"))
    if a.blockiness is not None and score_from_knots(a.blockiness, BLOCKINESS_PENALTY_KNOTS):
        penalties.append((score_from_knots(a.blockiness, BLOCKINESS_PENALTY_KNOTS), f"JPEG blocking: 8-px grid steps {a.blockiness:.2f}x the rest"))
    return penalties


def _production_quality(m: AdMeasurements) -> tuple[float | None, str]:
    a = m.artefacts
    if a.blank:
        return BLANK_SCORE, f"image is blank (grey-level spread {a.grey_std})"
    penalties = _quality_penalties(a)
    if max(a.bars) > 0:
        penalties.append((LETTERBOX_PENALTY, _bars(a)))
    if a.blur is not None and score_from_knots(a.blur, BLUR_PENALTY_KNOTS):
        penalties.append((score_from_knots(a.blur, BLUR_PENALTY_KNOTS), f"blurred (blur metric {a.blur:.2f})"))
    if m.text.clipped_lines:
        penalties.append((CLIPPED_FINISH_PENALTY, f"{len(m.text.clipped_lines)} text line(s) cut off at the edge"))
    measured = f"blur metric {a.blur if a.blur is not None else 'n/a'}, noise σ {a.noise_sigma:.1f}, {a.seams} seams, {a.band_edges} banding lines"
    return _penalised(measured, penalties)


def _background_coherence(m: AdMeasurements) -> tuple[float | None, str]:
    a = m.artefacts
    if a.blank:
        return BLANK_SCENE_CAP, f"image is blank (grey-level spread {a.grey_std}): no scene to be coherent"
    return _penalised(f"noise σ {a.noise_sigma:.1f}, {a.seams} seams, {a.band_edges} banding lines", _quality_penalties(a))


def _penalised(measured: str, penalties: list[tuple[float, str]]) -> tuple[float, str]:
    if not penalties:
        return 10.0, f"no artefacts measured ({measured})"
    return max(0.0, 10.0 - sum(p for p, _ in penalties)), f"{measured}; " + "; ".join(f"-{p:.1f} {why}" for p, why in penalties)


def _box(box) -> str:
    return "(" + ", ".join(f"{v:.2f}" for v in box) + ")" if box else "(?)"
