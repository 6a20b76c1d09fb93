"""The ad_creation_v2 job handler: thin, it runs the pipeline and chains split parts."""

from __future__ import annotations

from adcreator.jobs import registry
from generation.job_page import GENERATION_JOB_PAGE
from generation.params import AdCreationParams
from generation.pipeline.orchestrator import run_pipeline
from generation.progress import GenerationProgress
from generation.services import ad_creation_enqueue_next_part


def run_ad_creation(run, params: AdCreationParams, progress) -> dict:
    result = run_pipeline(run_id=run.pk, params=params, progress=progress)
    if not result.get("error"):
        ad_creation_enqueue_next_part(job=run.job)
    return result


def register() -> None:
    registry.register("ad_creation_v2", params_model=AdCreationParams, handler=run_ad_creation,
                      progress_model=GenerationProgress, page=GENERATION_JOB_PAGE)
