"""Download slots per host: Amazon's image CDNs get more than an unknown host, PM_DOWNLOAD_HOST_SLOTS changes
them or names others, and a malformed entry stops the start with what is wrong."""

from __future__ import annotations

import pytest

from productsmanager.adapters.http.host_slots import DEFAULT_PER_HOST, HostSlots
from productsmanager.config import Config
from productsmanager.config.parsing import ConfigError


def test_amazons_image_hosts_have_more_slots_and_others_the_default() -> None:
    slots = HostSlots()
    for host in ("m.media-amazon.com", "images-na.ssl-images-amazon.com", "IMAGES-EU.ssl-images-amazon.com."):
        assert slots.slots(host) == 16
    assert slots.slots("images-fe.ssl-images-amazon.com") == 16
    assert slots.slots("img.example.com") == DEFAULT_PER_HOST


def test_a_host_holds_as_many_slots_as_it_is_allowed_and_no_more() -> None:
    slots = HostSlots(per_host=1, allowances=[("cdn.example.com", 3), ("m.media-amazon.com", 2)])
    with (
        slots.hold("cdn.example.com", 1) as a,
        slots.hold("cdn.example.com", 1) as b,
        slots.hold("cdn.example.com", 1) as c,
    ):
        assert a and b and c and slots.in_use("cdn.example.com") == 3
        with slots.hold("cdn.example.com", 0.02) as d:
            assert not d
    assert slots.slots("m.media-amazon.com") == 2 and slots.slots("other.example.com") == 1


def test_the_allowances_are_read_from_the_environment() -> None:
    config = Config.from_env({"PM_DOWNLOAD_HOST_SLOTS": " m.media-amazon.com=32 , CDN.example.com.=8,"})
    assert config.download_host_slots == (("m.media-amazon.com", 32), ("cdn.example.com", 8))
    assert Config.from_env({}).download_host_slots == ()
    for raw in ("cdn.example.com", "cdn.example.com=0", "cdn.example.com=x", "bad host=2", "a.example=257"):
        with pytest.raises(ConfigError, match="PM_DOWNLOAD_HOST_SLOTS"):
            Config.from_env({"PM_DOWNLOAD_HOST_SLOTS": raw})
