"""A Code2ASIN world for the API tests: a scripted `AsinSource` in place of the Selling Partner API, and a
results-file intake and reader (CSV `ean,asin,title,image`) in place of the import readers, each put in the
container's providers for the length of a test."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import BinaryIO

from dependency_injector import providers

from productsmanager.application.code2asin.ports import AmazonUnreachable, FileRow
from productsmanager.domain.code2asin.items import AmazonItem
from productsmanager.domain.code2asin.jobs import Code2AsinJob
from productsmanager.domain.code2asin.marketplaces import Marketplace
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.values import Asin
from tests.integration.helpers import Backend


class ScriptedAmazon:
    """Knows `known` (GTIN -> items); a request naming a GTIN of `unreachable` gets no answer."""

    def __init__(self) -> None:
        self.known: dict[str, list[AmazonItem]] = {}
        self.unreachable: set[str] = set()
        self.requests: list[list[str]] = []

    def add(self, ean: str, *asins: str, title: str | None = None, images: Sequence[str] = ()) -> None:
        items = [AmazonItem.of(Asin.parse(a), "amazon.fr", title=title, brand="Acme", image_urls=images) for a in asins]
        self.known[Gtin.parse(ean).canonical] = items

    def search(self, gtins: Sequence[Gtin], marketplace: Marketplace) -> dict[Gtin, list[AmazonItem]]:
        self.requests.append([gtin.canonical for gtin in gtins])
        if any(gtin.canonical in self.unreachable for gtin in gtins):
            raise AmazonUnreachable("could not connect to Amazon")
        return {gtin: list(self.known.get(gtin.canonical, ())) for gtin in gtins}

    def check(self, marketplace: Marketplace) -> None:
        return None


class KeptFiles:
    """The intake keeps each file's bytes by key; the reader reads them back as `ean,asin,title,image` rows."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def keep(
        self, job_id: uuid.UUID, file_name: str, stream: BinaryIO, mapping: Mapping[str, str] | None,
        user_id: uuid.UUID | None,
    ) -> str:  # fmt: skip
        key = f"code2asin/{job_id}/{file_name}"
        self.files[key] = stream.read()
        return key

    def rows(self, job: Code2AsinJob) -> Iterator[FileRow]:
        data = next(data for key, data in self.files.items() if key.startswith(f"code2asin/{job.id}/"))
        for row in csv.DictReader(io.StringIO(data.decode())):
            item = AmazonItem.of(
                Asin.parse(row["asin"]), job.marketplace, title=row["title"], image_urls=[row["image"]]
            )
            yield FileRow(Gtin.parse(row["ean"]), (item,))


@contextmanager
def code2asin_world(backend: Backend) -> Iterator[tuple[ScriptedAmazon, KeptFiles]]:
    amazon, files = ScriptedAmazon(), KeptFiles()
    container = backend.container
    credentials = {"client_id": "amzn1.application-oa2-client.test", "client_secret": "secret",
                   "refresh_token": "Atzr|test"}  # fmt: skip
    container.amazon_settings().change(credentials, None)  # jobs of EANs are refused without them
    container.asin_sources.override(providers.Object(lambda: amazon))
    container.results_file_intake.override(providers.Object(files))
    container.results_file.override(providers.Object(files))
    try:
        yield amazon, files
    finally:
        container.asin_sources.reset_override()
        container.results_file_intake.reset_override()
        container.results_file.reset_override()
