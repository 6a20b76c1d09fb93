"""GenomeContext: what the Creative Genome knows about this brand and product, read once per run
(spec §7 PerformanceContext, 10.4). Advisory: it steers only choices the user left open."""

from __future__ import annotations

from generation.models import AdRun
from generation.pipeline.state import PipelineState
from genome.selectors import genome_advice_for


class GenomeContext:
    name = "genome_context"

    def run(self, state: PipelineState) -> None:
        cat = state.cat
        state.genome = genome_advice_for(brand_id=cat.brand.pk, product_id=cat.product.pk)
        record = {"cold_start_level": state.genome.level, "matured_ads": state.genome.matured_ads,
                  "exploration_rate": round(state.genome.exploration, 4), "seed": state.params.genome_seed,
                  "has_evidence": state.genome.has_evidence}
        config = dict(state.run.generation_config, genome=record)
        AdRun.objects.filter(pk=state.run.pk).update(generation_config=config)
        state.run.generation_config = config
