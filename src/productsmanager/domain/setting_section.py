"""A settings section: a frozen attrs class whose fields are `setting(default, rule)`s. The behaviour every
section shares lives here: its keys, parsing a client's values, its JSON and storage forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self

import attrs
from attrs import frozen

from productsmanager.domain.errors import InvalidSettings, InvalidValue, ValidationFailed
from productsmanager.domain.setting_rules import Rule

_RULE, _KEY = "setting_rule", "setting_key"


def setting(default: Any, rule: Rule, key: str | None = None) -> Any:
    return attrs.field(default=default, metadata={_RULE: rule, _KEY: key})


@frozen
class SettingKey:
    key: str  # as in JSON and in storage
    attribute: str
    rule: Rule
    default: Any


class Section:
    """Behaviour shared by the section classes; each one is a frozen attrs class of `setting(...)` fields."""

    __slots__ = ()
    name: ClassVar[str]

    @classmethod
    def setting_keys(cls) -> tuple[SettingKey, ...]:
        return tuple(
            SettingKey(a.metadata[_KEY] or a.name, a.name, a.metadata[_RULE], a.default)
            for a in attrs.fields(cls)  # type: ignore[arg-type]
        )

    @classmethod
    def parse(cls, values: Mapping[str, object]) -> dict[str, Any]:
        """The given keys' values by attribute name. Every unknown key and every bad value is reported at once,
        so a client fixes its request in one go."""
        if not isinstance(values, Mapping):
            raise InvalidSettings(cls.name, [InvalidValue(f"the {cls.name} section must be an object")])
        by_key = {k.key: k for k in cls.setting_keys()}
        errors: list[InvalidValue] = []
        parsed: dict[str, Any] = {}
        for key, value in values.items():
            spec = by_key.get(key)
            if spec is None:
                errors.append(InvalidValue(f"{key!r} is not a setting of the {cls.name} section", field=str(key)))
                continue
            try:
                parsed[spec.attribute] = spec.rule.parse(value, key)
            except InvalidValue as error:
                errors.append(error)
            except ValidationFailed as failed:  # a rule that names each broken entry (`source_priority[2]`)
                errors.extend(failed.errors)
        if errors:
            raise InvalidSettings(cls.name, errors)
        return parsed

    @classmethod
    def from_json(cls, values: Mapping[str, object]) -> Self:
        """Keys left out take their defaults."""
        return cls(**cls.parse(values))

    def changed(self, values: Mapping[str, object]) -> Self:
        """Keys given replace the current values, keys left out keep them."""
        return attrs.evolve(self, **self.parse(values))  # type: ignore[misc]

    def to_json(self) -> dict[str, Any]:
        return {k.key: _json(getattr(self, k.attribute)) for k in self.setting_keys()}

    def stored(self, keys: Mapping[str, object] | None = None) -> dict[str, Any]:
        """Values by storage key: all of the section's, or only those named in `keys`."""
        return {f"{self.name}.{k}": v for k, v in self.to_json().items() if keys is None or k in keys}


def _json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
