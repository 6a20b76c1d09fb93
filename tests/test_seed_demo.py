"""seed_demo is idempotent and gives the quickstart a complete catalog."""

import pytest
from django.apps import apps
from django.core.management import call_command

COUNTED = ["catalog.Organization", "catalog.Membership", "catalog.Brand", "catalog.Product", "catalog.ProductImage",
           "catalog.BrandAsset", "catalog.Persona", "catalog.BeliefAngle", "catalog.OfferVariant",
           "catalog.LandingPage", "catalog.Hook", "templates.ScrapedTemplate", "templates.TemplateEvaluation",
           "auth.User"]


def counts():
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


@pytest.mark.django_db
def test_seed_demo_twice_leaves_the_same_row_counts():
    call_command("seed_demo", verbosity=0)
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first
    from templates.models import ScrapedTemplate

    assert first["catalog.Product"] >= 2 and first["templates.ScrapedTemplate"] >= 12
    assert ScrapedTemplate.objects.values("category").distinct().count() >= 3
    assert ScrapedTemplate.objects.values("awareness_level").distinct().count() >= 3
    assert ScrapedTemplate.objects.filter(element_detection_version__isnull=False).count() >= 12
    assert apps.get_model("catalog.Hook").objects.values("hook_type").distinct().count() >= 3
    user = apps.get_model("auth.User").objects.get(username="admin")
    assert user.is_staff and user.check_password("admin")
    assert apps.get_model("auth.User").objects.get(username="demo").check_password("demo")
