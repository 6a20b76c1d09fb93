"""The results dashboard: overrides, bulk actions, filters, summary, retry, query count."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from generation.models import AdRun, GeneratedAd
from review.models import AdReviewOverride
from tests.web import make_ad, make_run, scores

pytestmark = pytest.mark.django_db


def card_ids(html: str) -> list[int]:
    return [int(v) for v in re.findall(r'data-ad-id="(\d+)"', html)]


def test_htmx_override_returns_the_updated_card(client_in, cat):
    ad = make_ad(make_run(cat), template=cat.templates[0], status="rejected")
    response = client_in.post(reverse("ad-override", args=[ad.pk]), {"action": "override_approve"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    ad.refresh_from_db()
    assert ad.status == "approved" and ad.ai_status == "rejected"
    assert html.lstrip().startswith("<article") and ">Approved<" in html and "Human decision" in html


def test_plain_override_redirects_back(client_in, cat):
    ad = make_ad(make_run(cat), template=cat.templates[0], status="approved")
    response = client_in.post(reverse("ad-override", args=[ad.pk]), {"action": "override_reject", "next": "/results/?sort=oldest"})
    assert response.status_code == 302 and response["Location"] == "/results/?sort=oldest"
    ad.refresh_from_db()
    assert ad.status == "rejected"


def test_confirm_resolves_a_flag_and_unreviewed_ads_refuse_overrides(client_in, cat):
    ad_run = make_run(cat)
    flagged = make_ad(ad_run, template=cat.templates[0], status="flagged")
    client_in.post(reverse("ad-override", args=[flagged.pk]), {"action": "confirm"}, HTTP_HX_REQUEST="true")
    flagged.refresh_from_db()
    # Confirming a flag keeps the borderline ad: no longer flagged, approved, the AI's flag kept on record.
    assert flagged.status == "approved" and flagged.ai_status == "flagged"
    assert AdReviewOverride.objects.filter(ad=flagged, action="confirm", resulting_status="approved").exists()
    unreviewed = make_ad(ad_run, template=cat.templates[0], prompt_index=2, status="generated", ai_status="")
    response = client_in.post(reverse("ad-override", args=[unreviewed.pk]), {"action": "override_approve"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "not been reviewed" in response.content.decode()


def test_bulk_approve_and_reject(client_in, cat):
    ad_run = make_run(cat)
    ads = [make_ad(ad_run, template=cat.templates[0], prompt_index=i, status="rejected") for i in (1, 2, 3)]
    client_in.post(reverse("ads-bulk"), {"action": "override_approve", "ad_ids": [a.pk for a in ads[:2]]})
    assert [GeneratedAd.objects.get(pk=a.pk).status for a in ads] == ["approved", "approved", "rejected"]
    client_in.post(reverse("ads-bulk"), {"action": "override_reject", "ad_ids": [a.pk for a in ads]})
    assert {GeneratedAd.objects.get(pk=a.pk).status for a in ads} == {"rejected"}


def test_summary_counts_and_override_rate(client_in, cat, member):
    from review.services import review_override_create

    ad_run = make_run(cat)
    statuses = ["approved", "approved", "rejected", "flagged", "review_failed", "approved"]
    ads = [make_ad(ad_run, template=cat.templates[0], prompt_index=i + 1, status=s) for i, s in enumerate(statuses)]
    review_override_create(ad=ads[0], user=member, action="override_reject")  # disagrees
    review_override_create(ad=ads[1], user=member, action="confirm")  # agrees
    html = client_in.get(reverse("results"), {"status": ["approved"]}).content.decode()
    stat = lambda name: re.search(rf'data-testid="stat-{name}">([^<]+)<', html).group(1)  # noqa: E731
    assert (stat("total"), stat("approved"), stat("rejected"), stat("flagged"), stat("review-failed")) == ("6", "2", "2", "1", "1")
    assert stat("override-rate") == "50%" and "(1 of 2 human decisions)" in html
    assert len(card_ids(html)) == 2  # the status filter narrows the cards, not the bar


def test_status_date_run_filters_and_sort(client_in, cat):
    old_run, new_run = make_run(cat), make_run(cat)
    now = timezone.now()
    old = make_ad(old_run, template=cat.templates[0], status="approved", created_at=now - timedelta(days=10))
    mid = make_ad(new_run, template=cat.templates[2], status="rejected", created_at=now - timedelta(days=2))
    new = make_ad(new_run, template=cat.templates[1], prompt_index=2, status="flagged", created_at=now)
    get = lambda **q: card_ids(client_in.get(reverse("results"), q).content.decode())  # noqa: E731
    assert get() == [new.pk, mid.pk, old.pk]
    assert get(sort="oldest") == [old.pk, mid.pk, new.pk]
    assert sorted(get(status=["rejected", "flagged"])) == sorted([mid.pk, new.pk])
    assert get(run=old_run.pk) == [old.pk]
    assert get(date_from=(now - timedelta(days=3)).date().isoformat(),
               date_to=(now - timedelta(days=1)).date().isoformat()) == [mid.pk]


def test_grouping_by_template_and_pagination(client_in, cat):
    ad_run = make_run(cat)
    for i in range(30):
        make_ad(ad_run, template=cat.templates[i % 2], prompt_index=i + 1, status="approved")
    html = client_in.get(reverse("results")).content.decode()
    assert "Page 1 of 2" in html and html.count('data-testid="group"') == 2 and len(card_ids(html)) == 24
    page2 = client_in.get(reverse("results"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in page2 and len(card_ids(page2)) == 6
    assert set(card_ids(html)).isdisjoint(card_ids(page2))


def test_score_colours_defect_badge_and_congruence_bands(client_in, cat):
    ad = make_ad(make_run(cat), template=cat.templates[0], status="rejected", defect_passed=False, congruence=0.35,
                 check_scores=scores(8.0, V2=6.0, V3=4.9, C1=None, G2=7.0))
    html = client_in.get(reverse("results")).content.decode()
    band = lambda check: re.search(rf'data-check="{check}" data-band="(\w+)"', html).group(1)  # noqa: E731
    assert (band("V1"), band("V2"), band("V3"), band("C1"), band("G2")) == ("green", "yellow", "red", "grey", "green")
    assert "Defect scan FAILED" in html and 'data-band="red"' in re.search(r'data-testid="congruence"[^>]*>', html).group(0)
    assert ad.pk in card_ids(html)


def test_retry_rejected_requeues_the_run(client_in, cat, django_capture_on_commit_callbacks):
    ad_run = make_run(cat)
    make_ad(ad_run, template=cat.templates[0], status="rejected")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_in.post(reverse("run-retry-rejected", args=[ad_run.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("job-detail", args=[ad_run.job_run.job_id])
    assert len(callbacks) == 1
    ad_run.refresh_from_db()
    assert ad_run.job_run.status == "pending" and ad_run.generation_config["retry_rejected_max"] == 1


def test_retry_without_rejected_ads_says_why(client_in, cat):
    ad_run = make_run(cat)
    make_ad(ad_run, template=cat.templates[0], status="approved")
    response = client_in.post(reverse("run-retry-rejected", args=[ad_run.pk]), follow=True)
    assert "no rejected ads" in response.content.decode()


def _results_queries(client, count: int, cat, member) -> int:
    from review.services import review_override_create
    from tests.support.reviews import ChosenJudge, review_with

    AdRun.objects.all().delete()
    ad_run = make_run(cat)
    for i in range(count):
        ad = make_ad(ad_run, template=cat.templates[i % 3], prompt_index=i + 1, status=["approved", "rejected"][i % 2],
                     image=False)
        if i % 2:  # rejected with stored reasons and regions, as the pipeline stores them
            review_with(ad, ChosenJudge(checks={"V1": (1.0, "product missing", (0.1, 0.1, 0.5, 0.5))}))
        if i % 3 == 0:
            review_override_create(ad=ad, user=member, action="confirm")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("results"), {"run": ad_run.pk})
    assert response.status_code == 200
    return len(captured)


def test_results_query_count_does_not_grow_with_ads(client_in, cat, member):
    few = _results_queries(client_in, 5, cat, member)
    many = _results_queries(client_in, 40, cat, member)
    assert few == many, (few, many)
    # 15 before reasons; +1 for the findings of the whole page (one prefetch), +1 the active config's floors.
    assert many <= 17
