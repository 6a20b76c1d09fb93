"""The experiment_analysis job (spec 12c): once a day per organization, after the Meta sync."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from adcreator.inputs import DbId
from adcreator.jobs import registry
from adcreator.jobs.progress import RunProgress
from adcreator.jobs.registry import JobPage
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


def job_page_context(job, run, progress: ExperimentAnalysisProgress) -> dict:
    """Each analysed experiment's outcome, linked, for the job page."""
    return {"analysed": [{"id": int(pk), "result": result} for pk, result in sorted(
        (progress.experiments or {}).items(), key=lambda item: int(item[0]))]}


ANALYSIS_JOB_PAGE = JobPage(progress_template="experiments/partials/analysis_job.html", context=job_page_context)


def register() -> None:
    registry.register("experiment_analysis", params_model=ExperimentAnalysisParams, handler=run_experiment_analysis,
                      progress_model=ExperimentAnalysisProgress, page=ANALYSIS_JOB_PAGE)
