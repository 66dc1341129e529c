"""A person's edit of a product's shared fields, read as values of the `manual` source: what it gives and
what it withdraws. The product then shows whatever precedence makes of them, so a person's value outranks
every import until it is withdrawn, and a cleared field falls back to the next source instead of going blank.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from attrs import frozen

from productsmanager.domain.history import Actor
from productsmanager.domain.precedence import ATTRIBUTES_PREFIX, SHARED_FIELDS
from productsmanager.domain.values import Asin

SHARED_CHANGES = (*SHARED_FIELDS, "attributes")
NO_ACCOUNT = Actor.user(None)
"""The actor of a person's edit made without a signed-in account (a script or a service embedding the package)."""


def is_value(value: Any) -> bool:
    """As `Candidate.has_value` judges it: None and blank text are no value, which a source never stores."""
    return value is not None and not (isinstance(value, str) and not value.strip())


@frozen
class ManualEdit:
    """`given`: the person's value of each field (`attributes.<key>` for an attribute); `withdrawn`: the fields
    whose manual value goes (set to null, or an attribute key left out of the person's attributes)."""

    given: dict[str, Any]
    withdrawn: tuple[str, ...]

    @classmethod
    def of(cls, changes: Mapping[str, Any], manual_fields: Iterable[str] = ()) -> ManualEdit:
        """`changes` as `parse_product_changes` made them. `attributes` there is the person's whole set: each
        key is given, and each attribute field of `manual_fields` (the fields the person has a value for now)
        that is not among them is withdrawn."""
        given: dict[str, Any] = {}
        withdrawn: list[str] = []
        for name in SHARED_FIELDS:
            if name in changes:
                if is_value(changes[name]):
                    given[name] = str(changes[name])  # an `Asin` as the text every source gives
                else:
                    withdrawn.append(name)
        if "attributes" in changes:
            keys = {ATTRIBUTES_PREFIX + key: value for key, value in changes["attributes"].items()}
            for name, value in keys.items():
                if is_value(value):
                    given[name] = value
                else:
                    withdrawn.append(name)
            gone = {name for name in manual_fields if name.startswith(ATTRIBUTES_PREFIX) and name not in keys}
            withdrawn += sorted(gone)
        return cls(given, tuple(withdrawn))

    def shown_on_creation(self) -> dict[str, Any]:
        """A new product's shared fields as precedence will show them, the manual values being its only ones."""
        shown: dict[str, Any] = {name: self.given[name] for name in SHARED_FIELDS if name in self.given}
        if "asin" in shown:
            shown["asin"] = Asin(shown["asin"])
        attributes = {n[len(ATTRIBUTES_PREFIX) :]: v for n, v in self.given.items() if n.startswith(ATTRIBUTES_PREFIX)}
        return {**shown, "attributes": attributes}
