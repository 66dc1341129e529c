"""Some of Odoo's products, named by a run: the records whose change a webhook announced (`product.product`
by id, or the variants of `product.template`s). Kept in the run's `request`, so that a run taken over by the
sweep imports the same records again, never the whole catalog."""

from __future__ import annotations

from attrs import frozen

MODEL = "product.product"
TEMPLATE_MODEL = "product.template"


@frozen
class OdooRecords:
    """Some of Odoo's products: `product.product` records by id, or the variants of `product.template`s."""

    model: str
    ids: tuple[int, ...]

    @classmethod
    def from_request(cls, raw: object) -> OdooRecords | None:
        """From a run's `request["records"]` (`{"model": …, "ids": […]}`); None for a whole import."""
        if not isinstance(raw, dict) or raw.get("model") not in (MODEL, TEMPLATE_MODEL):
            return None
        ids = raw.get("ids")
        return cls(str(raw["model"]), tuple(int(i) for i in ids)) if isinstance(ids, list) else None

    def to_request(self) -> dict[str, object]:
        return {"model": self.model, "ids": list(self.ids)}

    def domain(self) -> list[tuple[str, str, list[int]]]:
        return [
            ("id" if self.model == MODEL else "product_tmpl_id", "in", list(self.ids))
        ]  # a record taken: its Odoo id and its product
