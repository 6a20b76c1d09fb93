"""A generation job's estimated cost, at list prices, from its stored parameters (pure).

The same estimate the create page shows before submitting (adcreator.prompts.estimate), so a
job's page can set it beside what the ledger recorded."""

from __future__ import annotations

from decimal import Decimal

from adcreator.prompts.estimate import estimate_job


def estimate_usd(parameters: dict) -> Decimal | None:
    selection = parameters.get("template_selection") or {}
    templates = len(selection.get("template_ids") or []) or int(selection.get("count") or 0)
    indices = parameters.get("variation_indices")
    variations = len(indices) if indices else int(parameters.get("variations") or 1)
    sizes, colors = len(parameters.get("sizes") or []), len(parameters.get("color_modes") or [])
    attempts = templates * variations * sizes * colors
    if not attempts:
        return None
    return estimate_job(templates=templates, variations=variations, sizes=sizes, colors=colors,
                        cap=attempts).total_usd
