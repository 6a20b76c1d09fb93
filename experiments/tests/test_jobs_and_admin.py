"""The daily schedule's entry point, the analysis job's handler, and the admin pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from adcreator.jobs.models import Job
from adcreator.jobs.registry import JobParametersError, validate_parameters
from experiments.models import CausalEffect
from experiments.models_evolution import CompetitorAd
from experiments.schedules import enqueue_daily_experiment_analysis
from experiments.tests.conftest import new_experiment
from experiments.tests.support import analyse


def test_one_daily_analysis_per_organization_and_none_stacked(deployed, make_org):
    make_org("quiet")  # no experiment: no job
    first = enqueue_daily_experiment_analysis()
    assert len(first) == 1 and Job.objects.get(pk=first[0]).organization_id == deployed.brand.organization_id
    assert enqueue_daily_experiment_analysis() == []  # the first is still waiting


def test_the_analysis_job_reports_each_experiment(deployed, base_ad):
    draft = new_experiment(base_ad, treatments=["social_proof"])
    run = analyse(deployed.brand.organization)
    assert run.status == "completed"
    results = run.metadata["experiments"]
    assert results[str(deployed.pk)] == {"waiting": "no data synced for the brand's account yet"}
    assert str(draft.pk) not in results  # a draft without arm jobs has nothing to check
    assert run.metadata["lineage_rows_created"] == 0
    with pytest.raises(JobParametersError) as caught:
        validate_parameters("experiment_analysis", {"experiment_ids": ["x"]})
    assert "experiment_ids.0" in caught.value.errors


@pytest.fixture
def staff_client(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.test", "pw")
    client.force_login(admin)
    return client


def test_admin_pages(staff_client, deployed, cat):
    for url in ("/admin/experiments/experiment/", f"/admin/experiments/experiment/{deployed.pk}/change/",
                "/admin/experiments/causaleffect/", "/admin/experiments/competitorad/",
                "/admin/experiments/competitorad/add/", "/admin/experiments/adlineage/",
                "/admin/experiments/evolution/", "/admin/experiments/experimentday/"):
        assert staff_client.get(url).status_code == 200, url
    assert staff_client.get("/admin/experiments/causaleffect/add/").status_code == 403
    bad = staff_client.post("/admin/experiments/competitorad/add/", {
        "brand": cat.brand.pk, "competitor_name": "Rival", "seen_at": "2026-11-20",
        "element_tags": '{"belief_angle_id": "7"}', "notes": ""})
    assert bad.status_code == 200 and "Unknown element dimensions" in bad.content.decode()
    good = staff_client.post("/admin/experiments/competitorad/add/", {
        "brand": cat.brand.pk, "competitor_name": "Rival", "seen_at": "2026-11-20",
        "element_tags": '{"hook_type": "social_proof", "visual_style": "testimonial"}', "notes": "seen in feed"})
    assert good.status_code == 302
    rival = CompetitorAd.objects.get()
    assert rival.recorded_by.username == "root" and rival.element_tags["hook_type"] == "social_proof"
    checked = staff_client.post("/admin/experiments/experiment/", {
        "action": "analyse_now", "_selected_action": [deployed.pk]}, follow=True)
    assert "Analysed" in checked.content.decode() and not CausalEffect.objects.exists()


def test_analyse_now_shows_the_job_page(client, org, make_member, deployed):
    client.force_login(make_member(org, "alice"))
    queued = client.post(f"/experiments/{deployed.pk}/analyse/")
    assert queued.status_code == 302 and queued["Location"].startswith("/jobs/")
    run_now = Job.objects.get(job_type="experiment_analysis")
    from experiments.tests.support import run_job

    run_job(run_now)
    page = client.get(queued["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "Analysis of " in html
    assert f"Experiment #{deployed.pk}</a>:" in html and "no data synced" in html
