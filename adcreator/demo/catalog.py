"""The demo catalog as plain data: what `manage.py seed_demo` writes, so it invents nothing.

Brand "Lumen & Leaf" (slug "demo"), its products with drawn photos, personas, belief angles,
offer variants (one with a landing page, one deliberately without), hooks, brand assets and
a library of other brands' ad templates. Images are drawn on demand (see `art`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from adcreator.demo.art import brand_assets, product_images, templates
from adcreator.demo.art_brand import BRAND_COLOURS, BRAND_NAME
from adcreator.demo.art_layout import DemoTemplate, TemplateMetadata

__all__ = [
    "BRAND", "PRODUCTS", "PERSONAS", "BELIEF_ANGLES", "OFFER_VARIANTS", "LANDING_PAGES", "HOOKS",
    "DemoBrand", "DemoProduct", "DemoPersona", "DemoBeliefAngle", "DemoOfferVariant", "DemoLandingPage",
    "DemoHook", "DemoTemplate", "TemplateMetadata", "product_images", "brand_assets", "templates",
]


@dataclass(frozen=True)
class DemoBrand:
    name: str
    slug: str
    colours: dict[str, str]
    voice: str
    prohibited_claims: tuple[str, ...]
    required_disclaimers: tuple[str, ...]
    website: str


@dataclass(frozen=True)
class DemoProduct:
    slug: str
    name: str
    description: str
    current_offer: str
    price: str
    industry: str = "beauty / skincare"  # as the demo templates say it (smart select's industry fit)


@dataclass(frozen=True)
class DemoPersona:
    slug: str
    name: str
    awareness_stage: int  # 1 unaware .. 5 most aware
    target_sex: str  # female | male | unisex
    age_min: int
    age_max: int
    description: str
    demographics: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoBeliefAngle:
    slug: str
    product_slug: str
    belief_statement: str


@dataclass(frozen=True)
class DemoOfferVariant:
    slug: str
    product_slug: str
    name: str
    core_message: str
    pain_points: tuple[str, ...]
    landing_page_url: str


@dataclass(frozen=True)
class DemoLandingPage:
    offer_variant_slug: str
    url: str
    hero_headline: str
    hero_subhead: str
    body: str


@dataclass(frozen=True)
class DemoHook:
    hook_type: str
    text: str
    product_slug: str | None = None


BRAND = DemoBrand(
    name=BRAND_NAME,
    slug="demo",
    colours=BRAND_COLOURS,
    voice="Calm, warm and plain-spoken. Botanical, never clinical; confident, never pushy. "
          "Short sentences, no exclamation marks, no miracle language.",
    prohibited_claims=("cures acne", "FDA approved", "erases wrinkles", "clinically proven to reverse ageing",
                       "works for everyone"),
    required_disclaimers=("Results may vary.",),
    website="https://lumenandleaf.example",
)

PRODUCTS: tuple[DemoProduct, ...] = (
    DemoProduct("night-repair-serum", "Night Repair Serum",
                "A lightweight overnight serum with bakuchiol and squalane that smooths rough texture "
                "while you sleep. Fragrance-free, 30 ml amber glass dropper bottle.",
                "20% off your first order", "$38"),
    DemoProduct("daily-glow-moisturizer", "Daily Glow Moisturizer",
                "A whipped daily cream with niacinamide and oat lipids for soft, dewy skin that stays "
                "comfortable all day. 50 ml glass jar.",
                "Free travel-size cleanser with every jar", "$32"),
    DemoProduct("gentle-foam-cleanser", "Gentle Foam Cleanser",
                "A low-pH foaming cleanser that lifts sunscreen and make-up without the tight feeling. 150 ml tube.",
                "Buy 2, save 15%", "$22"),
)

PERSONAS: tuple[DemoPersona, ...] = (
    DemoPersona("busy-professional", "Busy professional, first fine lines", 3, "female", 30, 45,
                "Knows her skin looks tired and has tried a retinol that stung. Wants one step at night "
                "that works without irritation.",
                {"location": "urban US", "income": "middle to upper", "skincare_routine": "3 steps"}),
    DemoPersona("skincare-skeptic", "Skincare sceptic", 2, "male", 25, 40,
                "Uses whatever soap is in the shower. Notices dry patches and dullness but doubts that "
                "creams do anything.", {"location": "US and UK", "skincare_routine": "none"}),
    DemoPersona("loyal-customer", "Returning customer", 5, "unisex", 28, 55,
                "Already uses the serum and rates it. Ready to add a second product if the offer is right.",
                {"purchase_history": "1-2 orders"}),
)

BELIEF_ANGLES: tuple[DemoBeliefAngle, ...] = (
    DemoBeliefAngle("gentle-beats-harsh", "night-repair-serum",
                    "Skin repairs best when you stop attacking it: gentle, consistent care beats harsh actives."),
    DemoBeliefAngle("night-is-repair-time", "night-repair-serum",
                    "Night is when skin does its repair work, so that is when your serum should do its job."),
    DemoBeliefAngle("moisture-is-the-glow", "daily-glow-moisturizer",
                    "Glow is not a filter or a highlighter; it is well-hydrated skin reflecting light."),
)

OFFER_VARIANTS: tuple[DemoOfferVariant, ...] = (
    DemoOfferVariant("serum-first-order", "night-repair-serum", "First order: 20% off the serum",
                     "Smoother, calmer skin by morning, without the sting of retinol. 20% off your first order.",
                     ("retinol made my skin red and flaky", "my skin looks tired in the morning",
                      "too many steps in my routine"),
                     "https://lumenandleaf.example/serum"),
    DemoOfferVariant("moisturizer-gift", "daily-glow-moisturizer", "Moisturizer with a free cleanser",
                     "All-day dewy skin from one cream, and a travel cleanser on us.",
                     ("makeup sits on dry patches", "rich creams feel greasy", "skin feels tight by lunchtime"),
                     "https://lumenandleaf.example/glow"),
)

# Only the serum offer has a landing page: the moisturizer offer is left without one on purpose,
# so the "no landing page" path of congruence checking has demo data too.
LANDING_PAGES: tuple[DemoLandingPage, ...] = (
    DemoLandingPage("serum-first-order", "https://lumenandleaf.example/serum",
                    "Wake up to smoother skin",
                    "Night Repair Serum: bakuchiol and squalane, gentle enough for every night.",
                    "Retinol works, but many of us cannot live with the redness. Night Repair Serum uses "
                    "bakuchiol, a plant-derived alternative, with squalane to keep the skin barrier "
                    "comfortable. Three drops after cleansing, every night. Fragrance-free and "
                    "dermatologist tested. New customers take 20% off their first order. Results may vary."),
)

HOOKS: tuple[DemoHook, ...] = (
    DemoHook("curiosity_gap", "The plant extract dermatologists keep recommending instead of retinol", "night-repair-serum"),
    DemoHook("curiosity_gap", "Why your moisturizer stops working by lunchtime", "daily-glow-moisturizer"),
    DemoHook("social_proof", "12,000 people switched their night routine to three drops", "night-repair-serum"),
    DemoHook("social_proof", "\u201cMy skin has never looked this rested.\u201d - Priya, verified buyer", "night-repair-serum"),
    DemoHook("problem_agitation", "Red, flaky and still no results? Your retinol might be the problem", "night-repair-serum"),
    DemoHook("problem_agitation", "Tight, dull skin by 3 pm is not normal", "daily-glow-moisturizer"),
    DemoHook("benefit_led", "Smoother skin by morning, without the sting", "night-repair-serum"),
    DemoHook("benefit_led", "One cream for all-day dewy skin", "daily-glow-moisturizer"),
    DemoHook("urgency", "20% off your first order ends Sunday", "night-repair-serum"),
    DemoHook("authority", "Dermatologist tested and gentle enough for sensitive skin", None),
)
