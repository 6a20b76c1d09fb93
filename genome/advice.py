"""What the genome tells generation before an ad is made (spec §7 PerformanceContext, 10.4, 10.6).

Pure: built from the brand's element scores and learning state (genome.selectors reads them).
Advisory, never constraining: the scores steer only the choices the user left to the system
(the hooks, smart select's PerformanceScorer), and reach the image model as context it may weigh.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from genome.predict import pre_gen_score
from genome.sampling import exploration_rate, thompson_select

ScoreLookup = Mapping[tuple[str, str], tuple[float, float]]
# Dimensions whose leading values go into the prompt's advisory context, in this order.
ADVISED_DIMENSIONS = ("hook_type", "template_category", "visual_style", "color_mode", "canvas_size", "awareness_stage")
# A value is advised when its posterior rests on at least this many rewarded ads.
MIN_ADVISED_ADS = 3


@dataclass(frozen=True)
class ScoredValue:
    dimension: str
    value: str
    alpha: float
    beta: float
    matured_ads: int

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)


@dataclass(frozen=True)
class GenomeAdvice:
    """The genome's state for one brand (and product) when a run starts."""

    level: int | None              # cold-start level; None: the genome has never run for the brand
    matured_ads: int
    scores: ScoreLookup            # product-level rows where they exist, else brand-wide
    values: tuple[ScoredValue, ...] = ()
    winning_combos: tuple[str, ...] = ()

    @property
    def has_evidence(self) -> bool:
        return any(v.matured_ads > 0 for v in self.values)

    @property
    def exploration(self) -> float:
        return exploration_rate(self.matured_ads)

    def predicted(self, tags: Mapping[str, object]) -> float | None:
        return pre_gen_score(tags, self.scores)

    def leading(self, dimension: str, limit: int = 3) -> list[ScoredValue]:
        rows = [v for v in self.values if v.dimension == dimension and v.matured_ads >= MIN_ADVISED_ADS]
        return sorted(rows, key=lambda v: v.mean, reverse=True)[:limit]

    def prompt_scores(self) -> list[tuple[str, float]]:
        return [(f"{v.dimension}={v.value}", round(v.mean, 3)) for d in ADVISED_DIMENSIONS for v in self.leading(d)]

    def note(self) -> str:
        if not self.has_evidence:
            return ""
        best = [f"{v.dimension.replace('_', ' ')} '{v.value}' ({v.mean:.0%} success over {v.matured_ads} ads)"
                for d in ("hook_type", "template_category") for v in self.leading(d, 1)]
        lead = ("; ".join(best) + ". ") if best else ""
        return (f"Advisory, correlational (not experimental), cold-start level {self.level}: past ads of this brand "
                f"suggest {lead}Follow the brief first; use this only to break ties.")


@dataclass
class HookChoice:
    """Which hook type each (template, variation) slot gets, and how it was chosen."""

    types: list[str]
    method: str                    # "thompson" or "rotation" (no evidence yet)
    seed: int | None = None
    explored: list[bool] = field(default_factory=list)
    exploration_rate: float | None = None

    def as_json(self) -> dict:
        return {"method": self.method, "types": self.types, "seed": self.seed, "explored": self.explored,
                "exploration_rate": self.exploration_rate}


def choose_hook_types(advice: GenomeAdvice, hook_types: Sequence[str], slots: int, *, seed: int) -> HookChoice:
    """Thompson Sampling over the brand's hook types, one independent draw per slot, exploration
    max(0.05, 0.30·e^(−matured/100)) used in the draw. With no evidence yet, the types are rotated
    (systematic exploration: every type gets tried before the genome can tell them apart)."""
    types = list(dict.fromkeys(hook_types))
    if not types or slots < 1:
        return HookChoice(types=[], method="none")
    if not advice.has_evidence:
        return HookChoice(types=[types[i % len(types)] for i in range(slots)], method="rotation")
    alpha = np.array([advice.scores.get(("hook_type", t), (1.0, 1.0))[0] for t in types])
    beta = np.array([advice.scores.get(("hook_type", t), (1.0, 1.0))[1] for t in types])
    choice = thompson_select(alpha, beta, matured_ads=advice.matured_ads, k=slots, distinct=False, seed=seed)
    return HookChoice(types=[types[i] for i in choice.chosen], method="thompson", seed=choice.seed,
                      explored=choice.explored, exploration_rate=choice.exploration_rate)
