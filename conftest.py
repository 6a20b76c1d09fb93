"""Shared fixtures: organizations, users and a brand with a product, for every app's tests."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def make_org(db):
    from adcreator.catalog.models import Organization

    def make(slug: str = "acme", name: str | None = None):
        return Organization.objects.create(slug=slug, name=name or slug.title())

    return make


@pytest.fixture
def org(make_org):
    return make_org("acme")


@pytest.fixture
def make_member(db):
    from django.contrib.auth import get_user_model

    from adcreator.catalog.models import Membership

    def make(organization, username: str = "alice", role: str = "editor"):
        user = get_user_model().objects.create_user(username=username, password="pw-" + username)
        Membership.objects.create(user=user, organization=organization, role=role)
        return user

    return make


@pytest.fixture
def brand(org):
    from adcreator.catalog.models import Brand

    return Brand.objects.create(organization=org, name="Acme Skin", slug="acme-skin", colors=["#1f4d3a", "#f4ede1"])


@pytest.fixture
def product(brand):
    from adcreator.catalog.models import Product

    return Product.objects.create(brand=brand, slug="serum", name="Night Serum", current_offer="20% off")


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path_factory):
    """Every test writes images under its own temporary MEDIA_ROOT, never into var/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    # No real waiting between provider retries in tests (the retry logic itself is tested).
    settings.ADCREATOR_RETRY_BASE_SECONDS = 0.0
    return settings.MEDIA_ROOT
