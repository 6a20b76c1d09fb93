"""Issue 11: `times_used` of a shared library template counts the viewer's organization only."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from templates import selectors, services
from templates.models import ScrapedTemplate
from tests.support.catalog import build_catalog


@pytest.fixture
def tenants(org, make_org, make_member):
    """acme and globex share the library; globex used its first template three times, acme once."""
    acme = build_catalog(org, templates=2)
    globex = build_catalog(make_org("globex"), slug="globex", templates=0)
    library = acme.templates  # made with no organization: the shared library
    assert all(t.organization_id is None for t in library)
    for _ in range(3):
        services.template_usage_record(product_id=globex.product.pk, template_ids=[library[0].pk])
    services.template_usage_record(product_id=acme.product.pk, template_ids=[library[0].pk, library[1].pk])
    return acme, globex, library, make_member(acme.org, "alice"), make_member(globex.org, "gina")


def counts(rows) -> dict[int, int]:
    return {row["id"]: row["times_used"] for row in rows}


@pytest.mark.django_db
def test_the_candidate_query_counts_the_organizations_own_usage(tenants):
    acme, globex, library, *_ = tenants
    for_acme = selectors.template_candidates(product_id=acme.product.pk, organization_id=acme.org.pk)
    for_globex = selectors.template_candidates(product_id=globex.product.pk, organization_id=globex.org.pk)
    assert counts(for_acme) == {library[0].pk: 1, library[1].pk: 1}
    assert counts(for_globex) == {library[0].pk: 3, library[1].pk: 0}


@pytest.mark.django_db
def test_the_api_shows_each_tenant_its_own_count(tenants):
    *_, library, alice, gina = tenants
    seen = {}
    for user in (alice, gina):
        client = APIClient()
        client.force_authenticate(user)
        seen[user.username] = {t["id"]: t["times_used"] for t in client.get("/api/v1/templates/").json()["results"]}
    assert seen == {"alice": {library[0].pk: 1, library[1].pk: 1}, "gina": {library[0].pk: 3, library[1].pk: 0}}


@pytest.mark.django_db
def test_no_global_counter_is_left_to_leak():
    assert "times_used" not in {f.name for f in ScrapedTemplate._meta.get_fields()}


@pytest.mark.django_db
def test_staff_see_every_organizations_usage_in_the_admin(tenants, client):
    *_, library, _, _ = tenants
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.test", "pw"))
    listing = client.get("/admin/templates/scrapedtemplate/").content.decode()
    assert "Times used (all organizations)" in listing
    detail = client.get(f"/admin/templates/scrapedtemplate/{library[0].pk}/change/").content.decode()
    assert "Globex (3)" in detail and "Acme (1)" in detail
