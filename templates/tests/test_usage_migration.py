"""The migration to per-organization usage gives every existing usage row its product's organization."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The catalog stays at its latest state: the historical models must match its real tables.
CATALOG_NOW = ("catalog", "0003_brand_category")
BEFORE = [("templates", "0001_initial"), CATALOG_NOW]
AFTER = [("templates", "0002_times_used_per_organization"), CATALOG_NOW]


@pytest.mark.django_db(transaction=True)
def test_existing_usage_rows_are_backfilled_with_their_products_organization():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    organizations = [old.get_model("catalog", "Organization").objects.create(slug=s, name=s) for s in ("a", "b")]
    products = []
    for organization in organizations:
        brand = old.get_model("catalog", "Brand").objects.create(organization=organization, name="B", slug="b")
        products.append(old.get_model("catalog", "Product").objects.create(brand=brand, slug="p", name="P"))
    template = old.get_model("templates", "ScrapedTemplate").objects.create(name="T", category="offer", image="t.png",
                                                                            times_used=7)
    Usage = old.get_model("templates", "ProductTemplateUsage")
    for product in (products[0], products[0], products[1]):
        Usage.objects.create(product=product, template=template)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("templates", "ProductTemplateUsage").objects.values_list("product_id", "organization_id")
    assert sorted(rows) == sorted([(products[0].pk, organizations[0].pk)] * 2 + [(products[1].pk, organizations[1].pk)])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest, for the tests after this one
