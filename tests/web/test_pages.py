"""Every client page: renders for a member, sends anonymous users to log in, hides other tenants."""

import pytest
from django.urls import reverse

from adcreator.jobs.models import RunStatus
from tests.support.catalog import build_catalog
from tests.web import make_ad, make_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(make_org, make_member):
    """Another organization with its own run, ad and private template."""
    from django.core.files.base import ContentFile

    from templates.models import ScrapedTemplate
    from tests.web import small_png

    other = make_org("globex")
    other_cat = build_catalog(other, slug="globex", templates=1)
    private = ScrapedTemplate(organization=other, name="Globex private", category="offer")
    private.image.save("private.png", ContentFile(small_png()), save=True)
    ad_run = make_run(other_cat)
    ad = make_ad(ad_run, template=other_cat.templates[0])
    return {"cat": other_cat, "run": ad_run, "ad": ad, "template": private, "job": ad_run.job_run.job}


def test_home_redirects_anonymous_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["create", "results"])
def test_pages_redirect_anonymous_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_home_links_to_create_and_results(client_in, cat):
    html = client_in.get("/").content.decode()
    assert 'href="/create/"' in html and 'href="/results/"' in html


def test_create_page_renders_scoped_pickers_and_friendly_labels(client_in, cat, foreign):
    response = client_in.get(reverse("create"))
    html = response.content.decode()
    assert response.status_code == 200
    assert cat.brand.name in html and foreign["cat"].brand.name not in html
    assert "1:1 (1080×1080) — Feed posts" in html and 'value="9:16"' in html
    assert 'value="complementary"' in html and "Brand — your brand colours" in html
    assert cat.templates[0].name in html and "Globex private" not in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_every_form_control_on_create_page_is_labelled(client_in, cat):
    import re

    html = client_in.get(reverse("create")).content.decode()
    for match in re.finditer(r"<(select|input)\b([^>]*)>", html):
        attrs = match.group(2)
        if 'type="hidden"' in attrs or 'type="submit"' in attrs:
            continue
        control_id = re.search(r'\bid="([^"]+)"', attrs)
        labelled_by_for = control_id and f'for="{control_id.group(1)}"' in html
        # Checkboxes and radios sit inside their <label>.
        wrapped = re.search(r"<label[^>]*>\s*<input" + re.escape(attrs[:40]), html) or (
            'type="checkbox"' in attrs or 'type="radio"' in attrs)
        assert labelled_by_for or wrapped, f"unlabelled control: {match.group(0)[:120]}"


def test_job_page_renders_and_polls_until_finished(client_in, cat):
    ad_run = make_run(cat, status=RunStatus.RUNNING, metadata={"stage": "generate_ads", "ads_total": 8, "ads_attempted": 3,
                                                                "current_template": "acme template 1", "current_size": "1080x1080",
                                                                "current_color": "brand"})
    job = ad_run.job_run.job
    html = client_in.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and "Generating ads" in html and "acme template 1" in html
    ad_run.job_run.status = RunStatus.COMPLETED
    ad_run.job_run.save()
    fragment = client_in.get(reverse("job-progress", args=[job.pk])).content.decode()
    assert "every 1s" not in fragment and f"?run={ad_run.pk}" in fragment


def test_failed_run_shows_its_error(client_in, cat):
    ad_run = make_run(cat, status=RunStatus.FAILED, metadata={"stage": "initialize", "error": "no_eligible_templates",
                                                               "reason": "No templates passed asset gate"})
    html = client_in.get(reverse("job-detail", args=[ad_run.job_run.job_id])).content.decode()
    assert "This run failed." in html and "No templates passed asset gate" in html


def test_results_page_renders_cards(client_in, cat):
    ad_run = make_run(cat)
    make_ad(ad_run, template=cat.templates[0], status="approved")
    make_ad(ad_run, template=cat.templates[0], prompt_index=2, status="rejected", defect_passed=False, check_scores={})
    html = client_in.get(reverse("results")).content.decode()
    assert html.count('data-testid="ad-card"') == 2
    assert "Defect scan PASSED" in html and "Defect scan FAILED" in html


@pytest.mark.parametrize("url_name,key", [
    ("job-detail", "job"), ("job-progress", "job"), ("ad-image", "ad"), ("ad-download", "ad"), ("run-download", "run"),
    ("template-image", "template"),
])
def test_other_tenants_objects_are_404(client_in, cat, foreign, url_name, key):
    obj = foreign[key]
    assert client_in.get(reverse(url_name, args=[obj.pk])).status_code == 404


@pytest.mark.parametrize("url_name,key,data", [
    ("ad-override", "ad", {"action": "override_reject"}),
    ("run-retry-rejected", "run", {}),
])
def test_other_tenants_posts_are_404(client_in, cat, foreign, url_name, key, data):
    assert client_in.post(reverse(url_name, args=[foreign[key].pk]), data).status_code == 404
    foreign["ad"].refresh_from_db()
    assert foreign["ad"].status == "approved"


def test_bulk_post_ignores_other_tenants_ads(client_in, cat, foreign):
    client_in.post(reverse("ads-bulk"), {"action": "override_reject", "ad_ids": [foreign["ad"].pk]})
    foreign["ad"].refresh_from_db()
    assert foreign["ad"].status == "approved"


def test_results_never_show_other_tenants_ads_even_with_their_run_id(client_in, cat, foreign):
    html = client_in.get(reverse("results"), {"run": foreign["run"].pk}).content.decode()
    assert f'data-ad-id="{foreign["ad"].pk}"' not in html


def test_own_downloads_work(client_in, cat):
    import zipfile
    from io import BytesIO

    ad_run = make_run(cat)
    ad = make_ad(ad_run, template=cat.templates[0])
    png = client_in.get(reverse("ad-download", args=[ad.pk]))
    assert png.status_code == 200 and b"".join(png.streaming_content).startswith(b"\x89PNG")
    archive = client_in.get(reverse("run-download", args=[ad_run.pk]))
    assert archive.status_code == 200 and len(zipfile.ZipFile(BytesIO(archive.content)).namelist()) == 1
    thumb = client_in.get(reverse("ad-image", args=[ad.pk]))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"


def test_csrf_is_enforced_on_posts(member, cat):
    from django.test import Client

    ad_run = make_run(cat)
    ad = make_ad(ad_run, template=cat.templates[0], status="rejected")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    for url, data in ((reverse("ad-override", args=[ad.pk]), {"action": "override_approve"}),
                      (reverse("ads-bulk"), {"action": "override_approve", "ad_ids": [ad.pk]}),
                      (reverse("run-retry-rejected", args=[ad_run.pk]), {}),
                      (reverse("create"), {"brand_id": cat.brand.pk}),
                      (reverse("create-estimate"), {"brand_id": cat.brand.pk}),
                      (reverse("create-draw"), {"brand_id": cat.brand.pk})):
        assert strict.post(url, data).status_code == 403, url
    ad.refresh_from_db()
    assert ad.status == "rejected"
