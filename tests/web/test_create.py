"""The create page: estimate tiers, the draw, submission and field errors."""

import re

import pytest
from django.urls import reverse

from adcreator.jobs.models import Job
from tests.support.catalog import build_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def cat(org):
    return build_catalog(org, templates=4)


@pytest.fixture
def client_in(client, org, make_member):
    client.force_login(make_member(org, "alice"))
    return client


def base(cat, **extra):
    data = {"brand_id": cat.brand.pk, "product_id": cat.product.pk, "mode": "manual", "count": 3, "category": "",
            "strictness": "default", "sizes": ["1:1"], "color_modes": ["original"], "content_source": "hooks",
            "variations": 1}
    data.update(extra)
    return data


def attempts_in(html: str) -> int:
    return int(re.search(r'data-testid="attempts">(\d+)<', html).group(1))


# (attempts, form data beyond the base, expected tier). Ids need not exist for an estimate.
TIER_CASES = [
    (10, {"mode": "roll_the_dice", "count": 10}, "small"),
    (11, {"mode": "roll_the_dice", "count": 11}, "estimate"),
    (30, {"mode": "roll_the_dice", "count": 15, "sizes": ["1:1", "4:5"]}, "estimate"),
    (31, {"template_ids": list(range(1, 32))}, "confirm"),
    (50, {"mode": "roll_the_dice", "count": 10, "variations": 5}, "confirm"),
    (51, {"mode": "roll_the_dice", "count": 17, "sizes": ["1:1", "4:5", "9:16"]}, "over_cap"),
]


@pytest.mark.parametrize("attempts,extra,tier", TIER_CASES)
def test_estimate_fragment_tiers(client_in, cat, attempts, extra, tier):
    html = client_in.post(reverse("create-estimate"), base(cat, **extra)).content.decode()
    assert attempts_in(html) == attempts
    assert f'data-tier="{tier}"' in html
    submit = re.search(r'<button type="submit"[^>]*>', html).group(0)
    if tier in ("small", "estimate"):
        assert "disabled" not in submit and 'name="confirmed"' not in html
    if tier == "estimate":
        assert f"~{attempts} generations" in html
    if tier == "confirm":
        assert 'name="confirmed"' in html and "disabled" in submit
    if tier == "over_cap":
        assert "Blocked:" in html and "disabled" in submit and 'name="split"' in html


def test_confirm_tier_enables_submit_once_confirmed(client_in, cat):
    html = client_in.post(reverse("create-estimate"), base(cat, template_ids=list(range(1, 32)), confirmed="on")).content.decode()
    assert "disabled" not in re.search(r'<button type="submit"[^>]*>', html).group(0)


def test_estimate_cost_matches_the_cost_table(client_in, cat):
    from adcreator.prompts.estimate import estimate_job

    html = client_in.post(reverse("create-estimate"), base(cat, template_ids=[t.pk for t in cat.templates[:2]],
                                                          sizes=["1:1", "9:16"], color_modes=["original", "brand"])).content.decode()
    expected = estimate_job(templates=2, variations=1, sizes=2, colors=2)
    assert attempts_in(html) == 8
    assert f'data-testid="cost">{expected.total_usd}<' in html


def test_estimate_lists_what_is_missing(client_in, cat):
    html = client_in.post(reverse("create-estimate"), base(cat, sizes=[])).content.decode()
    assert "Choose at least one size." in html and "Pick at least one template" in html


def test_manual_submit_redirects_to_the_job_page(client_in, cat):
    response = client_in.post(reverse("create"), base(cat, template_ids=[cat.templates[0].pk, cat.templates[1].pk],
                                                      sizes=["1:1", "4:5"]))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job-detail", args=[job.pk])
    assert job.parameters["template_selection"]["template_ids"] == [cat.templates[0].pk, cat.templates[1].pk]
    assert job.parameters["sizes"] == ["1:1", "4:5"]


def test_field_errors_render_next_to_their_fields(client_in, cat):
    response = client_in.post(reverse("create"), base(cat, sizes=[], content_source="offer_variant"))
    html = response.content.decode()
    assert response.status_code == 400 and not Job.objects.exists()
    sizes_block = html[html.index("<legend>Sizes</legend>"):html.index("<legend>Colour modes</legend>")]
    assert "Choose at least one size." in sizes_block
    assert "Pick at least one template from the grid." in html
    assert "Choose the offer variant to write from." in html


def test_confirm_tier_submit_without_confirmation_is_refused(client_in, cat):
    response = client_in.post(reverse("create"), base(cat, template_ids=[t.pk for t in cat.templates],
                                                      variations=4, sizes=["1:1", "4:5"]))  # 4 × 4 × 2 = 32
    assert response.status_code == 400 and not Job.objects.exists()
    assert "Confirm to submit." in response.content.decode()


def test_draw_shows_templates_with_scores_and_submit_uses_exactly_them(client_in, cat):
    data = base(cat, mode="smart_select", count=2, strictness="default")
    html = client_in.post(reverse("create-draw"), data).content.decode()
    drawn = [int(v) for v in re.findall(r'name="drawn_ids" value="(\d+)"', html)]
    seed = int(re.search(r'name="drawn_seed" value="(\d+)"', html).group(1))
    signature = re.search(r'name="drawn_for" value="([^"]*)"', html).group(1)
    assert len(drawn) == 2 and "Asset match" in html and "Composite score" in html
    assert html.count('class="draw-row"') == 2
    response = client_in.post(reverse("create"), dict(data, drawn_ids=drawn, drawn_seed=seed, drawn_for=signature))
    assert response.status_code == 302
    selection = Job.objects.get().parameters["template_selection"]
    assert selection["template_ids"] == drawn and selection["seed"] == seed and selection["mode"] == "smart_select"


def test_a_stale_draw_is_refused(client_in, cat):
    data = base(cat, mode="roll_the_dice", count=2)
    html = client_in.post(reverse("create-draw"), data).content.decode()
    drawn = re.findall(r'name="drawn_ids" value="(\d+)"', html)
    signature = re.search(r'name="drawn_for" value="([^"]*)"', html).group(1)
    response = client_in.post(reverse("create"), dict(data, count=3, drawn_ids=drawn, drawn_seed=1, drawn_for=signature))
    assert response.status_code == 400 and "draw again" in response.content.decode()


def test_over_cap_with_split_creates_sequential_jobs(client_in, cat):
    ids = [t.pk for t in cat.templates]  # 4 × 4 variations × 4 sizes = 64 > 50
    response = client_in.post(reverse("create"), base(cat, template_ids=ids, variations=4,
                                                      sizes=["1:1", "4:5", "9:16", "16:9"], split="on"))
    assert response.status_code == 302
    jobs = list(Job.objects.order_by("split_index"))
    assert len(jobs) == 2 and jobs[0].split_total == 2


def test_grid_filters_and_load_more(client_in, org):
    cat = build_catalog(org, templates=35)
    page1 = client_in.get(reverse("create-templates"), {"brand_id": cat.brand.pk}).content.decode()
    assert page1.count('class="tpl-card"') == 30 and "5 more" in page1
    page2 = client_in.get(reverse("create-templates"), {"brand_id": cat.brand.pk, "offset": 30}).content.decode()
    assert page2.count('class="tpl-card"') == 5 and "Load more" not in page2
    offers = client_in.get(reverse("create-templates"), {"brand_id": cat.brand.pk, "filter_category": "offer"}).content.decode()
    assert offers.count('class="tpl-card"') == 12  # every third of 35 templates is an "offer"
    pinned = client_in.get(reverse("create-templates"), {"brand_id": cat.brand.pk, "filter_category": "offer",
                                                        "template_ids": [cat.templates[1].pk]}).content.decode()
    assert 'class="tpl-card pinned"' in pinned and cat.templates[1].name in pinned
