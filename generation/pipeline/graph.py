"""The generation pipeline as a graph: every node and every edge, in one place.

    Initialize → FetchContext → AnalyzeTemplate → GenomeContext → SelectContent → HeadlineCongruence
      → SelectImages → GenerateAds → ReviewAds → RetryRejected (↺ while retries remain)
      → CompileResults

A node does one thing and says how it ended (`Outcome`); the graph, not the node, says what
comes next. Adding a step — the genome's performance context, an experiment's arm
constraints — is one module under `nodes/` and one line here.
"""

from __future__ import annotations

from dataclasses import dataclass

from generation.pipeline.nodes.analyze_template import AnalyzeTemplate
from generation.pipeline.nodes.base import Node, Outcome
from generation.pipeline.nodes.compile_results import CompileResults
from generation.pipeline.nodes.fetch_context import FetchContext
from generation.pipeline.nodes.generate_ads import GenerateAds
from generation.pipeline.nodes.genome_context import GenomeContext
from generation.pipeline.nodes.headline_congruence import HeadlineCongruence
from generation.pipeline.nodes.initialize import Initialize
from generation.pipeline.nodes.retry_rejected import RetryRejected
from generation.pipeline.nodes.review_ads import ReviewAds
from generation.pipeline.nodes.select_content import SelectContent
from generation.pipeline.nodes.select_images import SelectImages

NodeClass = type[Node]


@dataclass(frozen=True)
class Graph:
    start: NodeClass
    # node → {outcome → next node}; a node missing from the map ends the run.
    edges: dict[NodeClass, dict[Outcome, NodeClass]]

    def next(self, node: NodeClass, outcome: Outcome) -> NodeClass | None:
        routes = self.edges.get(node)
        if routes is None:
            return None
        if outcome not in routes:
            raise RuntimeError(f"{node.__name__} ended with {outcome.value!r}, which the graph does not route")
        return routes[outcome]

    @property
    def nodes(self) -> list[NodeClass]:
        seen = [self.start]
        for routes in self.edges.values():
            seen += [n for n in routes.values() if n not in seen]
        return seen


def _then(node: NodeClass) -> dict[Outcome, NodeClass]:
    return {Outcome.NEXT: node}


GENERATION_GRAPH = Graph(
    start=Initialize,
    edges={
        Initialize: _then(FetchContext),
        FetchContext: _then(AnalyzeTemplate),
        AnalyzeTemplate: _then(GenomeContext),
        GenomeContext: _then(SelectContent),
        SelectContent: _then(HeadlineCongruence),
        HeadlineCongruence: _then(SelectImages),
        SelectImages: _then(GenerateAds),
        GenerateAds: _then(ReviewAds),
        ReviewAds: _then(RetryRejected),
        RetryRejected: {Outcome.NEXT: CompileResults, Outcome.AGAIN: RetryRejected},
        # CompileResults has no edge: the run ends there.
    },
)
