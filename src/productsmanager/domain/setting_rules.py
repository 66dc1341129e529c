"""What a setting's value may be, stated once: the domain checks values with these rules and the API's JSON
Schema is generated from them, so what the API documents and what the domain accepts cannot drift apart."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal
from zoneinfo import ZoneInfo

from attrs import frozen

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.users import email_key, parse_email

Kind = Literal["string", "boolean", "integer", "number", "array"]
Check = Callable[[Any, str], Any]
# Names the host's zone database may hold that are no zone of their own: they follow the machine.
_HOST_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@frozen
class Rule:
    """A JSON type with its limits. `fullmatch` is a regular expression the whole text must match (written
    so that it means the same in Python and in JSON Schema); `check` is a rule JSON Schema cannot state (an
    IANA zone, an e-mail address): it returns the value, normalised, or raises InvalidValue."""

    kind: Kind
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    max_items: int | None = None
    choices: tuple[str, ...] | None = None
    fullmatch: str | None = None
    items: Rule | None = None
    check: Check | None = None
    description: str | None = None

    def parse(self, value: object, field: str) -> Any:
        """The value as the domain keeps it (a list becomes a tuple); anything else is refused, never coerced:
        `true` is no number and `85.0` no whole number, whatever JSON or Python think of them."""
        parsed = _PARSERS[self.kind](self, value, field)
        return self.check(parsed, field) if self.check else parsed


def _boolean(rule: Rule, value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue(f"{field} must be true or false", field=field)
    return value


def _integer(rule: Rule, value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(f"{field} must be a whole number", field=field)
    if (rule.minimum is not None and value < rule.minimum) or (rule.maximum is not None and value > rule.maximum):
        limits = f"between {rule.minimum} and {rule.maximum}" if rule.maximum is not None else f">= {rule.minimum}"
        raise InvalidValue(f"{field} must be {limits}, not {value}", field=field)
    return value


def _number(rule: Rule, value: object, field: str) -> float:
    """Any JSON number (`1` and `0.8` alike), never `true` and never NaN or an infinity."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or value in (_INF, -_INF):
        raise InvalidValue(f"{field} must be a number", field=field)
    if (rule.minimum is not None and value < rule.minimum) or (rule.maximum is not None and value > rule.maximum):
        raise InvalidValue(f"{field} must be between {rule.minimum} and {rule.maximum}, not {value}", field=field)
    return float(value)


_INF = float("inf")


def _string(rule: Rule, value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"{field} must be a string", field=field)
    if rule.choices is not None and value not in rule.choices:
        raise InvalidValue(f"{field} must be one of {', '.join(map(repr, rule.choices))}, not {value!r}", field=field)
    if rule.min_length is not None and len(value) < rule.min_length:
        raise InvalidValue(f"{field} must have at least {rule.min_length} characters", field=field)
    if rule.max_length is not None and len(value) > rule.max_length:
        raise InvalidValue(f"{field} must have at most {rule.max_length} characters", field=field)
    if rule.fullmatch is not None and not re.fullmatch(rule.fullmatch, value):
        raise InvalidValue(f"{field} must be {rule.description or 'of the expected form'}, not {value!r}", field=field)
    return value


def _array(rule: Rule, value: object, field: str) -> tuple[Any, ...]:
    if not isinstance(value, list | tuple):
        raise InvalidValue(f"{field} must be a list", field=field)
    if rule.max_items is not None and len(value) > rule.max_items:
        raise InvalidValue(f"{field} must have at most {rule.max_items} entries, not {len(value)}", field=field)
    assert rule.items is not None
    return tuple(rule.items.parse(item, f"{field}.{n}") for n, item in enumerate(value))


_PARSERS: dict[str, Callable[[Rule, object, str], Any]] = {
    "boolean": _boolean,
    "integer": _integer,
    "number": _number,
    "string": _string,
    "array": _array,
}


def not_blank(value: str, field: str) -> str:
    if not value.strip():
        raise InvalidValue(f"{field} must not be blank", field=field)
    return value


def iana_zone(value: str, field: str) -> str:
    """A zone of the IANA database by its exact name (`Europe/Paris`, not `europe/paris` nor a file path)."""
    try:
        ZoneInfo(value)  # cached by zoneinfo itself once loaded
        known = value not in _HOST_ZONES
    except (ValueError, KeyError, OSError):  # malformed, unknown, or a folder of the database
        known = False
    if not known:
        raise InvalidValue(f"{field} {value!r} is not an IANA time zone such as 'Europe/Paris'", field=field)
    return value


def email_address(value: str, field: str) -> str:
    try:
        return parse_email(value)
    except InvalidValue:
        raise InvalidValue(f"{field} {value!r} is not a valid e-mail address", field=field) from None


def distinct_addresses(values: tuple[str, ...], field: str) -> tuple[str, ...]:
    """E-mail addresses compare without case: the same mailbox twice would get every message twice."""
    seen: set[str] = set()
    for n, address in enumerate(values):
        if email_key(address) in seen:
            raise InvalidValue(f"{field}.{n} {address!r} is already in the list", field=f"{field}.{n}")
        seen.add(email_key(address))
    return values


def text(
    min_length: int,
    max_length: int,
    *,
    fullmatch: str | None = None,
    form: str | None = None,
    check: Check | None = None,
) -> Rule:
    """`form` says in words what `fullmatch` demands, for the error message and the API description."""
    return Rule(
        "string", min_length=min_length, max_length=max_length, fullmatch=fullmatch, check=check, description=form
    )


def choice(*values: str) -> Rule:
    return Rule("string", choices=values)


def whole(minimum: int, maximum: int | None = None) -> Rule:
    return Rule("integer", minimum=minimum, maximum=maximum)


def fraction() -> Rule:
    """A number from 0 to 1 (a confidence)."""
    return Rule("number", minimum=0, maximum=1)


FLAG = Rule("boolean")
