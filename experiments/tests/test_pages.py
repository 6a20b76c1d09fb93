"""The experiments pages: list, create with the calculator, detail with its chart and verdict,
"Evolve this ad", and the results page's link to it for qualifying ads only."""

from __future__ import annotations

import re

import pytest

from experiments.models import Experiment
from experiments.tests.conftest import new_experiment
from experiments.tests.test_evolution import make_winner
from experiments.tests.test_experiments import put_days
from experiments.services import experiment_analyse
from tests.support.catalog import build_catalog


@pytest.fixture
def client_in(client, org, make_member):
    client.force_login(make_member(org, "alice"))
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def no_inline_code(html: str) -> None:
    """The coming Content-Security-Policy: no inline script, style attribute or event handler."""
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and not re.search(r"\son[a-z]+=", html)


def test_the_list_says_requires_meta_connection(client_in, base_ad):
    new_experiment(base_ad)
    page = text(client_in.get("/experiments/"))
    assert "Requires Meta connection" in page and "hook_type: Benefit-led vs Curiosity gap" in page
    assert "1.45 %" in page  # the measured A/A false-winner rate of the shipped rule
    no_inline_code(page)


def test_create_with_the_calculator(client_in, base_ad):
    start = text(client_in.get("/experiments/new/"))
    assert f'value="{base_ad.pk}"' in start
    url = f"/experiments/new/?ad={base_ad.pk}&variable=hook_type"
    step = text(client_in.get(url))
    assert "Curiosity gap" in step and "Social proof" in step and 'value="benefit_led"' not in step
    form = {"treatment_values": ["curiosity_gap"], "hypothesis": "Curiosity makes people click",
            "relative_mde_percent": "20", "power": "0.8", "alpha": "0.05", "planned_days": "7", "baseline_ctr_percent": ""}
    calculated = text(client_in.post(url, dict(form, action="calculate")))
    assert "42,693" in calculated and "853.86 USD" in calculated and "Assumed, not measured" in calculated
    assert not Experiment.objects.exists()
    created = client_in.post(url, dict(form, action="create"))
    experiment = Experiment.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/experiments/{experiment.pk}/"
    bad = client_in.post(url, dict(form, action="create", planned_days="30", treatment_values=[]))
    assert bad.status_code == 400 and "This field is required" in bad.content.decode()
    assert "less than or equal to 14" in bad.content.decode() and Experiment.objects.count() == 1
    assert client_in.get("/experiments/new/?ad=99999999&variable=hook_type").status_code == 400
    assert client_in.get("/experiments/new/?ad=abc&variable=nope").status_code == 400


def test_the_detail_page_shows_the_chart_and_the_verdict(client_in, deployed, sim_account):
    put_days(sim_account, deployed, [[(30_000, 300), (30_000, 450)]] * 3)
    experiment_analyse(experiment=deployed)
    page = text(client_in.get(f"/experiments/{deployed.pk}/"))
    assert '<svg class="chart"' in page and page.count("<polyline") == 2
    assert "Verdict: Won" in page and "t1 wins" in page and "Causal" in page
    assert "Requires Meta connection" not in page
    no_inline_code(page)


def test_the_detail_page_without_a_connection(client_in, base_ad):
    experiment = new_experiment(base_ad)
    page = text(client_in.get(f"/experiments/{experiment.pk}/"))
    assert "Requires Meta connection" in page and 'data-testid="deploy-refused"' in page
    assert 'data-testid="confirm-budget"' in page
    confirmed = client_in.post(f"/experiments/{experiment.pk}/confirm-budget/",
                               {"budget_estimate": str(experiment.budget_estimate)})
    assert confirmed.status_code == 302
    experiment.refresh_from_db()
    assert experiment.budget_confirmed


def test_another_organizations_pages_are_404(client, make_org, make_member, base_ad):
    experiment = new_experiment(base_ad)
    other = make_org("globex")
    build_catalog(other, slug="globex")
    client.force_login(make_member(other, "mallory"))
    assert client.get(f"/experiments/{experiment.pk}/").status_code == 404
    assert client.post(f"/experiments/{experiment.pk}/stop/").status_code == 404
    assert client.get(f"/ads/{base_ad.pk}/evolve/").status_code == 404


def test_evolve_this_ad(client_in, base_ad, sim_account):
    page = text(client_in.get(f"/ads/{base_ad.pk}/evolve/"))
    assert "Not a winner (yet)" in page and 'data-testid="evolve-cross_size"' not in page
    make_winner(base_ad)
    page = text(client_in.get(f"/ads/{base_ad.pk}/evolve/"))
    assert "A winner" in page and 'data-testid="evolve-cross_size"' in page and "Cross-size expansion" in page
    no_inline_code(page)
    submitted = client_in.post(f"/ads/{base_ad.pk}/evolve/", {"mode": "cross_size"})
    assert submitted.status_code == 302 and submitted["Location"].startswith("/jobs/")
    refused = client_in.post(f"/ads/{base_ad.pk}/evolve/", {"mode": "competitive"})
    assert refused.status_code == 400 and "does not apply" in refused.content.decode()


def test_the_results_page_links_only_winners_to_evolve(client_in, cat, base_ad, sim_account):
    from experiments.tests.support import make_ad

    other = make_ad(cat, size="4:5")
    make_winner(base_ad)
    page = text(client_in.get("/results/"))
    assert f'href="/ads/{base_ad.pk}/evolve/"' in page and f'href="/ads/{other.pk}/evolve/"' not in page
