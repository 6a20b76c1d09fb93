"""Use cases of experiments and winner evolution; every door (pages, API, admin, jobs) calls these."""

from experiments.services.analysis import experiment_analyse, experiments_analyse_organization
from experiments.services.arms import experiment_check_arms, experiment_generate_arms
from experiments.services.deploy import experiment_deploy
from experiments.services.edit import ad_headline_edit
from experiments.services.errors import ExperimentError
from experiments.services.evolution import EvolutionError, evolution_options, evolution_submit
from experiments.services.experiments import (
    experiment_confirm_budget, experiment_create, experiment_plan_preview, experiment_replan, experiment_stop,
)
from experiments.services.lineage import evolution_record_lineage

__all__ = [
    "ad_headline_edit", "EvolutionError", "ExperimentError", "evolution_options", "evolution_record_lineage", "evolution_submit",
    "experiment_analyse", "experiment_check_arms", "experiment_confirm_budget", "experiment_create",
    "experiment_deploy", "experiment_generate_arms", "experiment_plan_preview", "experiment_replan",
    "experiment_stop", "experiments_analyse_organization",
]
