"""The one typed state object the pipeline nodes read and write."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from adcreator.prompts.builder import ImageCandidate
from adcreator.prompts.elements import TemplateElements
from adcreator.prompts.vocabulary import CanvasSize, nearest_ratio
from adcreator.providers.base import CongruenceResult
from generation.params import AdCreationParams
from generation.progress import GenerationProgress
from genome.advice import GenomeAdvice, HookChoice

if TYPE_CHECKING:  # pragma: no cover - the rows, for the type checker only
    from adcreator.catalog.models import (
        BeliefAngle, Brand, BrandAsset, Hook, LandingPage, OfferVariant, Organization, Persona, Product, ProductImage,
    )
    from adcreator.jobs.registry import Progress
    from generation.models import AdRun


@dataclass
class TemplateContext:
    id: int | None
    name: str
    category: str
    awareness_level: int | None
    image_path: str
    width: int
    height: int
    elements: TemplateElements | None

    @property
    def native_ratio(self) -> str | None:
        return nearest_ratio(self.width, self.height)


@dataclass
class Content:
    """The copy of one (template, variation): chosen, adapted, then checked for congruence."""

    template_index: int
    variation_index: int
    headline: str
    hook_id: int | None = None
    hook_type: str = ""
    subheadline: str | None = None
    original_headline: str | None = None
    congruence: CongruenceResult | None = None
    # The score of the headline before congruence adaptation, when it was adapted.
    congruence_before: float | None = None


@dataclass
class Brief:
    """One creative brief (template × variation × colour): its sizes share the prompt_index."""

    prompt_index: int
    template: TemplateContext
    content: Content
    color_mode: str
    palette: list[str]
    sizes: list[CanvasSize]


@dataclass
class CatalogContext:
    """The rows of the run's catalog, read once by Initialize and FetchContext."""

    organization: "Organization"
    brand: "Brand"
    product: "Product"
    persona: "Persona | None" = None
    offer_variant: "OfferVariant | None" = None
    landing_page: "LandingPage | None" = None
    belief_angle: "BeliefAngle | None" = None
    hooks: "list[Hook]" = field(default_factory=list)
    product_images: "list[ProductImage]" = field(default_factory=list)
    brand_assets: "list[BrandAsset]" = field(default_factory=list)
    available_tags: set[str] = field(default_factory=set)

    @property
    def awareness_stage(self) -> int | None:
        return self.persona.awareness_stage if self.persona else None


@dataclass
class PipelineState:
    run_id: int
    params: AdCreationParams
    # The job's reporter (writes JobRun.metadata); `progress` is what it reports, typed.
    reporter: "Progress"
    progress: GenerationProgress = field(default_factory=GenerationProgress)
    ad_run: "AdRun | None" = None
    catalog: CatalogContext | None = None
    # What the Creative Genome knows when the run starts (GenomeContext) and what it chose.
    genome: GenomeAdvice | None = None
    hook_choice: HookChoice | None = None
    templates: list[TemplateContext] = field(default_factory=list)
    contents: list[Content] = field(default_factory=list)
    selected_images: dict[int, list[ImageCandidate]] = field(default_factory=dict)
    briefs: list[Brief] = field(default_factory=list)
    # Bytes of every image read from storage in this run, by storage name.
    file_cache: dict[str, bytes] = field(default_factory=dict)

    @property
    def cat(self) -> CatalogContext:
        if self.catalog is None:
            raise RuntimeError("the catalog is read by Initialize; a node ran before it")
        return self.catalog

    @property
    def run(self) -> "AdRun":
        if self.ad_run is None:
            raise RuntimeError("the ad run is created by Initialize; a node ran before it")
        return self.ad_run

    @property
    def awareness_stage(self) -> int | None:
        return self.params.awareness_stage or self.cat.awareness_stage

    def cancelled(self) -> bool:
        """Whether someone cancelled the run (job_cancel); a reporter that cannot tell says no."""
        check = getattr(self.reporter, "cancelled", None)
        return bool(check()) if check is not None else False

    def report(self, **changes: Any) -> None:
        """Set progress fields (validated by GenerationProgress) and hand them to the reporter."""
        for name, value in changes.items():
            if name not in GenerationProgress.model_fields:  # a typo would otherwise pass silently
                raise AttributeError(f"GenerationProgress has no field {name!r}")
            setattr(self.progress, name, value)
        self.reporter.update(**changes)
