"""Builders of supplier imports and of the recovery of stalled work: the file reader, the FTP folder, the
mailbox reader, and the stall and grace periods read from the configuration."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from productsmanager.application.imports.ftp_ports import RemoteCatalogFolder
from productsmanager.application.imports.ports import ImportFileReader
from productsmanager.application.imports.source_ports import SourceReader
from productsmanager.config import Config
from productsmanager.domain.recovery import RecoveryRules


def build_import_file_reader(config: Config) -> ImportFileReader:
    from productsmanager.adapters.imports.file_reader import FileImportReader

    return FileImportReader(max_bytes=config.import_max_bytes, max_line_bytes=config.import_max_line_bytes)


def build_ftp_folder(guard: Any) -> RemoteCatalogFolder:
    from productsmanager.adapters.ftp.ftp_folder import FtplibCatalogFolder

    return FtplibCatalogFolder(guard=guard)


def build_mail_reader(config: Config, guard: Any) -> SourceReader:
    from productsmanager.adapters.imap.mailbox_reader import ImapMailboxReader
    from productsmanager.container.mail_builders import build_imap_tls

    return ImapMailboxReader(guard=guard, ssl_context=build_imap_tls(config))


def build_stall_after(config: Config) -> timedelta:
    return timedelta(minutes=config.import_stall_minutes)


def build_recovery_rules(config: Config) -> RecoveryRules:
    return RecoveryRules(build_stall_after(config), timedelta(seconds=config.dispatch_grace_seconds))
