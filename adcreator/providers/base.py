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
