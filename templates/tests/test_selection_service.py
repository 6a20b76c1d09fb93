"""The DB side of template selection: the candidate query, the 8h fallback, usage, detection."""

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.core.files.base import ContentFile

from adcreator.calls.ledger import CallLedger, CallScope
from adcreator.catalog.models import Persona
from adcreator.jobs.models import RunStatus
from adcreator.jobs.services import job_create, job_run_execute
from adcreator.providers.local.detect import LocalTemplateAnalyzer
from templates import scoring, selectors, services
from templates.models import ProductTemplateUsage, ScrapedTemplate, TemplateEvaluation
from tests.support.catalog import build_catalog, png_bytes, template_elements, template_image


def make_library(n: int, *, detected_every: int = 1, category_cycle=("offer", "testimonial", "benefits")):
    templates = []
    for i in range(n):
        templates.append(ScrapedTemplate(
            name=f"T{i}", category=category_cycle[i % len(category_cycle)], awareness_level=(i % 5) + 1,
            target_sex=["female", "male", None][i % 3], image=f"templates/t{i}.png", width=1080, height=1350,
            template_elements=template_elements(required=("product", "logo") if i % 4 == 0 else ("product",)),
            element_detection_version="v1" if i % detected_every == 0 else None,
        ))
    created = ScrapedTemplate.objects.bulk_create(templates)
    TemplateEvaluation.objects.bulk_create(
        [TemplateEvaluation(template=t, d1=2, d2=2, d3=1, d4=3, d5=2, d6=(i % 7 != 0)) for i, t in enumerate(created) if i % 2]
    )
    return created


@pytest.fixture
def cat(org):
    return build_catalog(org, templates=0)


@pytest.mark.django_db
def test_candidate_query_returns_what_scorers_need_in_one_query(cat):
    library = make_library(30, detected_every=3)
    ProductTemplateUsage.objects.create(product=cat.product, template=library[4])
    with CaptureQueriesContext(connection) as ctx:
        rows = selectors.template_candidates(product_id=cat.product.pk, organization_id=cat.org.pk)
    assert len(ctx.captured_queries) == 1
    assert len(rows) == 30
    by_id = {row["id"]: row for row in rows}
    assert by_id[library[4].pk]["is_unused"] is False and by_id[library[5].pk]["is_unused"] is True
    assert by_id[library[3].pk]["has_detection"] is True and by_id[library[4].pk]["has_detection"] is False
    assert by_id[library[1].pk]["evaluation"] == {"d1": 2, "d2": 2, "d3": 1, "d4": 3, "d5": 2, "d6": True}
    assert by_id[library[0].pk]["evaluation"] is None
    assert set(rows[0]) >= {"id", "is_unused", "times_used", "has_detection", "template_elements", "category",
                            "awareness_level", "target_sex", "evaluation"}


@pytest.mark.django_db
def test_candidate_rows_and_columns_match_the_database(cat):
    library = make_library(12, detected_every=3)
    ScrapedTemplate.objects.filter(pk=library[2].pk).update(
        template_elements={"required_assets": ["logo", "product", "logo"], "text_areas": []})
    ScrapedTemplate.objects.filter(pk=library[3].pk).update(template_elements={})
    table = selectors.template_candidates(product_id=cat.product.pk, organization_id=cat.org.pk)
    for row, template in zip(table, ScrapedTemplate.objects.order_by("id")):
        assert row["id"] == template.pk and row["name"] == template.name and row["image"] == template.image.name
        assert row["template_elements"] == template.template_elements  # the JSON text, decoded
        assert row["has_detection"] is (template.element_detection_version is not None)
    required = [table.required_asset_sets[key] for key in table.required_asset_keys]
    assert required[2] == {"logo", "product"} and required[3] == frozenset()
    assert required[0] == {"product", "logo"} and required[1] == {"product"}
    # The JSON texts of one set (with and without the duplicate) share one entry.
    assert len(table.required_asset_sets) == len(set(table.required_asset_sets))
    assert table.belief_total.tolist()[1] == 10.0 and np.isnan(table.belief_total[0])


@pytest.mark.django_db
def test_selection_over_the_query_columns_equals_selection_over_its_rows(cat):
    make_library(120, detected_every=2)
    table = selectors.template_candidates(product_id=cat.product.pk, organization_id=cat.org.pk)
    rows = [dict(row) for row in table]
    context = services.selection_context(product=cat.product, persona=None, category="offer", awareness_stage=2)
    for min_score in (0.0, 0.3, 0.8):
        for seed in range(5):
            from_table = scoring.select_templates(table, context, scoring.DEFAULT_SCORERS, scoring.SMART_SELECT,
                                                  min_score, 4, seed)
            from_rows = scoring.select_templates(rows, context, scoring.DEFAULT_SCORERS, scoring.SMART_SELECT,
                                                 min_score, 4, seed)
            assert [t["id"] for t in from_table.templates] == [t["id"] for t in from_rows.templates]
            assert from_table.scores == from_rows.scores and from_table.reason == from_rows.reason


@pytest.mark.django_db
def test_usage_by_another_product_does_not_count(cat):
    from adcreator.catalog.models import Product

    library = make_library(3)
    other = Product.objects.create(brand=cat.brand, slug="other", name="Other")
    services.template_usage_record(product_id=other.pk, template_ids=[library[0].pk, library[0].pk])
    rows = selectors.template_candidates(product_id=cat.product.pk, organization_id=cat.org.pk)
    assert all(row["is_unused"] for row in rows)
    # ... but it is the organization's usage: one record, counted once for the organization.
    assert {row["id"]: row["times_used"] for row in rows} == {library[0].pk: 1, library[1].pk: 0, library[2].pk: 0}


@pytest.mark.django_db
def test_other_tenants_private_templates_are_not_candidates(cat, make_org):
    library = make_library(4)
    other = make_org("rival")
    ScrapedTemplate.objects.filter(pk=library[0].pk).update(organization=other)
    ScrapedTemplate.objects.filter(pk=library[1].pk).update(organization=cat.org)
    ids = {row["id"] for row in selectors.template_candidates(product_id=cat.product.pk, organization_id=cat.org.pk)}
    assert library[0].pk not in ids and library[1].pk in ids


@pytest.mark.django_db
def test_whole_selection_over_1000_templates_runs_constant_queries(cat):
    make_library(1000, detected_every=2)
    persona = Persona.objects.create(brand=cat.brand, name="P", awareness_stage=2, target_sex="female")
    with CaptureQueriesContext(connection) as ctx:
        outcome = services.template_selection_run(product=cat.product, mode="smart_select", count=5, persona=persona,
                                                  strictness="growth", seed=1)
    assert len(outcome.template_ids) == 5
    # brand config (already loaded with the product? no: one query), candidates, image tags, brand assets,
    # and the genome's template_id scores (the PerformanceScorer's, spec 8d).
    assert len(ctx.captured_queries) <= 5, [q["sql"][:80] for q in ctx.captured_queries]
    small_count = len(ctx.captured_queries)
    ScrapedTemplate.objects.all().delete()
    make_library(10)
    with CaptureQueriesContext(connection) as ctx:
        services.template_selection_run(product=cat.product, mode="smart_select", count=5, persona=persona, seed=1)
    assert len(ctx.captured_queries) == small_count


@pytest.mark.django_db
def test_same_seed_same_draw_and_scores_breakdown(cat):
    make_library(40)
    a = services.template_selection_run(product=cat.product, mode="roll_the_dice", count=3, seed=99)
    b = services.template_selection_run(product=cat.product, mode="roll_the_dice", count=3, seed=99)
    assert a.template_ids == b.template_ids and len(set(a.template_ids)) == 3
    assert all(set(s) >= {"unused_bonus", "category_match", "composite"} for s in a.result.scores)


@pytest.mark.django_db
def test_fallback_turns_the_gate_off_for_growth(cat):
    make_library(12)
    ScrapedTemplate.objects.update(element_detection_version=None)
    outcome = services.template_selection_run(product=cat.product, mode="smart_select", count=2, strictness="growth", seed=3)
    assert not outcome.result.empty and outcome.relaxed
    assert [step["step"] for step in outcome.steps] == ["as_requested", "gate_off"]
    assert outcome.steps[0]["empty"] and outcome.min_asset_score == 0.0


@pytest.mark.django_db
def test_fallback_removes_the_category_when_it_is_empty(cat):
    make_library(6)
    outcome = services.template_selection_run(product=cat.product, mode="roll_the_dice", count=2, category="ugc", seed=3)
    assert not outcome.result.empty
    assert outcome.steps[-1]["step"] == "category_removed" and outcome.category is None


@pytest.mark.django_db
def test_premium_never_relaxes_and_fails_with_a_structured_reason(cat):
    make_library(8)
    ScrapedTemplate.objects.update(element_detection_version=None)
    outcome = services.template_selection_run(product=cat.product, mode="smart_select", count=2, strictness="premium",
                                              category="offer", seed=3)
    assert outcome.result.empty and outcome.result.templates == []
    assert all(step["min_asset_score"] == 0.8 for step in outcome.steps)
    assert "asset gate" in outcome.result.reason and outcome.result.candidates_after_gate == 0


@pytest.mark.django_db
def test_fallback_runs_constant_queries(cat):
    make_library(50)
    ScrapedTemplate.objects.update(element_detection_version=None)
    with CaptureQueriesContext(connection) as ctx:
        outcome = services.template_selection_run(product=cat.product, mode="smart_select", count=2,
                                                  strictness="growth", category="nope", seed=3)
    assert len(outcome.steps) == 3
    assert len(ctx.captured_queries) <= 4


@pytest.mark.django_db
def test_detection_job_fills_elements_and_version(cat):
    templates = []
    for i in range(2):
        t = ScrapedTemplate(name=f"D{i}", category="offer", width=270, height=337)
        t.image.save(f"d{i}.png", ContentFile(png_bytes(template_image(270, 337))), save=True)
        templates.append(t)
    job = job_create(organization=cat.org, job_type="template_element_detection", parameters={}, enqueue=False)
    from adcreator.jobs.models import JobRun

    run = job_run_execute(run_id=JobRun.objects.create(job=job).pk)
    assert run.status == RunStatus.COMPLETED, run.error
    assert sorted(run.metadata["detected"]) == sorted(t.pk for t in templates)
    for t in templates:
        t.refresh_from_db()
        assert t.element_detection_version == LocalTemplateAnalyzer.detection_version
        assert "people" in t.template_elements["not_detected"]  # honest about what it cannot see
        assert t.template_elements["palette"]


@pytest.mark.django_db
def test_detection_reports_unreadable_images_without_inventing(cat):
    broken = ScrapedTemplate(name="broken", category="offer")
    broken.image.save("broken.png", ContentFile(b"\x89PNG\r\n\x1a\n not really"), save=True)
    outcome = services.template_detect_elements(template=broken, analyzer=LocalTemplateAnalyzer(),
                                                ledger=CallLedger(CallScope(organization_id=cat.org.pk)))
    assert not outcome.ok and outcome.error
    broken.refresh_from_db()
    assert broken.element_detection_version is None and broken.template_elements == {}


def test_the_benchmark_times_tables_built_like_the_selectors():
    # bench/selection.py builds its records by hand; they must be what the query returns, or it
    # would time something else. No database: the selector's table is built from tuples alone.
    from bench.selection import CONTEXT, query_records, synthetic_candidates

    rows = synthetic_candidates(400, seed=3)
    table = selectors.candidate_table(query_records(rows))
    for min_score in (0.0, 0.3):
        from_table = scoring.select_templates(table, CONTEXT, scoring.DEFAULT_SCORERS, scoring.SMART_SELECT, min_score, 5, 8)
        from_rows = scoring.select_templates(rows, CONTEXT, scoring.DEFAULT_SCORERS, scoring.SMART_SELECT, min_score, 5, 8)
        assert [t["id"] for t in from_table.templates] == [t["id"] for t in from_rows.templates]
        assert from_table.scores == from_rows.scores
        assert [t["template_elements"] for t in from_table.templates] == [t["template_elements"] for t in from_rows.templates]


@pytest.mark.django_db
def test_smart_select_follows_the_genome_template_scores_with_a_weight_that_grows_with_evidence(cat):
    from django.utils import timezone

    from genome.models import ElementScore
    from templates.services import evidence_weighted

    assert evidence_weighted({"asset_match": 1.0}, 0, mode="smart_select")["performance"] == 0.0
    assert evidence_weighted({"asset_match": 1.0}, 50, mode="smart_select")["performance"] == 1.75  # half of 3.5
    assert "performance" not in evidence_weighted({"unused_bonus": 1.0}, 500, mode="roll_the_dice")
    library = make_library(12, detected_every=1)
    winner = library[5]

    def winner_picks() -> int:
        return [services.template_selection_run(product=cat.product, mode="smart_select", count=1, seed=seed)
                .template_ids[0] for seed in range(60)].count(winner.pk)

    before = winner_picks()
    for template in library:
        alpha, beta = (200.0, 2.0) if template is winner else (2.0, 200.0)
        ElementScore.objects.create(brand=cat.brand, dimension="template_id", value=str(template.pk), alpha=alpha,
                                    beta=beta, mean=alpha / (alpha + beta), ci_low=0, ci_high=1, matured_ads=202,
                                    updated_at=timezone.now())
    outcome = services.template_selection_run(product=cat.product, mode="smart_select", count=1, seed=1)
    assert outcome.weights["performance"] > 3.4  # 2,424 rewarded ads of evidence: nearly the full 3.5
    assert winner_picks() >= 2 * max(before, 3), before  # the proven template is drawn far more often
