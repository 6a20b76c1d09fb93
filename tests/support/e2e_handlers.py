"""A job handler that exists only in the tests (loaded via ADCREATOR_EXTRA_JOB_HANDLERS)."""

from __future__ import annotations

import os
import time

from pydantic import BaseModel

from adcreator.jobs import registry


class EchoParams(BaseModel):
    message: str
    steps: int = 3
    seconds: float = 0.0  # how long the job takes, so several workers get a share


def echo_handler(run, params: EchoParams, progress) -> dict:
    for step in range(1, params.steps + 1):
        time.sleep(params.seconds / params.steps)
        progress.update(step=step)
    return {"echo": params.message.upper(), "pid": os.getpid()}


# "scorecard" is in the closed list and has no production handler yet.
registry.register("scorecard", params_model=EchoParams, handler=echo_handler)
