"""Rough edges of issue 17 item 7 that a page shows: wording, errors naming the field, the favicon."""

import re
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from tests.support.catalog import build_catalog
from tests.web.test_create import base

pytestmark = pytest.mark.django_db


@pytest.fixture
def cat(org):
    return build_catalog(org, templates=4)


def test_one_ad_is_one_ad(client_in, cat):
    html = client_in.post(reverse("create-estimate"), base(cat, template_ids=[cat.templates[0].pk])).content.decode()
    assert "Generate 1 ad<" in html and "1 ads" not in html
    two = client_in.post(reverse("create-estimate"), base(cat, template_ids=[t.pk for t in cat.templates[:2]]))
    assert "Generate 2 ads<" in two.content.decode()


def test_too_many_briefs_names_the_fields_and_the_fix(client_in, cat):
    # 15 templates × 10 variations × 1 colour = 150 briefs, over the 100 a job makes.
    data = base(cat, mode="roll_the_dice", count=15, variations=10)
    for html in (client_in.post(reverse("create-estimate"), data).content.decode(),
                 client_in.post(reverse("create"), data).content.decode()):
        assert "root" not in html.lower() and "Value error" not in html and "__all__" not in html
        assert re.search(r"150 creative briefs \(templates × variations × colour modes\)", html)
        assert "Choose fewer templates, variations or colour modes" in html
        assert not re.search(r"\ball\s*:", html)


def test_ago_says_just_now_and_pluralizes():
    now = timezone.now()
    template = Template("{% load job_words %}{{ t|ago }}")

    def render(context):  # timesince keeps a number and its unit together with a no-break space
        return template.render(context).replace("\xa0", " ")

    assert render(Context({"t": now - timedelta(seconds=5)})) == "just now"
    assert render(Context({"t": now - timedelta(minutes=1, seconds=5)})) == "1 minute ago"
    assert render(Context({"t": now - timedelta(hours=3, minutes=5)})) == "3 hours ago"


def test_home_says_just_now_for_a_new_job(client_in, cat):
    from tests.web import make_run

    make_run(cat)
    html = client_in.get(reverse("home")).content.decode()
    assert "just now" in html and "0 minutes ago" not in html


def test_favicon_is_served_and_linked(client, client_in):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.ico"', client_in.get(reverse("home")).content.decode())


def test_the_create_estimate_says_local_providers_are_free(client_in, cat, settings):
    settings.ADCREATOR_IMAGE_PROVIDER = settings.ADCREATOR_REVIEW_PROVIDER = settings.ADCREATOR_TEXT_PROVIDER = "local"
    html = client_in.post(reverse("create-estimate"), base(cat, template_ids=[cat.templates[0].pk])).content.decode()
    assert "Local providers: free" in html and "estimated cost at list prices" in html
    settings.ADCREATOR_IMAGE_PROVIDER = "gemini"
    html = client_in.post(reverse("create-estimate"), base(cat, template_ids=[cat.templates[0].pk])).content.decode()
    assert "Local providers: free" not in html and "estimated cost at list prices" in html
