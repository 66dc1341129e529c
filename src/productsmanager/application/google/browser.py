"""Browsing and moving files in the connected Drive: folders with breadcrumbs (cached briefly, a folder tree is
walked click by click), files of a folder filtered by a glob, downloads and uploads. Every call gets a fresh
token; a 401 (the token revoked early, clock skew) is answered by one forced refresh and one retry."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from typing import TypeVar

from attrs import frozen

from productsmanager.application.google.ports import DriveClient, DriveItem, DriveUnauthorized, FolderListing
from productsmanager.application.google.tokens import GoogleTokens
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.domain.google.drive import FOLDER_MIME_TYPE, Crumb, NamePattern, breadcrumbs

FOLDER_CACHE_TTL = timedelta(seconds=60)
ROOT = Crumb("root", "My Drive")
MAX_DEPTH = 32  # breadcrumbs stop here: Drive allows deeper trees, nobody clicks through them
T = TypeVar("T")


@frozen
class FilePage:
    items: list[DriveItem]
    next_cursor: str | None


class DriveBrowser:
    def __init__(self, uow: UnitOfWorkFactory, drive: DriveClient, tokens: GoogleTokens, clock: Clock) -> None:
        self._uow = uow
        self._drive = drive
        self._tokens = tokens
        self._clock = clock

    def folders(self, parent: str | None) -> FolderListing:
        parent = parent or ROOT.id
        now = self._clock.now()
        with self._uow() as uow:
            cached = uow.google.cached_folders(parent, now - FOLDER_CACHE_TTL)
        if cached is not None:
            return cached
        folders = self._call(lambda token: self._drive.folders(token, parent))
        listing = FolderListing(parent, self._breadcrumbs(parent), folders)
        with self._uow() as uow:
            uow.google.cache_folders(listing, now)
            uow.commit()
        return listing

    def files(self, folder_id: str, pattern: str | None, cursor: str | None) -> FilePage:
        """One page of Drive's listing, filtered by `pattern` (a page may so hold fewer items, even none, and
        still have a next cursor: Drive's query language cannot express a glob)."""
        glob = NamePattern.parse(pattern)
        items, next_token = self._call(lambda token: self._drive.files(token, folder_id, cursor))
        return FilePage([item for item in items if glob.matches(item.name)], next_token)

    def item(self, item_id: str) -> DriveItem:
        """One file or folder as Drive describes it now (raises `DriveNotFound` for one the account cannot see)."""
        return self._call(lambda token: self._drive.item(token, item_id))

    def download(self, file_id: str) -> tuple[DriveItem, Iterator[bytes]]:
        """The first chunk is fetched here, so that a refusal (or a 401, retried) comes before any byte is sent."""
        item = self._call(lambda token: self._drive.item(token, file_id))
        return item, self._call(lambda token: _primed(self._drive.download(token, item)))

    def upload(self, folder_id: str, name: str, mime_type: str, content: bytes) -> DriveItem:
        return self._call(lambda token: self._drive.upload(token, folder_id, name, mime_type, content))

    def upload_stream(self, folder_id: str, name: str, mime_type: str, chunks: Iterable[bytes]) -> DriveItem:
        """For large files and exports: a stream is consumed once, so no retry after a 401 here."""
        return self._drive.upload_stream(self._tokens.access_token(), folder_id, name, mime_type, chunks)

    def _breadcrumbs(self, folder_id: str) -> list[Crumb]:
        chain: list[Crumb] = []
        current = folder_id
        while current != ROOT.id and len(chain) < MAX_DEPTH:
            item = self._call(lambda token, item_id=current: self._drive.item(token, item_id))
            if not item.parents or (chain and item.mime_type != FOLDER_MIME_TYPE):
                break  # the Drive's root (its real id, not the "root" alias) or an item shared from elsewhere
            chain.append(Crumb(item.id, item.name))
            current = item.parents[0]
        return breadcrumbs(chain, ROOT)

    def _call(self, call: Callable[[str], T]) -> T:
        try:
            return call(self._tokens.access_token())
        except DriveUnauthorized:
            return call(self._tokens.access_token(force_refresh=True))


def _primed(chunks: Iterator[bytes]) -> Iterator[bytes]:
    first = next(chunks, b"")
    return itertools.chain([first], chunks)
