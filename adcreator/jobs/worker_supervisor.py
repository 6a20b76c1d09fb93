"""`manage.py run_worker`: django-q2's cluster, stopped cleanly however it is signalled.

`manage.py qcluster` stops well only when SIGTERM reaches its main process alone. Process
managers signal more: systemd (KillMode=control-group) and `kill -TERM -<pgid>` send SIGTERM
to every process, and then the cluster's sentinel dies at once (its SIGTERM is the default
action), possibly holding the lock of the stop event the main process is about to set; the
main process then hangs in its signal handler forever (django-q2 issue #346). And a main
process that is SIGKILLed leaves the sentinel and its workers running on, unsupervised.

Here the main process runs the cluster itself and owns the signals:
- SIGTERM, SIGINT or SIGHUP (to this process or to the whole group): ask the cluster to stop
  (from a side thread with a timeout, so a poisoned lock cannot hang us), give running tasks
  up to ADCREATOR_WORKER_STOP_SECONDS to finish, then SIGKILL whatever is left of the tree.
  Runs the stopped workers were executing go back to `pending` and onto the queue, so the
  next worker resumes them: the ads already made are kept, the ones in flight are made again.
  A second signal skips the wait.
- SIGKILL of this process: the kernel ends the whole tree with it (PR_SET_PDEATHSIG on every
  process the cluster forks); their runs are recovered by the stale-run schedule.
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
import time
from collections.abc import Callable

from adcreator.jobs.processes import (
    become_subreaper,
    descendants,
    is_running,
    kill_all,
    reap,
    tie_forked_children_to_parent,
)

logger = logging.getLogger("adcreator.jobs.worker")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# How long to wait for the cluster's stop event to be set before treating it as poisoned.
STOP_EVENT_TIMEOUT_SECONDS = 2.0
# After the final SIGKILL: how long to wait for the killed processes to be gone.
REAP_TIMEOUT_SECONDS = 5.0
_TREE_SCAN_SECONDS = 1.0


class ClusterSupervisor:
    def __init__(self, *, stop_seconds: float, release: Callable[[set[str]], list[int]]):
        self.stop_seconds = stop_seconds
        self.release = release
        self._stop = threading.Event()
        self._hurry = False
        self._signal_name = ""
        self._seen: set[int] = set()  # every process of the tree ever seen (workers are recycled)

    # --- signals -------------------------------------------------------------------------

    def _on_signal(self, signum, frame) -> None:
        if self._stop.is_set():
            self._hurry = True
        self._signal_name = self._signal_name or signal.Signals(signum).name
        self._stop.set()

    def _install_handlers(self) -> None:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._on_signal)

    # --- the run -------------------------------------------------------------------------

    def worker_ids(self) -> set[str]:
        """Worker identities as JobRun.metadata["workers"] records them (host:pid)."""
        host = socket.gethostname()
        return {f"{host}:{pid}" for pid in self._seen}

    def _remember_tree(self) -> None:
        self._seen |= descendants()

    def run(self) -> int:
        from django_q.cluster import Cluster

        become_subreaper()
        tie_forked_children_to_parent()
        cluster = Cluster()  # installs its own handlers, which block: replaced at once
        self._install_handlers()
        exit_code = 0
        try:
            cluster.start()
        except RuntimeError as exc:  # the sentinel died while starting (a signal, a broken broker)
            logger.error("%s", exc)
            self._stop.set()
            exit_code = 1
        logger.info("worker %s running; stop timeout %ss", cluster.name, self.stop_seconds)
        last_scan = 0.0
        while not self._stop.wait(0.2):
            if time.monotonic() - last_scan >= _TREE_SCAN_SECONDS:
                self._remember_tree()
                last_scan = time.monotonic()
            if not cluster.sentinel.is_alive():
                code = cluster.sentinel.exitcode
                if code is not None and -code in STOP_SIGNALS:
                    # The signal went to the whole group and reached the sentinel first: a stop.
                    self._signal_name = f"{signal.Signals(-code).name} to the group"
                else:
                    logger.error("the queue's sentinel ended (exit code %s); stopping", code)
                    exit_code = 1
                break
        self._remember_tree()
        self._shut_down(cluster)
        released = self.release(self.worker_ids())
        if released:
            logger.warning("runs %s were interrupted and are pending again, to be resumed", released)
        logger.info("worker %s stopped", cluster.name)
        return exit_code

    def _shut_down(self, cluster) -> None:
        started = time.monotonic()
        logger.info("stopping (%s): running tasks get up to %ss", self._signal_name or "sentinel gone",
                    self.stop_seconds)
        setter = threading.Thread(target=cluster.stop_event.set, name="cluster-stop", daemon=True)
        if cluster.sentinel.is_alive():  # a dead sentinel may have died holding the event's lock
            setter.start()
            setter.join(STOP_EVENT_TIMEOUT_SECONDS)
        if setter.is_alive():
            logger.warning("the cluster's stop event is locked (its sentinel died holding it); ending the cluster")
        deadline = started + self.stop_seconds
        while (cluster.sentinel.is_alive() and not setter.is_alive() and not self._hurry
               and time.monotonic() < deadline):
            time.sleep(0.1)
        self._remember_tree()
        left = {pid for pid in descendants() if is_running(pid)}
        if left:
            logger.warning("ending %d process(es) still running after %.1fs", len(left), time.monotonic() - started)
            kill_all(left)
        cluster.sentinel.join(REAP_TIMEOUT_SECONDS)
        sentinel_pid = cluster.sentinel.pid
        wait_until = time.monotonic() + REAP_TIMEOUT_SECONDS
        while time.monotonic() < wait_until:
            others = descendants() - {sentinel_pid}
            reap(others)
            if not any(is_running(pid) for pid in others):
                break
            time.sleep(0.05)
        logger.info("cluster stopped in %.1fs", time.monotonic() - started)
