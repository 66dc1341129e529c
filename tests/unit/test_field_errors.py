"""Every refusal of a payload is collected, in the order found, and raised once at the end of the block."""

from __future__ import annotations

import pytest

from productsmanager.domain.errors import InvalidValue, ValidationFailed
from productsmanager.domain.field_errors import FieldErrors


def _positive(raw: object) -> int:
    if not isinstance(raw, int) or raw < 1:
        raise InvalidValue("size must be positive", field="size")
    return raw


def test_every_refusal_is_raised_at_once_in_the_order_found() -> None:
    with pytest.raises(ValidationFailed) as failed, FieldErrors() as errors:
        errors.unknown(["colour"], "a box field")
        errors.required({}, ("name",))
        errors.parse({"size": 0}, {"size": _positive})
    assert [(e.field, e.message) for e in failed.value.errors] == [
        ("colour", "colour is not a box field"),
        ("name", "name is required"),
        ("size", "size must be positive"),
    ]


def test_a_payload_that_breaks_no_rule_gives_its_values() -> None:
    with FieldErrors() as errors:
        values = errors.parse({"size": 3, "ignored": 1}, {"size": _positive})
    assert values == {"size": 3}


def test_an_error_that_is_not_a_field_refusal_passes_through() -> None:
    with pytest.raises(ZeroDivisionError), FieldErrors() as errors:
        errors.refuse("name is required", "name")
        _ = 1 / 0
