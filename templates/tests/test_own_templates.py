"""Own templates on the page (issue 17 item 2): uploaded, queued for detection, first in the
manual grid of its organization, invisible to every other."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from adcreator.jobs.models import Job
from tests.support.catalog import build_catalog, png_bytes, template_image
from templates.models import ScrapedTemplate
from templates.selectors import GridFilters, template_grid_page

pytestmark = pytest.mark.django_db


def _post(client, **overrides):
    data = {"name": "Split layout", "category": "offer", "industry": "beauty / skincare", "awareness_level": "2",
            "image": SimpleUploadedFile("t.png", png_bytes(template_image(400, 500)))}
    data.update(overrides)
    return client.post(reverse("own-templates"), data)


def test_an_editor_uploads_a_template_that_is_queued_for_detection_and_first_in_the_grid(client, org, make_member,
                                                                                       make_org):
    cat = build_catalog(org, templates=3)
    other = build_catalog(make_org("globex"), slug="globex", templates=1)
    client.force_login(make_member(org, "eddie"))
    assert _post(client).status_code == 302
    template = ScrapedTemplate.objects.get(source="uploaded")
    assert template.organization_id == org.pk and not template.has_detection
    assert Job.objects.get(job_type="template_element_detection").parameters["template_ids"] == [template.pk]
    page = client.get(reverse("own-templates")).content.decode()
    assert "Split layout" in page and "Analysis queued" in page
    grid = template_grid_page(organization_id=org.pk, filters=GridFilters())
    assert grid.templates[0].pk == template.pk and len(grid.templates) == 1 + len(cat.templates) + 1
    assert template.pk not in {t.pk for t in template_grid_page(organization_id=other.org.pk,
                                                                filters=GridFilters()).templates}


def test_bad_files_come_back_on_the_image_field(client, org, make_member):
    client.force_login(make_member(org, "eddie"))
    response = _post(client, image=SimpleUploadedFile("t.png", b"GIF89a not really"))
    assert response.status_code == 400 and 'data-testid="error-image"' in response.content.decode()
    assert not ScrapedTemplate.objects.exists() and not Job.objects.exists()


def test_a_viewer_sees_the_uploads_but_no_form_and_cannot_post(client, org, make_member):
    client.force_login(make_member(org, "vera", role="viewer"))
    page = client.get(reverse("own-templates")).content.decode()
    assert "Upload a template" not in page
    assert _post(client).status_code == 403
    assert not ScrapedTemplate.objects.exists()
