"""Runs a node graph over one state, reporting each node as the run's stage."""

from __future__ import annotations

import logging

from generation.params import AdCreationParams
from generation.pipeline.graph import GENERATION_GRAPH, Graph
from generation.pipeline.nodes.base import NoEligibleTemplates, Outcome
from generation.pipeline.state import PipelineState
from generation.pipeline.tooling import stop_if_cancelled

logger = logging.getLogger(__name__)

# A guard against a graph that loops by mistake; the real graph runs about a dozen steps.
MAX_NODE_STEPS = 50


def run_pipeline(*, run_id: int, params: AdCreationParams, progress, graph: Graph = GENERATION_GRAPH) -> dict:
    state = PipelineState(run_id=run_id, params=params, reporter=progress)
    node_class = graph.start
    steps = 0
    try:
        while node_class is not None:
            steps += 1
            if steps > MAX_NODE_STEPS:
                raise RuntimeError("pipeline did not terminate")
            stop_if_cancelled(state)
            node = node_class()
            state.report(stage=node.name)
            outcome = node.run(state) or Outcome.NEXT
            node_class = graph.next(node_class, outcome)
    except NoEligibleTemplates as exc:
        # Spec 8h: a worker job fails with a structured reason and is not retried blindly.
        return {"error": "no_eligible_templates", "error_detail": str(exc), "reason": str(exc),
                "selection": state.progress.selection}
    return {"selection": state.progress.selection} if state.progress.selection else {}
