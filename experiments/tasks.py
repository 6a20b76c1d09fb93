"""The experiment_analysis job (spec 12c): once a day per organization, after the Meta sync."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from adcreator.inputs import DbId
from adcreator.jobs import registry
from adcreator.jobs.progress import RunProgress
from experiments.services.analysis import experiments_analyse_organization


class ExperimentAnalysisParams(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    # Empty: every running experiment of the job's organization (the daily schedule).
    experiment_ids: list[DbId] = Field(default_factory=list, max_length=500)


class ExperimentAnalysisProgress(RunProgress):
    current_experiment: int | None = None
    experiments: dict = Field(default_factory=dict)
    lineage_rows_created: int = 0


def run_experiment_analysis(run, params: ExperimentAnalysisParams, progress) -> dict:
    progress.update(stage="analysing")
    return experiments_analyse_organization(organization_id=run.job.organization_id,
                                            experiment_ids=params.experiment_ids or None, progress=progress)


def register() -> None:
    registry.register("experiment_analysis", params_model=ExperimentAnalysisParams, handler=run_experiment_analysis,
                      progress_model=ExperimentAnalysisProgress)
