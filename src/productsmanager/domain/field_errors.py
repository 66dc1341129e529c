"""The one way a payload is checked field by field: every broken rule is collected, then all of them are
raised at once as `ValidationFailed`, so a client fixes every field in one round trip instead of one per try.

    with FieldErrors() as errors:
        errors.unknown(names_not_known, "a profile field")
        errors.required(raw, ("name",))
        values = errors.parse(raw, CHECKS)
    return values  # reached only when no rule was broken
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from productsmanager.domain.errors import InvalidValue, ValidationFailed


class FieldErrors:
    """The refusals of one payload, in the order they were found; the block it guards raises them on exit."""

    def __init__(self) -> None:
        self.errors: list[InvalidValue] = []

    def __enter__(self) -> FieldErrors:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if kind is None:
            self.raise_if_any()

    def refuse(self, message: str, field: str) -> None:
        self.errors.append(InvalidValue(message, field=field))

    def unknown(self, names: Iterable[object], what: str) -> None:
        """Each of `names` (in that order) refused as "`name` is not `what`"."""
        for name in names:
            self.refuse(f"{name} is not {what}", str(name))

    def required(self, raw: Mapping[str, Any], names: Iterable[str]) -> None:
        """Each of `names` missing from `raw` refused as "`name` is required"."""
        for name in names:
            if name not in raw:
                self.refuse(f"{name} is required", name)

    @contextmanager
    def checking(self) -> Iterator[None]:
        """A rule checked inside is collected instead of raised: the checks after it still run."""
        try:
            yield
        except InvalidValue as error:
            self.errors.append(error)

    def parse(self, raw: Mapping[str, Any], checks: Mapping[str, Callable[[Any], Any]]) -> dict[str, Any]:
        """The value of each field of `raw` that has a check (in the checks' order) and passes it."""
        values: dict[str, Any] = {}
        for name, check in checks.items():
            if name in raw:
                with self.checking():
                    values[name] = check(raw[name])
        return values

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)
