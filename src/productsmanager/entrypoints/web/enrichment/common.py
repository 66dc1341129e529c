"""What the enrichment and Code2ASIN pages share: a use case's refusal as a form's messages, the redirect that
works for htmx and plain forms alike, and the EANs a person types into a text area."""

from __future__ import annotations

import re
from typing import Any

import falcon

from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.web.feedback import form_problem
from productsmanager.entrypoints.web.forms import redirect, text
from productsmanager.entrypoints.web.rendering import is_htmx

_SEPARATORS = re.compile(r"[\s,;]+")
JOB_FIELDS = ("eans", "filter_name", "filter_value", "marketplace")


def refusal(error: DomainError) -> tuple[dict[str, Any], dict[str, str]]:
    """The problem the API would answer and its messages by field (`eans[2]` shown next to `eans`)."""
    found = form_problem(error)
    return found.problem, found.fields


def go_to(req: falcon.Request, resp: falcon.Response, target: str) -> None:
    """After a successful post: htmx is told to load `target` as a page (a 303 would be swapped into the
    fragment it targets), a plain form gets the 303."""
    if is_htmx(req):
        resp.status = falcon.HTTP_200
        resp.set_header("HX-Redirect", target)
        resp.text = ""
        return
    redirect(resp, target)


def typed_eans(raw: str) -> list[str]:
    """EANs typed one per line, or separated by spaces, commas or semicolons."""
    return [ean for ean in _SEPARATORS.split(raw) if ean]


def eans_or_filter(form: dict[str, Any], filter_key: str) -> dict[str, Any]:
    """A job's request as the REST body: the EANs typed, or, with none typed, `filter_name` = `filter_value` as
    the product-list filter under `filter_key` (`product_filter` for lookups, `filter` for Code2ASIN)."""
    name, value = text(form, "filter_name"), text(form, "filter_value")
    if name and not text(form, "eans"):
        return {filter_key: {name: value}}
    return {"eans": typed_eans(text(form, "eans"))}


def job_form_errors(errors: dict[str, str], filter_key: str) -> dict[str, str]:
    """The filter's refusal shown next to the filter's fields."""
    if filter_key in errors:
        errors["filter_name"] = errors.pop(filter_key)
    return errors
