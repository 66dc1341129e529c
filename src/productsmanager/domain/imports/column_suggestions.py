"""The mapping a supplier file's headers suggest: each header compared, accents, case and punctuation aside,
with the names suppliers give each catalog field (English, French, German, Spanish), so that the upload
wizard starts from a mapping people mostly only confirm."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

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
