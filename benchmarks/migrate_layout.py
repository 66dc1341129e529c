"""Layout migration: objects/s of `LayoutMigration.run` (stat, verified server-side copy, row update in its
own transaction, delete, per object) against a bare threaded boto3 `copy_object` + `delete_object` loop at
the same concurrency, on the same S3 server in the same run (target >= 0.80).

A fresh moto `ThreadedMotoServer` on 127.0.0.1 (in a process of its own by default, as MinIO would be; in
this process it would compete with the clients for the GIL) holds identical sets of `--objects` legacy
objects, one bucket per contender: a quarter of them originals, each with its three thumbnails, ~1 KB each.
The rows live in a PostgreSQL database made for the run (`pm_bench_migrate`, dropped at the end).

    .venv/bin/python benchmarks/migrate_layout.py [--objects 20000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import multiprocessing
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from multiprocessing.connection import Connection
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import Engine, delete, insert

from benchlib import SERVER_URL, fresh_database
from productsmanager.adapters.s3.client import build_s3_client
from productsmanager.adapters.sqlalchemy.engine import build_engine
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.adapters.sqlalchemy.tables import media_files, media_thumbnails, products
from productsmanager.application.media.layout_migration import MoveResult
from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.domain.media import THUMBNAIL_SIZES, MediaKey

DATABASE = "pm_bench_migrate"
ACCESS_KEY, SECRET_KEY = "bench-access-key", "bench-secret-key"
TARGET = 0.80
BARE, OURS = "bare boto3 copy_object + delete_object", "LayoutMigration.run"
NOW = datetime(2026, 11, 24, tzinfo=UTC)
Object = tuple[uuid.UUID, uuid.UUID, str, str | None, bytes]  # product id, media id, legacy key, size, bytes


def _serve(pipe: Connection) -> None:
    from moto.server import ThreadedMotoServer

    quiet_server()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    pipe.send(server.get_host_and_port())
    pipe.recv()  # until the parent says stop (or dies: EOFError)


def quiet_server() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # a log line per request would cost the server CPU


@contextmanager
def moto_server(in_process: bool) -> Iterator[str]:
    if in_process:
        from moto.server import ThreadedMotoServer

        quiet_server()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            yield "http://{}:{}".format(*server.get_host_and_port())
        finally:
            server.stop()
        return
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_serve, args=(child,), daemon=True)
    process.start()
    try:
        yield "http://{}:{}".format(*parent.recv())
    finally:
        parent.send("stop")
        process.join(5)
        process.kill()


def legacy_set(count: int) -> list[Object]:
    objects = []
    for n in range((count + 3) // 4):
        product_id, media_id = uuid.UUID(int=n, version=4), uuid.UUID(int=(1 << 64) + n, version=4)
        data = f"original {n}".encode() * 80
        sha = hashlib.sha256(data).hexdigest()
        objects.append((product_id, media_id, MediaKey.legacy_original(product_id, sha, "png").value, None, data))
        for size in THUMBNAIL_SIZES:
            key = MediaKey.legacy_thumbnail(product_id, sha, size).value
            objects.append((product_id, media_id, key, size, f"thumbnail {size} {n}".encode() * 60))
    return objects[:count]


def put_all(client: Any, bucket: str, objects: list[Object], concurrency: int) -> None:
    client.create_bucket(Bucket=bucket)
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda o: client.put_object(Bucket=bucket, Key=o[2], Body=o[4]), objects))


def insert_rows(engine: Engine, objects: list[Object]) -> None:
    """The rows of a legacy set, after deleting any previous contender's."""
    originals = [o for o in objects if o[3] is None]
    with engine.begin() as conn:
        for table in (media_thumbnails, media_files, products):
            conn.execute(delete(table))
        conn.execute(
            insert(products),
            [{"id": o[0], "gtin": f"{n:014d}", "name": f"Product {n}", "attributes": {}, "created_at": NOW,
              "updated_at": NOW} for n, o in enumerate(originals)],
        )  # fmt: skip
        conn.execute(
            insert(media_files),
            [{"id": o[1], "product_id": o[0], "storage_key": o[2], "sha256": MediaKey.parse(o[2]).sha256,
              "content_type": "image/png", "byte_size": len(o[4]), "width": 10, "height": 10, "is_primary": True,
              "source": "upload", "original_file_name": None, "status": "ready", "failure_reason": None,
              "created_at": NOW} for o in originals],
        )  # fmt: skip
        conn.execute(
            insert(media_thumbnails),
            [{"id": uuid.uuid4(), "media_file_id": o[1], "size": o[3], "storage_key": o[2], "width": 5, "height": 5,
              "byte_size": len(o[4])} for o in objects if o[3] is not None],
        )  # fmt: skip


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bare_loop(client: Any, bucket: str, objects: list[Object], concurrency: int) -> int:
    def move(key: str) -> None:
        client.copy_object(Bucket=bucket, Key=MediaKey.parse(key).sharded().value, CopySource=f"{bucket}/{key}")
        client.delete_object(Bucket=bucket, Key=key)

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(move, [o[2] for o in objects]))
    return len(objects)


def migration(env: dict[str, str], concurrency: int) -> int:
    container = build_container(Config.from_env(env))
    try:
        outcomes = Counter(o.result for o in container.layout_migration().run(concurrency))
    finally:
        container.engine().dispose()
    if set(outcomes) != {MoveResult.MOVED}:
        raise SystemExit(f"the migration did not move everything: {dict(outcomes)}")
    return outcomes[MoveResult.MOVED]


def check(client: Any, bucket: str, objects: list[Object]) -> None:
    """The bucket holds exactly the sharded twins of the set (the outcomes said every row moved)."""
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    stored = {item["Key"] for page in pages for item in page.get("Contents", [])}
    if stored != {MediaKey.parse(o[2]).sharded().value for o in objects}:
        raise SystemExit(f"bucket {bucket} does not hold exactly the sharded keys of the set")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=4, help="slices of the set, the contenders taking turns")
    parser.add_argument("--server-url", default=SERVER_URL, help="PostgreSQL server (its `postgres` database)")
    parser.add_argument("--in-process-server", action="store_true", help="moto in this process (shares the GIL)")
    args = parser.parse_args()
    contenders = (BARE, OURS)

    with moto_server(args.in_process_server) as endpoint, fresh_database(args.server_url, DATABASE) as url:
        engine = build_engine(url)
        upgrade(engine)
        client = build_s3_client(
            endpoint_url=endpoint, region="us-east-1", access_key=ACCESS_KEY, secret_key=SECRET_KEY,
            max_connections=args.concurrency,
        )  # fmt: skip
        objects = legacy_set(args.objects)
        buckets = {name: f"bench-{n}" for n, name in enumerate(contenders)}
        start = time.perf_counter()
        for bucket in buckets.values():
            put_all(client, bucket, objects, args.concurrency)
        print(f"seeded {len(buckets)} x {len(objects)} objects in {time.perf_counter() - start:.1f} s")

        # Slices of whole media files; in each round every contender moves its copy of the slice, in a
        # rotating order, so that drift of the server hits every contender alike.
        step = -(-len(objects) // (4 * args.rounds)) * 4
        seconds = dict.fromkeys(contenders, 0.0)
        for round_, first in enumerate(range(0, len(objects), step)):
            part = objects[first : first + step]
            names = list(contenders)[round_ % len(contenders) :] + list(contenders)[: round_ % len(contenders)]
            for name in names:
                if name == BARE:
                    seconds[name] += timed(partial(bare_loop, client, buckets[name], part, args.concurrency))
                    continue
                insert_rows(engine, part)
                env = {
                    "PM_DATABASE_URL": url,
                    "PM_SECRET_KEYS": Fernet.generate_key().decode(),
                    "PM_S3_ENDPOINT": endpoint,
                    "PM_S3_ACCESS_KEY": ACCESS_KEY,
                    "PM_S3_SECRET_KEY": SECRET_KEY,
                    "PM_S3_BUCKET": buckets[name],
                    # As `productsmanager media migrate-layout` sizes them: a connection of each kind per thread.
                    "PM_DB_POOL_SIZE": str(args.concurrency),
                    "PM_S3_MAX_CONNECTIONS": str(args.concurrency),
                }
                seconds[name] += timed(partial(migration, env, args.concurrency))
        for bucket in buckets.values():
            check(client, bucket, objects)
        engine.dispose()

    where = "in this process" if args.in_process_server else "in a process of its own"
    print(f"{len(objects)} objects, concurrency {args.concurrency}, {args.rounds} rounds, moto {where}")
    rates = {name: len(objects) / spent for name, spent in seconds.items()}
    for name, rate in rates.items():
        print(f"  {name:40} {rate:8.1f} objects/s  {rate / rates[BARE]:5.2f}")
    ratio = rates[OURS] / rates[BARE]
    print(f"ratio {ratio:.2f} (target >= {TARGET:.2f}): {'PASS' if ratio >= TARGET else 'FAIL'}")


if __name__ == "__main__":
    main()
