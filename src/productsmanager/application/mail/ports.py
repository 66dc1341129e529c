"""Ports of e-mail: what a use case hands over to be delivered, and what turns a named template into the
words of a message. Use cases never see SMTP or a template engine, so the embedded default can print mail to
the log and tests can collect it in a list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from attrs import frozen

from productsmanager.domain.errors import ProductsManagerError


@frozen
class EmailMessage:
    """One message to one recipient, in both forms: the HTML for mail clients that show it, the plain text
    for those that do not (and for the log of the embedded default)."""

    to: str
    subject: str
    text: str
    html: str


class MailDeliveryFailed(ProductsManagerError):
    """The message was not accepted for delivery. `transient` tells the caller whether trying again later
    can help (server unreachable, timed out, a 4xx reply) or cannot (recipient refused, credentials
    rejected, a certificate not trusted): a task queue retries the first kind and records the second.
    The message names the server and the reason, never a password."""

    code = "mail_delivery_failed"

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Returns once the message is handed over (to the mail server, or to the log); raises
        `MailDeliveryFailed` otherwise."""
        ...


@frozen
class RenderedMessage:
    """The words of a message, not yet addressed: one rendering can go to several recipients."""

    subject: str
    text: str
    html: str

    def addressed_to(self, to: str) -> EmailMessage:
        return EmailMessage(to=to, subject=self.subject, text=self.text, html=self.html)


class MessageTemplateError(ProductsManagerError):
    """A template could not be rendered (a variable missing from the context, a broken template): a bug to
    fix, not a delivery problem, so it is never worth retrying."""

    code = "message_template_failed"


class UnknownMessageTemplate(MessageTemplateError, LookupError):
    """No message of that name is shipped; the error lists the ones that are."""

    code = "unknown_message_template"


class MessageRenderer(Protocol):
    def render(self, template: str, context: Mapping[str, object]) -> RenderedMessage:
        """The subject (one line), plain text and HTML of the message `template` filled from `context`.
        Raises `UnknownMessageTemplate` for a name that is not shipped and `MessageTemplateError` when the
        context lacks a variable the template uses (never an empty string in its place)."""
        ...
