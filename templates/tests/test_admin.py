import pytest
from django.urls import reverse
from django_q.models import OrmQ

from adcreator.jobs.models import Job
from templates.models import ScrapedTemplate


@pytest.fixture
def staff(db, org):
    from django.contrib.auth import get_user_model

    from adcreator.catalog.models import Membership

    user = get_user_model().objects.create_superuser("staff", "s@example.com", "pw")
    Membership.objects.create(user=user, organization=org)
    return user


def templates(n=3):
    return [ScrapedTemplate.objects.create(name=f"T{i}", category="offer", image=f"t{i}.png") for i in range(n)]


@pytest.mark.django_db(transaction=True)
def test_curation_actions_call_the_services(client, staff):
    client.force_login(staff)
    rows = templates()
    url = reverse("admin:templates_scrapedtemplate_changelist")
    ids = [str(t.pk) for t in rows[:2]]
    client.post(url, {"action": "deactivate", "_selected_action": ids})
    assert list(ScrapedTemplate.objects.filter(is_active=False).values_list("pk", flat=True)) == [rows[0].pk, rows[1].pk]
    client.post(url, {"action": "activate", "_selected_action": ids[:1]})
    assert ScrapedTemplate.objects.get(pk=rows[0].pk).is_active
    client.post(url, {"action": "queue_detection", "_selected_action": ids})
    job = Job.objects.get(job_type="template_element_detection")
    assert job.parameters["template_ids"] == [rows[0].pk, rows[1].pk] and job.created_by == staff
    assert OrmQ.objects.count() == 1


@pytest.mark.django_db
def test_admin_pages_render_for_staff_and_refuse_clients(client, staff, make_member, org):
    templates(1)
    client.force_login(staff)
    for name in ("templates_scrapedtemplate", "generation_generatedad", "review_qualityscoringconfig",
                 "review_adreviewoverride", "jobs_job", "jobs_jobrun", "catalog_brand"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    client.force_login(make_member(org, "client"))
    assert client.get(reverse("admin:templates_scrapedtemplate_changelist")).status_code == 302


@pytest.mark.django_db
def test_staff_override_actions_record_history(client, staff, product):
    from generation.models import AdRun, GeneratedAd
    from review.models import AdReviewOverride

    run = AdRun.objects.create(organization=product.brand.organization, brand=product.brand, product=product)
    ad = GeneratedAd.objects.create(ad_run=run, prompt_index=1, canvas_size="1080x1080", color_mode="brand",
                                    status="rejected", ai_status="rejected")
    client.force_login(staff)
    url = reverse("admin:generation_generatedad_changelist")
    client.post(url, {"action": "override_approve", "_selected_action": [str(ad.pk)]})
    ad.refresh_from_db()
    assert ad.status == "approved" and ad.ai_status == "rejected"
    assert AdReviewOverride.objects.get(ad=ad).user == staff
    assert client.get(reverse("admin:generation_generatedad_change", args=[ad.pk])).status_code == 200


@pytest.mark.django_db
def test_staff_edit_the_archetype_and_parts_inside_the_stored_elements(client, staff):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (40, 50), "white").save(png, "PNG")
    template = ScrapedTemplate(
        name="Review", category="testimonial", element_detection_version="local-pixels-v2",
        template_elements={"text_areas": [], "palette": ["#ffffff"], "archetype": None, "parts": []})
    template.image.save("r.png", ContentFile(png.getvalue()), save=True)
    client.force_login(staff)
    url = reverse("admin:templates_scrapedtemplate_change", args=[template.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="archetype"' in page.content
    form = {"name": "Review", "source": "scraped", "category": "testimonial", "width": 0, "height": 0,
            "template_elements": '{"text_areas": [], "palette": ["#ffffff"]}', "element_detection_version": "local-pixels-v2",
            "times_used": 0, "is_active": "on", "archetype": "testimonial",
            "parts": '[{"kind": "stars", "box": [0.1, 0.2, 0.4, 0.25]}]',
            "evaluation-TOTAL_FORMS": 0, "evaluation-INITIAL_FORMS": 0}
    response = client.post(url, form)
    assert response.status_code == 302, response.content[:2000]
    stored = ScrapedTemplate.objects.get(pk=template.pk).template_elements
    assert stored["archetype"] == "testimonial" and stored["palette"] == ["#ffffff"]
    assert stored["parts"] == [{"kind": "stars", "box": [0.1, 0.2, 0.4, 0.25], "text": "", "confidence": 1.0}]
    bad = client.post(url, form | {"parts": '[{"kind": "sparkles", "box": [0, 0, 1, 1]}]'})
    assert bad.status_code == 200 and b"not a list of parts" in bad.content
