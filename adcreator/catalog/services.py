"""Use cases of the catalog: create, change and delete brands, products and their material.

Every door (the catalog pages, the API, the admin) calls these, so the same rules hold
everywhere: owners and editors change, viewers only read; every value is checked with a
message that names its field (`CatalogError.errors`, the API's field-error spelling); a photo
is checked by its content and its quality measured; nothing that jobs or ads depend on is
deleted (`CatalogInUse`, the dependents named).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from io import BytesIO
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.text import slugify
from PIL import Image

from adcreator.catalog import selectors
from adcreator.catalog.models import (
    BeliefAngle,
    Brand,
    BrandAsset,
    Hook,
    LandingPage,
    OfferVariant,
    Organization,
    Persona,
    Product,
    ProductImage,
)
from adcreator.catalog.photo_quality import measure_photo_quality
from adcreator.catalog.tiers import TIERS, config_with_tier
from adcreator.prompts.elements import ASSET_TAGS
from adcreator.web.uploads import check_uploaded_file


class CatalogError(ValueError):
    """Refused input: {field: [messages]}, fields spelt as the API's error fields."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))


class CatalogInUse(ValueError):
    """A delete refused because jobs or ads depend on the row: the message names them."""


# What each door may change on each kind of row; anything else in `data` is an error.
EDITABLE: dict[type[models.Model], tuple[str, ...]] = {
    Brand: ("name", "slug", "category", "colors", "voice", "prohibited_claims", "required_disclaimers",
            "template_selection_tier"),
    Product: ("name", "slug", "description", "current_offer", "industry"),
    ProductImage: ("asset_tags",),
    BrandAsset: ("asset_type",),
    Persona: ("name", "description", "awareness_stage", "target_sex", "age_min", "age_max", "demographics"),
    OfferVariant: ("name", "core_message", "pain_points", "landing_page_url"),
    LandingPage: ("url", "hero_headline", "hero_subhead", "body"),
    BeliefAngle: ("name", "belief_statement"),
    Hook: ("text", "hook_type", "is_active", "product_id"),
}
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
MAX_LIST_ITEMS = 50
MAX_LIST_TEXT = 300


def _text_list(value: Any, *, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(f"Give a list of {what} (text).")
    items = [item.strip() for item in value if item.strip()]
    if len(items) > MAX_LIST_ITEMS:
        raise ValidationError(f"At most {MAX_LIST_ITEMS} {what}.")
    if any(len(item) > MAX_LIST_TEXT for item in items):
        raise ValidationError(f"Each of the {what} must be at most {MAX_LIST_TEXT} characters.")
    return items


def _colours(value: Any) -> list[str]:
    colours = _text_list(value, what="colours")
    bad = [c for c in colours if not _HEX_COLOUR.fullmatch(c)]
    if bad:
        raise ValidationError(f"Colours are #rrggbb hex codes; not: {', '.join(bad[:3])}.")
    return [c.lower() for c in colours]


def _asset_tags(value: Any) -> list[str]:
    tags = _text_list(value, what="asset tags")
    unknown = sorted(set(tags) - set(ASSET_TAGS))
    if unknown:
        raise ValidationError(f"Unknown asset tag(s) {', '.join(unknown)}; use: {', '.join(ASSET_TAGS)}.")
    return sorted(set(tags), key=ASSET_TAGS.index)


def _demographics(value: Any) -> dict:
    if not isinstance(value, dict) or len(value) > MAX_LIST_ITEMS:
        raise ValidationError(f"Give an object of at most {MAX_LIST_ITEMS} keys.")
    return value


# Fields whose values are JSON lists or objects: the model accepts any JSON, these say what fits.
_JSON_RULES = {
    "colors": _colours,
    "prohibited_claims": lambda v: _text_list(v, what="prohibited claims"),
    "required_disclaimers": lambda v: _text_list(v, what="disclaimers"),
    "pain_points": lambda v: _text_list(v, what="pain points"),
    "asset_tags": _asset_tags,
    "demographics": _demographics,
}


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


def _require_editor(user, organization_id: int) -> None:
    selectors.require_editor(user=user, organization_id=organization_id,
                             message="Your role in this organization can view the catalog but not change it.")


def _apply(instance: models.Model, data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Set the editable values of `data` on `instance`; the errors of those that do not fit."""
    errors: dict[str, list[str]] = {}
    allowed = EDITABLE[type(instance)]
    for name, value in data.items():
        if name not in allowed:
            errors[name] = [f"Not a field you can set here; use: {', '.join(allowed)}."]
        elif _has_nul(value):
            errors[name] = ["Must not contain a NUL character."]
        elif name in _JSON_RULES:
            try:
                setattr(instance, name, _JSON_RULES[name](value))
            except ValidationError as exc:
                errors[name] = list(exc.messages)
        elif name == "template_selection_tier":
            if value not in TIERS:
                errors[name] = [f"Choose one of: {', '.join(TIERS)}."]
            else:
                instance.template_selection_config = config_with_tier(instance.template_selection_config, value)
        elif isinstance(value, str) and name != "slug":
            setattr(instance, name, value.strip())
        else:
            setattr(instance, name, value)
    return errors


def _unique_errors(instance: models.Model) -> dict[str, list[str]]:
    """The two-field unique constraints, reported on the field a person would change."""
    checks = {Brand: ("slug", {"organization_id"}), Product: ("slug", {"brand_id"}), LandingPage: ("url", {"brand_id"})}
    if type(instance) not in checks:
        return {}
    field, scope = checks[type(instance)]
    rows = type(instance).objects.filter(**{field: getattr(instance, field)}, **{k: getattr(instance, k) for k in scope})
    if instance.pk is not None:
        rows = rows.exclude(pk=instance.pk)
    if rows.exists():
        where = "organization" if "organization_id" in scope else "brand"
        return {field: [f"Another one of this {where} already has this {field}; choose another."]}
    return {}


def _save(instance: models.Model, errors: dict[str, list[str]], *, exclude: list[str] | None = None):
    """Validate the whole row as the database would (types, lengths, choices, checks), then save."""
    if isinstance(instance, (Brand, Product)) and not instance.slug and "slug" not in errors:
        instance.slug = slugify(instance.name)[:80]
    duplicate = _unique_errors(instance)
    try:
        # With a duplicate found, the constraint's own message (on no field) would only repeat it.
        instance.full_clean(exclude=[*(exclude or []), *errors], validate_unique=False,
                            validate_constraints=not duplicate)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault("non_field_errors" if name == NON_FIELD_ERRORS else name, []).extend(messages)
    for name, messages in duplicate.items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise CatalogError(errors)
    instance.save()
    return instance


def _persona_ages(persona: Persona, errors: dict[str, list[str]]) -> None:
    if persona.age_min is not None and persona.age_max is not None and persona.age_min > persona.age_max:
        errors.setdefault("age_max", []).append("Must not be below the youngest age (age_min).")


def _hook_product(hook: Hook, errors: dict[str, list[str]]) -> None:
    if hook.product_id is not None and not Product.objects.filter(pk=hook.product_id, brand_id=hook.brand_id).exists():
        errors["product_id"] = ["No such product in this hook's brand."]


# ------------------------------------------------------------------ create, update, delete

def _create(model: type[models.Model], parent: dict[str, Any], organization_id: int, *, user,
            data: Mapping[str, Any]) -> models.Model:
    _require_editor(user, organization_id)
    instance = model(**parent)
    errors = _apply(instance, data)
    if isinstance(instance, Persona):
        _persona_ages(instance, errors)
    if isinstance(instance, Hook):
        _hook_product(instance, errors)
    return _save(instance, errors)


def _update(instance: models.Model, organization_id: int, *, user, data: Mapping[str, Any]) -> models.Model:
    _require_editor(user, organization_id)
    errors = _apply(instance, data)
    if isinstance(instance, Persona):
        _persona_ages(instance, errors)
    if isinstance(instance, Hook):
        _hook_product(instance, errors)
    return _save(instance, errors)


def _delete(instance: models.Model, organization_id: int, *, user) -> None:
    _require_editor(user, organization_id)
    reasons = selectors.catalog_dependents(instance)
    if reasons:
        raise CatalogInUse(f"{instance} cannot be deleted: {'; '.join(reasons)}. Nothing was deleted.")
    instance.delete()


def brand_create(*, user, organization: Organization, data: Mapping[str, Any]) -> Brand:
    return _create(Brand, {"organization": organization}, organization.pk, user=user, data=data)


def brand_update(*, user, brand: Brand, data: Mapping[str, Any]) -> Brand:
    return _update(brand, brand.organization_id, user=user, data=data)


def brand_delete(*, user, brand: Brand) -> None:
    _delete(brand, brand.organization_id, user=user)


def product_create(*, user, brand: Brand, data: Mapping[str, Any]) -> Product:
    return _create(Product, {"brand": brand}, brand.organization_id, user=user, data=data)


def product_update(*, user, product: Product, data: Mapping[str, Any]) -> Product:
    return _update(product, product.brand.organization_id, user=user, data=data)


def product_delete(*, user, product: Product) -> None:
    _delete(product, product.brand.organization_id, user=user)


def persona_create(*, user, brand: Brand, data: Mapping[str, Any]) -> Persona:
    return _create(Persona, {"brand": brand}, brand.organization_id, user=user, data=data)


def persona_update(*, user, persona: Persona, data: Mapping[str, Any]) -> Persona:
    return _update(persona, persona.brand.organization_id, user=user, data=data)


def persona_delete(*, user, persona: Persona) -> None:
    _delete(persona, persona.brand.organization_id, user=user)


def offer_variant_create(*, user, product: Product, data: Mapping[str, Any]) -> OfferVariant:
    return _create(OfferVariant, {"product": product}, product.brand.organization_id, user=user, data=data)


def offer_variant_update(*, user, offer_variant: OfferVariant, data: Mapping[str, Any]) -> OfferVariant:
    return _update(offer_variant, offer_variant.product.brand.organization_id, user=user, data=data)


def offer_variant_delete(*, user, offer_variant: OfferVariant) -> None:
    _delete(offer_variant, offer_variant.product.brand.organization_id, user=user)


def landing_page_create(*, user, brand: Brand, data: Mapping[str, Any]) -> LandingPage:
    return _create(LandingPage, {"brand": brand}, brand.organization_id, user=user, data=data)


def landing_page_update(*, user, landing_page: LandingPage, data: Mapping[str, Any]) -> LandingPage:
    return _update(landing_page, landing_page.brand.organization_id, user=user, data=data)


def landing_page_delete(*, user, landing_page: LandingPage) -> None:
    _delete(landing_page, landing_page.brand.organization_id, user=user)


def belief_angle_create(*, user, brand: Brand, data: Mapping[str, Any]) -> BeliefAngle:
    return _create(BeliefAngle, {"brand": brand}, brand.organization_id, user=user, data=data)


def belief_angle_update(*, user, belief_angle: BeliefAngle, data: Mapping[str, Any]) -> BeliefAngle:
    return _update(belief_angle, belief_angle.brand.organization_id, user=user, data=data)


def belief_angle_delete(*, user, belief_angle: BeliefAngle) -> None:
    _delete(belief_angle, belief_angle.brand.organization_id, user=user)


def hook_create(*, user, brand: Brand, data: Mapping[str, Any]) -> Hook:
    return _create(Hook, {"brand": brand}, brand.organization_id, user=user, data=data)


def hook_update(*, user, hook: Hook, data: Mapping[str, Any]) -> Hook:
    return _update(hook, hook.brand.organization_id, user=user, data=data)


def hook_delete(*, user, hook: Hook) -> None:
    _delete(hook, hook.brand.organization_id, user=user)


# ------------------------------------------------------------------ images

def checked_upload(uploaded, *, field: str = "image"):
    """The admin's content checks (format, size, pixels, readability), as a field error."""
    if uploaded is None or not hasattr(uploaded, "read"):
        raise CatalogError({field: ["Choose an image file (PNG, JPEG or WebP)."]})
    try:
        return check_uploaded_file(uploaded)
    except ValidationError as exc:
        raise CatalogError({field: list(exc.messages)}) from None


def product_photo_create(*, user, product: Product, image, asset_tags: list[str]) -> ProductImage:
    """Store a product photo with its measured quality (sharpness × resolution)."""
    _require_editor(user, product.brand.organization_id)
    checked = checked_upload(image)
    photo = ProductImage(product=product, width=checked.width, height=checked.height)
    errors = _apply(photo, {"asset_tags": asset_tags})
    if errors:
        raise CatalogError(errors)
    photo.quality = product_photo_measure(image)
    photo.image = image
    return _save(photo, errors, exclude=["image"])


def product_photo_measure(image) -> float:
    """The quality score of an (already checked) upload's pixels."""
    image.seek(0)
    with Image.open(BytesIO(image.read())) as opened:
        opened.load()
        quality = measure_photo_quality(opened).score
    image.seek(0)
    return quality


def product_photo_update(*, user, photo: ProductImage, data: Mapping[str, Any]) -> ProductImage:
    return _update(photo, photo.product.brand.organization_id, user=user, data=data)


def product_photo_delete(*, user, photo: ProductImage) -> None:
    _delete(photo, photo.product.brand.organization_id, user=user)


def brand_asset_create(*, user, brand: Brand, image, asset_type: str) -> BrandAsset:
    _require_editor(user, brand.organization_id)
    checked_upload(image)
    asset = BrandAsset(brand=brand, image=image)
    errors = _apply(asset, {"asset_type": asset_type})
    return _save(asset, errors, exclude=["image"])


def brand_asset_update(*, user, asset: BrandAsset, data: Mapping[str, Any]) -> BrandAsset:
    return _update(asset, asset.brand.organization_id, user=user, data=data)


def brand_asset_delete(*, user, asset: BrandAsset) -> None:
    _delete(asset, asset.brand.organization_id, user=user)
