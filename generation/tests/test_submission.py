import pytest
from django_q.models import OrmQ

from adcreator.jobs.models import Job
from generation.services import SubmissionError, ad_creation_enqueue_next_part, ad_creation_submit
from tests.support.catalog import build_catalog


def params(cat, **over):
    base = {"brand_id": cat.brand.pk, "product_id": cat.product.pk,
            "template_selection": {"mode": "manual", "template_ids": [t.pk for t in cat.templates[:2]]},
            "sizes": ["1:1"], "color_modes": ["original"]}
    base.update(over)
    return base


@pytest.fixture
def cat(org):
    return build_catalog(org)


@pytest.mark.django_db
def test_another_tenants_brand_and_templates_are_unknown(cat, make_org):
    other = build_catalog(make_org("other"), slug="other")
    with pytest.raises(SubmissionError) as excinfo:
        ad_creation_submit(organization=cat.org, user=None, parameters=params(other))
    assert "brand_id" in excinfo.value.errors
    private = other.templates[0]
    private.organization = other.org
    private.save()
    with pytest.raises(SubmissionError) as excinfo:
        ad_creation_submit(organization=cat.org, user=None,
                           parameters=params(cat, template_selection={"mode": "manual", "template_ids": [private.pk]}))
    assert "template_selection.template_ids" in excinfo.value.errors
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_field_errors_for_bad_parameters(cat):
    with pytest.raises(SubmissionError) as excinfo:
        ad_creation_submit(organization=cat.org, user=None, parameters=params(cat, sizes=["7:3"], variations=-1))
    assert set(excinfo.value.errors) >= {"sizes.0", "variations"}


@pytest.mark.django_db(transaction=True)
def test_smart_select_draws_at_submission_and_stores_ids_and_seed(cat):
    sub = ad_creation_submit(organization=cat.org, user=None,
                             parameters=params(cat, template_selection={"mode": "smart_select", "count": 2, "seed": 42}))
    job = sub.jobs[0]
    stored = job.parameters["template_selection"]
    assert stored["template_ids"] == sub.selection["template_ids"]
    assert len(stored["template_ids"]) == 2 and stored["seed"] == 42
    again = ad_creation_submit(organization=cat.org, user=None,
                               parameters=params(cat, template_selection={"mode": "smart_select", "count": 2, "seed": 42}))
    assert again.selection["template_ids"] == stored["template_ids"]  # same seed, same draw
    assert OrmQ.objects.count() == 2


@pytest.mark.django_db
def test_confirmation_is_required_from_31_attempts(cat):
    big = params(cat, template_selection={"mode": "manual", "template_ids": [t.pk for t in cat.templates]},
                 sizes=["1:1", "4:5", "9:16", "16:9"], color_modes=["original", "brand", "complementary"])
    with pytest.raises(SubmissionError) as excinfo:  # 3 × 4 × 3 = 36 attempts
        ad_creation_submit(organization=cat.org, user=None, parameters=big)
    assert "confirmed" in excinfo.value.errors
    sub = ad_creation_submit(organization=cat.org, user=None, parameters={**big, "confirmed": True})
    assert sub.estimate.attempts == 36 and len(sub.jobs) == 1


@pytest.mark.django_db(transaction=True)
def test_over_the_cap_is_split_into_sequential_jobs(cat):
    cat.org.attempt_cap = 10
    cat.org.save()
    request = params(cat, template_selection={"mode": "manual", "template_ids": [t.pk for t in cat.templates]},
                     sizes=["1:1", "4:5"], color_modes=["original", "brand"], confirmed=True)  # 12 attempts
    with pytest.raises(SubmissionError):
        ad_creation_submit(organization=cat.org, user=None, parameters=request, allow_split=False)
    sub = ad_creation_submit(organization=cat.org, user=None, parameters=request)
    assert sub.was_split and len(sub.jobs) == len(sub.parts)
    assert all(part.attempts <= 10 for part in sub.parts)
    assert sum(part.attempts for part in sub.parts) == 12
    # Only the first part is queued; each finished part queues the next, once.
    assert [job.runs.count() for job in sub.jobs] == [1] + [0] * (len(sub.jobs) - 1)
    assert ad_creation_enqueue_next_part(job=sub.jobs[0]) == sub.jobs[1]
    assert ad_creation_enqueue_next_part(job=sub.jobs[0]) is None
    assert sub.jobs[1].runs.count() == 1
