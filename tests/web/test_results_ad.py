"""Results (issue 17 item 8): the full-size view, a brief's sizes side by side, the approved-only
download, and a headline edit that regenerates one ad as a normal job with its lineage."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from adcreator.jobs.services import job_run_execute
from experiments.models_evolution import AdLineage, Evolution
from experiments.services import evolution_record_lineage
from generation.models import GeneratedAd
from tests.support.reviews import ChosenJudge, review_with
from tests.web import make_ad, make_run

pytestmark = pytest.mark.django_db


def test_the_full_size_page_shows_the_original_the_findings_and_every_size_of_the_brief(client_in, cat):
    ad_run = make_run(cat)
    square = make_ad(ad_run, template=cat.templates[0], canvas_size="1080x1080")
    story = make_ad(ad_run, template=cat.templates[0], canvas_size="1080x1920")
    review_with(square, ChosenJudge(checks={"V2": (2.0, "the headline is cut at the right edge", (0.5, 0.1, 1.0, 0.2))}))
    html = client_in.get(reverse("ad-page", args=[square.pk])).content.decode()
    assert f'src="{reverse("ad-original", args=[square.pk])}"' in html
    assert 'data-testid="findings"' in html and "the headline is cut at the right edge" in html
    assert html.count('data-testid="sibling"') == 2 and f'data-ad-id-link="{story.pk}"' in html
    original = client_in.get(reverse("ad-original", args=[square.pk]))
    assert original.status_code == 200 and original["Content-Type"] == "image/png"
    assert "attachment" not in original.get("Content-Disposition", "")  # shown, not downloaded


def test_the_full_size_page_and_original_are_tenant_scoped(cat, make_org, make_member):
    ad = make_ad(make_run(cat), template=cat.templates[0])
    outsider = Client()
    outsider.force_login(make_member(make_org("globex"), "mallory"))
    assert outsider.get(reverse("ad-page", args=[ad.pk])).status_code == 404
    assert outsider.get(reverse("ad-original", args=[ad.pk])).status_code == 404


def test_results_show_the_sizes_of_one_brief_side_by_side(client_in, cat):
    ad_run = make_run(cat)
    for index in (1, 2):
        for size in ("1080x1080", "1080x1350", "1080x1920"):
            make_ad(ad_run, template=cat.templates[0], prompt_index=index, canvas_size=size)
    html = client_in.get(reverse("results"), {"run": ad_run.pk}).content.decode()
    briefs = html.split('data-testid="brief"')[1:]
    assert len(briefs) == 2
    assert all(brief.count('data-testid="ad-card"') == 3 for brief in briefs)


def test_the_approved_only_download_holds_only_the_approved_ads(client_in, cat):
    ad_run = make_run(cat)
    approved = [make_ad(ad_run, template=cat.templates[0], prompt_index=i, status="approved") for i in (1, 2)]
    make_ad(ad_run, template=cat.templates[0], prompt_index=3, status="rejected")
    overridden = make_ad(ad_run, template=cat.templates[0], prompt_index=4, status="approved", ai_status="rejected")
    make_ad(ad_run, template=cat.templates[0], prompt_index=5, status="flagged")
    response = client_in.get(reverse("run-download", args=[ad_run.pk]), {"approved": "1"})
    assert response.status_code == 200 and "approved.zip" in response["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(int(n[:3]) for n in names) == sorted(a.prompt_index for a in [*approved, overridden])
    assert all(n.endswith("-approved.png") for n in names)
    everything = zipfile.ZipFile(io.BytesIO(client_in.get(reverse("run-download", args=[ad_run.pk])).content)).namelist()
    assert len(everything) == 5


def test_edit_headline_regenerates_one_ad_as_a_job_whose_ad_shows_its_parent(client_in, cat):
    parent = make_ad(make_run(cat), template=cat.templates[0], canvas_size="1080x1350", color_mode="brand",
                     status="rejected")
    response = client_in.post(reverse("ad-edit-headline", args=[parent.pk]), {"headline": "  Wake up to calmer skin "})
    evolution = Evolution.objects.get(parent_ad=parent)
    assert response.status_code == 302 and response["Location"] == reverse("job-detail", args=[evolution.job_id])
    assert (evolution.mode, evolution.variable, evolution.to_value, evolution.round) == ("edit", "headline",
                                                                                         "Wake up to calmer skin", 1)
    assert evolution.job.parameters["headline"] == "Wake up to calmer skin"
    run = job_run_execute(run_id=evolution.job.runs.get().pk)
    child = GeneratedAd.objects.get(ad_run__job_run=run)
    assert child.headline == "Wake up to calmer skin"
    assert (child.canvas_size, child.color_mode, child.template_id) == ("1080x1350", "brand", parent.template_id)
    assert child.ai_status  # reviewed like any other ad
    html = client_in.get(reverse("results"), {"run": child.ad_run_id}).content.decode()
    assert f'Made from <a href="{reverse("ad-page", args=[parent.pk])}">ad #{parent.pk}</a> (headline edited)' in html
    evolution_record_lineage()
    assert AdLineage.objects.get(child_ad=child).parent_ad_id == parent.pk


@pytest.mark.parametrize("headline,message", [("   ", "Write the new headline"),
                                              ("Smoother skin by morning", "headline already")])
def test_an_edit_that_changes_nothing_is_refused_with_the_reason(client_in, cat, headline, message):
    ad = make_ad(make_run(cat), template=cat.templates[0])
    response = client_in.post(reverse("ad-edit-headline", args=[ad.pk]), {"headline": headline}, follow=True)
    assert message in response.content.decode() and not Evolution.objects.exists()


def test_a_viewer_cannot_regenerate(cat, make_member):
    ad = make_ad(make_run(cat), template=cat.templates[0])
    viewer = Client()
    viewer.force_login(make_member(cat.org, "vera", role="viewer"))
    assert 'data-testid="edit-headline"' not in viewer.get(reverse("ad-page", args=[ad.pk])).content.decode()
    response = viewer.post(reverse("ad-edit-headline", args=[ad.pk]), {"headline": "A new line"}, follow=True)
    assert "can view ads but not change them" in response.content.decode() and not Evolution.objects.exists()
