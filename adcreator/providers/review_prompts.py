"""What the vision judges are told, and the answer shapes they give back (spec 6a).

Shared by the Gemini and Claude judges. Each review call is a list of segments — text and
labelled images, interleaved — that an adapter turns into its SDK's parts or blocks:

- the defect scan (stage 1) sees the ad and the product sources, and is told the exact
  copy and the product/brand names (garbled text and wrong label text are judged
  against them);
- the rubric review (stages 2 and 3) also sees the template, and is told what was asked
  (canvas, colour mode and palette, copy, layout, brand compliance, audience, congruence
  context) plus the 15 check definitions.

Answer schemas are SDK-friendly (lists of objects, no open dicts); the converters enforce
what a schema cannot: every defect and every check answered once, scores in range.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from adcreator.prompts.models import AdGenerationPrompt
from adcreator.providers.base import (
    DEFECT_TYPES,
    RUBRIC_CHECK_NAMES,
    RUBRIC_CHECKS,
    CheckScore,
    DefectFinding,
    DefectScanResult,
    ReviewRequest,
    RubricResult,
    Usage,
)
from adcreator.providers.errors import MalformedResponseError
from adcreator.providers.imaging import image_for_upload
from adcreator.providers.instructions import bounded_score, expected_ad_sections

# What each defect catches (spec 6a, "Defect types").
DEFECT_DEFINITIONS: dict[str, str] = {
    "TEXT_GARBLED": "garbled, misspelled or unreadable text anywhere in the image",
    "ANATOMY_ERROR": "wrong finger count, impossible joints, merged limbs",
    "PHYSICS_VIOLATION": "floating objects, impossible reflections, contradictory shadows",
    "PACKAGING_TEXT_ERROR": "product label text does not match the known product or brand name",
    "PRODUCT_DISTORTION": "product shape squished, stretched, or with unrealistic proportions",
}
# What each check evaluates (spec 6a, "Full rubric", column "What It Evaluates").
RUBRIC_DEFINITIONS: dict[str, str] = {
    "V1": "Is the product reproduced exactly? No hallucinated features?",
    "V2": "Is ALL text readable? No cut-off, blur, or hallucinated text?",
    "V3": "Does the layout match the reference template's structure?",
    "V4": "Do the colours match the requested colour mode and palette?",
    "V5": "Does it follow the brand voice, avoid the prohibited claims and carry the required disclaimers?",
    "V6": "Are the right product images used? Logo present/absent as expected?",
    "V7": "Would you run this ad? Professional finish?",
    "V8": "Is the background realistic? No artifacts, seams, or inconsistencies?",
    "V9": "Is the packaging text correct? (garbled label text scores 0-2)",
    "C1": "Is the headline message clear and compelling?",
    "C2": "Is there a clear, action-oriented call to action?",
    "C3": "Does the message match the intended awareness stage?",
    "C4": "Does the creative trigger the intended emotional response?",
    "G1": "Does the headline match the offer variant / landing-page hero messaging?",
    "G2": "Do the visual elements reinforce (not contradict) the copy?",
}
# Schwartz's awareness stages, as the rest of the code numbers them (1 unaware .. 5 most aware).
AWARENESS_STAGES: dict[int, str] = {
    1: "unaware — does not know they have the problem; lead with the problem or a story, not the product",
    2: "problem-aware — knows the problem, not the solutions; agitate it and hint at a way out",
    3: "solution-aware — knows solutions exist; show why this one is different",
    4: "product-aware — knows this product; give proof and a reason to act now",
    5: "most aware — ready to buy; lead with the offer",
}
# A model asked for 0..10 sometimes answers 10.2 or -0.3: a slip worth clamping. Further out
# means it used another scale (0-100), which clamping would hide.
RUBRIC_SCORE_SLACK = 0.5
# Anthropic downsizes any image whose long edge exceeds 1568 px before the model sees it, so
# larger uploads only cost time; on Gemini it keeps a 9:16 ad to a handful of 768 px tiles
# while headline and disclaimer text stay legible (1920 → 1568 is 82 %).
REVIEW_MAX_LONG_EDGE = 1568
# Anthropic refuses images over 5 MB of base64 (3.75 MB raw); Gemini caps a whole request at
# 20 MB, so an ad, a template and the product photos at this size all fit.
REVIEW_MAX_IMAGE_BYTES = 3_500_000
# The first few product photos show the product well enough; more only add cost and tokens.
MAX_PRODUCT_IMAGES = 4


# Optional in the answer (an older or terser answer still parses): shown as an outline on the ad.
REGION_DESCRIPTION = ("where on the generated ad, as [x0, y0, x1, y1] fractions 0..1 of its width and height "
                      "(top-left to bottom-right); empty for the whole ad or when unsure")


def answer_region(values: list[float]) -> tuple[float, float, float, float] | None:
    """A model's region when it is a well-formed box inside the ad; anything else is left out
    (a region only draws an outline, so a bad one is not worth failing the review over)."""
    if len(values) != 4 or not all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in values):
        return None
    x0, y0, x1, y1 = (float(v) for v in values)
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


class DefectFindingAnswer(BaseModel):
    defect: str = Field(json_schema_extra={"enum": list(DEFECT_TYPES)}, description="the defect type")
    present: bool = Field(description="true if this defect is visible anywhere in the ad")
    confidence: float = Field(description="0..1, how sure you are about `present`")
    evidence: str = Field(description="where in the ad and what is wrong; empty when absent")
    region: list[float] = Field(default_factory=list, description=REGION_DESCRIPTION)


class DefectScanAnswer(BaseModel):
    findings: list[DefectFindingAnswer] = Field(description="exactly one entry per defect type")


class CheckScoreAnswer(BaseModel):
    check: str = Field(json_schema_extra={"enum": list(RUBRIC_CHECKS)}, description="the check id")
    score: float = Field(description="0 (fails completely) .. 10 (flawless)")
    reason: str = Field(description="one short sentence")
    region: list[float] = Field(default_factory=list, description=REGION_DESCRIPTION)


class RubricAnswer(BaseModel):
    checks: list[CheckScoreAnswer] = Field(description="exactly one entry per check id")


class AttachedImage(BaseModel):
    """An image ready to send, with the label the text uses for it."""

    label: str
    data: bytes
    mime_type: str


Segment = str | AttachedImage

_DEFECT_LINES = "\n".join(f"- {name}: {DEFECT_DEFINITIONS[name]}" for name in DEFECT_TYPES)
_RUBRIC_LINES = "\n".join(
    f"- {check} {RUBRIC_CHECK_NAMES[check]}: {RUBRIC_DEFINITIONS[check]}" for check in RUBRIC_CHECKS
)

DEFECT_SCAN_SYSTEM = (
    "You are a strict quality inspector for AI-generated static Meta ads. Look only at the "
    "GENERATED AD for these five defects (the other images are references to compare it with):\n"
    f"{_DEFECT_LINES}\n"
    "Answer with exactly one finding per defect type, all five. `present` is true only for a "
    "defect you can see; when unsure, say present with a lower confidence — a false alarm "
    "costs one regeneration, a missed defect reaches customers. Evidence: where and what, in "
    "a few words, and the region of a present defect."
)
RUBRIC_REVIEW_SYSTEM = (
    "You are a senior creative director reviewing an AI-generated static Meta ad before it "
    "runs. Score the GENERATED AD on each of these 15 checks from 0 to 10 (10 flawless, 7 "
    "good enough to run, 5 borderline, 0-3 unusable), against what was asked and the "
    "reference images:\n"
    f"{_RUBRIC_LINES}\n"
    "Answer with exactly one entry per check id, all 15, each with a score from 0 to 10 and a "
    "one-sentence reason, and for a low score the region it is about. If no template image is attached, judge V3 against the layout "
    "described in the text. Score what you see, not what was intended."
)


def defect_scan_segments(request: ReviewRequest, *, provider: str) -> list[Segment]:
    intro = "Scan the generated ad for the five defects."
    asked = expected_ad_sections(request.prompt, "copy", "product")
    return _with_images(intro, _attached(request, provider, with_template=False), asked)


def rubric_review_segments(request: ReviewRequest, *, provider: str) -> list[Segment]:
    intro = f"Review the generated ad against the rubric ({request.rubric_version})."
    prompt = request.prompt
    asked = expected_ad_sections(
        prompt, "canvas", "colours", "copy", "product", "layout", "assets", "compliance", "audience"
    )
    context = _review_context(prompt)
    return _with_images(intro, _attached(request, provider, with_template=True), "\n\n".join(filter(None, [asked, context])))


def _attached(request: ReviewRequest, provider: str, *, with_template: bool) -> list[AttachedImage]:
    def attach(label: str, data: bytes) -> AttachedImage:
        sendable, mime_type = image_for_upload(
            data, max_long_edge=REVIEW_MAX_LONG_EDGE, max_bytes=REVIEW_MAX_IMAGE_BYTES, provider=provider
        )
        return AttachedImage(label=label, data=sendable, mime_type=mime_type)

    images = [attach("GENERATED AD (the image under review)", request.image)]
    if with_template and request.template_image:
        label = "TEMPLATE the ad was built from (layout reference; its own text does not belong in the ad)"
        images.append(attach(label, request.template_image))
    products = request.product_images[:MAX_PRODUCT_IMAGES]
    images += [attach("PRODUCT SOURCE photo (the product must look like this)", data) for data in products]
    return images


def _with_images(intro: str, images: list[AttachedImage], asked: str) -> list[Segment]:
    listing = "\n".join(f"{number}. {image.label}" for number, image in enumerate(images, start=1))
    segments: list[Segment] = [f"{intro}\n\nIMAGES (attached below, in this order)\n{listing}"]
    for number, image in enumerate(images, start=1):
        segments += [f"Image {number}: {image.label}", image]
    segments.append(f"WHAT WAS ASKED FOR\n\n{asked}")
    return segments


def _review_context(prompt: AdGenerationPrompt) -> str:
    """What the generation instructions leave implicit: logo expectation, awareness, congruence."""
    brief, content, assets = prompt.ad_brief, prompt.content, prompt.asset_context
    stage = (brief.awareness_stage if brief else None) or prompt.template_analysis.awareness_level
    expects_logo = assets.template_requires_logo and assets.brand_has_logo
    lines = [f"- Brand logo expected in the ad: {'yes' if expects_logo else 'no'}."]
    if assets.missing_assets:
        lines.append(f"- Assets known to be missing (their absence is expected): {', '.join(assets.missing_assets)}.")
    if stage in AWARENESS_STAGES:  # a template's awareness_level is not range-checked
        lines.append(f"- Intended awareness stage {stage}: {AWARENESS_STAGES[stage]}.")
    if content.headline.hook_type:
        lines.append(f"- Hook type: {content.headline.hook_type}.")
    if content.headline.original_text and content.headline.original_text != content.headline.text:
        lines.append(f'- The headline was adapted for congruence from: "{content.headline.original_text}".')
    if content.congruence_score is not None:
        lines.append(f"- Headline congruence scored {content.congruence_score:.2f} of 1 before generation.")
    lines.append(f"- Copy source: {content.content_source}.")
    return "REVIEW CONTEXT\n" + "\n".join(lines)


def defect_scan_result(answer: DefectScanAnswer, *, provider: str, model: str, usage: Usage) -> DefectScanResult:
    """All five defects in DEFECT_TYPES order; unknown types dropped, a missing one malformed."""
    by_type: dict[str, DefectFinding] = {}
    for item in answer.findings:
        defect = item.defect.strip().upper()
        if defect not in DEFECT_TYPES:
            continue
        confidence = bounded_score(item.confidence, f"{defect}.confidence", provider)
        finding = DefectFinding(defect=defect, present=item.present, confidence=confidence, evidence=item.evidence.strip(),
                                region=answer_region(item.region))
        earlier = by_type.setdefault(defect, finding)
        if earlier.present != finding.present:
            raise MalformedResponseError(f"{defect} reported both present and absent", provider=provider)
    missing = [defect for defect in DEFECT_TYPES if defect not in by_type]
    if missing:
        raise MalformedResponseError(f"defect scan left out {', '.join(missing)}", provider=provider)
    return DefectScanResult(findings=[by_type[d] for d in DEFECT_TYPES], model=model, usage=usage)


def rubric_result(answer: RubricAnswer, *, provider: str, model: str, usage: Usage) -> RubricResult:
    """All 15 checks in RUBRIC_CHECKS order; unknown ids dropped, a missing one malformed."""
    by_check: dict[str, CheckScore] = {}
    for item in answer.checks:
        check = item.check.strip().upper()
        if check not in RUBRIC_CHECKS:
            continue
        score = bounded_score(item.score, check, provider, top=10.0, slack=RUBRIC_SCORE_SLACK)
        scored = CheckScore(check=check, score=score, reason=item.reason.strip(), region=answer_region(item.region))
        earlier = by_check.setdefault(check, scored)
        if earlier.score != scored.score:
            raise MalformedResponseError(f"{check} scored twice ({earlier.score} and {scored.score})", provider=provider)
    missing = [check for check in RUBRIC_CHECKS if check not in by_check]
    if missing:
        raise MalformedResponseError(f"rubric left out {', '.join(missing)}", provider=provider)
    return RubricResult(checks=[by_check[c] for c in RUBRIC_CHECKS], model=model, usage=usage)
