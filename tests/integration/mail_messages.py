"""Real MIME messages as suppliers' mail programs send them, built with `email.message.EmailMessage` and
serialized with CRLF line ends, as they travel."""

from __future__ import annotations

import gzip
import io
import zipfile
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid

SUPPLIER = "catalog@acme.test"
CSV = b"ean;name;price\r\n4006381333931;Stabilo point 88;1.20\r\n"
XLSX = b"PK\x03\x04" + bytes(range(256)) * 40  # bytes as a workbook has them: binary, every value
GZ = gzip.compress(b"ean;stock\n4006381333931;12\n" * 50, mtime=0)


def _message(subject: str, sender: str = SUPPLIER, message_id: str | None = "") -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Acme Supplies <{sender}>"
    message["To"] = "buyer@shop.test"
    message["Subject"] = subject
    if message_id is not None:
        message["Message-ID"] = message_id or make_msgid(domain="acme.test")
    return message


def to_bytes(message: EmailMessage) -> bytes:
    return message.as_bytes(policy=SMTP)


def plain(subject: str = "Hello", sender: str = SUPPLIER, message_id: str = "") -> bytes:
    """A message with no attachment at all (a supplier writing instead of sending the file)."""
    message = _message(subject, sender, message_id)
    message.set_content("The catalog follows tomorrow.\n")
    return to_bytes(message)


def with_attachments(
    subject: str, files: dict[str, bytes], sender: str = SUPPLIER, message_id: str | None = ""
) -> bytes:
    """A text and one attachment per file, base64-encoded as mail programs send files."""
    message = _message(subject, sender, message_id)
    message.set_content("Please find our catalog attached.\n")
    for name, content in files.items():
        maintype, subtype = _media(name)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return to_bytes(message)


def quoted_printable(subject: str, name: str, content: bytes) -> bytes:
    """A text attachment encoded quoted-printable (its lines end in CRLF: the encoding's canonical form)."""
    message = _message(subject)
    message.set_content("Attached.\n")
    message.add_attachment(content, maintype="text", subtype="csv", filename=name, cte="quoted-printable")
    return to_bytes(message)


def forwarded(subject: str, inner_files: dict[str, bytes]) -> bytes:
    """A message forwarded as an attachment (message/rfc822) whose own attachment is the catalog."""
    inner = _message("Catalogue", sender="sales@acme.test", message_id="<inner@acme.test>")
    inner.set_content("Original message.\n")
    for name, content in inner_files.items():
        maintype, subtype = _media(name)
        inner.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    message = _message(subject)
    message.set_content("Forwarding the supplier's message.\n")
    message.add_attachment(inner)
    return to_bytes(message)


def zipped(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def _media(name: str) -> tuple[str, str]:
    if name.endswith(".csv"):
        return "text", "csv"
    if name.endswith(".gz"):
        return "application", "gzip"
    if name.endswith(".zip"):
        return "application", "zip"
    return "application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
