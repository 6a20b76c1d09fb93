"""The database itself refuses what the model layer would also refuse (spec P0-2)."""

import pytest
from django.db import IntegrityError, transaction

from generation.models import AdRun, GeneratedAd


@pytest.fixture
def ad_run(product):
    return AdRun.objects.create(organization=product.brand.organization, brand=product.brand, product=product)


def ad(ad_run, **over):
    fields = {"ad_run": ad_run, "prompt_index": 1, "canvas_size": "1080x1350", "color_mode": "brand"} | over
    return GeneratedAd(**fields)


@pytest.mark.django_db
def test_a_second_ad_with_the_same_run_index_and_size_is_refused(ad_run):
    ad(ad_run).save()
    ad(ad_run, canvas_size="1080x1080").save()  # another size of the same brief is its own row
    with pytest.raises(IntegrityError), transaction.atomic():
        ad(ad_run, color_mode="original").save()
    # bulk_create bypasses model validation entirely: the constraint still holds.
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedAd.objects.bulk_create([ad(ad_run)])
    assert GeneratedAd.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("field,value", [("prompt_index", 0), ("prompt_index", 101), ("canvas_size", "1000x1000"),
                                         ("color_mode", "sepia"), ("status", "published")])
def test_out_of_range_values_are_refused_by_the_database(ad_run, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedAd.objects.bulk_create([ad(ad_run, **{field: value})])
