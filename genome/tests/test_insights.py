"""The genome's doors (issue 14): the element-scores and alerts API, the reward in an ad's
performance, the Insights and monitoring pages, and genome_validation's alerts with their
persistence windows (open, one per metric and brand, resolved on recovery)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from genome.models import SystemAlert
from genome.services.update import genome_update_organization
from genome.services.validation import genome_validate_brand
from tests.api.conftest import token_client
from tests.support.catalog import build_catalog
from tests.web import make_ad, make_run


@pytest.fixture
def cat(org):
    return build_catalog(org, templates=2)


def reviewed(ad_run, index, *, status, hook_type="offer", days_ago=0):
    ad = make_ad(ad_run, prompt_index=index, status=status, image=False)
    ad.element_tags = {"hook_type": hook_type, "color_mode": "brand", "canvas_size": "1080x1080"}
    ad.reviewed_at = timezone.now() - timedelta(days=days_ago)
    ad.save()
    return ad


@pytest.mark.django_db
def test_element_scores_api_is_the_documented_list_and_tenant_scoped(cat, make_member, make_org):
    ad_run = make_run(cat)
    ads = [reviewed(ad_run, i, status="approved", hook_type="social_proof") for i in range(1, 4)]
    genome_update_organization(organization_id=cat.org.pk)
    api = token_client(make_member(cat.org, "alice"))
    page = api.get(f"/api/v1/genome/element-scores/?brand={cat.brand.pk}&dimension=hook_type").json()
    assert page["count"] == 1 and page["next"] is None
    body = page["results"]
    assert body == [{"dimension": "hook_type", "value": "social_proof", "alpha": 2.5, "beta": 1.0,
                     "mean": pytest.approx(2.5 / 3.5), "ci_low": pytest.approx(body[0]["ci_low"]),
                     "ci_high": pytest.approx(body[0]["ci_high"]), "matured_ads": 3, "cold_start_level": 1,
                     "label": "correlational"}]
    assert body[0]["ci_low"] < body[0]["mean"] < body[0]["ci_high"]
    assert api.get(f"/api/v1/genome/element-scores/?brand={cat.brand.pk}&dimension=shoe_size").status_code == 400
    other = build_catalog(make_org("globex"), slug="globex")
    refused = api.get(f"/api/v1/genome/element-scores/?brand={other.brand.pk}")
    assert refused.status_code == 400 and "brand" in refused.json()["error"]["fields"]
    performance = api.get(f"/api/v1/ads/{ads[0].pk}/performance/").json()
    assert performance["reward"]["score"] == 1.0 and performance["reward"]["source"] == "ai_review"


@pytest.mark.django_db
def test_validation_opens_one_alert_per_metric_and_resolves_it(cat, make_member):
    ad_run = make_run(cat)
    index = 0
    for day in range(7):  # 7 days in a row approving 1 ad in 4: approval rate 0.25 < 0.40 for 3 days
        for status in ("approved", "rejected", "rejected", "rejected"):
            index += 1
            reviewed(ad_run, index, status=status, days_ago=day)
    first = genome_validate_brand(brand=cat.brand)
    assert first["metrics"]["approval_rate"] == 0.25
    alert = SystemAlert.objects.get(brand=cat.brand, metric="approval_rate", status="open")
    assert alert.level == "critical" and "for 3 days" in alert.threshold
    genome_validate_brand(brand=cat.brand)  # again: still one open alert, not two
    assert SystemAlert.objects.filter(brand=cat.brand, metric="approval_rate", status="open").count() == 1
    for _ in range(12):  # today recovers: 12 approvals of 15
        index += 1
        reviewed(ad_run, index, status="approved")
    genome_validate_brand(brand=cat.brand)
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.resolved_at is not None
    api = token_client(make_member(cat.org, "alice"))
    listed = api.get(f"/api/v1/alerts/?brand={cat.brand.pk}").json()["results"]
    assert [a["metric"] for a in listed] == ["approval_rate"] and listed[0]["status"] == "resolved"


@pytest.mark.django_db
def test_insights_and_monitoring_pages_show_scores_level_and_labels(client, cat, make_member):
    ad_run = make_run(cat)
    for i in range(1, 5):
        reviewed(ad_run, i, status="approved" if i % 2 else "rejected", hook_type="question" if i % 2 else "urgency")
    genome_update_organization(organization_id=cat.org.pk)
    genome_validate_brand(brand=cat.brand)
    client.force_login(make_member(cat.org, "alice"))
    html = client.get(reverse("brand-insights", args=[cat.brand.pk])).content.decode()
    assert 'data-testid="chart-hook_type"' in html and "<svg" in html and "credible interval" in html
    assert "Correlational" in html and 'data-testid="cold-start-level">1 of 3' in html
    assert "<script" not in html.split("<main", 1)[1]  # the chart is SVG, no script
    monitoring = client.get(reverse("monitoring")).content.decode()
    assert cat.brand.name in monitoring and "Open alerts" in monitoring
