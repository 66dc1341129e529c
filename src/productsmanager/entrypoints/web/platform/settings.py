"""`/settings` (admins): one form per section of the API's settings, generated from the domain's rules (a
section or key added there shows up here), saved with the same use case as `PUT /api/v1/settings/{section}`.

A form sends text; it is turned into the JSON type the key's rule states (checkboxes into true/false, numbers,
one list entry per line) and the domain judges it: text that is no number is passed on as text, so the
domain's own message ("must be a whole number") is the one shown. A refused section stores nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.settings.settings_administration import SettingsAdministration
from productsmanager.domain.errors import DomainError
from productsmanager.domain.setting_section import SettingKey
from productsmanager.domain.settings import SECTIONS, section_type
from productsmanager.entrypoints.web.feedback import form_problem
from productsmanager.entrypoints.web.forms import read_form, redirect, text
from productsmanager.entrypoints.web.rendering import Renderer

TITLES = {
    "general": "General",
    "notifications": "Notifications",
    "media": "Media",
    "imports": "Import defaults",
    "product_data": "Product data",
    "ean_lookup": "EAN lookup",
}
CHOICE_NAMES = {"\t": "tab", ",": "comma (,)", ";": "semicolon (;)", "|": "pipe (|)"}


def form_value(key: SettingKey, form: dict[str, Any]) -> object:
    """The key's value from the posted form, in the type its rule takes."""
    kind = key.rule.kind
    if kind == "boolean":
        return text(form, key.key) == "true"
    value = form.get(key.key, "")
    entered = value[-1] if isinstance(value, list) and value else value
    entered = entered if isinstance(entered, str) else ""
    if kind == "array":
        return [line.strip() for line in entered.splitlines() if line.strip()]
    if kind in ("integer", "number") and entered.strip():
        try:
            number = float(entered) if kind == "number" else int(entered.strip())
        except ValueError:
            return entered
        return number
    if kind in ("integer", "number"):
        return None
    return entered if key.rule.choices is not None else entered.strip()


def describe(name: str, values: dict[str, Any]) -> list[dict[str, Any]]:
    """What the template needs to draw each key of a section: input kind, label, value, choices, hint."""
    fields = []
    for key in section_type(name).setting_keys():
        rule = key.rule
        value = values.get(key.key)
        kind = "checkbox" if rule.kind == "boolean" else "textarea" if rule.kind == "array" else "text"
        if rule.choices is not None:
            kind = "select"
        elif rule.kind in ("integer", "number"):
            kind = "number"
        fields.append(
            {
                "key": key.key,
                "id": f"{name}-{key.key}",
                "label": key.attribute.replace("_", " ").capitalize(),
                "kind": kind,
                "value": "\n".join(map(str, value)) if isinstance(value, list | tuple) else value,
                "choices": [(c, CHOICE_NAMES.get(c, c)) for c in rule.choices or ()],
                "step": "any" if rule.kind == "number" else "1",
                "hint": rule.description or ("one per line" if rule.kind == "array" else None),
            }
        )
    return fields


class SettingsPage:
    def __init__(self, settings: Callable[[], SettingsAdministration], renderer: Renderer) -> None:
        self._settings = settings
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._show(req, resp, saved=req.get_param("saved"))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        name = text(form, "section")
        keys = section_type(name).setting_keys()
        values = {key.key: form_value(key, form) for key in keys}
        try:
            self._settings().change_section(name, values, req.context.user.id)
        except DomainError as error:
            found = form_problem(error)
            entered = {key.key: value for key, value in zip(keys, values.values(), strict=True)}
            failed = {"name": name, "errors": found.fields, "detail": found.problem["detail"], "values": entered}
            self._show(req, resp, failed=failed, status=found.status)
            return
        redirect(resp, f"/settings?saved={name}#{name}")

    def _show(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        *,
        saved: str | None = None,
        failed: dict[str, Any] | None = None,
        status: int = 200,
    ) -> None:
        stored = self._settings().read_all().to_json()
        sections = []
        for name in SECTIONS:
            mine = failed if failed is not None and failed["name"] == name else None
            values = mine["values"] if mine else stored[name]
            sections.append(
                {
                    "name": name,
                    "title": (title := TITLES.get(name, name.replace("_", " ").capitalize())),
                    "action": "Save " + (title if title.split()[0].isupper() else title.lower()),
                    "fields": describe(name, values),
                    "errors": mine["errors"] if mine else {},
                    "detail": mine["detail"] if mine else None,
                    "saved": saved == name,
                }
            )
        self._renderer.render(req, resp, "platform/settings.html", status=status, sections=sections)
