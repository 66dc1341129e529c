"""Rendering a named message and handing it to the mailer: the body of every mail task."""

from __future__ import annotations

from collections.abc import Mapping

from productsmanager.application.mail.ports import Mailer, MessageRenderer


class MailSender:
    def __init__(self, renderer: MessageRenderer, mailer: Mailer) -> None:
        self._renderer = renderer
        self._mailer = mailer

    def send(self, template: str, to: str, context: Mapping[str, object]) -> None:
        """Raises `MailDeliveryFailed` (retry when `transient`) or `MessageTemplateError` (a bug: never retry)."""
        self._mailer.send(self._renderer.render(template, context).addressed_to(to))
