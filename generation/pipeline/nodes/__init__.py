"""The pipeline's nodes, one per module; `generation.pipeline.graph` says how they connect."""
