"""The pure rules of image downloads: which URLs are fetched, where redirects lead, the byte cap, the deadline,
connecting within it and the per-host slots (no network: `tests/integration/test_image_downloads.py` has the
real exchanges)."""

from __future__ import annotations

import socket
import threading
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.adapters.http.connections import connect_within
from productsmanager.adapters.http.deadline import Deadline
from productsmanager.adapters.http.download_rules import ByteCount, Target, redirect_target
from productsmanager.adapters.http.host_slots import HostSlots
from productsmanager.application.media.download_ports import DownloadFailed, DownloadFailure


def failure(call: object, *args: object) -> DownloadFailed:
    with pytest.raises(DownloadFailed) as raised:
        call(*args)  # type: ignore[operator]
    return raised.value


def test_http_and_https_urls_become_targets_with_an_explicit_port() -> None:
    assert Target.parse("http://img.example.com/a/b.jpg") == Target(
        "http://img.example.com/a/b.jpg", False, "img.example.com", 80, "/a/b.jpg"
    )
    https = Target.parse("  HTTPS://IMG.example.com:8443/p.png?w=500&h=1#top ")
    assert (https.https, https.host, https.port, https.path) == (True, "img.example.com", 8443, "/p.png?w=500&h=1")
    assert Target.parse("http://[2001:db8::1]/x").host == "2001:db8::1"
    assert Target.parse("http://example.com").path == "/"


def test_a_request_target_is_percent_encoded_and_escapes_stay_as_they_are() -> None:
    target = Target.parse("http://example.com/Füller 2.jpg?q=a b&r=%C3%A9")
    assert target.path == "/F%C3%BCller%202.jpg?q=a%20b&r=%C3%A9"
    assert Target.parse("http://bücher.example/x.jpg").host == "xn--bcher-kva.example"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/a.jpg",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:image/png;base64,iVBORw0KGgo=",
        "//example.com/a.jpg",
        "example.com/a.jpg",
        "http:///a.jpg",
        "http://example.com:99999/a.jpg",
        "http://example.com:port/a.jpg",
        "http://user:secret@example.com/a.jpg",
        "http://[not-ipv6]/a.jpg",
        "http://exa mple.com/a.jpg",
        "http://exa\x00mple.com/a.jpg",
        "http://example.com/" + "a" * 9000,
        "",
    ],
)
def test_anything_but_an_http_url_with_a_host_is_refused_as_not_http(url: str) -> None:
    assert failure(Target.parse, url).reason == DownloadFailure.NOT_HTTP


@given(st.text(max_size=300))
def test_any_text_is_either_a_target_or_refused_as_not_http(text: str) -> None:
    try:
        target = Target.parse(text)
    except DownloadFailed as error:
        assert error.reason == DownloadFailure.NOT_HTTP
    else:
        assert target.host and target.path.startswith("/") and target.path.isascii()
        assert all(c.isalnum() or c in ".-_:%" for c in target.host) and target.host.isascii()
        assert not any(c in target.path for c in " \r\n\t")


def test_a_relative_location_is_resolved_against_the_current_url() -> None:
    current = Target.parse("https://cdn.example.com/images/p/1.jpg")
    assert redirect_target(current, 302, "/other/2.jpg").url == "https://cdn.example.com/other/2.jpg"
    assert redirect_target(current, 301, "3.jpg").url == "https://cdn.example.com/images/p/3.jpg"
    assert redirect_target(current, 307, "//img.example.net/4.jpg").url == "https://img.example.net/4.jpg"
    assert redirect_target(current, 308, "https://a.example/5.jpg").host == "a.example"


def test_http_may_be_redirected_to_https_but_https_never_to_http() -> None:
    assert redirect_target(Target.parse("http://example.com/a"), 301, "https://example.com/a").https
    refused = failure(redirect_target, Target.parse("https://example.com/a"), 302, "http://example.com/a")
    assert refused.reason == DownloadFailure.INSECURE_REDIRECT


def test_a_redirect_without_location_or_to_another_scheme_is_refused() -> None:
    current = Target.parse("http://example.com/a")
    assert failure(redirect_target, current, 302, None).reason == DownloadFailure.HTTP_STATUS
    assert failure(redirect_target, current, 302, "  ").reason == DownloadFailure.HTTP_STATUS
    assert failure(redirect_target, current, 302, "file:///etc/passwd").reason == DownloadFailure.NOT_HTTP


def test_an_announced_length_over_the_cap_is_refused_before_reading() -> None:
    count = ByteCount(1000, "http://example.com/a")
    count.declared("1000")
    count.declared(None)
    count.declared("not a number")  # left to the counting
    assert failure(count.declared, "1001").reason == DownloadFailure.TOO_LARGE


@given(st.lists(st.integers(min_value=0, max_value=400), max_size=20), st.integers(min_value=0, max_value=3000))
def test_counted_bytes_are_refused_exactly_when_they_pass_the_cap(chunks: list[int], limit: int) -> None:
    count = ByteCount(limit, "http://example.com/a")
    refused_at = next((i for i in range(len(chunks)) if sum(chunks[: i + 1]) > limit), None)
    for index, size in enumerate(chunks):
        if index == refused_at:
            assert failure(count.add, size).reason == DownloadFailure.TOO_LARGE
            return
        count.add(size)
    assert refused_at is None and count.total == sum(chunks) <= limit


def test_a_deadline_counts_down_on_its_clock() -> None:
    now = [100.0]
    deadline = Deadline(2.0, clock=lambda: now[0])
    assert deadline.remaining() == 2.0 and not deadline.expired
    now[0] = 101.5
    assert deadline.remaining() == pytest.approx(0.5)
    now[0] = 102.0
    assert deadline.expired and deadline.remaining() == 0.0


def test_a_host_has_at_most_its_slots_and_a_waiter_gives_up_after_its_timeout() -> None:
    slots = HostSlots(per_host=2)
    with slots.hold("img.example.com", 1) as first, slots.hold("IMG.example.com.", 1) as second:
        assert first and second and slots.in_use("img.example.com") == 2
        with slots.hold("img.example.com", 0.05) as third:
            assert not third
        with slots.hold("other.example.com", 0.05) as elsewhere:  # another host has its own slots
            assert elsewhere
    assert slots.in_use("img.example.com") == 0 and slots._entries == {}


def test_a_slot_set_free_goes_to_a_thread_waiting_for_it() -> None:
    slots = HostSlots(per_host=1)
    got: list[bool] = []
    release = threading.Event()

    def holder() -> None:
        with slots.hold("h", 1):
            release.wait(2)

    def waiter() -> None:
        with slots.hold("h", 2) as slot:
            got.append(slot)

    first = threading.Thread(target=holder)
    first.start()
    while slots.in_use("h") == 0:
        threading.Event().wait(0.005)
    second = threading.Thread(target=waiter)
    second.start()
    release.set()
    first.join(3)
    second.join(3)
    assert got == [True] and slots._entries == {}


class DroppingGuard:
    """A host with several vetted addresses that all drop packets: each try takes the whole timeout it gets."""

    def __init__(self, now: list[float], addresses: int) -> None:
        self.now = now
        self.addresses = [f"203.0.113.{n}" for n in range(1, addresses + 1)]
        self.timeouts: list[float] = []

    def resolve(self, host: str) -> list[str]:
        return self.addresses

    def connect_address(self, host: str, address: str, port: int, timeout: float | None) -> socket.socket:
        assert timeout is not None
        self.timeouts.append(timeout)
        self.now[0] += timeout
        raise TimeoutError("timed out")


def test_connecting_to_a_host_of_many_silent_addresses_takes_the_time_left_once_not_per_address() -> None:
    now = [0.0]
    deadline = Deadline(3.0, clock=lambda: now[0])
    guard: Any = DroppingGuard(now, addresses=4)
    with pytest.raises(TimeoutError):
        connect_within(guard, "cdn.example", 80, deadline.remaining)
    assert guard.timeouts == [3.0] and now[0] == 3.0


def test_connecting_tries_the_next_address_with_what_is_left_after_a_refusal() -> None:
    now = [0.0]
    deadline = Deadline(3.0, clock=lambda: now[0])
    refusing: Any = DroppingGuard(now, addresses=2)

    def refuse_quickly(host: str, address: str, port: int, timeout: float | None) -> socket.socket:
        refusing.timeouts.append(timeout)
        now[0] += 0.5
        raise ConnectionRefusedError("refused")

    refusing.connect_address = refuse_quickly
    with pytest.raises(ConnectionRefusedError):
        connect_within(refusing, "cdn.example", 80, deadline.remaining)
    assert refusing.timeouts == [3.0, 2.5]
