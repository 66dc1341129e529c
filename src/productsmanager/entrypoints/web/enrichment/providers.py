"""An administrator's change to a barcode provider and its test, from the providers tab. The form's text is
turned into the values the REST body would carry and the same use case judges them; the API key is
write-only: left blank it is kept, "remove" removes it, and it is never shown back."""

from __future__ import annotations

from typing import Any

import falcon

from productsmanager.application.enrichment.ean_provider_settings import provider_name
from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.enrichment import serializers
from productsmanager.entrypoints.web.enrichment.common import go_to, refusal
from productsmanager.entrypoints.web.enrichment.lookup import EanLookupParts
from productsmanager.entrypoints.web.forms import read_form, text
from productsmanager.entrypoints.web.rendering import Renderer, is_htmx

NUMBERS = ("priority", "confidence", "timeout_seconds", "requests_per_minute")


def _number(raw: str) -> Any:
    """A whole number or a decimal one; anything else is passed on as text for the domain to refuse."""
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            continue
    return raw


def provider_changes(form: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {"enabled": text(form, "enabled") == "on", "base_url": text(form, "base_url")}
    changes.update({name: _number(text(form, name)) for name in NUMBERS})
    if text(form, "remove_key") == "on":
        changes["api_key"] = None
    elif key := text(form, "api_key"):
        changes["api_key"] = key
    return changes


class EanProviderForm:
    def __init__(self, parts: EanLookupParts, renderer: Renderer) -> None:
        self._parts = parts
        self._renderer = renderer

    def on_post(self, req: falcon.Request, resp: falcon.Response, provider: str) -> None:
        provider_name(provider)  # an unknown provider is a 404, whatever the form
        form = read_form(req)
        try:
            saved = self._parts.settings().update(provider, provider_changes(form), req.context.user.id)
        except DomainError as error:
            problem, errors = refusal(error)
            current = serializers.provider(self._parts.settings().get(provider))
            shown = {**current, **{k: text(form, k) for k in (*NUMBERS, "base_url")}, "enabled": "enabled" in form}
            self._show(req, resp, shown, problem=problem, errors=errors, status=422)
            return
        if not is_htmx(req):
            go_to(req, resp, "/ean-lookup?tab=providers")
            return
        self._show(req, resp, serializers.provider(saved), notice=f"{saved.config.name.label} saved.")

    def _show(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        provider: dict[str, Any],
        *,
        status: int = 200,
        problem: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        notice: str | None = None,
    ) -> None:
        """The provider's card alone for htmx; the providers tab with it for a plain form."""
        if is_htmx(req):
            shown = {"provider": provider, "problem": problem, "errors": errors or {}, "notice": notice, "test": None}
            self._renderer.render(req, resp, "enrichment/provider.html", status=status, **shown)
            return
        context = self._parts.context(req, "providers")
        context["providers"] = [provider if p["id"] == provider["id"] else p for p in context["providers"]]
        context.update(problem=problem, errors=errors or {})
        self._renderer.render(req, resp, "enrichment/lookup.html", status=status, **context)


class EanProviderTest:
    """The same test as `POST /api/v1/ean-lookup/providers/{provider}/test`: its outcome, in a status region."""

    def __init__(self, parts: EanLookupParts, renderer: Renderer) -> None:
        self._parts = parts
        self._renderer = renderer

    def on_post(self, req: falcon.Request, resp: falcon.Response, provider: str) -> None:
        outcome = serializers.test(self._parts.settings().test(provider))
        self._renderer.render(req, resp, "enrichment/provider_test.html", provider_id=provider, test=outcome)
