"""The catalog area's pages, declared once: paths, roles, and the container providers they use (the same ones
as the REST catalog, media and Odoo resources)."""

from __future__ import annotations

from productsmanager.domain.users import Role
from productsmanager.entrypoints.web.catalog.grid import ProductCountFragment, ProductsPage
from productsmanager.entrypoints.web.catalog.images import ImageAction, ImageUpload
from productsmanager.entrypoints.web.catalog.product import GalleryFragment, ProductPage, SyncNow
from productsmanager.entrypoints.web.declarations import WebPage

EDIT = {"GET": Role.VIEWER, "POST": Role.EDITOR}

PAGES: tuple[WebPage, ...] = (
    WebPage(path="/products", factory=lambda c, r: ProductsPage(c.product_reader, r)),
    WebPage(path="/products/count", factory=lambda c, r: ProductCountFragment(c.product_reader, r)),
    WebPage(
        path="/products/{product_id}",
        factory=lambda c, r: ProductPage(
            reader=c.product_reader,
            sources=c.product_sources,
            history=c.product_history,
            amazon=c.product_amazon,
            gallery=GalleryFragment(c.media_library, c.media_links(), r),
            renderer=r,
        ),
    ),
    WebPage(
        path="/products/{product_id}/gallery",
        factory=lambda c, r: GalleryFragment(c.media_library, c.media_links(), r),
    ),
    WebPage(
        path="/products/{product_id}/images",
        factory=lambda c, r: ImageUpload(
            c.media_uploader, GalleryFragment(c.media_library, c.media_links(), r), c.config().media_max_bytes
        ),
        roles=EDIT,
    ),
    WebPage(
        path="/products/{product_id}/images/{media_id}/{action}",
        factory=lambda c, r: ImageAction(c.media_library, GalleryFragment(c.media_library, c.media_links(), r)),
        roles=EDIT,
    ),
    WebPage(path="/products/{product_id}/sync", factory=lambda c, r: SyncNow(c.odoo_setup, c.odoo_sync, r), roles=EDIT),
)
