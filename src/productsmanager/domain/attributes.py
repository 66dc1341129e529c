"""A product's free-form `attributes`: any JSON object, within bounds that every reader can handle.

JSON encoders have nesting limits (orjson stops at 255 levels, the standard library at the interpreter's
recursion limit) and every page of products carries every product's attributes, so one stored value that
is too deep or too large would break every read that includes it. The rule is checked on every write path
(`parse_product_changes`, which the API, the web back office and embedders all go through), and reads clip
whatever older releases let through instead of failing.
"""

from __future__ import annotations

import json
from typing import Any

from productsmanager.domain.errors import InvalidValue

MAX_DEPTH = 16
MAX_BYTES = 65_536
MAX_KEY_LENGTH = 200  # a top-level key is a field of its own (`attributes.<key>`) with its sources and history
FIELD = "attributes"
_SCALARS = (str, int, float, bool, type(None))


class InvalidAttributes(InvalidValue):
    """`attributes` break a bound; `reason` is `too_deep`, `too_large`, `not_json`, `not_an_object`, `nul`,
    `key_too_long` or `empty_key` (each top-level key is a field of its own, `attributes.<key>`, which needs a name)."""

    code = "invalid_attributes"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message, field=FIELD)
        self.reason = reason


def nesting_depth(value: Any, *, stop_after: int | None = None) -> int:
    """How many objects/arrays are nested in `value`: `1` is 0, `{"a": 1}` is 1, `{"a": [1]}` is 2.
    Iterative, so a value nested thousands of levels deep is measured without exhausting the stack;
    with `stop_after`, the walk ends as soon as that depth is exceeded."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list | tuple):
            children = node
        else:
            continue
        deepest = max(deepest, depth + 1)
        if stop_after is not None and deepest > stop_after:
            return deepest
        pending.extend((child, depth + 1) for child in children)
    return deepest


def check_attributes(raw: Any) -> dict[str, Any]:
    """The attributes as given when they are a JSON object of at most `MAX_DEPTH` levels whose compact
    UTF-8 serialisation is at most `MAX_BYTES` and whose strings hold no NUL; `InvalidAttributes` otherwise."""
    if not isinstance(raw, dict):
        raise InvalidAttributes("attributes must be a JSON object", reason="not_an_object")
    if nesting_depth(raw, stop_after=MAX_DEPTH) > MAX_DEPTH:
        raise InvalidAttributes(f"attributes must be nested at most {MAX_DEPTH} levels deep", reason="too_deep")
    _check_values(raw)
    if "" in raw:
        raise InvalidAttributes("attribute names must not be empty", reason="empty_key")
    long_keys = [key for key in raw if len(key) > MAX_KEY_LENGTH]
    if long_keys:
        raise InvalidAttributes(
            f"attribute names must be at most {MAX_KEY_LENGTH} characters ({long_keys[0][:40]}... is longer)",
            reason="key_too_long",
        )
    try:
        size = len(json.dumps(raw, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode())
    except (TypeError, ValueError):
        raise InvalidAttributes("attributes must hold only JSON values", reason="not_json") from None
    if size > MAX_BYTES:
        raise InvalidAttributes(f"attributes must be at most {MAX_BYTES} bytes as JSON", reason="too_large")
    return raw


def _check_values(value: Any) -> None:
    """JSON only (string keys; strings, numbers, booleans, null), and no NUL, which PostgreSQL refuses in JSONB.
    The depth is already bounded, so recursion is too."""
    if isinstance(value, dict):
        for key, child in value.items():
            if not isinstance(key, str):
                raise InvalidAttributes("attributes must have text keys", reason="not_json")
            if "\x00" in key:
                raise InvalidAttributes("attributes must not contain NUL characters", reason="nul")
            _check_values(child)
    elif isinstance(value, list | tuple):
        for child in value:
            _check_values(child)
    elif not isinstance(value, _SCALARS):
        raise InvalidAttributes("attributes must hold only JSON values", reason="not_json")
    elif isinstance(value, str) and "\x00" in value:
        raise InvalidAttributes("attributes must not contain NUL characters", reason="nul")


def readable_attributes(stored: Any) -> dict[str, Any]:
    """What a read shows of stored attributes: as stored when within `MAX_DEPTH`; otherwise a copy whose
    objects/arrays beyond that depth are replaced by null, so a value written before the bounds existed
    cannot make a read fail; a client can then write a valid value over it."""
    if not isinstance(stored, dict):
        return {}
    if not any(isinstance(child, dict | list) for child in stored.values()):
        return stored  # flat, as nearly every product's are: one level, no walk (every page reads 50 of them)
    if nesting_depth(stored, stop_after=MAX_DEPTH) <= MAX_DEPTH:
        return stored
    clipped = _clip(stored, 1)
    return clipped if isinstance(clipped, dict) else {}


def _clip(value: Any, depth: int) -> Any:
    if not isinstance(value, dict | list):
        return value
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, dict):
        return {key: _clip(child, depth + 1) for key, child in value.items()}
    return [_clip(child, depth + 1) for child in value]
