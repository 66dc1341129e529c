"""Mail work off the request path: the embedded default's background runner and the workers' retry rule
retry what a mail server may accept later, and drop (with a log) what it never will."""

from __future__ import annotations

import time

import pytest

from productsmanager.adapters.tasks.background import BackgroundRunner
from productsmanager.application.mail.ports import MailDeliveryFailed, MessageTemplateError
from productsmanager.application.tasks import is_transient


class Flaky:
    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)


def runner(waits: list[float]) -> BackgroundRunner:
    return BackgroundRunner(backoff=(2.0, 10.0), sleep=waits.append, start_delay=0)


def test_a_transient_failure_is_retried_with_backoff_until_it_succeeds() -> None:
    waits: list[float] = []
    background = runner(waits)
    work = Flaky(MailDeliveryFailed("busy", transient=True), MailDeliveryFailed("busy", transient=True))
    background.submit("mail", work)
    assert background.drain(5)
    assert work.calls == 3 and waits == [2.0, 10.0]


@pytest.mark.parametrize(
    "error", [MailDeliveryFailed("550 no such user", transient=False), MessageTemplateError("x"), KeyError("y")]
)
def test_a_permanent_failure_is_logged_once_and_dropped(error: Exception, caplog: pytest.LogCaptureFixture) -> None:
    waits: list[float] = []
    background = runner(waits)
    work = Flaky(error)
    background.submit("mail", work)
    assert background.drain(5)
    assert work.calls == 1 and waits == [] and "mail failed after 1 attempt" in caplog.text


def test_retries_stop_after_the_last_backoff(caplog: pytest.LogCaptureFixture) -> None:
    waits: list[float] = []
    background = runner(waits)
    work = Flaky(*(MailDeliveryFailed("down", transient=True) for _ in range(5)))
    background.submit("mail", work)
    assert background.drain(5)
    assert work.calls == 3 and "after 3 attempt" in caplog.text


def test_the_workers_retry_only_transient_mail_failures() -> None:
    from productsmanager.entrypoints.dramatiq.actors import MAIL_RETRIES, _retry_transient_mail

    transient = MailDeliveryFailed("451 later", transient=True)
    assert is_transient(transient) and _retry_transient_mail(0, transient)
    assert not _retry_transient_mail(MAIL_RETRIES, transient)
    assert not _retry_transient_mail(0, MailDeliveryFailed("550", transient=False))
    assert not _retry_transient_mail(0, MessageTemplateError("missing variable"))


def test_work_starts_after_the_request_that_queued_it_had_time_to_finish() -> None:
    background = BackgroundRunner(start_delay=0.2)
    work = Flaky()
    queued = time.monotonic()
    background.submit("mail", work)
    assert work.calls == 0
    assert background.drain(5)
    assert work.calls == 1 and time.monotonic() - queued >= 0.2
