"""Tenancy: what a user may see. Every page and endpoint scopes its queries through these."""

from __future__ import annotations

from django.db.models import QuerySet

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


def organization_ids_for(user) -> list[int]:
    """The user's organizations, read once per user object (a request's user lives one request:
    every check a page makes after the first costs no query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_organization_ids_cache", None)
    if cached is None:
        cached = tuple(user.memberships.values_list("organization_id", flat=True))
        user._organization_ids_cache = cached
    return list(cached)


def organizations_for(user) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=organization_ids_for(user))


def brands_for(user) -> QuerySet[Brand]:
    return Brand.objects.filter(organization_id__in=organization_ids_for(user)).select_related("organization")


def products_for(user) -> QuerySet[Product]:
    return Product.objects.filter(brand__organization_id__in=organization_ids_for(user)).select_related("brand")


EDITOR_ROLES = ("owner", "editor")


def require_editor(*, user, organization_id: int,
                   message: str = "Your role in this organization can view ads but not change them.") -> None:
    """Viewers may look, not act: submitting jobs, overriding reviews, retrying and changing the
    catalog need the editor or owner role in the organization. `None` is the system (CLI,
    schedules, tests)."""
    from django.core.exceptions import PermissionDenied

    if user is None or getattr(user, "is_superuser", False):
        return
    if not user.memberships.filter(organization_id=organization_id, role__in=EDITOR_ROLES).exists():
        raise PermissionDenied(message)


# ------------------------------------------------------------------ the catalog, per kind

def personas_for(user) -> QuerySet[Persona]:
    return Persona.objects.filter(brand__organization_id__in=organization_ids_for(user)).select_related("brand")


def belief_angles_for(user) -> QuerySet[BeliefAngle]:
    return BeliefAngle.objects.filter(brand__organization_id__in=organization_ids_for(user)).select_related("brand")


def hooks_for(user) -> QuerySet[Hook]:
    return Hook.objects.filter(brand__organization_id__in=organization_ids_for(user)).select_related("brand", "product")


def landing_pages_for(user) -> QuerySet[LandingPage]:
    return LandingPage.objects.filter(brand__organization_id__in=organization_ids_for(user)).select_related("brand")


def brand_assets_for(user) -> QuerySet[BrandAsset]:
    return BrandAsset.objects.filter(brand__organization_id__in=organization_ids_for(user)).select_related("brand")


def offer_variants_for(user) -> QuerySet[OfferVariant]:
    return (OfferVariant.objects.filter(product__brand__organization_id__in=organization_ids_for(user))
            .select_related("product__brand"))


def product_photos_for(user) -> QuerySet[ProductImage]:
    return (ProductImage.objects.filter(product__brand__organization_id__in=organization_ids_for(user))
            .select_related("product__brand"))


def editable_organizations_for(user) -> QuerySet[Organization]:
    """Where the user may create brands (owner or editor)."""
    if getattr(user, "is_superuser", False):
        return organizations_for(user)
    return Organization.objects.filter(memberships__user=user, memberships__role__in=EDITOR_ROLES)


def can_edit(user, organization_id: int) -> bool:
    """Whether pages should offer the change forms (the services check again when they act)."""
    if getattr(user, "is_superuser", False):
        return True
    cached = getattr(user, "_editor_organization_ids_cache", None)
    if cached is None:
        cached = frozenset(user.memberships.filter(role__in=EDITOR_ROLES).values_list("organization_id", flat=True))
        user._editor_organization_ids_cache = cached
    return organization_id in cached


# ------------------------------------------------------------------ what depends on a row

# JobRun statuses of a run not finished yet (adcreator.jobs.models.RunStatus; the jobs app sits
# beside the catalog and may not be imported from here; a test keeps these in step).
ACTIVE_RUN_STATUSES = ("pending", "running")
# The job parameter that names each kind of row (generation.params.AdCreationRequest).
_PARAMETER_OF = {Persona: "persona_id", OfferVariant: "offer_variant_id", BeliefAngle: "belief_angle_id",
                 Product: "product_id"}


def _brand_of(instance) -> Brand:
    if isinstance(instance, Brand):
        return instance
    if isinstance(instance, (ProductImage, OfferVariant)):
        return instance.product.brand
    return instance.brand


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def catalog_dependents(instance) -> list[str]:
    """Why deleting this row would lose work: ads made from it, jobs that name it or are running
    on its brand. Empty when nothing depends on it."""
    brand = _brand_of(instance)
    reasons: list[str] = []
    jobs = brand.jobs.all()
    active = jobs.filter(runs__status__in=ACTIVE_RUN_STATUSES).distinct()
    if isinstance(instance, Brand):
        ad_runs, job_count = instance.ad_runs.count(), jobs.count()
        if ad_runs:
            reasons.append(f"it has {_plural(ad_runs, 'ad run')}")
        if job_count:
            reasons.append(f"it has {_plural(job_count, 'job')}")
        return reasons
    if isinstance(instance, Product):
        ad_runs = instance.ad_runs.count()
        if ad_runs:
            reasons.append(f"it has {_plural(ad_runs, 'ad run')}")
    if type(instance) in _PARAMETER_OF:
        named = jobs.filter(**{f"parameters__{_PARAMETER_OF[type(instance)]}": instance.pk}).count()
        if named:
            reasons.append(f"{_plural(named, 'job')} chose it")
    if isinstance(instance, Hook):
        ads = instance.ads.count()
        if ads:
            reasons.append(f"{_plural(ads, 'ad')} used it (switch it off instead: it is then no longer drawn)")
        active_ids = [hook_ids for hook_ids in active.values_list("parameters__hook_ids", flat=True)]
        if any(instance.pk in (ids or []) for ids in active_ids):
            reasons.append("a waiting or running job chose it")
    if isinstance(instance, (ProductImage, BrandAsset, LandingPage)) and active.exists():
        reasons.append("a job of this brand is waiting or running and may be reading it; delete it once the job is done")
    return reasons
