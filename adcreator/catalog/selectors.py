"""Tenancy: what a user may see. Every page and endpoint scopes its queries through these."""

from __future__ import annotations

from django.db.models import QuerySet

from adcreator.catalog.models import Brand, Organization, Product


def organization_ids_for(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(user.memberships.values_list("organization_id", flat=True))


def organizations_for(user) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=organization_ids_for(user))


def brands_for(user) -> QuerySet[Brand]:
    return Brand.objects.filter(organization_id__in=organization_ids_for(user)).select_related("organization")


def products_for(user) -> QuerySet[Product]:
    return Product.objects.filter(brand__organization_id__in=organization_ids_for(user)).select_related("brand")
