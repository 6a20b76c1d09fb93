"""What several nodes share: stored files read once per run, the run's call ledger, bounded
concurrency with all writes on the orchestrating thread."""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Callable, Iterable, TypeVar

from django.conf import settings
from django.core.files.storage import default_storage

from adcreator.calls.ledger import CallLedger, CallScope
from adcreator.jobs.registry import RunCancelled
from generation.pipeline.state import PipelineState

Item = TypeVar("Item")
Result = TypeVar("Result")


def read_file(state: PipelineState, name: str) -> bytes:
    if name not in state.file_cache:
        with default_storage.open(name, "rb") as handle:
            state.file_cache[name] = handle.read()
    return state.file_cache[name]


def ledger_for(state: PipelineState) -> CallLedger:
    cat = state.cat
    return CallLedger(CallScope(organization_id=cat.organization.pk, brand_id=cat.brand.pk, job_run_id=state.run_id))


def run_concurrently(items: Iterable[Item], work: Callable[[Item], Result], store: Callable[[Item, Result], None],
                     *, thread_name: str, state: PipelineState | None = None) -> None:
    """Run `work` on items in threads (bounded by ADCREATOR_MAX_CONCURRENCY) and `store` each
    result here, on the calling thread: threads only call providers, this thread owns every
    write, so the database work stays serial and countable and a crash loses only what was in flight.

    With a `state`, the run's cancellation is checked after every stored item: no new item
    starts, the ones in flight are stored (their work is done and paid for), then RunCancelled."""
    concurrency = max(1, settings.ADCREATOR_MAX_CONCURRENCY)
    queue = list(items)
    in_flight: dict[Future, Item] = {}
    stopped = False
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=thread_name) as pool:
        while queue or in_flight:
            while queue and len(in_flight) < concurrency:
                item = queue.pop(0)
                in_flight[pool.submit(work, item)] = item
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                item = in_flight.pop(future)
                store(item, future.result())
            if state is not None and queue and state.cancelled():
                queue.clear()
                stopped = True
    if stopped:
        raise RunCancelled(f"run {state.run_id} cancelled; stopped between ads")


def stop_if_cancelled(state: PipelineState) -> None:
    """Between two steps: a cancelled run goes no further."""
    if state.cancelled():
        raise RunCancelled(f"run {state.run_id} cancelled")
