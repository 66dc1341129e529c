"""The embedded default's broker as the health report sees it: tasks run in this process, nothing to reach."""

from __future__ import annotations


class InlineBrokerCheck:
    name = "broker"
    backend = "inline"

    def check(self) -> None:
        """Always answers: the in-process queue is up whenever the process answering the request is."""
