"""The migration that removed ProductImage.quality's 0.5 default measures the rows that held it
(an unreadable photo gets 0: it cannot carry an ad)."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.support.catalog import bottle_photo, png_bytes


@pytest.mark.django_db(transaction=True)
def test_rows_with_the_old_default_are_measured_and_others_kept():
    executor = MigrationExecutor(connection)
    before, after = [("catalog", "0004_product_industry")], [("catalog", "0005_productimage_quality_measured")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    Organization, Brand, Product, ProductImage = (old_apps.get_model("catalog", name) for name in
                                                  ("Organization", "Brand", "Product", "ProductImage"))
    org = Organization.objects.create(name="Old", slug="old")
    product = Product.objects.create(brand=Brand.objects.create(organization=org, name="B", slug="b"), slug="p", name="P")
    defaulted = ProductImage(product=product)  # quality: the old default, 0.5
    defaulted.image.save("old.png", ContentFile(png_bytes(bottle_photo(1024))), save=True)
    typed = ProductImage(product=product, quality=0.42)
    typed.image.save("typed.png", ContentFile(png_bytes(bottle_photo(1024))), save=True)
    missing = ProductImage.objects.create(product=product, image="gone.png")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    rows = new_apps.get_model("catalog", "ProductImage").objects
    assert rows.get(pk=defaulted.pk).quality == 1.0
    assert rows.get(pk=typed.pk).quality == 0.42 and rows.get(pk=missing.pk).quality == 0.0
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
