"""The Odoo connection settings: what is accepted, and every problem named at once."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.errors import ValidationFailed
from productsmanager.domain.odoo.configuration import OdooConfiguration, OdooProtocol

GOOD = {"url": "https://erp.example.com/", "database": "prod", "login": "sync@example.com"}


def test_a_configuration_round_trips_through_its_json() -> None:
    config = OdooConfiguration.parse({**GOOD, "protocol": "json2", "company_id": 1})
    assert config.url == "https://erp.example.com" and config.protocol is OdooProtocol.JSON2
    assert OdooConfiguration.parse(config.to_json()) == config


def test_every_problem_is_named() -> None:
    with pytest.raises(ValidationFailed) as caught:
        OdooConfiguration.parse({"url": "ftp://x", "protocol": "soap", "timeout_seconds": 0, "secret": "s"})
    assert {e.field for e in caught.value.errors} == {
        "url",
        "database",
        "login",
        "protocol",
        "timeout_seconds",
        "secret",
    }


@given(st.integers())
def test_the_batch_size_is_bounded(size: int) -> None:
    if 1 <= size <= 1000:
        assert OdooConfiguration.parse({**GOOD, "batch_size": size}).batch_size == size
    else:
        with pytest.raises(ValidationFailed):
            OdooConfiguration.parse({**GOOD, "batch_size": size})
