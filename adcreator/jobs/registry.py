"""The explicit map from job type to handler (spec P0-1).

Apps register their handlers in `AppConfig.ready()`; the job system never imports them.
Looking up a type with no handler is an error, never a fallback to some other handler.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Protocol

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:  # pragma: no cover
    from adcreator.jobs.models import JobRun

logger = logging.getLogger(__name__)


class UnknownJobTypeError(LookupError):
    """No handler is registered for this job type."""


class JobParametersError(ValueError):
    """Job parameters failed validation; `errors` maps a field path to its messages."""

    def __init__(self, job_type: str, errors: dict[str, list[str]]):
        self.job_type = job_type
        self.errors = errors
        detail = "; ".join(f"{field}: {', '.join(msgs)}" for field, msgs in errors.items())
        super().__init__(f"invalid parameters for {job_type}: {detail}")


class Progress(Protocol):
    """What a handler may tell the world while it works."""

    def update(self, **fields: Any) -> None: ...


Handler = Callable[["JobRun", BaseModel, Progress], dict | None]


@dataclass(frozen=True)
class JobHandler:
    job_type: str
    params_model: type[BaseModel]
    handler: Handler


_handlers: dict[str, JobHandler] = {}


def register(job_type: str, *, params_model: type[BaseModel], handler: Handler) -> None:
    from adcreator.jobs.models import JobType

    if job_type not in JobType.values:
        raise ValueError(f"{job_type!r} is not in the closed list of job types")
    existing = _handlers.get(job_type)
    if existing is not None and existing.handler is not handler:
        raise ValueError(f"a handler for {job_type!r} is already registered ({existing.handler!r})")
    _handlers[job_type] = JobHandler(job_type=job_type, params_model=params_model, handler=handler)


def unregister(job_type: str) -> None:
    _handlers.pop(job_type, None)


def get_handler(job_type: str) -> JobHandler:
    try:
        return _handlers[job_type]
    except KeyError:
        raise UnknownJobTypeError(f"no handler registered for job type {job_type!r}") from None


def registered_types() -> list[str]:
    return sorted(_handlers)


def validation_errors(exc: ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for err in exc.errors():
        field = ".".join(str(part) for part in err["loc"]) or "__root__"
        errors.setdefault(field, []).append(err["msg"])
    return errors


def validate_parameters(job_type: str, raw: dict) -> BaseModel:
    entry = get_handler(job_type)
    try:
        return entry.params_model.model_validate(raw)
    except ValidationError as exc:
        raise JobParametersError(job_type, validation_errors(exc)) from exc


def dispatch(run: "JobRun", job_type: str, raw_parameters: dict, progress: Progress) -> dict | None:
    """Run the handler for `job_type`. Unknown type: log, and raise — never fall through."""
    try:
        entry = _handlers[job_type]
    except KeyError:
        logger.error("run %s: no handler for job type %r; refusing to run it", getattr(run, "pk", None), job_type)
        raise UnknownJobTypeError(f"no handler registered for job type {job_type!r}") from None
    params = validate_parameters(job_type, raw_parameters)
    return entry.handler(run, params, progress)
