"""The typed shape of `JobRun.metadata`: what every run reports, whatever its job type.

A job type registers a subclass with its own fields (generation.progress.GenerationProgress);
pages, the API and the admin read metadata through that model, never by raw keys. Unknown
keys are kept (`extra="allow"`): metadata written by an older handler still reads.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RunProgress(BaseModel):
    model_config = ConfigDict(extra="allow", validate_assignment=True)

    # The step the handler is in (a pipeline node name for generation); "" before a worker starts.
    stage: str = ""
    # Written by the job system: which worker ran each attempt, and the stale-run recoveries.
    workers: list[str] = Field(default_factory=list)
    recoveries: int = 0
    recovered_at: str | None = None
    # A handler's structured failure (`error`, a short code) and its detail for people.
    error: str | None = None
    error_detail: str | None = None
    # A job that had nothing to do says so (a meta_sync of a brand without an ad account).
    skipped: bool = False
    reason: str | None = None

    @classmethod
    def read(cls, metadata: dict | None) -> "RunProgress":
        """Metadata as this model; a value of the wrong type is dropped rather than failing a page."""
        data = dict(metadata or {})
        try:
            return cls.model_validate(data)
        except ValueError:
            valid = {}
            for key, value in data.items():
                try:
                    cls.model_validate({key: value})
                except ValueError:
                    continue
                valid[key] = value
            return cls.model_validate(valid)


# A run's status as its badge says it: "Waiting" rather than the table's "pending", which
# beside a stage left over from an earlier attempt read as a contradiction.
STATUS_BADGES: dict[str, str] = {"pending": "Waiting", "running": "Running", "completed": "Completed",
                                 "failed": "Failed", "cancelled": "Cancelled"}
FINISHED_PHASES: dict[str, str] = {"completed": "Done", "failed": "Failed", "cancelled": "Cancelled"}
STARTING = "Starting…"
WAITING = "Waiting for a worker"


def badge_of(status: str | None) -> str:
    return STATUS_BADGES.get(status or "pending", status or "Waiting")


def phase_of(status: str | None, stage: str, stage_labels: dict[str, str] | None = None) -> str:
    """The one phase a run is in, from its status first: a waiting run is waiting whatever stage
    an earlier attempt reached, a finished run is finished, a running one is in its stage."""
    if status in FINISHED_PHASES:
        return FINISHED_PHASES[status]
    if status != "running":
        return WAITING
    if not stage:
        return STARTING
    labels = stage_labels or {}
    return labels.get(stage, stage.replace("_", " ").capitalize())
