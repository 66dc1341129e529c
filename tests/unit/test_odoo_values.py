"""Product values to and from Odoo, and comparing them before a write."""

from __future__ import annotations

from decimal import Decimal

from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.gtin import Gtin, check_digit
from productsmanager.domain.odoo.comparison import changed_fields
from productsmanager.domain.odoo.mappings import (
    DEFAULT_FIELD_MAPPINGS,
    TEXT_FIELDS,
    CategoryMapping,
    MappingDirection,
    OdooFieldMapping,
    TaxMapping,
)
from productsmanager.domain.odoo.product_values import (
    OdooRecordProblem,
    ProductSnapshot,
    from_odoo_record,
    to_odoo_values,
)
from productsmanager.domain.odoo.transforms import Transform

GTIN = Gtin.parse("4006381333931")
CATEGORIES = (CategoryMapping("Tools", 7), CategoryMapping("Garden", 8))
TAXES = (TaxMapping(Decimal("20"), 1), TaxMapping(Decimal("20.0"), 4), TaxMapping(Decimal("5.5"), 2))

gtins = st.from_regex(r"[0-9]{12}", fullmatch=True).map(lambda payload: Gtin.parse(payload + str(check_digit(payload))))
catalog_characters = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")  # NULs never stored
texts = st.text(catalog_characters, min_size=1, max_size=40).map(str.strip).filter(bool)
money = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)
snapshots = st.builds(
    ProductSnapshot,
    gtin=gtins,
    name=texts,
    brand=st.none() | texts,
    category=st.none() | st.sampled_from(["Tools", "Garden", "Kitchen"]),
    description=st.none() | texts,
    supplier_sku=st.none() | texts,
    price=st.none() | money,
    cost=st.none() | money,
    stock=st.none() | st.integers(0, 2_147_483_647),
    vat_rate=st.none() | st.sampled_from([Decimal(20), Decimal("5.5"), Decimal(0)]),
)
extra_mappings = st.lists(
    st.builds(
        OdooFieldMapping,
        local_field=st.sampled_from(["brand", "description", "price", "stock", "category"]),
        odoo_field=st.from_regex(r"x_[a-z]{1,8}", fullmatch=True),
        direction=st.sampled_from(list(MappingDirection)),
        transform=st.just(Transform()),
    ),
    max_size=4,
)
TEXT_TRANSFORMS = st.sampled_from([Transform(), Transform("strip"), Transform("upper"), Transform("lower")])


def walk(value: object) -> list[object]:
    if isinstance(value, dict):
        return [value, *(item for inner in value.values() for item in walk(inner))]
    if isinstance(value, list | tuple):
        return [value, *(item for inner in value for item in walk(inner))]
    return [value]


@given(snapshots, extra_mappings)
def test_no_value_sent_to_odoo_is_ever_none(snapshot: ProductSnapshot, extra: list[OdooFieldMapping]) -> None:
    values = to_odoo_values(snapshot, (*DEFAULT_FIELD_MAPPINGS, *extra), CATEGORIES, TAXES)
    assert all(item is not None for item in walk(values))


def as_odoo_reads(values: dict[str, object]) -> dict[str, object]:
    """What Odoo's `read` gives back for what was written: a many2one as [id, name], a many2many as ids."""
    names = {mapping.odoo_category_id: mapping.local_category for mapping in CATEGORIES}
    read: dict[str, object] = {"id": 42, **values}
    if "categ_id" in values:
        read["categ_id"] = [values["categ_id"], names[values["categ_id"]]]  # type: ignore[index]
    if "taxes_id" in values:
        read["taxes_id"] = list(values["taxes_id"][0][2])  # type: ignore[index]
    return read


@given(snapshots, st.sampled_from(TEXT_FIELDS[1:]), TEXT_TRANSFORMS, st.booleans())
def test_export_then_import_gives_back_every_field_mapped_both_ways(
    snapshot: ProductSnapshot, local: str, transform: Transform, with_category: bool
) -> None:
    kept = transform.apply(snapshot.value_of(local))  # values the transform keeps travel unchanged
    snapshot = evolve(snapshot, **{local: kept})
    mappings = [*DEFAULT_FIELD_MAPPINGS, OdooFieldMapping(local, f"x_{local}", MappingDirection.BOTH, transform)]
    if with_category:
        mappings.append(OdooFieldMapping("category", "categ_id", MappingDirection.BOTH))
    back = from_odoo_record(as_odoo_reads(to_odoo_values(snapshot, mappings, CATEGORIES, TAXES)), mappings)
    assert isinstance(back, dict)
    for mapping in mappings:
        if mapping.direction is MappingDirection.BOTH and mapping.odoo_field != "categ_id":
            expected = snapshot.gtin if mapping.local_field == "ean" else snapshot.value_of(mapping.local_field)
            assert back[mapping.local_field] == expected
    if with_category and snapshot.category in ("Tools", "Garden"):
        assert back["category"] == snapshot.category


@given(snapshots)
def test_a_product_written_to_odoo_reads_back_unchanged(snapshot: ProductSnapshot) -> None:
    wanted = to_odoo_values(snapshot, DEFAULT_FIELD_MAPPINGS, CATEGORIES, TAXES)
    assert changed_fields(as_odoo_reads(wanted), wanted) == {}
    assert changed_fields(wanted, wanted) == {}


odoo_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),  # what XML-RPC and JSON carry
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner),
    max_leaves=6,
)


@given(st.dictionaries(st.text(max_size=8), odoo_values, max_size=6))
def test_nothing_changed_between_equal_values(values: dict[str, object]) -> None:
    assert changed_fields(values, values) == {}


def test_values_follow_odoo_conventions() -> None:
    snapshot = ProductSnapshot(GTIN, "Drill", category="Tools", price=Decimal("12.345"), vat_rate=Decimal("20"))
    values = to_odoo_values(snapshot, DEFAULT_FIELD_MAPPINGS, CATEGORIES, TAXES)
    assert values == {
        "barcode": "4006381333931",
        "name": "Drill",
        "default_code": False,
        "list_price": 12.35,
        "standard_price": False,
        "categ_id": 7,
        "taxes_id": [(6, 0, [1, 4])],
    }
    unmapped = ProductSnapshot(GTIN, "Drill", category="Kitchen", vat_rate=Decimal("7"))
    assert not {"categ_id", "taxes_id"} & set(to_odoo_values(unmapped, DEFAULT_FIELD_MAPPINGS, CATEGORIES, TAXES))


def test_transforms_and_defaults_shape_exported_values() -> None:
    mappings = [
        OdooFieldMapping("brand", "x_brand", MappingDirection.EXPORT, Transform("upper")),
        OdooFieldMapping("cost", "standard_price", MappingDirection.EXPORT, Transform("default", "0")),
        OdooFieldMapping("stock", "x_stock", MappingDirection.EXPORT, Transform("default", "3")),
        OdooFieldMapping("name", "x_name", MappingDirection.IMPORT),
    ]
    values = to_odoo_values(ProductSnapshot(GTIN, "Drill", brand="Bosch"), mappings)
    assert values == {"x_brand": "BOSCH", "standard_price": 0.0, "x_stock": 3}


def test_import_reads_odoo_empties_and_many2one_names() -> None:
    mappings = [
        *DEFAULT_FIELD_MAPPINGS,
        OdooFieldMapping("category", "categ_id", MappingDirection.IMPORT),
        OdooFieldMapping("price", "list_price", MappingDirection.IMPORT, Transform("round2")),
        OdooFieldMapping("stock", "qty_available", MappingDirection.IMPORT),
        OdooFieldMapping("brand", "x_brand", MappingDirection.IMPORT, Transform("default", "Generic")),
    ]
    record = {"id": 9, "barcode": " 4006381333931 ", "name": "Drill ", "default_code": False,
              "categ_id": [7, "All / Tools"], "list_price": 12.345, "qty_available": -2.0, "x_brand": False,
              "standard_price": 3.0}  # fmt: skip
    assert from_odoo_record(record, mappings) == {
        "ean": GTIN,
        "name": "Drill",
        "supplier_sku": None,
        "category": "All / Tools",
        "price": Decimal("12.35"),
        "stock": 0,
        "brand": "Generic",
    }


@given(st.text(max_size=20), st.text(max_size=20))
def test_nuls_in_odoo_texts_are_dropped_as_from_supplier_files(before: str, after: str) -> None:
    record = {"id": 9, "barcode": "4006381333931", "name": f"{before}\x00{after}"}
    imported = from_odoo_record(record, DEFAULT_FIELD_MAPPINGS)
    assert isinstance(imported, dict)
    name = imported["name"]
    assert name is None or "\x00" not in str(name)
    assert name == ((before + after).replace("\x00", "").strip() or None)


def test_records_without_a_valid_barcode_are_problems_to_log() -> None:
    missing = from_odoo_record({"id": 3, "barcode": False, "name": "X"}, DEFAULT_FIELD_MAPPINGS)
    assert missing == OdooRecordProblem(3, "missing_ean", "Odoo barcode: EAN is missing")
    wrong = from_odoo_record({"id": 4, "barcode": "4006381333932"}, DEFAULT_FIELD_MAPPINGS)
    assert isinstance(wrong, OdooRecordProblem) and (wrong.odoo_id, wrong.reason) == (4, "invalid_ean")
    price = OdooFieldMapping("price", "list_price", MappingDirection.IMPORT)
    bad = from_odoo_record({"id": 5, "list_price": "cheap"}, [price])
    assert isinstance(bad, OdooRecordProblem) and bad.reason == "invalid_value"


def test_changed_fields_compare_as_odoo_reads_back() -> None:
    current = {"list_price": 12.3499999, "categ_id": [7, "Tools"], "taxes_id": [4, 1], "name": "Drill",
               "standard_price": 0.0, "barcode": False}  # fmt: skip
    same = {"list_price": 12.35, "categ_id": 7, "taxes_id": [(6, 0, [1, 4])], "name": "Drill",
            "standard_price": False, "barcode": False}  # fmt: skip
    assert changed_fields(current, same) == {}
    other = {"list_price": 12.36, "categ_id": 8, "taxes_id": [(6, 0, [1])], "name": "drill", "x_new": 1}
    assert changed_fields(current, other) == other
    assert changed_fields({"active": True}, {"active": 1}) == {"active": 1}


@given(snapshots, st.sampled_from(["price", "cost", "stock"]), st.sampled_from([Transform(), Transform("round2")]))
def test_numbers_mapped_both_ways_come_back_equal(snapshot: ProductSnapshot, local: str, transform: Transform) -> None:
    transform = transform if local != "stock" else Transform()
    mappings = [
        OdooFieldMapping("ean", "barcode"),
        OdooFieldMapping(local, f"x_{local}", MappingDirection.BOTH, transform),
    ]
    back = from_odoo_record(as_odoo_reads(to_odoo_values(snapshot, mappings)), mappings)
    assert isinstance(back, dict) and back[local] == snapshot.value_of(local)
