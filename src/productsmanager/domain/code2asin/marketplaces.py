"""Amazon's marketplaces that Code2ASIN can search, each with the id the Selling Partner API knows it by and
the region whose endpoint serves it (Amazon's "Marketplace IDs" table; only the EU and NA regions are offered).

A marketplace is named by its site (`amazon.fr`) in the API and the settings: that is what a merchant knows.
"""

from __future__ import annotations

from enum import StrEnum

from attrs import frozen

from productsmanager.domain.errors import InvalidValue


class Region(StrEnum):
    EU = "eu"
    NA = "na"


@frozen
class Marketplace:
    site: str  # amazon.fr
    marketplace_id: str  # A13V1IB3VIYZZH
    region: Region
    country: str  # as Amazon's table gives it (UK for amazon.co.uk)

    @classmethod
    def parse(cls, raw: object, field: str = "marketplace") -> Marketplace:
        """A marketplace named by its site (`amazon.fr`, case-insensitive, `www.` allowed) or its id."""
        text = str(raw).strip().lower().removeprefix("www.") if isinstance(raw, str) else ""
        found = MARKETPLACES.get(text) or _BY_ID.get(text.upper())
        if found is None:
            sites = ", ".join(MARKETPLACES)
            raise InvalidValue(f"marketplace {raw!r} is not one of {sites}", field=field)
        return found


_TABLE = (
    ("amazon.fr", "A13V1IB3VIYZZH", Region.EU, "FR"),
    ("amazon.de", "A1PA6795UKMFR9", Region.EU, "DE"),
    ("amazon.es", "A1RKKUPIHCS9HS", Region.EU, "ES"),
    ("amazon.it", "APJ6JRA9NG5V4", Region.EU, "IT"),
    ("amazon.co.uk", "A1F83G8C2ARO7P", Region.EU, "UK"),
    ("amazon.nl", "A1805IZSGTT6HS", Region.EU, "NL"),
    ("amazon.com.be", "AMEN7PMS3EDWL", Region.EU, "BE"),
    ("amazon.se", "A2NODRKZP88ZB9", Region.EU, "SE"),
    ("amazon.pl", "A1C3SOZRARQ6R3", Region.EU, "PL"),
    ("amazon.ie", "A28R8C7NBKEWEA", Region.EU, "IE"),
    ("amazon.com.tr", "A33AVAJ2PDY3EV", Region.EU, "TR"),
    ("amazon.com", "ATVPDKIKX0DER", Region.NA, "US"),
    ("amazon.ca", "A2EUQ1WTGCTBG2", Region.NA, "CA"),
    ("amazon.com.mx", "A1AM78C64UM0Y8", Region.NA, "MX"),
    ("amazon.com.br", "A2Q3Y263D00KWC", Region.NA, "BR"),
)
MARKETPLACES: dict[str, Marketplace] = {site: Marketplace(site, mid, region, cc) for site, mid, region, cc in _TABLE}
_BY_ID = {m.marketplace_id: m for m in MARKETPLACES.values()}
DEFAULT_MARKETPLACE = MARKETPLACES["amazon.fr"]


# Where Amazon's catalog serves product images (the catalog items' `images[].link`): downloads may open more
# connections to them than to an unknown host, and the back office previews images from them.
AMAZON_IMAGE_HOSTS: tuple[str, ...] = (
    "m.media-amazon.com",
    "images-na.ssl-images-amazon.com",
    "images-eu.ssl-images-amazon.com",
    "images-fe.ssl-images-amazon.com",
)
