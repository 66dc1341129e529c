"""`productsmanager media migrate-layout` on a legacy bucket over real HTTP (moto) and on the filesystem store:
everything moves once, the summary counts, and a run killed with SIGKILL converges when run again."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, insert, select

from productsmanager.adapters.sqlalchemy.tables import media_files, media_thumbnails, products
from productsmanager.application.media.ports import MediaStore
from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.domain.media import THUMBNAIL_SIZES, MediaKey
from productsmanager.entrypoints.cli.main import cli
from tests.integration.helpers import Backend
from tests.integration.s3_server import ACCESS_KEY, SECRET_KEY

pytestmark = pytest.mark.integration

PRODUCTSMANAGER = Path(sys.executable).with_name("productsmanager")
NOW = datetime(2025, 6, 1, tzinfo=UTC)


@dataclass
class LegacyLibrary:
    """Rows and objects as the release before sharding left them; `content` is what each row must hold."""

    engine: Engine
    store: MediaStore
    env: dict[str, str]
    content: dict[tuple[uuid.UUID, str | None], bytes]

    def keys(self) -> dict[tuple[uuid.UUID, str | None], str]:
        with self.engine.connect() as conn:
            originals = conn.execute(select(media_files.c.id, media_files.c.storage_key)).all()
            thumbs = conn.execute(
                select(media_thumbnails.c.media_file_id, media_thumbnails.c.size, media_thumbnails.c.storage_key)
            ).all()
        found: dict[tuple[uuid.UUID, str | None], str] = {(i, None): key for i, key in originals}
        found.update({(i, size): key for i, size, key in thumbs})
        return found

    def stored_keys(self) -> set[str]:
        """What the store holds, listed (fine in a test; the product never lists)."""
        client = getattr(self.store, "client", None)
        if client is not None:
            pages = client.get_paginator("list_objects_v2").paginate(Bucket=self.store.bucket)  # type: ignore[attr-defined]
            return {item["Key"] for page in pages for item in page.get("Contents", [])}
        root: Path = self.store.root  # type: ignore[attr-defined]
        # A write killed midway leaves its hidden temporary file: not an object (no key starts with a dot).
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")}

    def assert_converged(self) -> None:
        keys = self.keys()
        assert keys.keys() == self.content.keys()
        for row, key in keys.items():
            assert not MediaKey.parse(key).legacy, key
            assert self.store.get(key) == self.content[row], key
        assert self.stored_keys() == set(keys.values())


def build_library(backend: Backend, env: dict[str, str], files: int, sharded: int = 0) -> LegacyLibrary:
    """`files` media files with their three thumbnails at legacy keys, `sharded` more already moved, rows
    inserted directly (SQLAlchemy core), objects written directly with the store the CLI will use."""
    store = build_container(Config.from_env(env)).media_store()
    library = LegacyLibrary(backend.engine, store, env, {})
    product_rows, media_rows, thumb_rows = [], [], []
    for n in range(files + sharded):
        legacy = n < files
        product_id, media_id = uuid.uuid4(), uuid.uuid4()
        product_rows.append(
            {"id": product_id, "gtin": f"{n:014d}", "name": f"Product {n}", "attributes": {},
             "created_at": NOW, "updated_at": NOW}
        )  # fmt: skip
        data = f"original {n} {uuid.uuid4()}".encode()
        sha = hashlib.sha256(data).hexdigest()
        key = (MediaKey.legacy_original if legacy else MediaKey.for_original)(product_id, sha, "png").value
        store.put(key, data, "image/png")
        library.content[(media_id, None)] = data
        media_rows.append(
            {"id": media_id, "product_id": product_id, "storage_key": key, "sha256": sha, "content_type": "image/png",
             "byte_size": len(data), "width": 20, "height": 10, "is_primary": True, "source": "upload",
             "original_file_name": None, "status": "ready", "failure_reason": None, "created_at": NOW}
        )  # fmt: skip
        for size in THUMBNAIL_SIZES:
            thumb = f"thumbnail {size} of {n}".encode()
            key = (MediaKey.legacy_thumbnail if legacy else MediaKey.for_thumbnail)(product_id, sha, size).value
            store.put(key, thumb, "image/jpeg")
            library.content[(media_id, size)] = thumb
            thumb_rows.append(
                {"id": uuid.uuid4(), "media_file_id": media_id, "size": size, "storage_key": key, "width": 10,
                 "height": 5, "byte_size": len(thumb)}
            )  # fmt: skip
    with backend.engine.begin() as conn:
        conn.execute(insert(products), product_rows)
        conn.execute(insert(media_files), media_rows)
        conn.execute(insert(media_thumbnails), thumb_rows)
    return library


def environment(backend: Backend, data_dir: Path, s3_endpoint: str | None) -> dict[str, str]:
    """The backend's database; media in a fresh bucket on moto, or on disk under a fresh data folder."""
    config = backend.container.config()
    env = {"PM_DATABASE_URL": config.database_url, "PM_DATA_DIR": str(data_dir)}
    if config.secret_keys:
        env["PM_SECRET_KEYS"] = ",".join(config.secret_keys)
    if s3_endpoint is not None:
        env |= {
            "PM_S3_ENDPOINT": s3_endpoint,
            "PM_S3_ACCESS_KEY": ACCESS_KEY,
            "PM_S3_SECRET_KEY": SECRET_KEY,
            "PM_S3_BUCKET": f"legacy-{uuid.uuid4().hex[:16]}",
        }
    return env


def migrate(library: LegacyLibrary, *options: str) -> Result:
    return CliRunner().invoke(cli, ["media", "migrate-layout", *options], env=library.env)


STORES = [
    pytest.param("postgresql", "s3", id="postgresql-s3"),
    pytest.param("sqlite", "s3", id="sqlite-s3"),
    pytest.param("sqlite", "filesystem", id="sqlite-filesystem"),
]


MakeEnv = Callable[[Backend, str], dict[str, str]]


@pytest.fixture
def make_env(request: pytest.FixtureRequest, tmp_path: Path) -> MakeEnv:
    """The environment of the CLI for `store` ("s3" or "filesystem"); moto is started only when needed."""

    def make(backend: Backend, store: str) -> dict[str, str]:
        endpoint = request.getfixturevalue("s3_endpoint") if store == "s3" else None
        return environment(backend, tmp_path / "data", endpoint)

    return make


@pytest.mark.parametrize(("backend", "store"), STORES, indirect=["backend"])
def test_a_legacy_library_moves_once_with_a_dry_run_first(backend: Backend, store: str, make_env: MakeEnv) -> None:
    library = build_library(backend, make_env(backend, store), files=6, sharded=1)
    before, objects = library.keys(), library.stored_keys()

    dry = migrate(library, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "found 28, would move 24, already sharded 4, not media keys 0" in dry.output
    assert library.keys() == before and library.stored_keys() == objects

    result = migrate(library, "--concurrency", "4")
    assert result.exit_code == 0, result.output
    assert "found 28, moved 24, already sharded 4, failed 0" in result.output
    library.assert_converged()

    again = migrate(library)
    assert again.exit_code == 0, again.output
    assert "found 28, moved 0, already sharded 28, failed 0" in again.output
    library.assert_converged()


@pytest.mark.parametrize(("backend", "store"), STORES[1:], indirect=["backend"])
def test_a_row_whose_objects_are_all_missing_fails_and_nothing_else_is_touched(
    backend: Backend, store: str, make_env: MakeEnv
) -> None:
    library = build_library(backend, make_env(backend, store), files=2)
    (media_id, _), key = next((row, key) for row, key in library.keys().items() if row[1] is None)
    library.store.delete(key)

    result = migrate(library)
    assert result.exit_code == 1, result.output
    assert "found 8, moved 7, already sharded 0, failed 1" in result.output
    assert f"failed {key}: neither {key} nor" in result.output
    assert library.keys()[(media_id, None)] == key
    assert len(library.stored_keys()) == 7


@pytest.mark.parametrize(("backend", "store"), [STORES[0], STORES[2]], indirect=["backend"])
def test_a_run_killed_midway_converges_when_run_again(backend: Backend, store: str, make_env: MakeEnv) -> None:
    library = build_library(backend, make_env(backend, store), files=75)  # 300 objects
    legacy_keys = set(library.keys().values())
    process = subprocess.Popen(
        [str(PRODUCTSMANAGER), "media", "migrate-layout", "--concurrency", "8"],
        env={**os.environ, **library.env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and process.poll() is None:
            moved = sum(key not in legacy_keys for key in library.keys().values())
            if moved >= 40:
                break
            time.sleep(0.01)
    finally:
        process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL, stderr.decode()
    moved = sum(key not in legacy_keys for key in library.keys().values())
    assert 0 < moved < 300, "the kill did not land midway"

    result = migrate(library, "--concurrency", "8")
    assert result.exit_code == 0, result.output
    assert "found 300, moved " in result.output and "failed 0" in result.output
    library.assert_converged()
