"""The embedded default: mail is written to the log instead of being sent, so a developer running
`productsmanager serve` with no mail server can still follow a password-reset link."""

from __future__ import annotations

import logging

from productsmanager.application.mail.ports import EmailMessage

logger = logging.getLogger("productsmanager.mail")


class LogMailer:
    """Logs the recipient, the subject and the plain-text part (where the links are) at INFO. The HTML part
    is left out: it says the same thing and would drown the log."""

    def send(self, message: EmailMessage) -> None:
        logger.info("E-mail to %s\nSubject: %s\n\n%s", message.to, message.subject, message.text)
