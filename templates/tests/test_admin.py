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
