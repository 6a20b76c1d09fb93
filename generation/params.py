"""The one definition of an ad generation request (spec sections 1, 2, 4, 8, 9b).

`AdCreationRequest` is what every door accepts — the create form delegates to it, the API
validates its JSON body with it and publishes it as the request schema, the CLI builds it —
and `AdCreationParams` is what an `ad_creation_v2` job stores (the request plus what the
submission decided: the drawn templates and, for the parts of a split request, which
variations the part makes). Validation happens here, once, at the door; the pipeline trusts
what it loads.

Strict JSON types: a number sent as a string or `true` sent for a count is a client bug, and a
field error at once is the helpful answer. Every error carries the field it is about, also
for the rules across fields (a content source without its input, too many briefs).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from adcreator.inputs import DbId, Seed, Text
from adcreator.prompts.vocabulary import SIZE_BY_RATIO, CanvasSize, ColorMode, SizeRatio

# Cap on templates × variations × colours so prompt_index stays within its CHECK (1–100).
MAX_BRIEFS_PER_JOB = 100
MAX_TEMPLATES_PER_JOB = 50
SelectionMode = Literal["manual", "roll_the_dice", "smart_select"]
ContentSource = Literal["hooks", "belief_first", "offer_variant"]
Strictness = Literal["default", "growth", "premium"]


def rule_error(model: str, loc: tuple[str, ...], message: str, value: Any = None) -> ValidationError:
    """A rule across fields, reported on the field a person has to change."""
    return ValidationError.from_exception_data(
        model, [InitErrorDetails(type=PydanticCustomError("rule", message), loc=loc, input=value)])


def _dedupe(values: Any) -> Any:
    """Repeated choices count once, in the order they were given."""
    return list(dict.fromkeys(values)) if isinstance(values, list) and all(
        isinstance(v, (str, int)) and not isinstance(v, bool) for v in values) else values


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class TemplateSelection(_Strict):
    mode: SelectionMode = Field(description="manual: the chosen ids; roll_the_dice / smart_select: a draw.")
    # Manual: the chosen ids. Roll/smart: the ids drawn at submission, so the worker
    # generates exactly what the user was shown (empty = draw on the worker with `seed`).
    template_ids: list[DbId] = Field(default_factory=list, max_length=MAX_TEMPLATES_PER_JOB,
                                     description="Manual mode: the chosen templates.")
    count: int = Field(default=3, ge=1, le=20, description="Roll the dice / smart select: how many templates to draw.")
    category: Text | None = Field(default=None, max_length=60, description="Only templates of this category.")
    strictness: Strictness | None = Field(default=None, description="Smart select's asset gate (spec 8e).")
    seed: Seed | None = Field(default=None, description="Same seed, same draw.")

    @field_validator("template_ids", mode="before")
    @classmethod
    def _distinct_ids(cls, value: Any) -> Any:
        return _dedupe(value)

    @field_validator("category")
    @classmethod
    def _all_means_none(cls, value: str | None) -> str | None:
        if value is None or value.strip().lower() in {"", "all", "any"}:
            return None
        return value.strip()

    @model_validator(mode="after")
    def _manual_needs_ids(self) -> "TemplateSelection":
        if self.mode == "manual" and not self.template_ids:
            # Reported on the selection itself: the fix is to pick templates, whichever way.
            raise rule_error("TemplateSelection", (), "Pick at least one template for a manual selection.")
        return self


class AdCreationRequest(_Strict):
    brand_id: DbId
    product_id: DbId
    template_selection: TemplateSelection
    sizes: list[SizeRatio] = Field(min_length=1, max_length=len(SIZE_BY_RATIO),
                                   description="Canvas ratios; each becomes its own ad.")
    color_modes: list[ColorMode] = Field(min_length=1, max_length=3)
    content_source: ContentSource = "hooks"
    hook_ids: list[DbId] = Field(default_factory=list, max_length=50,
                                 description="Only these hooks (default: every active hook of the brand).")
    persona_id: DbId | None = None
    # validate_default: the rule below runs whether or not the field was sent.
    offer_variant_id: DbId | None = Field(default=None, validate_default=True,
                                          description="Needed when content_source is offer_variant.")
    belief_angle_id: DbId | None = Field(default=None, validate_default=True,
                                         description="Needed when content_source is belief_first.")
    awareness_stage: int | None = Field(default=None, ge=1, le=5)
    variations: int = Field(default=1, ge=1, le=10, description="Variations per template.")
    # Seeds the genome's Thompson draws (hooks; set at submission when absent): a run replays exactly.
    genome_seed: Seed | None = Field(default=None, description="Same seed, same genome draws (replay a run).")
    # A person's own headline (the edit of one ad, issue 17 item 8): every ad of the job carries
    # it exactly as written; hooks, offer or belief still choose the rest of the copy.
    headline: Text | None = Field(default=None, max_length=300,
                                  description="Use exactly this headline on every ad (no adaptation, no rewrite).")
    # The submitter saw the estimate and confirmed it (31–cap attempts, spec Phase 5).
    confirmed: bool = Field(default=False, description="The submitter saw the estimate: required from 31 attempts "
                                                       "and to split over the cap.")

    @field_validator("sizes", "color_modes", "hook_ids", mode="before")
    @classmethod
    def _distinct_choices(cls, value: Any) -> Any:
        return _dedupe(value)

    @field_validator("headline")
    @classmethod
    def _headline_has_words(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.strip():
            raise PydanticCustomError("blank_headline", "Write a headline, or leave the field out.")
        return " ".join(value.split())

    @field_validator("offer_variant_id", "belief_angle_id")
    @classmethod
    def _content_source_input(cls, value: int | None, info: ValidationInfo) -> int | None:
        # A field validator, not a model one: it reports even when another field failed.
        needed_by = {"offer_variant_id": ("offer_variant", "Choose the offer variant to write from."),
                     "belief_angle_id": ("belief_first", "Choose the belief angle to lead with.")}
        source, message = needed_by[info.field_name]
        if value is None and info.data.get("content_source") == source:
            raise PydanticCustomError("required_by_content_source", message)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "AdCreationRequest":
        briefs = self.template_count_hint * len(self.effective_variations) * len(self.color_modes)
        if briefs > MAX_BRIEFS_PER_JOB:
            raise rule_error(type(self).__name__, (),
                             f"This makes {briefs} creative briefs (templates × variations × colour modes); a job "
                             f"makes at most {MAX_BRIEFS_PER_JOB}. Choose fewer templates, variations or colour modes.")
        return self

    @property
    def template_count_hint(self) -> int:
        selection = self.template_selection
        return len(selection.template_ids) if selection.template_ids else selection.count

    @property
    def effective_variations(self) -> list[int]:
        return list(range(1, self.variations + 1))

    @property
    def canvas_sizes(self) -> list[str]:
        """The sizes as stored on the ads ("1080x1350")."""
        return [size.canvas for size in self.sizes_to_make]

    @property
    def sizes_to_make(self) -> list[CanvasSize]:
        return [SIZE_BY_RATIO[ratio] for ratio in self.sizes]

    @property
    def attempts(self) -> int:
        return self.template_count_hint * len(self.effective_variations) * len(self.sizes) * len(self.color_modes)


class AdCreationParams(AdCreationRequest):
    """The stored parameters of an ad_creation_v2 job."""

    # Set on the parts of a split request: which of the original variations this part makes.
    variation_indices: list[int] | None = None

    @model_validator(mode="after")
    def _variation_indices_in_range(self) -> "AdCreationParams":
        if self.variation_indices is not None:
            bad = [i for i in self.variation_indices if not 1 <= i <= self.variations]
            if bad or not self.variation_indices:
                raise rule_error("AdCreationParams", ("variation_indices",),
                                 f"variation_indices must be within 1..{self.variations}")
            self.variation_indices = sorted(set(self.variation_indices))
        return self

    @property
    def effective_variations(self) -> list[int]:
        return self.variation_indices or list(range(1, self.variations + 1))
