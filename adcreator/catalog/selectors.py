"""Tenancy: what a user may see. Every page and endpoint scopes its queries through these."""

from __future__ import annotations

from django.db.models import QuerySet

from adcreator.catalog.models import Brand, Organization, Product


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


def require_editor(*, user, organization_id: int) -> None:
    """Viewers may look, not act: submitting jobs, overriding reviews and retrying need the
    editor or owner role in the organization. `None` is the system (CLI, schedules, tests)."""
    from django.core.exceptions import PermissionDenied

    if user is None or getattr(user, "is_superuser", False):
        return
    if not user.memberships.filter(organization_id=organization_id, role__in=EDITOR_ROLES).exists():
        raise PermissionDenied("Your role in this organization can view ads but not change them.")
