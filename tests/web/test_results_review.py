"""Review that explains (issues 16/17): the decisive reason and failed checks on the card, the
legend, only useful override buttons, the live summary after an override, bulk confirmation."""

import re

import pytest
from django.urls import reverse

from generation.models import GeneratedAd
from review.decision import useful_actions
from tests.support.reviews import ChosenJudge, review_with
from tests.web import make_ad, make_run

pytestmark = pytest.mark.django_db

V1_FLOOR = ChosenJudge(checks={"V1": (1.5, "no region carries the product's colour signature", (0.1, 0.2, 0.6, 0.9)),
                               "V3": (4.0, "the headline sits where the template has the product", None)})


def card_html(html: str, ad) -> str:
    start = html.index(f'data-ad-id="{ad.pk}"')
    return html[start:html.index("</article>", start)]


def test_a_rejected_ad_shows_its_decisive_reason_failed_checks_and_regions(client_in, cat):
    ad = review_with(make_ad(make_run(cat), template=cat.templates[0]), V1_FLOOR)
    assert ad.status == "rejected" and ad.review_score > 7  # a green average, rejected by the floor
    html = card_html(client_in.get(reverse("results")).content.decode(), ad)
    assert 'data-testid="decisive-reason" data-rule="floor"' in html
    assert "V1 Product accuracy" in html and "below its auto-reject floor of 3.0" in html
    assert "no region carries the product&#x27;s colour signature" in html
    assert "V3 Layout fidelity" in html and "the headline sits where the template has the product" in html
    assert re.search(r'<rect class="region decisive" x="10.0" y="20.0" width="50.0" height="70.0"', html)
    assert 'style="' not in html  # CSP: positioned by SVG attributes, no inline style


def test_an_approved_ad_shows_no_reason_block_and_old_ads_say_none_was_recorded(client_in, cat):
    ad_run = make_run(cat)
    approved = review_with(make_ad(ad_run, template=cat.templates[0]), ChosenJudge())
    old = make_ad(ad_run, template=cat.templates[0], prompt_index=2, status="rejected")
    html = client_in.get(reverse("results")).content.decode()
    assert 'data-testid="decisive-reason"' not in card_html(html, approved)
    assert "no reason stored" in card_html(html, old)


def test_the_legend_defines_every_check_and_defect(client_in, cat):
    make_ad(make_run(cat), template=cat.templates[0])
    html = client_in.get(reverse("results")).content.decode()
    legend = html[html.index('data-testid="check-legend"'):html.index("</details>")]
    for code in ("V1", "V9", "C2", "G1", "G2", "TEXT_GARBLED"):
        assert f'<dt data-code="{code}">' in legend
    assert "Product label accuracy" in legend and "V1 &lt; 3" in legend


@pytest.mark.parametrize("status,ai,human,offered", [
    ("approved", "approved", False, ["confirm", "override_reject"]),
    ("rejected", "rejected", False, ["confirm", "override_approve"]),
    ("flagged", "flagged", False, ["confirm", "override_reject"]),
    ("approved", "flagged", True, ["override_reject"]),
    ("approved", "rejected", True, ["override_reject"]),
    ("review_failed", "review_failed", False, ["override_approve", "override_reject"]),
    ("generated", "", False, []),
])
def test_only_buttons_that_change_something(status, ai, human, offered):
    assert useful_actions(status=status, ai_status=ai, human_decided=human) == offered


def test_the_card_offers_no_approve_on_an_approved_ad(client_in, cat):
    ad = make_ad(make_run(cat), template=cat.templates[0], status="approved")
    html = card_html(client_in.get(reverse("results")).content.decode(), ad)
    assert "Override Approve" not in html and "Override Reject" in html and ">Confirm<" in html


def test_an_override_answers_the_card_and_the_summary_out_of_band(client_in, cat):
    ad_run = make_run(cat)
    ads = [make_ad(ad_run, template=cat.templates[0], prompt_index=i, status="rejected") for i in (1, 2)]
    response = client_in.post(reverse("ad-override", args=[ads[0].pk]), {"action": "override_approve"},
                              HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver/results/?run={ad_run.pk}")
    html = response.content.decode()
    assert html.lstrip().startswith("<article")
    summary = html[html.index('id="results-summary"'):]
    assert 'hx-swap-oob="true"' in summary
    assert re.search(r'data-testid="stat-approved">1<', summary) and re.search(r'data-testid="stat-rejected">1<', summary)
    assert re.search(r'data-testid="stat-override-rate">100%<', summary)


def test_a_failed_review_cannot_be_confirmed(client_in, cat):
    ad = make_ad(make_run(cat), template=cat.templates[0], status="review_failed")
    response = client_in.post(reverse("ad-override", args=[ad.pk]), {"action": "confirm"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "no AI decision to confirm" in response.content.decode()


def test_a_bulk_action_over_three_changes_asks_first_and_changes_nothing_until_confirmed(client_in, cat):
    ad_run = make_run(cat)
    ads = [make_ad(ad_run, template=cat.templates[0], prompt_index=i, status="approved") for i in range(1, 6)]
    ids = [a.pk for a in ads]
    response = client_in.post(reverse("ads-bulk"), {"action": "override_reject", "ad_ids": ids, "next": "/results/"})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="bulk-confirm-count">5<' in html
    assert set(GeneratedAd.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"approved"}
    response = client_in.post(reverse("ads-bulk"), {"action": "override_reject", "ad_ids": ids, "confirm": "1"})
    assert response.status_code == 302
    assert set(GeneratedAd.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"rejected"}


def test_a_small_bulk_action_needs_no_confirmation_and_the_cancel_link_stays_on_site(client_in, cat):
    ad_run = make_run(cat)
    ads = [make_ad(ad_run, template=cat.templates[0], prompt_index=i, status="approved") for i in range(1, 8)]
    # Four of seven already rejected: rejecting all changes three, under the limit.
    GeneratedAd.objects.filter(pk__in=[a.pk for a in ads[:4]]).update(status="rejected")
    response = client_in.post(reverse("ads-bulk"), {"action": "override_reject", "ad_ids": [a.pk for a in ads]})
    assert response.status_code == 302
    approve = client_in.post(reverse("ads-bulk"), {"action": "override_approve", "ad_ids": [a.pk for a in ads],
                                                   "next": "https://evil.example/"})
    assert 'href="/results/"' in approve.content.decode()  # the cancel link never leaves the site
