"""Messages from Jinja templates shipped inside the package (`templates/`), so a deployment needs no
template folder of its own and every process renders the same words."""

from __future__ import annotations

import re
from collections.abc import Mapping

from jinja2 import (
    BaseLoader,
    Environment,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    select_autoescape,
)

from productsmanager.application.mail.ports import MessageTemplateError, RenderedMessage, UnknownMessageTemplate

SUBJECT_SUFFIX = ".subject.txt"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class JinjaMessageRenderer:
    """A message `<name>` is three templates: `<name>.subject.txt`, `<name>.txt` and `<name>.html` (which
    extends `layout.html`). HTML is autoescaped, text is not: a value like `a&b` reads `a&amp;b` in the
    HTML source and `a&b` in the text. A variable missing from the context is an error, never an empty
    string, so a message with a hole in it is not sent."""

    def __init__(self, loader: BaseLoader | None = None) -> None:
        self._env = Environment(
            loader=loader or PackageLoader("productsmanager.adapters.mail", "templates"),
            autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # shipped templates do not change under a running process
        )

    def names(self) -> list[str]:
        """The messages this renderer can produce."""
        subjects = self._env.list_templates(filter_func=lambda name: name.endswith(SUBJECT_SUFFIX))
        return sorted(name.removesuffix(SUBJECT_SUFFIX) for name in subjects)

    def render(self, template: str, context: Mapping[str, object]) -> RenderedMessage:
        if not _NAME.match(template):
            raise self._unknown(template)
        try:
            subject = self._env.get_template(template + SUBJECT_SUFFIX).render(context)
            text = self._env.get_template(template + ".txt").render(context)
            html = self._env.get_template(template + ".html").render(context)
        except TemplateNotFound as exc:
            if exc.name == template + SUBJECT_SUFFIX:
                raise self._unknown(template) from None
            raise MessageTemplateError(f"e-mail template {template!r}: {exc.name} is missing") from None
        except TemplateError as exc:
            raise MessageTemplateError(f"e-mail template {template!r}: {exc.message}") from None
        return RenderedMessage(subject=" ".join(subject.split()), text=text.strip() + "\n", html=html.strip() + "\n")

    def _unknown(self, template: str) -> UnknownMessageTemplate:
        return UnknownMessageTemplate(f"no e-mail template {template!r}; known: {', '.join(self.names())}")
