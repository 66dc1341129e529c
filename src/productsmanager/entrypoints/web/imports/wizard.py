"""`/imports/new`, the upload wizard: 1. supplier and file (multipart, bounded as the REST upload); 2. the
first rows as the import reads them, with the detected layout and a suggested mapping to edit; 3. saved as
the supplier's profile and imported (`/imports/new/start`). The file waits in the import-file store, recorded
under its upload id: the later steps post that id alone, the rest comes from the record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.imports.upload_wizard import Preview, UploadWizard
from productsmanager.application.suppliers.supplier_service import SupplierService
from productsmanager.domain.errors import DomainError, NotFound
from productsmanager.domain.imports.profile import ENCODINGS, TARGET_FIELDS, MissingOffers
from productsmanager.entrypoints.falcon.imports.upload import received_file
from productsmanager.entrypoints.falcon.requests import path_uuid
from productsmanager.entrypoints.web.feedback import form_problem
from productsmanager.entrypoints.web.forms import read_form, redirect, text
from productsmanager.entrypoints.web.rendering import Renderer

DELIMITER_NAMES = {",": "comma (,)", ";": "semicolon (;)", "\t": "tab", "|": "pipe (|)"}
MAX_COLUMNS = 200


class WizardPage:
    def __init__(
        self,
        wizard: Callable[[], UploadWizard],
        suppliers: Callable[[], SupplierService],
        renderer: Renderer,
        max_bytes: int,
    ) -> None:
        self._wizard = wizard
        self._suppliers = suppliers
        self._renderer = renderer
        self._max_bytes = max_bytes

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.show(req, resp)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Step 1 → 2: the file received and previewed."""
        with received_file(req, self._max_bytes) as (path, name, code):
            try:
                preview = self._wizard().receive(code, name, path, req.context.user.id)
            except DomainError as error:
                found = form_problem(error)
                status, problem, errors = found.status, found.problem, found.fields
                self.show(req, resp, status=status, problem=problem, errors=errors, supplier_code=code)
                return
        self.show(req, resp, preview=preview)

    def show(self, req: falcon.Request, resp: falcon.Response, status: int = 200, **shown: Any) -> None:
        preview: Preview | None = shown.get("preview")
        self._renderer.render(
            req, resp, "imports/new.html", block="wizard", status=status,
            suppliers=self._suppliers().list(200).items, preview=preview,
            chosen=shown.get("chosen") or (_chosen(preview) if preview else {}),
            problem=shown.get("problem"), errors=shown.get("errors") or {},
            supplier_code=shown.get("supplier_code", req.get_param("supplier") or ""),
            targets=TARGET_FIELDS, encodings=ENCODINGS, delimiters=DELIMITER_NAMES,
            missing_offers=[choice.value for choice in MissingOffers],
        )  # fmt: skip


def _chosen(preview: Preview) -> dict[str, Any]:
    profile = preview.profile
    return {
        "mapping": dict(profile.mapping), "encoding": profile.encoding or "", "delimiter": profile.delimiter or "",
        "decimal_comma": profile.decimal_comma or profile.delimiter == ";",  # ';' files mostly write 12,90
        "missing_offers": profile.missing_offers.value,
    }  # fmt: skip


def profile_of(form: dict[str, Any], header: list[str]) -> dict[str, Any]:
    """The REST profile body from the step 2 form: `map-<n>` is the target of the n-th header column."""
    mapping = {
        column: text(form, f"map-{n}") for n, column in enumerate(header[:MAX_COLUMNS]) if text(form, f"map-{n}")
    }
    return {
        "format": text(form, "format"), "encoding": text(form, "encoding") or None,
        "delimiter": text(form, "delimiter") or None, "mapping": mapping,
        "decimal_comma": bool(text(form, "decimal_comma")), "missing_offers": text(form, "missing_offers"),
    }  # fmt: skip


class WizardCancelPage:
    """Leaving the wizard at step 2: the kept file is forgotten."""

    def __init__(self, wizard: Callable[[], UploadWizard]) -> None:
        self._wizard = wizard

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        self._wizard().discard(path_uuid(text(form, "upload_id"), "upload"))
        redirect(resp, "/imports/new")


class WizardStartPage:
    """Step 3: the profile saved and the import started; a refused profile shows step 2 again, saved nothing."""

    def __init__(self, wizard: Callable[[], UploadWizard], page: WizardPage) -> None:
        self._wizard = wizard
        self._page = page

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        upload = path_uuid(text(form, "upload_id"), "upload")
        wizard = self._wizard()
        preview = wizard.preview(upload)
        raw = profile_of(form, preview.header)
        try:
            job = wizard.start(upload, raw)
        except DomainError as error:
            if isinstance(error, NotFound):
                raise
            found = form_problem(error)
            status, problem, errors = found.status, found.problem, found.fields
            chosen = {**raw, "delimiter": raw["delimiter"] or "", "encoding": raw["encoding"] or ""}
            self._page.show(req, resp, status=status, problem=problem, errors=errors, preview=preview, chosen=chosen)
            return
        redirect(resp, f"/imports/{job.id}")
