"""The e-mail source against a real IMAP server (Dovecot): which messages and attachments are offered,
byte-exact downloads of every kind of attachment, and the size cap held without holding the file."""

from __future__ import annotations

import tracemalloc
from datetime import timedelta
from pathlib import Path

import pytest

from productsmanager.adapters.imap.listing import MAX_MESSAGES
from productsmanager.application.imports.source_ports import SourceItemRefused
from tests.integration import imap_world
from tests.integration.dovecot_server import PASSWORD, Dovecot
from tests.integration.imap_world import fetch, list_items, now, reader, settings
from tests.integration.mail_messages import (
    CSV,
    GZ,
    XLSX,
    forwarded,
    plain,
    quoted_printable,
    with_attachments,
    zipped,
)

dovecot, folder = imap_world.dovecot, imap_world.folder  # fixtures


def test_each_wanted_attachment_of_a_message_is_an_item_and_downloads_byte_exact(
    dovecot: Dovecot, folder: str, tmp_path: Path
) -> None:
    received = now().replace(microsecond=0) - timedelta(minutes=5)
    files = {"prices.csv": CSV, "catalog.xlsx": XLSX, "stock.csv.gz": GZ, "all.zip": zipped("a.csv", CSV)}
    uid = dovecot.deliver(with_attachments("Catalogue", files, message_id="<m1@acme.test>"), received, folder)
    mail = settings(dovecot, folder, pattern="*")
    items = list_items(dovecot, mail)
    assert sorted(item.name for item in items) == sorted(files)
    for item in items:
        assert item.key == f"<m1@acme.test>\n{item.name}" and item.group == str(uid)
        assert item.modified_at == received and item.failure is None
        assert item.size is not None and abs(item.size - len(files[item.name])) <= 3
        assert fetch(dovecot, mail, item, tmp_path / item.name) == files[item.name]
    assert [item.name for item in list_items(dovecot, settings(dovecot, folder))] == ["prices.csv"]


def test_an_encoded_file_name_is_decoded(dovecot: Dovecot, folder: str, tmp_path: Path) -> None:
    long_name = "Catalogue_été_" + "très_long_" * 8 + ".csv"  # RFC 2231 sections (name*0*, name*1*...)
    files = {"Catalogue_été.csv": CSV, long_name: CSV + b"2", "=?utf-8?q?Liste_=C3=A9t=C3=A9?=.csv": CSV + b"3"}
    dovecot.deliver(with_attachments("Catalogue", files), now(), folder)
    items = {item.name: item for item in list_items(dovecot, settings(dovecot, folder))}
    assert set(items) == {"Catalogue_été.csv", long_name, "Liste été.csv"}  # Q encoding: _ is a space
    assert fetch(dovecot, settings(dovecot, folder), items["Catalogue_été.csv"], tmp_path / "x") == CSV


def test_an_attachment_inside_a_forwarded_message_is_found(dovecot: Dovecot, folder: str, tmp_path: Path) -> None:
    dovecot.deliver(forwarded("Fwd: Catalogue", {"nested.csv": CSV, "notes.pdf": b"%PDF"}), now(), folder)
    [item] = list_items(dovecot, settings(dovecot, folder))
    assert item.name == "nested.csv" and item.ref.split("/")[2] == "2.2"
    assert fetch(dovecot, settings(dovecot, folder), item, tmp_path / "nested.csv") == CSV


def test_a_quoted_printable_attachment_downloads_byte_exact(dovecot: Dovecot, folder: str, tmp_path: Path) -> None:
    content = "ean;désignation;prix\r\n4006381333931;Stylo = bleu \t;1.20\r\n".encode() + b"x" * 5000 + b"\r\n"
    dovecot.deliver(quoted_printable("Catalogue", "qp.csv", content), now(), folder)
    [item] = list_items(dovecot, settings(dovecot, folder))
    assert fetch(dovecot, settings(dovecot, folder), item, tmp_path / "qp.csv") == content


def test_a_message_without_a_wanted_attachment_is_one_failed_item(dovecot: Dovecot, folder: str) -> None:
    dovecot.deliver(plain("Catalogue du jour", message_id="<p1@acme.test>"), now(), folder)
    dovecot.deliver(with_attachments("Catalogue", {"cat.pdf": b"%PDF"}, message_id="<p2@acme.test>"), now(), folder)
    items = sorted(list_items(dovecot, settings(dovecot, folder)), key=lambda item: item.key)
    assert [item.key for item in items] == ["<p1@acme.test>\n", "<p2@acme.test>\n"]
    assert items[0].failure == (
        "no attachment matching '*.csv' in the message 'Catalogue du jour' from catalog@acme.test (attachments: none)"
    )
    assert items[1].failure is not None and items[1].failure.endswith("(attachments: cat.pdf)")


def test_two_attachments_of_one_name_and_a_message_without_message_id(dovecot: Dovecot, folder: str) -> None:
    message = with_attachments("Catalogue", {"a.csv": CSV}, message_id=None)
    uid = dovecot.deliver(message.replace(b'filename="a.csv"', b'filename="a.csv"', 1), now(), folder)
    [item] = list_items(dovecot, settings(dovecot, folder))
    assert item.key.startswith("uid:") and item.key.endswith(f":{uid}\na.csv")
    raw = with_attachments("Twice", {"b.csv": CSV, "c.csv": CSV + b"c"}, message_id="<twice@acme.test>")
    dovecot.deliver(raw.replace(b"c.csv", b"b.csv"), now(), folder)
    keys = sorted(item.key for item in list_items(dovecot, settings(dovecot, folder)) if "twice" in item.key)
    assert keys == ["<twice@acme.test>\nb.csv\n2", "<twice@acme.test>\nb.csv\n3"]


def test_sender_and_subject_filters(dovecot: Dovecot, folder: str) -> None:
    dovecot.deliver(with_attachments("Catalogue 12/2026", {"acme.csv": CSV}), now(), folder)
    dovecot.deliver(with_attachments("Catalogue", {"other.csv": CSV}, sender="x@other.test"), now(), folder)
    dovecot.deliver(with_attachments("Invoice", {"invoice.csv": CSV}), now(), folder)

    def names(**changes: str) -> list[str]:
        return sorted(item.name for item in list_items(dovecot, settings(dovecot, folder, **changes)))

    assert names() == ["acme.csv", "invoice.csv", "other.csv"]
    assert names(sender="CATALOG@acme.test") == ["acme.csv", "invoice.csv"]
    assert names(sender="@other.test") == ["other.csv"]
    assert names(subject_pattern="*catalogue*") == ["acme.csv", "other.csv"]
    assert names(sender="@acme.test", subject_pattern="catalogue *") == ["acme.csv"]


def test_today_counts_only_messages_received_since_midnight(dovecot: Dovecot, folder: str) -> None:
    current = now()
    dovecot.deliver(with_attachments("Old", {"old.csv": CSV}), current - timedelta(days=2), folder)
    dovecot.deliver(with_attachments("Yesterday", {"yesterday.csv": CSV}), current - timedelta(hours=30), folder)
    dovecot.deliver(with_attachments("Now", {"now.csv": CSV}), current - timedelta(minutes=1), folder)
    today = settings(dovecot, folder, mode="today")
    since = today.received_since(current, "UTC")
    assert since is not None
    assert [item.name for item in list_items(dovecot, today, since)] == ["now.csv"]
    hour_ago = sorted(item.name for item in list_items(dovecot, today, current - timedelta(hours=31)))
    assert hour_ago == ["now.csv", "yesterday.csv"]
    unseen = settings(dovecot, folder, mode="unseen")
    assert unseen.received_since(current, "UTC") is None
    assert len(list_items(dovecot, unseen, None)) == 3


def test_an_attachment_over_the_cap_is_refused_without_being_held(
    dovecot: Dovecot, folder: str, tmp_path: Path
) -> None:
    big = bytes(range(256)) * (64 * 1024)  # 16 MiB
    dovecot.deliver(with_attachments("Big", {"big.csv": big}), now(), folder)
    [item] = list_items(dovecot, settings(dovecot, folder))
    tracemalloc.start()
    try:
        with pytest.raises(SourceItemRefused) as caught:
            fetch(dovecot, settings(dovecot, folder), item, tmp_path / "big.csv", cap=1024 * 1024)
        assert caught.value.reason == "attachment 'big.csv' is over the 1 MB limit"
        assert list(tmp_path.iterdir()) == []
        with reader(dovecot).open(settings(dovecot, folder), PASSWORD) as session:
            tracemalloc.reset_peak()
            session.download(item, tmp_path / "big.csv", 10**8)
            _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (tmp_path / "big.csv").read_bytes() == big
    assert peak < 8 * 1024 * 1024  # chunks of 1 MiB, never the 16 MiB file (nor its 22 MiB of base64)


def test_a_shared_mailbox_s_other_mail_does_not_hide_the_supplier_s(dovecot: Dovecot, folder: str) -> None:
    """Only the newest messages are looked at per run: of the supplier's, not of everyone's."""
    received = now().replace(microsecond=0) - timedelta(hours=1)
    dovecot.deliver(with_attachments("Catalogue", {"prices.csv": CSV}), received, folder)
    for n in range(MAX_MESSAGES + 5):
        dovecot.deliver(plain(f"Newsletter {n}", sender="news@elsewhere.test"), received + timedelta(seconds=n), folder)
    items = list_items(dovecot, settings(dovecot, folder, sender="@acme.test"))
    assert [item.name for item in items] == ["prices.csv"]
