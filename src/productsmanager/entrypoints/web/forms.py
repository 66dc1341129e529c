"""Reading the back office's forms: urlencoded bodies as a dict of strings (a repeated field keeps its values
as a list), bounded like every request body; and the redirect after a successful post."""

from __future__ import annotations

from typing import Any

import falcon

MAX_FORM_BYTES = 1024 * 1024


def read_form(req: falcon.Request) -> dict[str, Any]:
    """The posted fields; an empty dict for a body that is not a urlencoded form. Cached by falcon, so the
    CSRF check and the page read it once."""
    if not (req.content_type or "").startswith(falcon.MEDIA_URLENCODED):
        return {}
    if (req.content_length or 0) > MAX_FORM_BYTES:
        raise falcon.HTTPContentTooLarge(description=f"a form is at most {MAX_FORM_BYTES} bytes")
    form = req.get_media(default_when_empty={})
    return form if isinstance(form, dict) else {}


def text(form: dict[str, Any], name: str) -> str:
    """One field as text: the last value of a repeated field, '' when absent."""
    value = form.get(name, "")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value).strip()


def redirect(resp: falcon.Response, target: str) -> None:
    """303 See Other after a post (cookies set on `resp` are kept); htmx follows it transparently."""
    resp.status = falcon.HTTP_303
    resp.location = target


def raw(form: dict[str, Any], name: str) -> str:
    """A password as typed: never trimmed (the use cases take it exactly as sent); the last of repeated values."""
    value = form.get(name, "")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value)
