"""The brand's template-selection tier (spec 8e) as people choose it (no Django here).

A tier is a floor on the asset gate of smart select: `template_selection_config.min_asset_score`.
The numbers are templates.selection_config.ASSET_STRICTNESS's (a test keeps the two equal); they
are spelled here because the catalog sits below the template app and cannot import it.
"""

from __future__ import annotations

TIERS: dict[str, float] = {"default": 0.0, "growth": 0.3, "premium": 0.8}
# The choice set as the API schema names it (ENUM_NAME_OVERRIDES "AssetStrictnessEnum"): the
# selection preview's `strictness` and a brand's `template_selection_tier` are the same three words.
TIER_NAMES = tuple(TIERS)
TIER_LABELS = {"default": "Default — no asset gate", "growth": "Growth — most required assets",
               "premium": "Premium — nearly every required asset"}


def tier_of(config: dict | None) -> str | None:
    """The tier whose floor the brand's config holds; None when staff set another number."""
    value = (config or {}).get("min_asset_score", 0.0)
    for name, floor in TIERS.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value - floor) < 1e-9:
            return name
    return None


def config_with_tier(config: dict | None, tier: str) -> dict:
    """The config with the tier's floor, every other key (weight overrides) kept."""
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}")
    return {**(config or {}), "min_asset_score": TIERS[tier]}
