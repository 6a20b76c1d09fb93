"""Experiment statistics: the one place pages, jobs and benchmarks take them from (pure, no Django).

- P(best): `prob_best`, `prob_best_with_error` (Beta-Binomial CTR, seeded Monte Carlo, with its
  standard error), `prob_b_beats_a` and `prob_best_exact_two` (exact, two arms),
  `normal_prob_best` (CPA/ROAS from daily values, direction-aware);
- power and budget: `required_impressions` (per arm), `required_spend`;
- `sample_ratio_mismatch`; `click_dispersion` (daily CTR noise beyond binomial);
- the decision rule with honest stopping: `decide`, `replay`, `DecisionRule`, `SHIPPED_RULE`,
  `Verdict` (design in `experiments.decision`);
- the causal knowledge base: `treatment_effects`, `grade_effect`.

Units: ratios for rates (a CTR of 0.8 % is 0.008), counts for impressions and clicks, currency
per 1,000 impressions for a CPM.
"""

from experiments.decision import FINAL_STATUSES, SHIPPED_RULE, DecisionRule, Verdict, decide, replay
from experiments.inference import (
    DEFAULT_DRAWS,
    DISPERSION_PRIOR_DF,
    SRM_P_THRESHOLD,
    Dispersion,
    ProbBest,
    SampleRatioCheck,
    TreatmentEffect,
    beta_posteriors,
    click_dispersion,
    grade_effect,
    normal_prob_best,
    prob_b_beats_a,
    prob_best,
    prob_best_exact_two,
    prob_best_with_error,
    required_impressions,
    required_spend,
    sample_ratio_mismatch,
    treatment_effects,
)

__all__ = [
    "DEFAULT_DRAWS", "DISPERSION_PRIOR_DF", "FINAL_STATUSES", "SHIPPED_RULE", "SRM_P_THRESHOLD",
    "DecisionRule", "Dispersion", "ProbBest", "SampleRatioCheck", "TreatmentEffect", "Verdict",
    "beta_posteriors", "click_dispersion", "decide", "grade_effect", "normal_prob_best", "prob_b_beats_a", "prob_best",
    "prob_best_exact_two", "prob_best_with_error", "replay", "required_impressions", "required_spend",
    "sample_ratio_mismatch", "treatment_effects",
]
