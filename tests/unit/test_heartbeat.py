"""The worker's heartbeat thread: beats while the work runs, stops with it, survives a beat that fails."""

from __future__ import annotations

import threading
import time

import pytest

from productsmanager.application.heartbeat import Heartbeat


def test_it_beats_while_the_work_runs_and_stops_after() -> None:
    beats: list[float] = []
    with Heartbeat(lambda: beats.append(time.monotonic()), every=0.01):
        time.sleep(0.1)
    seen = len(beats)
    time.sleep(0.05)
    assert seen >= 3 and len(beats) <= seen + 1  # at most one beat was already in flight


def test_a_failing_beat_is_logged_and_the_next_one_still_comes(caplog: pytest.LogCaptureFixture) -> None:
    calls = threading.Semaphore(0)

    def beat() -> None:
        calls.release()
        raise ConnectionError("database restarting")

    with Heartbeat(beat, every=0.01):
        assert calls.acquire(timeout=2) and calls.acquire(timeout=2)
    assert "heartbeat could not be written" in caplog.text


def test_leaving_does_not_wait_for_a_beat_stuck_behind_a_lock() -> None:
    lock = threading.Lock()
    lock.acquire()
    started = time.monotonic()
    with Heartbeat(lambda: lock.acquire(timeout=1), every=0.001):
        time.sleep(0.02)
    assert time.monotonic() - started < 0.5
    lock.release()
