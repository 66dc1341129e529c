"""Route declarations of products (with their values' sources and history), offers and suppliers (a declarative
table)."""

from __future__ import annotations

from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.catalog.history_query import HISTORY_PARAMS
from productsmanager.entrypoints.falcon.catalog.products import (
    ProductByEanResource,
    ProductCollectionResource,
    ProductItemResource,
    ProductOfferResource,
)
from productsmanager.entrypoints.falcon.catalog.query import PRODUCT_PARAMS
from productsmanager.entrypoints.falcon.catalog.resolve_jobs import ResolveJobResource
from productsmanager.entrypoints.falcon.catalog.suppliers import SupplierCollectionResource, SupplierItemResource
from productsmanager.entrypoints.falcon.catalog.values import (
    ProductHistoryResource,
    ProductSourcesResource,
    ProductValueResource,
)
from productsmanager.entrypoints.falcon.routing import PAGE_PARAMS, Operation, Route
from productsmanager.entrypoints.falcon.schemas import SUPPLIER_CODE

SUPPLIERS = (
    Route(
        path="/api/v1/suppliers",
        name="suppliers",
        factory=lambda c: SupplierCollectionResource(c.supplier_service),
        operations={
            "GET": Operation(
                summary="List suppliers by code",
                role=Role.VIEWER,
                response="SupplierPage",
                params=PAGE_PARAMS,
                unknown_params="refused",
                errors=(400, 401),
            ),
            "POST": Operation(
                summary="Create a supplier",
                role=Role.EDITOR,
                request="SupplierCreate",
                response="Supplier",
                status=201,
                errors=(401, 403, 409, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/suppliers/{supplier_id}",
        name="supplier",
        factory=lambda c: SupplierItemResource(c.supplier_service),
        operations={
            "GET": Operation(summary="One supplier", role=Role.VIEWER, response="Supplier", errors=(401, 404)),
            "PATCH": Operation(
                summary="Change a supplier",
                role=Role.EDITOR,
                request="SupplierPatch",
                response="Supplier",
                errors=(401, 403, 404, 409, 422),
            ),
            "DELETE": Operation(
                summary="Delete a supplier without offers", role=Role.EDITOR, status=204, errors=(401, 403, 404, 409)
            ),
        },
    ),
)

PRODUCTS = (
    Route(
        path="/api/v1/products",
        name="products",
        factory=lambda c: ProductCollectionResource(c.product_reader, c.product_editor),
        operations={
            "GET": Operation(
                summary="List products with filters and keyset pagination",
                role=Role.VIEWER,
                response="ProductPage",
                params=PRODUCT_PARAMS,
                unknown_params="refused",
                errors=(400, 401),
            ),
            "POST": Operation(
                summary="Create a product",
                role=Role.EDITOR,
                request="ProductCreate",
                response="Product",
                status=201,
                errors=(401, 403, 409, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/products/by-ean/{ean}",
        name="product_by_ean",
        factory=lambda c: ProductByEanResource(c.product_reader),
        operations={
            "GET": Operation(
                summary="Find a product by any standard form of its EAN",
                role=Role.VIEWER,
                response="Product",
                errors=(401, 404, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/products/{product_id}",
        name="product",
        factory=lambda c: ProductItemResource(c.product_reader, c.product_editor),
        operations={
            "GET": Operation(
                summary="One product with offers and images", role=Role.VIEWER, response="Product", errors=(401, 404)
            ),
            "PATCH": Operation(
                summary="Change product fields",
                role=Role.EDITOR,
                request="ProductPatch",
                response="Product",
                errors=(401, 403, 404, 409, 422),
            ),
            "DELETE": Operation(
                summary="Delete a product with its offers", role=Role.EDITOR, status=204, errors=(401, 403, 404)
            ),
        },
    ),
    Route(
        path="/api/v1/products/{product_id}/values/{field}",
        name="product_value",
        factory=lambda c: ProductValueResource(c.product_editor),
        operations={
            "DELETE": Operation(
                summary="Withdraw a person's value of a field: the next source's value shows",
                role=Role.EDITOR,
                response="Product",
                errors=(401, 403, 404, 409, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/products/{product_id}/sources",
        name="product_sources",
        factory=lambda c: ProductSourcesResource(c.product_sources),
        operations={
            "GET": Operation(
                summary="Each shared field's value, its source, and every source's candidate",
                role=Role.VIEWER,
                response="ProductSources",
                unknown_params="refused",
                errors=(401, 404),
            ),
        },
    ),
    Route(
        path="/api/v1/products/{product_id}/history",
        name="product_history",
        factory=lambda c: ProductHistoryResource(c.product_history),
        operations={
            "GET": Operation(
                summary="Changes of the product's values and offers, newest first",
                role=Role.VIEWER,
                response="ValueChangePage",
                params=HISTORY_PARAMS,
                unknown_params="refused",
                errors=(400, 401, 404),
            ),
        },
    ),
)

OFFERS = (
    Route(
        path="/api/v1/products/{product_id}/offers/{supplier_code}",
        name="offer",
        factory=lambda c: ProductOfferResource(c.offer_editor),
        path_params={"supplier_code": SUPPLIER_CODE},
        operations={
            "PUT": Operation(
                summary="Create or replace a supplier's offer",
                role=Role.EDITOR,
                request="OfferPut",
                response="Offer",
                errors=(401, 403, 404, 422),
                also=(201,),
            ),
            "DELETE": Operation(
                summary="Remove a supplier's offer", role=Role.EDITOR, status=204, errors=(401, 403, 404, 422)
            ),
        },
    ),
)

# Resolve jobs (started by a change of `product_data.source_priority`). The literal segment `resolve-jobs`
# is matched before `{product_id}`: Falcon prefers a literal segment to a field at the same depth.
RESOLVE_JOBS = (
    Route(
        path="/api/v1/products/resolve-jobs/{resolve_job_id}",
        name="resolve_job",
        factory=lambda c: ResolveJobResource(c.product_resolution),
        operations={
            "GET": Operation(
                summary="A resolve job: every product re-resolved after source_priority changed; its status, "
                "progress and counts",
                role=Role.VIEWER,
                response="ResolveJob",
                errors=(401, 404),
            ),
        },
    ),
)
