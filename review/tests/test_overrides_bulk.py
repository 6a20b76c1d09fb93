"""Issue 11: a bulk override is all or nothing, at the service and at the page that calls it."""

import pytest
from django.core.exceptions import PermissionDenied

from generation.models import AdRun, GeneratedAd
from review import services
from review.models import AdReviewOverride
from tests.support.catalog import build_catalog


@pytest.fixture
def two_tenants(org, make_org, make_member):
    """Eddie edits in acme and only views in globex; two approved ads in acme, one in globex."""
    other = make_org("globex")
    eddie = make_member(org, "eddie", role="editor")
    from adcreator.catalog.models import Membership

    Membership.objects.create(user=eddie, organization=other, role="viewer")
    ads = []
    for organization, count in ((org, 2), (other, 1)):
        cat = build_catalog(organization, templates=0, slug=organization.slug)
        run = AdRun.objects.create(organization=organization, brand=cat.brand, product=cat.product)
        ads += [GeneratedAd.objects.create(ad_run=run, prompt_index=i, canvas_size="1080x1080", color_mode="original",
                                           status="approved", ai_status="approved") for i in range(1, count + 1)]
    return eddie, ads


def statuses(ads) -> list[str]:
    return [GeneratedAd.objects.get(pk=ad.pk).status for ad in ads]


@pytest.mark.django_db
def test_one_forbidden_ad_refuses_the_whole_bulk_and_changes_nothing(two_tenants):
    eddie, ads = two_tenants
    with pytest.raises(PermissionDenied):
        services.review_override_bulk(ads=ads, user=eddie, action="override_reject")
    assert statuses(ads) == ["approved", "approved", "approved"]
    assert not AdReviewOverride.objects.exists()


@pytest.mark.django_db
def test_the_allowed_bulk_decides_every_ad(two_tenants):
    eddie, ads = two_tenants
    assert services.review_override_bulk(ads=ads[:2], user=eddie, action="override_reject") == 2
    assert statuses(ads) == ["rejected", "rejected", "approved"]


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_every_decision_back(two_tenants, monkeypatch):
    eddie, ads = two_tenants
    real_create = AdReviewOverride.objects.create
    calls = []

    def create_then_fail(**fields):
        calls.append(fields["ad"].pk)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_create(**fields)

    monkeypatch.setattr(AdReviewOverride.objects, "create", create_then_fail)
    with pytest.raises(RuntimeError):
        services.review_override_bulk(ads=ads[:2], user=eddie, action="override_reject")
    assert statuses(ads[:2]) == ["approved", "approved"] and not AdReviewOverride.objects.exists()


@pytest.mark.django_db
def test_the_bulk_page_refuses_and_leaves_both_tenants_untouched(two_tenants, client):
    eddie, ads = two_tenants
    client.force_login(eddie)
    response = client.post("/results/bulk/", {"action": "override_reject", "ad_ids": [ad.pk for ad in ads]})
    assert response.status_code == 403
    assert statuses(ads) == ["approved", "approved", "approved"]
