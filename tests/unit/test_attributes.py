"""Product attributes: bounded depth and size on every write, and reads that never fail on a stored value."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.domain.attributes import (
    MAX_BYTES,
    MAX_DEPTH,
    InvalidAttributes,
    check_attributes,
    nesting_depth,
    readable_attributes,
)
from productsmanager.domain.errors import ValidationFailed
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.settings_fakes import FixedSettings


def nested(depth: int) -> dict[str, Any]:
    """An object `depth` levels deep: `nested(1)` is `{"a": 1}`."""
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value  # type: ignore[no-any-return]


texts = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=5)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=20,
)


def test_depth_counts_objects_and_arrays() -> None:
    assert nesting_depth(1) == 0
    assert nesting_depth({"a": 1}) == 1
    assert nesting_depth({"a": [1]}) == 2
    assert nesting_depth({"a": [{"b": {}}], "c": 2}) == 4
    assert nesting_depth(nested(100_000), stop_after=16) == 17  # stops early, never recurses


@given(json_values)
def test_depth_matches_a_recursive_definition(value: Any) -> None:
    def depth(node: Any) -> int:
        if isinstance(node, dict):
            return 1 + max(map(depth, node.values()), default=0)
        if isinstance(node, list):
            return 1 + max(map(depth, node), default=0)
        return 0

    assert nesting_depth(value) == depth(value)


def test_sixteen_levels_pass_seventeen_are_refused() -> None:
    assert check_attributes(nested(MAX_DEPTH)) == nested(MAX_DEPTH)
    with pytest.raises(InvalidAttributes) as refused:
        check_attributes(nested(MAX_DEPTH + 1))
    assert (refused.value.field, refused.value.reason) == ("attributes", "too_deep")
    with pytest.raises(InvalidAttributes):
        check_attributes(nested(300))


def test_size_is_bounded_on_the_compact_utf8_serialisation() -> None:
    overhead = len('{"k":""}')
    assert check_attributes({"k": "x" * (MAX_BYTES - overhead)})
    with pytest.raises(InvalidAttributes) as refused:
        check_attributes({"k": "x" * (MAX_BYTES - overhead + 1)})
    assert refused.value.reason == "too_large"
    with pytest.raises(InvalidAttributes):  # bytes, not characters
        check_attributes({"k": "é" * (MAX_BYTES // 2)})


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ([1], "not_an_object"),
        ("x", "not_an_object"),
        ({"a": {1, 2}}, "not_json"),
        ({1: "a"}, "not_json"),
        ({"a": float("nan")}, "not_json"),
        ({"a": "x\x00y"}, "nul"),
        ({"a\x00": 1}, "nul"),
        ({"": 1, "a": 2}, "empty_key"),
        ({"k" * 201: 1}, "key_too_long"),
    ],
)
def test_only_json_objects_without_nul(value: Any, reason: str) -> None:
    with pytest.raises(InvalidAttributes) as refused:
        check_attributes(value)
    assert refused.value.reason == reason


@given(st.text(min_size=1, max_size=200))
def test_a_top_level_name_of_up_to_200_characters_is_taken(name: str) -> None:
    """Each top-level key is a field of its own (`attributes.<key>`), kept with its sources and history."""
    assume("\x00" not in name)
    assert check_attributes({name: 1}) == {name: 1}


@given(st.dictionaries(texts.filter(bool), json_values, max_size=3))  # a top-level key names a field
def test_small_json_objects_are_accepted_as_given(value: dict[str, Any]) -> None:
    assert check_attributes(value) is value


@given(st.integers(min_value=0, max_value=600))
def test_a_read_of_any_stored_depth_serialises(depth: int) -> None:
    """orjson, which writes every response, refuses 255 levels: reads clip what older releases stored."""
    shown = readable_attributes(nested(depth) if depth else {})
    orjson.dumps(shown)
    assert nesting_depth(shown) <= MAX_DEPTH
    if depth <= MAX_DEPTH:
        assert shown == (nested(depth) if depth else {})


def test_a_clipped_read_keeps_the_first_levels() -> None:
    shown = readable_attributes({"ok": 1, "deep": nested(40)})
    assert shown["ok"] == 1
    assert nesting_depth(shown) == MAX_DEPTH
    assert readable_attributes(None) == {} and readable_attributes([1]) == {}


def test_the_product_editor_refuses_them_on_create_and_update() -> None:
    """Embedders call the use case directly: the rule is theirs too, as a field error."""
    editor = ProductEditor(FakeUnitOfWork(), FakeClock(), FixedSettings())
    with pytest.raises(ValidationFailed) as refused:
        editor.create("4006381333931", {"name": "Pen", "attributes": nested(300)})
    assert [(e.field, e.code) for e in refused.value.errors] == [("attributes", "invalid_attributes")]
    pid = editor.create("4006381333931", {"name": "Pen", "attributes": nested(MAX_DEPTH)})
    with pytest.raises(ValidationFailed) as refused:
        editor.update(pid, {"attributes": {"k": "x" * MAX_BYTES}})
    assert refused.value.errors[0].field == "attributes"
