"""How much an Odoo field's name sounds like a catalog field, in English or French, offline.

Odoo databases are often French-speaking and their custom fields (`x_studio_marque`, "Code EAN") are named by
whoever created them, so a field is compared by its technical name AND its label (`string` from `fields_get`),
each folded to plain tokens (accents, case, `x_`/`x_studio_` prefixes, snake and camel case, plural `s`,
little words like "de"). A token sequence equal to one of the catalog field's usual names scores 1; anything
else is a loose likeness, capped at `LOOSE_CAP` so that an exact synonym always outranks a loose one."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from enum import StrEnum

from attrs import frozen

LOOSE_CAP = 0.8
_PREFIXES = ("x_studio_", "x_")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_WORD = re.compile(r"[a-z0-9]+")
_LITTLE_WORDS = frozenset({"a", "an", "of", "the", "de", "du", "des", "la", "le", "les", "d", "l", "en", "on"})

SYNONYMS: dict[str, tuple[str, ...]] = {
    "ean": (
        "ean",
        "barcode",
        "bar code",
        "gtin",
        "ean13",
        "ean 13",
        "upc",
        "code barre",
        "code barres",
        "code ean",
        "code a barre",
        "code a barres",
        "gencod",
    ),
    "name": ("name", "nom", "designation", "libelle", "product name", "nom produit", "title", "titre"),
    "supplier_sku": (
        "default code",
        "sku",
        "internal reference",
        "reference",
        "ref",
        "ref interne",
        "reference interne",
        "supplier sku",
        "supplier reference",
        "vendor reference",
        "reference fournisseur",
        "ref fournisseur",
        "code article",
        "article code",
        "item code",
        "product code",
    ),
    "price": (
        "list price",
        "price",
        "prix",
        "sale price",
        "sales price",
        "selling price",
        "prix vente",
        "prix public",
        "public price",
        "lst price",
        "retail price",
    ),
    "cost": (
        "standard price",
        "cost",
        "cout",
        "cost price",
        "prix achat",
        "purchase price",
        "prix revient",
        "cout revient",
    ),
    "brand": ("brand", "marque", "manufacturer", "fabricant", "brand name", "product brand"),
    "category": ("category", "categ", "categ id", "categorie", "product category", "categorie produit", "famille"),
    "description": (
        "description",
        "description sale",
        "sales description",
        "description vente",
        "long description",
        "description longue",
        "descriptif",
    ),
    "stock": (
        "stock",
        "qty available",
        "quantity available",
        "quantity on hand",
        "on hand",
        "quantite",
        "quantite stock",
        "quantite disponible",
        "qty",
        "quantity",
        "inventory",
        "stock disponible",
    ),
}
"""The usual names of each catalog field a mapping can target (as `normalise` leaves them); the table is the
whole of the "knowledge" used, nothing is fetched."""


class NameMatch(StrEnum):
    EXACT = "exact"
    LOOSE = "loose"
    NONE = "none"


@frozen
class NameLikeness:
    score: float
    match: NameMatch
    closest: str  # the synonym it is closest to, as normalised


def normalise(text: str) -> tuple[str, ...]:
    """`x_studio_CodeEAN` → (code, ean); "Réf. fournisseurs" → (ref, fournisseur)."""
    lowered = text.strip()
    for prefix in _PREFIXES:
        if lowered.lower().startswith(prefix):
            lowered = lowered[len(prefix) :]
            break
    spaced = _CAMEL.sub(" ", lowered)
    folded = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode("ascii").lower()
    return tuple(_singular(word) for word in _WORD.findall(folded) if word not in _LITTLE_WORDS)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


_PHRASES: dict[str, tuple[tuple[str, ...], ...]] = {
    field: tuple(dict.fromkeys(normalise(phrase) for phrase in (field.replace("_", " "), *phrases)))
    for field, phrases in SYNONYMS.items()
}


def name_likeness(local_field: str, odoo_name: str, label: str | None) -> NameLikeness:
    """The best likeness of the field's name or label to any usual name of `local_field`, in [0, 1]."""
    phrases = _PHRASES.get(local_field, (normalise(local_field),))
    forms = [form for form in (normalise(odoo_name), normalise(label or "")) if form]
    best = NameLikeness(0.0, NameMatch.NONE, " ".join(phrases[0]))
    for form in forms:
        for phrase in phrases:
            if form == phrase:
                return NameLikeness(1.0, NameMatch.EXACT, " ".join(phrase))
            score = round(LOOSE_CAP * _loose(form, phrase), 4)
            if score > best.score:
                best = NameLikeness(score, NameMatch.LOOSE, " ".join(phrase))
    return best


def _loose(form: tuple[str, ...], phrase: tuple[str, ...]) -> float:
    """Shared words (Jaccard), a word counting as shared when spelled nearly alike ("categorie" and
    "category", "descriptif" and "description"); whole phrases are not compared letter by letter: "list
    price" and "cost price" differ by the one word that matters."""
    shared = sum(1 for word in set(form) if any(_alike(word, other) for other in phrase))
    return shared / (len(set(form)) + len(set(phrase)) - shared)


def _alike(word: str, other: str) -> bool:
    return word == other or (min(len(word), len(other)) > 4 and SequenceMatcher(None, word, other).ratio() >= 0.8)
