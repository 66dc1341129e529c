"""How a use case bound to one Odoo instance gets the other use cases it needs for that same instance: the
container's factories are called with `instance_id`, so that nothing of one instance leaks into another."""

from __future__ import annotations

import uuid
from typing import Protocol, TypeVar

T_co = TypeVar("T_co", covariant=True)


class ForInstance(Protocol[T_co]):
    def __call__(self, *, instance_id: uuid.UUID) -> T_co: ...
