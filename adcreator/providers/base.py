"""The provider protocols and the pydantic models that cross the provider boundary.

Three roles (ARCHITECTURE "Providers"): an image model, a text model for structured
answers, and a vision judge (added with the review stages). Every adapter — `local`,
`gemini`, `claude` — implements the same protocol, raises only
`adcreator.providers.errors.ProviderError` subclasses, and reports its usage so the
caller can write the call ledger.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from adcreator.prompts.elements import TemplateElements
from adcreator.prompts.models import AdGenerationPrompt


class Usage(BaseModel):
    input_tokens: int = 0
    output_tokens: int = 0
    images_out: int = 0


class ReferenceImage(BaseModel):
    """Bytes of a reference image handed to an image model."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    role: Literal["template", "product", "logo", "person", "badge"]
    data: bytes
    mime_type: str = "image/png"
    asset_tags: list[str] = Field(default_factory=list)


class ImageRequest(BaseModel):
    prompt: AdGenerationPrompt
    references: list[ReferenceImage] = Field(default_factory=list)

    @property
    def canvas(self) -> tuple[int, int]:
        return self.prompt.images.canvas_width, self.prompt.images.canvas_height


class SetLine(BaseModel):
    """One line of text as an image model set it: its words, its ink box and the area it had
    to fit in, pixel (x0, y0, x1, y1) with exclusive ends."""

    role: str
    text: str
    box: tuple[int, int, int, int]
    area: tuple[int, int, int, int]


class LayoutReport(BaseModel):
    """What a renderer that knows its own layout can say about it (the local one does)."""

    archetype: str = ""
    lines: list[SetLine] = Field(default_factory=list)
    parts: dict[str, list[tuple[int, int, int, int]]] = Field(default_factory=dict)


class GeneratedImage(BaseModel):
    """An image at exactly the requested canvas size, PNG-encoded."""

    png: bytes
    width: int
    height: int
    model: str
    # What the model itself returned before we fitted it to the canvas, for the record.
    native_width: int
    native_height: int
    usage: Usage = Field(default_factory=Usage)
    notes: list[str] = Field(default_factory=list)
    layout: LayoutReport | None = None  # None from a model that does not report its layout


class CongruenceRequest(BaseModel):
    headline: str
    offer_core_message: str = ""
    pain_points: list[str] = Field(default_factory=list)
    hero_headline: str | None = None
    hero_subhead: str | None = None
    belief_statement: str | None = None
    max_chars: int | None = None


class CongruenceResult(BaseModel):
    """Scores in [0, 1]; a dimension with nothing to compare against is None, not 0."""

    offer_alignment: float | None = Field(default=None, ge=0, le=1)
    hero_alignment: float | None = Field(default=None, ge=0, le=1)
    belief_alignment: float | None = Field(default=None, ge=0, le=1)
    overall_score: float = Field(ge=0, le=1)
    adapted_headline: str | None = None
    reasoning: str = ""
    model: str = ""
    usage: Usage = Field(default_factory=Usage)


class HookAdaptationRequest(BaseModel):
    hook_text: str
    hook_type: str = ""
    persona_name: str = ""
    persona_description: str = ""
    awareness_stage: int | None = None
    product_name: str = ""
    max_chars: int | None = None


class HookAdaptationResult(BaseModel):
    headline: str
    subheadline: str = ""
    model: str = ""
    usage: Usage = Field(default_factory=Usage)


class TemplateAnalysisRequest(BaseModel):
    image: bytes
    mime_type: str = "image/png"


class TemplateAnalysisResult(BaseModel):
    elements: TemplateElements
    model: str = ""
    usage: Usage = Field(default_factory=Usage)


@runtime_checkable
class ImageModel(Protocol):
    provider_name: str
    model_name: str

    def generate(self, request: ImageRequest) -> GeneratedImage: ...


@runtime_checkable
class TextModel(Protocol):
    provider_name: str
    model_name: str

    def score_congruence(self, request: CongruenceRequest) -> CongruenceResult: ...

    def adapt_hook(self, request: HookAdaptationRequest) -> HookAdaptationResult: ...


@runtime_checkable
class TemplateAnalyzer(Protocol):
    """Vision element detection for templates (spec section 3, 8e)."""

    provider_name: str
    model_name: str
    detection_version: str

    def analyze_template(self, request: TemplateAnalysisRequest) -> TemplateAnalysisResult: ...


# --- Review (spec 6a) ---------------------------------------------------------------------

DEFECT_TYPES: tuple[str, ...] = (
    "TEXT_GARBLED",  # garbled / unreadable text anywhere in the image
    "ANATOMY_ERROR",  # wrong finger count, impossible joints, merged limbs
    "PHYSICS_VIOLATION",  # floating objects, impossible reflections, contradictory shadows
    "PACKAGING_TEXT_ERROR",  # label text does not match the known product / brand name
    "PRODUCT_DISTORTION",  # product squished, stretched, unrealistic proportions
)
DefectType = Literal["TEXT_GARBLED", "ANATOMY_ERROR", "PHYSICS_VIOLATION", "PACKAGING_TEXT_ERROR", "PRODUCT_DISTORTION"]

RUBRIC_CHECKS: tuple[str, ...] = (
    "V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "C1", "C2", "C3", "C4", "G1", "G2",
)
CheckId = Literal["V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "C1", "C2", "C3", "C4", "G1", "G2"]
RUBRIC_CHECK_NAMES: dict[str, str] = {
    "V1": "Product accuracy", "V2": "Text legibility", "V3": "Layout fidelity", "V4": "Color compliance",
    "V5": "Brand guidelines", "V6": "Asset accuracy", "V7": "Production quality", "V8": "Background/scene coherence",
    "V9": "Product label accuracy", "C1": "Headline clarity", "C2": "CTA effectiveness",
    "C3": "Awareness stage match", "C4": "Emotional driver alignment", "G1": "Headline congruence",
    "G2": "Visual-copy alignment",
}


class ReviewRequest(BaseModel):
    """Everything a judge needs to review one generated ad."""

    image: bytes  # the generated ad, PNG
    prompt: AdGenerationPrompt  # what was asked for: canvas, colour mode, palette, copy, layout
    template_image: bytes | None = None
    product_images: list[bytes] = Field(default_factory=list)  # the sources the ad should reproduce
    rubric_version: str = "rubric-v1"


# Where on the ad a finding or a failed check is, as canvas fractions (x0, y0, x1, y1): what a
# results page outlines and the API returns. None when it concerns the whole ad or was not
# located; optional, so answers stored before it existed still parse.
FindingRegion = tuple[float, float, float, float]


class DefectFinding(BaseModel):
    defect: DefectType
    present: bool
    confidence: float = Field(default=1.0, ge=0, le=1)
    evidence: str = ""
    region: FindingRegion | None = None


class DefectScanResult(BaseModel):
    """All five defects, each present or not. `measured` is False for a defect the judge could
    not look for (the local judge cannot see anatomy): it is then reported, never guessed."""

    findings: list[DefectFinding]
    not_measured: list[DefectType] = Field(default_factory=list)
    model: str = ""
    usage: Usage = Field(default_factory=Usage)

    @property
    def defects_found(self) -> list[str]:
        return [f.defect for f in self.findings if f.present]

    @property
    def has_critical_defect(self) -> bool:
        return bool(self.defects_found)


class CheckScore(BaseModel):
    check: CheckId
    # 0–10; None = not measured (left out of the weighted score, never invented).
    score: float | None = Field(default=None, ge=0, le=10)
    reason: str = ""
    region: FindingRegion | None = None


class RubricResult(BaseModel):
    checks: list[CheckScore]  # all 15, in RUBRIC_CHECKS order
    model: str = ""
    usage: Usage = Field(default_factory=Usage)

    def as_scores(self) -> dict[str, float | None]:
        return {c.check: c.score for c in self.checks}


@runtime_checkable
class VisionJudge(Protocol):
    provider_name: str
    model_name: str

    def defect_scan(self, request: ReviewRequest) -> DefectScanResult: ...

    def rubric_review(self, request: ReviewRequest) -> RubricResult: ...
