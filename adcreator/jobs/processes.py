"""Process-tree plumbing for the worker entry point (Linux; harmless no-ops elsewhere).

No Django here: reading /proc, tying children's lives to their parent's, killing a tree.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing.util
import os
import signal
import sys
from pathlib import Path

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
_PROC = Path("/proc")


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def become_subreaper() -> bool:
    """Orphaned descendants are re-parented to this process (not init), so it can reap them
    and know for sure when the whole tree is gone."""
    return _prctl(_PR_SET_CHILD_SUBREAPER, 1)


class _DieWithParent:
    """Registered with multiprocessing: every process it forks from here (the queue's
    sentinel, and the sentinel's workers, pusher and monitor, which inherit the registration)
    is SIGKILLed by the kernel when its parent dies. A SIGKILLed worker entry point thus
    takes its whole tree with it instead of leaving workers running on."""

    def __call__(self, _obj) -> None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before the line above: nobody supervises us
            os._exit(1)


_DIE_WITH_PARENT = _DieWithParent()  # kept alive: multiprocessing holds it weakly


def tie_forked_children_to_parent() -> None:
    multiprocessing.util.register_after_fork(_DIE_WITH_PARENT, _DIE_WITH_PARENT)


def _parent_of(pid: int) -> int | None:
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid ...": comm may hold spaces and parentheses; split after the last ")".
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[1])


def descendants(root: int | None = None) -> set[int]:
    """Every live process below `root` (default: this process), zombies included."""
    root = os.getpid() if root is None else root
    if not _PROC.is_dir():
        return set()
    children: dict[int, list[int]] = {}
    for entry in _PROC.iterdir():
        if entry.name.isdigit():
            parent = _parent_of(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    pending = list(children.get(root, []))
    while pending:
        pid = pending.pop()
        if pid not in found:
            found.add(pid)
            pending.extend(children.get(pid, []))
    return found


def is_running(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"


def kill_all(pids: set[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def reap(pids: set[int]) -> None:
    """Collect the exit status of these finished children (orphans re-parented to us). Only
    named pids: a child that multiprocessing waits for itself must be left to it."""
    for pid in pids:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)
