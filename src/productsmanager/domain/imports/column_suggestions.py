"""The mapping a supplier file's headers suggest: each header compared, accents, case and punctuation aside,
with the names suppliers give each catalog field (English, French, German, Spanish), so that the upload
wizard starts from a mapping people mostly only confirm."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from productsmanager.domain.imports.profile import TARGET_FIELDS

SYNONYMS: dict[str, tuple[str, ...]] = {
    "ean": ("ean", "ean13", "ean 13", "code ean", "gtin", "upc", "barcode", "bar code", "code barre",
            "code barres", "code-barres", "ean code", "strichcode"),
    "name": ("name", "title", "product name", "product", "designation", "libelle", "nom", "article",
             "description courte", "bezeichnung", "nombre", "titre"),
    "brand": ("brand", "marque", "manufacturer", "fabricant", "marke", "hersteller", "marca", "make"),
    "category": ("category", "categorie", "famille", "kategorie", "categoria", "rayon", "product type"),
    "description": ("description", "long description", "description longue", "beschreibung", "descripcion"),
    "price": ("price", "prix", "prix ht", "unit price", "cost", "purchase price", "prix achat", "preis",
              "precio", "tarif", "net price", "prix net"),
    "currency": ("currency", "devise", "monnaie", "wahrung", "moneda"),
    "stock": ("stock", "qty", "quantity", "quantite", "qte", "inventory", "available", "disponible", "bestand",
              "menge", "existencias"),
    "supplier_sku": ("sku", "supplier sku", "ref", "reference", "ref fournisseur", "reference fournisseur",
                     "article number", "item number", "part number", "artikelnummer", "referencia", "mpn"),
    "image_url": ("image", "image url", "picture", "photo", "image link", "url image", "bild", "imagen"),
}  # fmt: skip

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_COMMA_DECIMAL = re.compile(r"^[-+]?(\d{1,3}(?:[. \u00a0]\d{3})+|\d+),\d+$")  # 12,90 · 1.234,5 · 1 234,50
_POINT_DECIMAL = re.compile(r"^[-+]?(\d{1,3}(?:[, ]\d{3})+|\d+)\.\d+$")  # 12.90 · 1,234.5
_AMBIGUOUS = re.compile(r"^[-+]?\d{1,3}[.,]\d{3}$")  # 1,234 or 1.234: a thousands separator or a decimal one


def normalized(header: str) -> str:
    """Lower case, accents dropped, every run of other characters one space: 'Réf. fournisseur' → 'ref fournisseur'."""
    plain = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_WORD.sub(" ", plain).strip()


_KNOWN = {normalized(name): target for target in TARGET_FIELDS for name in SYNONYMS[target]}


def suggest_mapping(headers: Sequence[str]) -> dict[str, str]:
    """Header (trimmed, as the profile keeps it) → target field, for the headers recognised; each target
    at most once (the first header naming it wins), each header at most once, never an empty header."""
    mapping: dict[str, str] = {}
    for header in headers:
        source = header.strip()
        target = _KNOWN.get(normalized(source))
        if source and target is not None and source not in mapping and target not in mapping.values():
            mapping[source] = target
    return mapping


def suggest_decimal_comma(prices: Iterable[object]) -> bool:
    """Whether a file writes its prices with a decimal comma (`12,90`), judged on the values of its price column:
    more of them written the comma's way than the point's. Values either way could be read (`1,234`), numbers
    already typed by a spreadsheet, and blanks say nothing."""
    comma = point = 0
    for value in prices:
        if not isinstance(value, str) or _AMBIGUOUS.match(value.strip()):
            continue
        text = value.strip()
        comma += bool(_COMMA_DECIMAL.match(text))
        point += bool(_POINT_DECIMAL.match(text))
    return comma > point
