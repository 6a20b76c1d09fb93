"""The parameters of an `ad_creation_v2` job, validated before anything is stored (spec 1, 2, 4, 9b)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from adcreator.prompts.models import CANVAS_SIZES, COLOR_MODES, canvas_label

SizeLabel = Literal["1:1", "4:5", "9:16", "16:9"]
ColorModeLabel = Literal["original", "complementary", "brand"]

# "1080x1350" and "4x5"-style spellings seen in older payloads map to the ratio labels.
_SIZE_ALIASES: dict[str, str] = {canvas_label(*dims): ratio for ratio, dims in CANVAS_SIZES.items()}
_SIZE_ALIASES.update({ratio.replace(":", "x"): ratio for ratio in CANVAS_SIZES})
# Cap on templates × variations × colours so prompt_index stays within its CHECK (1–100).
MAX_BRIEFS_PER_JOB = 100


def _as_list(value: Any) -> Any:
    """A comma-separated string or a list as a list; anything else is left for pydantic to
    refuse with a field error (found by fuzzing: `"sizes": false` must be a 400, not a crash)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _dedupe(values: Any) -> Any:
    if not isinstance(values, list):
        return values
    seen: list = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


class TemplateSelection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Literal["manual", "roll_the_dice", "smart_select"]
    # Manual: the chosen ids. Roll/smart: the ids drawn at submission, so the worker
    # generates exactly what the user was shown (empty = draw on the worker with `seed`).
    template_ids: list[int] = Field(default_factory=list, max_length=50)
    count: int = Field(default=3, ge=1, le=20)
    category: str | None = Field(default=None, max_length=60)
    strictness: Literal["default", "growth", "premium"] | None = None
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)

    @field_validator("template_ids", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        return _dedupe(_as_list(value))

    @field_validator("category", mode="before")
    @classmethod
    def _all_means_none(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in {"", "all", "any"}:
            return None
        return value

    @model_validator(mode="after")
    def _manual_needs_ids(self) -> "TemplateSelection":
        if self.mode == "manual" and not self.template_ids:
            raise ValueError("manual selection needs at least one template id")
        return self


class AdCreationParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    brand_id: int = Field(ge=1)
    product_id: int = Field(ge=1)
    template_selection: TemplateSelection
    sizes: list[SizeLabel] = Field(min_length=1)
    color_modes: list[ColorModeLabel] = Field(min_length=1)
    content_source: Literal["hooks", "belief_first", "offer_variant"] = "hooks"
    hook_ids: list[int] = Field(default_factory=list, max_length=50)
    persona_id: int | None = Field(default=None, ge=1)
    offer_variant_id: int | None = Field(default=None, ge=1)
    belief_angle_id: int | None = Field(default=None, ge=1)
    awareness_stage: int | None = Field(default=None, ge=1, le=5)
    variations: int = Field(default=1, ge=1, le=10)
    # Set on the parts of a split request: which of the original variations this part makes.
    variation_indices: list[int] | None = None
    # The submitter saw the estimate and confirmed it (31–cap attempts, spec Phase 5).
    confirmed: bool = False

    @model_validator(mode="before")
    @classmethod
    def _normalise_legacy(cls, data: Any) -> Any:
        """Older payloads used scalars (`size`, `canvas_size`, `color_mode`) and pixel sizes."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for legacy, current in (("size", "sizes"), ("canvas_size", "sizes"), ("color_mode", "color_modes")):
            if legacy in data:
                data.setdefault(current, data.pop(legacy))
        sizes = _as_list(data.get("sizes"))
        if "sizes" in data and isinstance(sizes, list):
            data["sizes"] = _dedupe([_SIZE_ALIASES.get(s.strip(), s.strip()) if isinstance(s, str) else s for s in sizes])
        colors = _as_list(data.get("color_modes"))
        if "color_modes" in data and isinstance(colors, list):
            data["color_modes"] = _dedupe([c.strip().lower() if isinstance(c, str) else c for c in colors])
        if "hook_ids" in data:
            data["hook_ids"] = _dedupe(_as_list(data["hook_ids"]))
        return data

    @model_validator(mode="after")
    def _consistent(self) -> "AdCreationParams":
        if self.variation_indices is not None:
            bad = [i for i in self.variation_indices if not 1 <= i <= self.variations]
            if bad or not self.variation_indices:
                raise ValueError(f"variation_indices must be within 1..{self.variations}")
            self.variation_indices = sorted(set(self.variation_indices))
        if self.content_source == "offer_variant" and self.offer_variant_id is None:
            raise ValueError("content_source 'offer_variant' needs offer_variant_id")
        if self.content_source == "belief_first" and self.belief_angle_id is None:
            raise ValueError("content_source 'belief_first' needs belief_angle_id")
        briefs = self.template_count_hint * len(self.effective_variations) * len(self.color_modes)
        if briefs > MAX_BRIEFS_PER_JOB:
            raise ValueError(f"templates × variations × colours is {briefs}; at most {MAX_BRIEFS_PER_JOB} per job")
        return self

    @property
    def template_count_hint(self) -> int:
        selection = self.template_selection
        return len(selection.template_ids) if selection.template_ids else selection.count

    @property
    def effective_variations(self) -> list[int]:
        return self.variation_indices or list(range(1, self.variations + 1))

    @property
    def canvas_sizes(self) -> list[str]:
        return [canvas_label(*CANVAS_SIZES[label]) for label in self.sizes]

    @property
    def attempts(self) -> int:
        return self.template_count_hint * len(self.effective_variations) * len(self.sizes) * len(self.color_modes)


assert set(COLOR_MODES) == set(ColorModeLabel.__args__)  # one vocabulary for colour modes
