"""Start a real `manage.py qcluster` process against the test database."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

from django.db import connection

REPO_ROOT = Path(__file__).resolve().parents[2]


def database_env() -> dict[str, str]:
    """Environment that points a child process at the database this test uses."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"ADCREATOR_SQLITE_PATH": str(settings_dict["NAME"]), "DATABASE_URL": ""}
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or "5432"
    return {"DATABASE_URL": f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"}


@contextlib.contextmanager
def running_qcluster(*, extra_env: dict[str, str] | None = None, workers: int = 1, log_path: Path | None = None,
                     command: tuple[str, ...] = ("qcluster",)) -> Iterator[subprocess.Popen]:
    """A worker process in its own session (so a test can signal its whole process group);
    `command=("run_worker",)` starts the project's entry point instead of django-q2's."""
    env = dict(os.environ)
    env.update(database_env())
    from django.conf import settings

    env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    env.update({"ADCREATOR_WORKERS": str(workers), "PYTHONUNBUFFERED": "1"})
    env.update(extra_env or {})
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "manage.py", *command],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        stop_process_group(proc)
        if log_path:
            log.close()


def stop_process_group(proc: subprocess.Popen, *, sig: int = signal.SIGINT, timeout: float = 15.0) -> None:
    """SIGINT stops qcluster at once (after a task, SIGTERM waits out a long grace period)."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def wait_for(predicate, *, timeout: float, interval: float = 0.25, message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {message}")
