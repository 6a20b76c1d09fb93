"""genome.read_ahead: pages fetched in a thread arrive in order, each with the calls that fetched
it; errors reach the caller's thread; a caller that stops early stops the thread. No database."""

from __future__ import annotations

import threading

import pytest

from genome.read_ahead import pages_with_calls


def source(calls: list, pages: int, *, fail_at: int | None = None, produced: list | None = None):
    for number in range(1, pages + 1):
        calls.append(f"call for page {number}")
        if number == fail_at:
            calls.append("the failing call")
            raise RuntimeError(f"page {number} failed")
        if produced is not None:
            produced.append(threading.current_thread().name)
        yield number


@pytest.mark.parametrize("ahead", [True, False])
def test_pages_arrive_in_order_each_with_the_calls_that_fetched_it(ahead):
    calls: list = []
    got = list(pages_with_calls(source(calls, 5), calls, ahead=ahead))
    assert got == [(n, [f"call for page {n}"]) for n in range(1, 6)]
    assert calls == []


def test_the_next_page_is_fetched_in_another_thread_while_the_caller_works():
    calls: list = []
    second_page_fetched = threading.Event()
    produced: list = []

    def watched():
        for page in source(calls, 3, produced=produced):
            if page == 2:
                second_page_fetched.set()
            yield page

    pages = pages_with_calls(watched(), calls, ahead=True)
    first, _ = next(pages)
    assert first == 1
    # Still holding page 1: page 2 is read without being asked for.
    assert second_page_fetched.wait(timeout=10)
    assert [page for page, _ in pages] == [2, 3]
    assert set(produced) == {"meta-read-ahead"} and threading.current_thread().name not in produced


@pytest.mark.parametrize("ahead", [True, False])
def test_an_error_of_the_source_is_raised_to_the_caller_with_its_calls_kept(ahead):
    calls: list = []
    seen = []
    with pytest.raises(RuntimeError, match="page 3 failed"):
        for page, page_calls in pages_with_calls(source(calls, 5, fail_at=3), calls, ahead=ahead):
            seen.append((page, page_calls))
    assert seen == [(1, ["call for page 1"]), (2, ["call for page 2"])]
    assert calls == ["call for page 3", "the failing call"]  # made, so the caller records them


def test_a_caller_that_stops_early_stops_the_thread_and_gets_the_calls_back():
    calls: list = []
    closed = threading.Event()

    def endless():
        try:
            number = 0
            while True:
                number += 1
                calls.append(number)
                yield number
        finally:
            closed.set()

    pages = pages_with_calls(endless(), calls, ahead=True, depth=2)
    for page, _ in pages:
        if page == 2:
            break
    pages.close()
    assert closed.wait(timeout=10)
    assert not any(t.name == "meta-read-ahead" for t in threading.enumerate())
    # Pages read ahead but never stored: their calls were made and are handed back.
    assert calls and calls == sorted(calls) and calls[0] == 3
