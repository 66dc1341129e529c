"""The in-memory database behind the fake Odoo: the few models and ORM methods the catalog sync uses, with
Odoo's behaviour where it matters (many2one read as `[id, name]`, x2many commands, barcode uniqueness, access
errors, `create` of one dict or a list). Products carry a few more standard fields and the Studio fields of a
French-speaking merchant (`CUSTOM_FIELDS`), so that mapping suggestions have labels and rivals to weigh."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from attrs import define, field

M2O, M2M = "many2one", "many2many"
_COMMON = {"id": ("integer", "ID"), "name": ("char", "Name"), "active": ("boolean", "Active")}
_PRODUCT = _COMMON | {
    "barcode": ("char", "Barcode"),
    "default_code": ("char", "Internal Reference"),
    "list_price": ("float", "Sales Price"),
    "standard_price": ("float", "Cost"),
    "categ_id": (M2O, "Product Category", "product.category"),
    "taxes_id": (M2M, "Sales Taxes", "account.tax"),
    "description": ("html", "Description"),
    "description_sale": ("text", "Sales Description"),
    "qty_available": ("float", "Quantity On Hand"),
    "weight": ("float", "Weight"),
    "volume": ("float", "Volume"),
    "write_date": ("datetime", "Last Updated on"),  # UTC text, moved by every create and write
}
CUSTOM_FIELDS: dict[str, tuple[str, ...]] = {  # as a French-speaking merchant's Studio adds them
    "x_studio_marque": ("char", "Marque"),
    "x_description_catalogue": ("text", "Description catalogue"),
    "x_stock_fournisseur": ("float", "Stock fournisseur"),
    "x_categorie_catalogue": (M2O, "Catégorie catalogue", "product.category"),
    "x_reference_fournisseur": ("char", "Réf. fournisseur"),
    "x_ean_fournisseur": ("char", "EAN fournisseur"),
    "x_poids_net": ("float", "Poids net"),
    "x_couleur": ("char", "Couleur"),
}
_PRODUCT |= CUSTOM_FIELDS
MODELS: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "res.users": ("User", _COMMON | {"login": ("char", "Login")}),
    "product.category": ("Product Category", _COMMON),
    "account.tax": ("Tax", _COMMON | {"amount": ("float", "Amount")}),
    "product.template": ("Product", _PRODUCT),
    "product.product": (
        "Product Variant",
        _PRODUCT | {"product_tmpl_id": (M2O, "Product Template", "product.template")},
    ),
}
WRITE_DATES_FROM = datetime(2026, 12, 1, 8, 0, 0)
_DEFAULTS = {"char": False, "text": False, "html": False, "float": 0.0, "boolean": True, M2O: False, M2M: []}


class OdooException(Exception):
    """What the real server would raise: `name` is the exception's qualified class name."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name, self.message = name, message


def validation_error(message: str) -> OdooException:
    return OdooException("odoo.exceptions.ValidationError", message)


@define
class FakeOdooStore:
    records: dict[str, dict[int, dict[str, Any]]] = field(factory=lambda: {model: {} for model in MODELS})
    _ids: itertools.count[int] = field(factory=lambda: itertools.count(100))
    _ticks: itertools.count[int] = field(factory=itertools.count)

    def now(self) -> str:
        """Odoo's `write_date` text (UTC, to the second), one second later at each change, as the record's clock."""
        return (WRITE_DATES_FROM + timedelta(seconds=next(self._ticks))).strftime("%Y-%m-%d %H:%M:%S")

    def add(self, model: str, **values: Any) -> int:
        """A record put in place by a test, with Odoo's defaults for what it leaves out; no checks."""
        record_id = values.pop("id", None) or next(self._ids)
        fields = MODELS[model][1]
        record = {name: _DEFAULTS.get(spec[0], False) for name, spec in fields.items() if name != "id"}
        if "write_date" in fields:
            record["write_date"] = self.now()
        self.records[model][record_id] = record | values | {"id": record_id}
        return record_id

    def search_read(
        self, model: str, domain: Any = (), fields: Any = None, offset: int = 0, limit: Any = None, order: Any = None
    ) -> list[dict[str, Any]]:
        ids = self._search(model, domain or [], offset, limit, order)
        return self.read(model, ids, fields)

    def search_count(self, model: str, domain: Any = ()) -> int:
        return len(self._search(model, domain or [], 0, None, None))

    def read(self, model: str, ids: list[int], fields: Any = None) -> list[dict[str, Any]]:
        table, specs = self._table(model), MODELS[model][1]
        names = ["id", *(n for n in (fields or specs) if n != "id")]
        for name in names:
            self._field(model, name)
        return [{name: self._output(specs[name], table[i][name]) for name in names} for i in ids if i in table]

    def create(self, model: str, vals_list: Any) -> int | list[int]:
        created = [
            self._create(model, values) for values in ([vals_list] if isinstance(vals_list, dict) else vals_list)
        ]
        return created[0] if isinstance(vals_list, dict) else created

    def write(self, model: str, ids: list[int], vals: dict[str, Any]) -> bool:
        table = self._table(model)
        for record_id in ids:
            if record_id not in table:
                raise OdooException(
                    "odoo.exceptions.MissingError",
                    f"Record does not exist or has been deleted.\n(Record: {model}({record_id},), User: 2)",
                )
            table[record_id] |= self._input(model, vals, table[record_id], record_id)
            if "write_date" in table[record_id]:
                table[record_id]["write_date"] = self.now()
        return True

    def fields_get(self, model: str, allfields: Any = None, attributes: Any = None) -> dict[str, dict[str, Any]]:
        answer = {}
        for name, spec in MODELS[self._model(model)][1].items():
            description = {"type": spec[0], "string": spec[1]} | ({"relation": spec[2]} if len(spec) > 2 else {})
            answer[name] = {k: v for k, v in description.items() if not attributes or k in attributes}
        return answer

    def context_get(self, model: str, uid: int = 2) -> dict[str, Any]:
        return {"lang": "en_US", "tz": "Europe/Brussels", "uid": uid}

    def _create(self, model: str, values: dict[str, Any]) -> int:
        values = self._input(model, values, None, None)
        if model == "product.product" and not values.get("product_tmpl_id"):
            template_values = {k: v for k, v in values.items() if k != "barcode"}
            values["product_tmpl_id"] = self.add("product.template", **template_values)
        return self.add(model, **values)

    def _input(self, model: str, values: dict[str, Any], current: Any, record_id: int | None) -> dict[str, Any]:
        """Values as stored: x2many commands applied, a barcode already taken by another record refused."""
        stored = {}
        for name, value in values.items():
            spec = self._field(model, name)
            stored[name] = self._commands(value, list(current[name]) if current else []) if spec[0] == M2M else value
        barcode = stored.get("barcode")
        if barcode and model in ("product.product", "product.template"):
            taken = [r for r in self.records[model].values() if r["barcode"] == barcode and r["id"] != record_id]
            if taken:
                raise validation_error(
                    f'Barcode(s) already assigned:\n\n- Barcode "{barcode}" already assigned to '
                    f"product(s): {taken[0]['name']}"
                )
        return stored

    @staticmethod
    def _commands(commands: list[Any], ids: list[int]) -> list[int]:
        for command in commands:
            match list(command):
                case [6, _, new_ids]:
                    ids = list(new_ids)
                case [4, linked, *_]:
                    ids = [*ids, linked] if linked not in ids else ids
                case [3, unlinked, *_]:
                    ids = [i for i in ids if i != unlinked]
                case [5, *_]:
                    ids = []
                case _:
                    raise OdooException("ValueError", f"Unsupported x2many command {command!r}")
        return ids

    def _search(self, model: str, domain: list[Any], offset: int, limit: Any, order: Any) -> list[int]:
        rows = [r for r in self._table(model).values() if all(self._match(model, r, c) for c in domain)]
        key, _, direction = (order or "id").partition(" ")
        rows.sort(key=lambda r: (r[key] is False, r[key]), reverse=direction.strip().lower() == "desc")
        return [r["id"] for r in rows][offset : None if not limit else offset + limit]

    def _match(self, model: str, record: dict[str, Any], condition: Any) -> bool:
        name, operator, value = condition
        self._field(model, name)
        actual = record[name]
        if operator == "=":
            return actual == value
        if operator == "!=":
            return actual != value
        if operator == "in":
            return actual in value
        if operator == "not in":
            return actual not in value
        if operator == "ilike":
            return isinstance(actual, str) and str(value).lower() in actual.lower()
        raise OdooException("ValueError", f"Invalid domain term {condition!r}")

    def _output(self, spec: tuple[str, ...], value: Any) -> Any:
        if spec[0] == M2O and value:
            return [value, self.records[spec[2]][value]["name"]]
        return list(value) if spec[0] == M2M else value

    def _table(self, model: str) -> dict[int, dict[str, Any]]:
        return self.records[self._model(model)]

    @staticmethod
    def _model(model: str) -> str:
        if model not in MODELS:
            raise OdooException("KeyError", repr(model))
        return model

    @staticmethod
    def _field(model: str, name: str) -> tuple[str, ...]:
        spec = MODELS[FakeOdooStore._model(model)][1].get(name)
        if spec is None:
            raise OdooException("ValueError", f"Invalid field {name!r} on model {model!r}")
        return spec
