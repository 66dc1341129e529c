"""The suppliers and imports area's pages: paths, roles and the use cases each one is built from."""

from __future__ import annotations

from productsmanager.domain.users import Role
from productsmanager.entrypoints.web.declarations import WebPage
from productsmanager.entrypoints.web.imports.jobs import ImportExportPage, ImportsPage, JobPage, JobRetryPage
from productsmanager.entrypoints.web.imports.suppliers import SourceSettingsPage, SupplierPage, SuppliersPage
from productsmanager.entrypoints.web.imports.wizard import WizardCancelPage, WizardPage, WizardStartPage

EDIT = {"GET": Role.VIEWER, "POST": Role.EDITOR}
POST = {"POST": Role.EDITOR}

PAGES: tuple[WebPage, ...] = (
    WebPage(path="/suppliers", factory=lambda c, r: SuppliersPage(c.supplier_service, r), roles=EDIT),
    WebPage(
        path="/suppliers/{supplier_id}",
        factory=lambda c, r: SupplierPage(c.supplier_service, c.import_sources, r),
        roles=EDIT,
    ),
    WebPage(
        path="/suppliers/{supplier_id}/sources/{kind}",
        factory=lambda c, r: SourceSettingsPage(
            c.import_sources, SupplierPage(c.supplier_service, c.import_sources, r)
        ),
        roles=POST,
    ),
    WebPage(
        path="/suppliers/{supplier_id}/sources/{kind}/run",
        factory=lambda c, r: SourceSettingsPage(
            c.import_sources, SupplierPage(c.supplier_service, c.import_sources, r), run=True
        ),
        roles=POST,
    ),
    WebPage(path="/imports", factory=lambda c, r: ImportsPage(c.import_manager, c.supplier_service, r)),
    WebPage(path="/imports/export.csv", factory=lambda c, r: ImportExportPage(c.import_manager)),
    WebPage(
        path="/imports/new",
        factory=lambda c, r: WizardPage(c.upload_wizard, c.supplier_service, r, c.config().import_max_bytes),
        roles={"GET": Role.EDITOR, "POST": Role.EDITOR},
    ),
    WebPage(
        path="/imports/new/start",
        factory=lambda c, r: WizardStartPage(
            c.upload_wizard, WizardPage(c.upload_wizard, c.supplier_service, r, c.config().import_max_bytes)
        ),
        roles=POST,
    ),
    WebPage(path="/imports/new/cancel", factory=lambda c, r: WizardCancelPage(c.upload_wizard), roles=POST),
    WebPage(path="/imports/{job_id}", factory=lambda c, r: JobPage(c.import_manager, r)),
    WebPage(path="/imports/{job_id}/retry", factory=lambda c, r: JobRetryPage(c.import_manager), roles=POST),
)
