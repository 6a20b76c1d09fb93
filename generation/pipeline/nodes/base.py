"""What a node is: a name (the stage it reports) and one step over the state."""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from generation.pipeline.state import PipelineState


class Outcome(str, Enum):
    """How a node ended; the graph maps (node, outcome) to the next node."""

    NEXT = "next"
    AGAIN = "again"  # the node has more of the same work (another retry round)


class Node(Protocol):
    name: str

    def run(self, state: PipelineState) -> Outcome | None:
        """Do one thing; None means Outcome.NEXT."""
        ...


class NoEligibleTemplates(Exception):
    """The run cannot proceed: no template it may use (spec 8h: fail with the reason, no blind retry)."""
