"""The explicit map from job type to handler (spec P0-1).

Apps register their handlers in `AppConfig.ready()`; the job system never imports them.
Looking up a type with no handler is an error, never a fallback to some other handler.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Protocol

from pydantic import BaseModel, ValidationError

from adcreator.jobs.progress import RunProgress

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


class RunCancelled(Exception):
    """Raised by a handler that found its run cancelled (Progress.cancelled()) and stopped; the
    job system records the stop, not a failure. What the handler made before is kept."""


class Progress(Protocol):
    """What a handler may tell the world while it works, and ask of it: whether someone
    cancelled the run (a handler checks between units of work and raises RunCancelled)."""

    def update(self, **fields: Any) -> None: ...

    def cancelled(self) -> bool: ...


Handler = Callable[["JobRun", BaseModel, Progress], dict | None]


@dataclass(frozen=True)
class JobPage:
    """How a job type shows on the job page: the job system renders the page, the app that
    owns the type renders its part of it (the job system never imports that app)."""

    # The live progress section (re-fetched while the run is unfinished) and the facts section.
    progress_template: str
    facts_template: str | None = None
    # (job, latest run or None, its progress) → the context both templates read.
    context: Callable[..., dict] | None = None
    # The job's parameters → its cost estimate at list prices (a Decimal), for the pages and
    # the API to set beside the ledger's actual cost; None for a type that spends nothing.
    estimate: Callable[[dict], Any] | None = None


@dataclass(frozen=True)
class JobHandler:
    job_type: str
    params_model: type[BaseModel]
    handler: Handler
    # The shape of this type's JobRun.metadata, for the pages, the API and the admin.
    progress_model: type[RunProgress] = RunProgress
    page: JobPage | None = None
    # Staff's own work (template analysis, calibration, the genome's jobs): never on a client's
    # pages or in their API answers.
    staff_only: bool = False


_handlers: dict[str, JobHandler] = {}

# The types a client never sees, whether or not a handler is registered in this process (the
# web process lists rows a worker made). Work staff run on the library, the review calibration
# and the genome; a client's own jobs (ad creation, their Meta sync, their experiments'
# analysis) stay visible. A type not listed here is a client's.
STAFF_ONLY_TYPES: frozenset[str] = frozenset({
    "template_scrape", "template_approval", "template_element_detection", "congruence_reanalysis",
    "ad_classification", "asset_download", "competitor_scrape", "reddit_scrape", "amazon_review_scrape",
    "creative_genome_update", "genome_validation", "quality_calibration",
})


def register(job_type: str, *, params_model: type[BaseModel], handler: Handler,
             progress_model: type[RunProgress] = RunProgress, page: JobPage | None = None,
             staff_only: bool | None = None) -> None:
    """`staff_only` defaults to the declaration in STAFF_ONLY_TYPES."""
    from adcreator.jobs.models import JobType

    if job_type not in JobType.values:
        raise ValueError(f"{job_type!r} is not in the closed list of job types")
    existing = _handlers.get(job_type)
    if existing is not None and existing.handler is not handler:
        raise ValueError(f"a handler for {job_type!r} is already registered ({existing.handler!r})")
    _handlers[job_type] = JobHandler(job_type=job_type, params_model=params_model, handler=handler,
                                     progress_model=progress_model, page=page,
                                     staff_only=job_type in STAFF_ONLY_TYPES if staff_only is None else staff_only)


def unregister(job_type: str) -> None:
    _handlers.pop(job_type, None)


def get_handler(job_type: str) -> JobHandler:
    try:
        return _handlers[job_type]
    except KeyError:
        raise UnknownJobTypeError(f"no handler registered for job type {job_type!r}") from None


def registered_types() -> list[str]:
    return sorted(_handlers)


def staff_only_types() -> set[str]:
    """Every type hidden from clients: a registered type by its flag, any other by the declaration."""
    return ({t for t in STAFF_ONLY_TYPES if t not in _handlers}
            | {t for t, entry in _handlers.items() if entry.staff_only})


def is_staff_only(job_type: str) -> bool:
    return job_type in staff_only_types()


def label_of(job_type: str) -> str:
    from adcreator.jobs.models import JobType

    return JobType(job_type).label if job_type in JobType.values else job_type


def page_of(job_type: str) -> JobPage | None:
    entry = _handlers.get(job_type)
    return entry.page if entry else None


def estimate_of(job_type: str, parameters: dict | None):
    """The job's estimated cost at list prices (Decimal), or None when its type has no estimate."""
    page = page_of(job_type)
    if page is None or page.estimate is None:
        return None
    try:
        return page.estimate(parameters or {})
    except (TypeError, ValueError):  # parameters stored by an older version: no estimate, not a 500
        return None


def progress_of(job_type: str, metadata: dict | None) -> RunProgress:
    """A run's metadata read through its job type's progress model (RunProgress for an unknown type)."""
    entry = _handlers.get(job_type)
    return (entry.progress_model if entry else RunProgress).read(metadata)


# pydantic prefixes the message of a plain ValueError raised in a validator; people read the rest.
_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


def validation_errors(exc: ValidationError) -> dict[str, list[str]]:
    """pydantic's errors as {dotted.field.path: [messages]}; "__all__" for the whole request."""
    errors: dict[str, list[str]] = {}
    for err in exc.errors():
        field = ".".join(str(part) for part in err["loc"]) or "__all__"
        message = err["msg"]
        for prefix in _PYDANTIC_PREFIXES:
            message = message.removeprefix(prefix)
        errors.setdefault(field, []).append(message)
    return errors


def validate_parameters(job_type: str, raw: dict) -> BaseModel:
    entry = get_handler(job_type)
    try:
        return entry.params_model.model_validate(raw)
    except ValidationError as exc:
        raise JobParametersError(job_type, validation_errors(exc)) from exc


def accept_parameters(job_type: str, parameters: dict | BaseModel) -> BaseModel:
    """A parameter model of this job type as it is (validated at its door), or a dict validated now."""
    entry = get_handler(job_type)
    if isinstance(parameters, BaseModel):
        if not isinstance(parameters, entry.params_model):
            raise TypeError(f"{job_type} takes {entry.params_model.__name__}, not {type(parameters).__name__}")
        return parameters
    return validate_parameters(job_type, parameters)


def dispatch(run: "JobRun", job_type: str, raw_parameters: dict, progress: Progress) -> dict | None:
    """Run the handler for `job_type`. Unknown type: log, and raise — never fall through."""
    try:
        entry = _handlers[job_type]
    except KeyError:
        logger.error("run %s: no handler for job type %r; refusing to run it", getattr(run, "pk", None), job_type)
        raise UnknownJobTypeError(f"no handler registered for job type {job_type!r}") from None
    params = validate_parameters(job_type, raw_parameters)
    return entry.handler(run, params, progress)
