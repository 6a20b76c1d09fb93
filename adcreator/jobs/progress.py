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
