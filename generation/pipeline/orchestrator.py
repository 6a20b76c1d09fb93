"""Runs the node graph over one state, recording the current stage as progress."""

from __future__ import annotations

import logging

from generation.params import AdCreationParams
from generation.pipeline.context_nodes import Initialize, NoEligibleTemplates
from generation.pipeline.state import PipelineState

logger = logging.getLogger(__name__)

# A guard against a node graph that loops by mistake; the real graph has nine nodes.
MAX_NODE_STEPS = 50


def run_pipeline(*, run_id: int, params: AdCreationParams, progress) -> dict:
    state = PipelineState(run_id=run_id, params=params, progress=progress)
    node_class = Initialize
    steps = 0
    try:
        while node_class is not None:
            steps += 1
            if steps > MAX_NODE_STEPS:
                raise RuntimeError("pipeline did not terminate")
            node = node_class()
            progress.update(stage=node.name)
            node_class = node.run(state)
    except NoEligibleTemplates as exc:
        # Spec 8h: a worker job fails with a structured reason and is not retried blindly.
        return {"error": "no_eligible_templates", "error_detail": str(exc), "reason": str(exc), "selection": state.selection}
    result = {}
    if state.selection:
        result["selection"] = state.selection
    return result
