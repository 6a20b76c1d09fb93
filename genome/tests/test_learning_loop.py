"""The genome in generation (issue 14): Thompson-sampled hook types where the hooks are left to
the system (and never where the user chose them), replayable by the job's seed, pre_gen_score and
the advisory context stored with the ad; and the learning demo command end to end."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from adcreator.catalog.models import Hook
from adcreator.jobs.services import job_run_execute
from generation.models import GeneratedAd
from generation.services import ad_creation_submit
from genome.models import ElementScore, GenomeState
from tests.support.catalog import build_catalog


@pytest.fixture
def cat(org):
    cat = build_catalog(org, templates=4)
    for hook_type in ("urgency", "question", "authority"):
        Hook.objects.create(brand=cat.brand, text=f"A {hook_type} hook that fits any headline area", hook_type=hook_type)
    return cat


def teach(cat, winner: str, losers: list[str]):
    """Element scores as an update would leave them: the winner's hook type clearly succeeds."""
    from django.utils import timezone

    GenomeState.objects.create(brand=cat.brand, cold_start_level=3, days_of_data=40, matured_ads=300,
                               exploration_rate=0.05, updated_at=timezone.now())
    for value, (alpha, beta) in [(winner, (60.0, 5.0))] + [(loser, (5.0, 60.0)) for loser in losers]:
        ElementScore.objects.create(brand=cat.brand, dimension="hook_type", value=value, alpha=alpha, beta=beta,
                                    mean=alpha / (alpha + beta), ci_low=0, ci_high=1, matured_ads=int(alpha + beta),
                                    updated_at=timezone.now())


def make(cat, **over):
    parameters = {"brand_id": cat.brand.pk, "product_id": cat.product.pk,
                  "template_selection": {"mode": "manual", "template_ids": [t.pk for t in cat.templates]},
                  "sizes": ["1:1"], "color_modes": ["original"], "variations": 3, "confirmed": True, **over}
    job = ad_creation_submit(organization=cat.org, user=None, parameters=parameters).jobs[0]
    run = job_run_execute(run_id=job.runs.get().pk)
    return job, run, list(GeneratedAd.objects.filter(ad_run__job_run=run))


@pytest.mark.django_db
def test_thompson_picks_the_winning_hook_type_and_a_seed_replays_it(cat):
    types = sorted({h.hook_type for h in cat.brand.hooks.all()})
    winner = "question"
    teach(cat, winner, [t for t in types if t != winner])
    job, run, ads = make(cat, genome_seed=1234)
    chosen = Counter(ad.element_tags["hook_type"] for ad in ads)
    assert chosen[winner] >= 0.75 * len(ads), chosen  # 12 briefs, exploration 5 %
    config = run.ad_run.generation_config
    assert config["hook_choice"]["method"] == "thompson" and config["genome"]["seed"] == 1234
    assert all(ad.pre_gen_score is not None for ad in ads)
    assert ads[0].prompt["performance_context"]["advisory_note"].startswith("Advisory, correlational")
    again = make(cat, genome_seed=1234)[1].ad_run.generation_config["hook_choice"]
    assert again["types"] == config["hook_choice"]["types"]  # same seed, same draws


@pytest.mark.django_db
def test_hooks_chosen_by_the_user_are_never_overridden(cat):
    types = sorted({h.hook_type for h in cat.brand.hooks.all()})
    teach(cat, "question", [t for t in types if t != "question"])
    urgency = Hook.objects.get(brand=cat.brand, hook_type="urgency")
    _, run, ads = make(cat, hook_ids=[urgency.pk])
    assert {ad.hook_id for ad in ads} == {urgency.pk}
    assert "hook_choice" not in run.ad_run.generation_config


@pytest.mark.django_db
def test_without_evidence_the_hook_types_rotate_and_nothing_is_advised(cat):
    _, run, ads = make(cat)
    assert run.ad_run.generation_config["hook_choice"]["method"] == "rotation"
    assert all(ad.pre_gen_score is None for ad in ads)  # no evidence: not measured, not 0.5
    assert all(ad.prompt.get("performance_context") is None for ad in ads)


@pytest.mark.django_db
def test_the_learning_demo_runs_the_loop(tmp_path, settings):
    call_command("seed_demo")
    chart = tmp_path / "chart.png"
    call_command("learning_demo", "--weeks", "2", "--templates", "2", "--variations", "1", "--chart", str(chart))
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    state = GenomeState.objects.get(brand__slug="demo")
    assert state.matured_ads > 0
    assert ElementScore.objects.filter(brand__slug="demo", dimension="hook_type").exists()
