"""Reading the next page of a source while the caller stores the current one. Pure (no Django).

A sync alternates two waits: Meta (HTTP, then JSON parsing and unit conversion in Python) and
the database (the upsert runs in PostgreSQL, the driver releases the GIL while it waits). Done
one after the other they add up; with the next page fetched in a thread during the upsert of
this one, the sync costs little more than the reading alone.

Only the fetching moves to the thread: it must not touch the database (a second connection
would not see the caller's transaction), so sources that read the database page in the caller's
thread (`pages_with_calls(..., ahead=False)`).

The calls the source reports while fetching a page (for the call ledger) are handed over with
that page, so each page's transaction records exactly the calls that produced it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_PAGE, _END, _ERROR = "page", "end", "error"
_POLL_SECONDS = 0.05


def pages_with_calls(pages: Iterator[T], calls: list, *, ahead: bool, depth: int = 2) -> Iterator[tuple[T, list]]:
    """(page, the calls made to fetch it) for each page of `pages`.

    `calls` is the list the source's observer appends to. With `ahead`, up to `depth` pages are
    fetched in a worker thread before the caller asks for them; the caller must not touch `calls`
    until this iterator is exhausted or closed. An error raised by the source is raised here, in
    the caller's thread, with the calls made before it left in `calls` (the caller records them).
    """
    if not ahead:
        for page in pages:
            taken = calls[:]
            calls.clear()
            yield page, taken
        return
    yield from _ReadAhead(pages, calls, depth).iterate()


class _ReadAhead:
    def __init__(self, pages: Iterator[Any], calls: list, depth: int) -> None:
        self.pages = pages
        self.calls = calls
        self.handed: queue.Queue = queue.Queue(maxsize=depth)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._fetch, name="meta-read-ahead", daemon=True)
        self.unhanded: list = []  # calls of a page the caller stopped before taking

    def _take_calls(self) -> list:
        taken = self.calls[:]
        self.calls.clear()
        return taken

    def _hand(self, item: tuple) -> bool:
        while not self.stop.is_set():
            try:
                self.handed.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        self.unhanded.extend(item[2])
        return False

    def _fetch(self) -> None:
        try:
            for page in self.pages:
                if not self._hand((_PAGE, page, self._take_calls())):
                    return
            self._hand((_END, None, self._take_calls()))
        except BaseException as error:  # handed to the caller's thread, raised there
            self._hand((_ERROR, error, self._take_calls()))
        finally:
            close = getattr(self.pages, "close", None)
            if close is not None:
                close()

    def iterate(self) -> Iterator[tuple[Any, list]]:
        self.thread.start()
        try:
            while True:
                kind, value, taken = self.handed.get()
                if kind == _PAGE:
                    yield value, taken
                    continue
                self.thread.join()
                self.calls.extend(taken)
                if kind == _ERROR:
                    raise value
                return
        finally:
            self.stop.set()
            self.thread.join()
            # Pages fetched but never consumed (the caller stopped early): their calls were made.
            while True:
                try:
                    _, _, taken = self.handed.get_nowait()
                except queue.Empty:
                    break
                self.calls.extend(taken)
            self.calls.extend(self.unhanded)
