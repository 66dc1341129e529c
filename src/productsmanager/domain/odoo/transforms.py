"""Transforms applied to a value on its way between the catalog and Odoo, written as `none`, `strip`, `upper`,
`lower`, `round2` or `default:<value>` so that they can be stored and shown as plain text."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

from attrs import frozen

from productsmanager.domain.errors import InvalidValue

KINDS = ("none", "strip", "upper", "lower", "round2", "default")
TEXT_KINDS = ("strip", "upper", "lower")
DEFAULT_MAX = 200
_CENT = Decimal("0.01")
_WIDE = Context(prec=400, rounding=ROUND_HALF_UP)  # room for any float's digits: quantize never overflows


def cents(number: Decimal) -> Decimal:
    """Rounded to two places, half up, as money is; infinities and NaN are left as they are."""
    return number.quantize(_CENT, context=_WIDE) if number.is_finite() else number


@frozen
class Transform:
    """`kind` is one of `KINDS`; `default` is the text of `default:<value>` (None for every other kind).

    The same rule serves both directions: case and whitespace rules are idempotent, so applying them to what
    Odoo sends back keeps the catalog in the form it exports; `round2` rounds both ways (half up, as money);
    `default` fills a missing or empty value, whichever side it is missing on."""

    kind: str = "none"
    default: str | None = None

    @classmethod
    def parse(cls, raw: object) -> Transform:
        """Refuses unknown kinds and an empty or overlong default, naming the `transform` field."""
        if raw is None:
            return cls()
        if not isinstance(raw, str):
            raise InvalidValue("transform must be a string", field="transform")
        text = raw.strip()
        if text.startswith("default:"):
            value = text.removeprefix("default:")
            if not value.strip():
                raise InvalidValue("transform default:<value> needs a value", field="transform")
            if len(value) > DEFAULT_MAX:
                raise InvalidValue(f"transform default is longer than {DEFAULT_MAX} characters", field="transform")
            return cls("default", value)
        if text not in KINDS or text == "default":
            raise InvalidValue(
                f"transform {raw!r} is not one of none, strip, upper, lower, round2, default:<value>",
                field="transform",
            )
        return cls(text)

    def __str__(self) -> str:
        return f"default:{self.default}" if self.kind == "default" else self.kind

    def apply(self, value: object) -> object:
        """On export. Values the rule does not concern (a number given to `upper`) pass unchanged."""
        if self.kind == "default":
            return self.default if _is_empty(value) else value
        if isinstance(value, str) and self.kind in TEXT_KINDS:
            return {"strip": str.strip, "upper": str.upper, "lower": str.lower}[self.kind](value)
        if self.kind == "round2" and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            number = cents(Decimal(str(value)))
            return number if number.is_finite() else value
        return value

    def reverse(self, value: object) -> object:
        """On import: every kind is its own inverse on the values it keeps (see the class docstring)."""
        return self.apply(value)


NO_TRANSFORM = Transform()


def _is_empty(value: object) -> bool:
    return value is None or value is False or (isinstance(value, str) and not value.strip())
