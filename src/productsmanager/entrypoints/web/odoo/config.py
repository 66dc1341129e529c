"""`/odoo-sync/config` (admin): the connection form, saved through the same use case as
`PUT /api/v1/odoo/config`. The secret is write-only: the form never shows it, and a blank secret keeps the
stored one. A refused form comes back with each message next to its field, and nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.domain.errors import DomainError, NotFound
from productsmanager.entrypoints.falcon.odoo import serializers
from productsmanager.entrypoints.web.feedback import messages_by_field as field_errors
from productsmanager.entrypoints.web.forms import read_form, redirect, text
from productsmanager.entrypoints.web.odoo.common import OdooPage, at, instance_of, problem_of
from productsmanager.entrypoints.web.rendering import Renderer

TEXT_FIELDS = ("url", "database", "login", "protocol")
WHOLE_FIELDS = ("timeout_seconds", "batch_size")


def whole(value: str) -> int | str:
    """A number as typed: an int when it is one, else the text itself, for the domain to refuse by its field."""
    return int(value) if value.isdecimal() and len(value) < 12 else value


def connection_values(form: dict[str, Any]) -> dict[str, Any]:
    """The API's `OdooConfigPut` body from the form: blank numbers keep their defaults, a blank company is
    none, a blank secret is left out (the stored one is kept) unless its removal is ticked."""
    values: dict[str, Any] = {name: text(form, name) for name in TEXT_FIELDS}
    for name in WHOLE_FIELDS:
        if text(form, name):
            values[name] = whole(text(form, name))
    company = text(form, "company_id")
    values["company_id"] = whole(company) if company else None
    secret = str(form.get("secret") or "")
    if secret:
        values["secret"] = secret
    elif text(form, "remove_secret") == "true":
        values["secret"] = None
    return values


class ConfigPage(OdooPage):
    def __init__(self, setup: Callable[[falcon.Request], Any], renderer: Renderer) -> None:
        super().__init__(renderer)
        self._setup = setup

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        try:
            config = serializers.config(self._setup(req).get())
        except NotFound:
            config = {"protocol": "xmlrpc", "timeout_seconds": 30, "batch_size": 200, "has_secret": False}
        self._form(req, resp, config, None, saved=req.get_param("saved") == "1")

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        setup = self._setup(req)
        try:
            setup.save(connection_values(form))
        except DomainError as error:
            try:
                has_secret = setup.get().secret_encrypted is not None
            except NotFound:
                has_secret = False
            shown = {**{name: text(form, name) for name in (*TEXT_FIELDS, *WHOLE_FIELDS, "company_id")}}
            self._form(req, resp, {**shown, "has_secret": has_secret}, problem_of(error), status=422)
            return
        redirect(resp, at(instance_of(req))("/odoo-sync/config", saved="1"))

    def _form(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        config: dict[str, Any],
        problem: dict[str, Any] | None,
        *,
        saved: bool = False,
        status: int = 200,
    ) -> None:
        self.show(
            req,
            resp,
            "odoo/config.html",
            block="form",
            status=status,
            config=config,
            problem=problem,
            errors=field_errors(problem),
            saved=saved,
        )
