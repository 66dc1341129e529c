"""Batch thumbnails: `productsmanager media thumbnails` with 2 workers must reach at least 1.7x its 1-worker
rate on 2,000 images.

Seeds a dedicated PostgreSQL database and a media folder with --images stored originals (distinct JPEGs of
--width x --height, spread over products), through the real upload use case with thumbnail generation held
back, then times the real command (a subprocess, as a user runs it) with --workers 1 and --workers 2, each
regenerating every image. Both runs read the same originals from the same store. The two contenders take
turns in --rounds rounds, the order swapping every round (1 then 2, 2 then 1, ...) so that load from outside
the benchmark does not always land on the same one; each round gives the ratio of its 2-worker images/s over
its 1-worker images/s, and the figure is the median of those ratios. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from cryptography.fernet import Fernet
from dependency_injector import providers
from PIL import Image, ImageDraw
from psycopg import sql

from benchlib import database_name, server_conninfo, verdict
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.domain.gtin import check_digit

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/pm_bench_thumbnails"
TARGET = 1.7
VENV_BIN = Path(sys.executable).parent
SUMMARY = re.compile(r"processed (\d+), succeeded (\d+), failed (\d+), thumbnails created (\d+)")


class _HeldBack:
    """Seeding stores originals only: the runs being measured make the thumbnails."""

    def generate_thumbnails(self, media_file_id: uuid.UUID, force: bool = False) -> None:
        return None


def photo(rng: random.Random, width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        box = (x, y, x + rng.randrange(50, width // 2), y + rng.randrange(50, height // 2))
        draw.ellipse(box, fill=tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def recreate_database(url: str, create: bool = True) -> None:
    name = sql.Identifier(database_name(url))
    with psycopg.connect(**server_conninfo(url), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if create:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(name))


def seed(environ: dict[str, str], images: int, width: int, height: int) -> None:
    container = build_container(Config.from_env(environ))
    upgrade(container.engine())
    container.task_queue.override(providers.Object(_HeldBack()))
    rng = random.Random(20261124)
    editor, uploader = container.product_editor(), container.media_uploader()
    product_id = uuid.uuid4()
    for n in range(images):
        if n % 4 == 0:
            product_id = _product(editor, n)
        uploader.upload(product_id, photo(rng, width, height), f"photo-{n}.jpg")
        if (n + 1) % 200 == 0:
            print(f"  seeded {n + 1} images", flush=True)
    container.engine().dispose()


def _product(editor: ProductEditor, n: int) -> uuid.UUID:
    payload = f"20{n:010d}"  # restricted-circulation prefix: never a real EAN
    return editor.create(payload + str(check_digit(payload)), {"name": f"Bench product {n}"})


def run(environ: dict[str, str], workers: int) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(
        [str(VENV_BIN / "productsmanager"), "media", "thumbnails", "--workers", str(workers)],
        env={**os.environ, **environ},
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    found = SUMMARY.search(done.stdout)
    if done.returncode != 0 or found is None:
        output = f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        raise SystemExit(f"--workers {workers} failed ({done.returncode}):\n{output}")
    return elapsed, int(found.group(2))


def rounds(environ: dict[str, str], count: int) -> list[float]:
    """The 2-worker/1-worker ratio of each round, the order of the two runs swapping every round."""
    ratios = []
    for number in range(count):
        order = (1, 2) if number % 2 == 0 else (2, 1)
        rates = {}
        for workers in order:
            elapsed, succeeded = run(environ, workers)
            rates[workers] = succeeded / elapsed
            print(f"  round {number + 1}, --workers {workers}: {succeeded} images in {elapsed:.1f} s "
                  f"= {rates[workers]:.1f} images/s", flush=True)  # fmt: skip
        ratios.append(rates[2] / rates[1])
        print(f"  round {number + 1} ({order[0]} then {order[1]}): ratio {ratios[-1]:.2f}", flush=True)
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"dropped and re-created (default {DEFAULT_URL})")
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1200)
    parser.add_argument("--rounds", type=int, default=4, help="rounds of a 1- and a 2-worker run, order swapping (4)")
    args = parser.parse_args()
    try:
        with tempfile.TemporaryDirectory(prefix="pm-bench-thumbs-") as data_dir:
            environ = {
                "PM_DATABASE_URL": args.database_url,
                "PM_DATA_DIR": data_dir,
                "PM_SECRET_KEYS": Fernet.generate_key().decode(),
                "PM_LOG_LEVEL": "WARNING",
            }
            recreate_database(args.database_url)
            print(f"seeding {args.images} images of {args.width}x{args.height} ...", flush=True)
            seed(environ, args.images, args.width, args.height)
            ratios = rounds(environ, args.rounds)
    finally:
        recreate_database(args.database_url, create=False)
    ratio = statistics.median(ratios)
    print(f"\nper-round ratios: {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"batch thumbnails: 2 workers = {ratio:.2f}x 1 worker, median of {len(ratios)} rounds "
          f"(target >= {TARGET}x): {verdict(ratio >= TARGET)}")  # fmt: skip
    sys.exit(0 if ratio >= TARGET else 1)


if __name__ == "__main__":
    main()
