"""Thumbnails: images/s of `PillowThumbnailer.render` (large, medium and small of each image) against a pyvips
pipeline (>= 1.2x), with the quality of each beside it (>= 40 dB). A naive Pillow pipeline is measured beside
them for information only: on pillow-simd it pays the same full decode as ours, so it has no target.

The images are 6-megapixel JPEGs (quality 90) made in memory from a fixed seed: gradients, shapes, lines and
sensor-like noise, about 1.9 MB each like a phone photo. Every contender writes the same JPEGs: quality 85,
4:4:4 chroma, baseline, no metadata. Contenders take turns within each round (in a rotating order) on the
same images in the same process; the figure is the median of the rounds. Quality is the PSNR, per size, of
each contender's output against a direct full-resolution LANCZOS resize of the decoded original: of the
pixels before encoding where the contender exposes them, and of the JPEG against that ideal resize written
by the same encoder (so that only the resampling differs, not the encoder's loss).

    .venv/bin/python benchmarks/thumbnails.py [--images 12] [--rounds 5] [--sweep 40] [--draft-margin 2.5]

pyvips is optional (benchmark only): `apt-get install -y libvips-dev` then `.venv/bin/pip install pyvips`.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.images: the same photos as the tests

from PIL import Image, features
from tests.images import decode, encode, photo, psnr

from productsmanager.adapters.images import PillowThumbnailer, pipeline
from productsmanager.domain.media import ThumbnailPolicy

POLICY = ThumbnailPolicy.standard()
SIZES = list(POLICY.size_names)
SHAPES = [(3000, 2000), (2000, 3000), (2832, 2124)]  # 6.0 MP: 3:2 landscape and portrait, 4:3
TARGET_VIPS = 1.2
LANCZOS = Image.Resampling.LANCZOS
Render = Callable[[bytes], list[bytes]]


def naive(data: bytes) -> list[bytes]:
    """What one writes first: decode at full size, three full-resolution LANCZOS resizes, three saves."""
    image = Image.open(io.BytesIO(data))  # RGB already: a convert("RGB") would add a full-size copy
    return [_save(image.resize((w, h), LANCZOS)) for _, w, h in POLICY.plan(*image.size)]


def _save(image: Image.Image) -> bytes:
    return encode(image, quality=POLICY.jpeg_quality, subsampling=0, optimize=False, progressive=False)


def load_vips() -> tuple[Render | None, str]:
    try:
        import pyvips
    except Exception as error:  # ImportError, or OSError when libvips itself is missing
        return None, f"skipped: pyvips cannot be imported ({type(error).__name__}: {error})"
    pyvips.cache_set_max(0)  # no reuse of a previous round's decode of the same buffer

    def vips(data: bytes) -> list[bytes]:
        """libvips' own recipe: shrink-on-load thumbnail for large, then medium and small from it."""
        large = pyvips.Image.thumbnail_buffer(data, POLICY.box("large")).copy_memory()
        medium = large.thumbnail_image(POLICY.box("medium"))
        small = medium.thumbnail_image(POLICY.box("small"))
        return [
            i.jpegsave_buffer(Q=POLICY.jpeg_quality, strip=True, subsample_mode="off") for i in (large, medium, small)
        ]

    version = ".".join(str(pyvips.version(i)) for i in range(3))
    return vips, f"libvips {version}, pyvips {pyvips.__version__}, {pyvips.concurrency_get()} threads"


def images_per_second(renders: dict[str, Render], images: list[bytes], rounds: int) -> dict[str, float]:
    """Median over rounds; within a round each contender renders every image once, in a rotating order."""
    names = list(renders)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(rounds):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            start = time.perf_counter()
            for data in images:
                renders[name](data)
            samples[name].append(len(images) / (time.perf_counter() - start))
    return {name: statistics.median(values) for name, values in samples.items()}


def quality(renders: dict[str, Render], ours: PillowThumbnailer, images: list[bytes]) -> dict[str, list[float]]:
    """Worst PSNR over the images, per size (large, medium, small), for each row printed."""
    worst: dict[str, list[float]] = {}

    def keep(row: str, index: int, value: float) -> None:
        values = worst.setdefault(row, [float("inf")] * len(SIZES))
        values[index] = min(values[index], value)

    for data in images:
        full = decode(data)
        ideal = {s: full.resize((w, h), LANCZOS) for s, w, h in POLICY.plan(*full.size)}
        for index, (step, picture) in enumerate(ours.render_images(data, SIZES)):
            keep("ours, pixels", index, psnr(picture, ideal[step.size]))
        for name, render in renders.items():
            for index, out in enumerate(render(data)):
                thumbnail = decode(out)
                reference = full.resize(thumbnail.size, LANCZOS) if name == "pyvips" else ideal[SIZES[index]]
                keep(f"{name}, JPEG", index, psnr(thumbnail, decode(_save(reference))))
    return worst


def sweep(thumbnailer: PillowThumbnailer, count: int, seed: int) -> None:
    """The quality bar beyond 6 MP: random sizes (long side 1,700-7,500 px, so that every JPEG decode scale
    occurs), aspect ratios, noise and source qualities; worst pixel PSNR per size against the ideal resize."""
    rng = random.Random(seed)
    worst: list[tuple[float, str]] = [(float("inf"), "")] * len(SIZES)
    for i in range(count):
        long_side = rng.randrange(1_700, 7_500)
        ratio, noise, source_quality = (
            rng.choice([1, 4 / 3, 3 / 2, 2]),
            rng.choice([0, 6, 12, 24]),
            rng.choice([80, 90, 95]),
        )
        width, height = (
            (long_side, round(long_side / ratio)) if rng.random() < 0.6 else (round(long_side / ratio), long_side)
        )
        data = encode(photo(width, height, seed=seed + i, noise=noise), quality=source_quality)
        full = decode(data)
        for index, (step, picture) in enumerate(thumbnailer.render_images(data, SIZES)):
            value = psnr(picture, full.resize((step.width, step.height), LANCZOS))
            if value < worst[index][0]:
                worst[index] = (value, f"{width}x{height} noise {noise} q{source_quality}")
    print(f"\nsweep of {count} photos, worst pixel PSNR per size against a direct LANCZOS resize:")
    for size, (value, case) in zip(SIZES, worst, strict=True):
        print(f"  {size:6} {value:5.1f} dB  ({case})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--sweep", type=int, default=0, metavar="N", help="also check quality on N random sizes")
    parser.add_argument("--draft-margin", type=float, help=f"try another DRAFT_MARGIN (now {pipeline.DRAFT_MARGIN})")
    args = parser.parse_args()
    if args.draft_margin is not None:
        pipeline.DRAFT_MARGIN = args.draft_margin
        print(f"DRAFT_MARGIN set to {args.draft_margin} for this run")

    thumbnailer = PillowThumbnailer(policy=POLICY)  # also keeps freed Pillow blocks for reuse: naive gains too
    print(
        f"pillow-simd {Image.__version__}, libjpeg-turbo {features.version('libjpeg_turbo')}, "
        f"Pillow blocks kept for reuse: {Image.core.get_blocks_max()}"
    )
    start = time.perf_counter()
    images = [encode(photo(*SHAPES[i % len(SHAPES)], seed=args.seed + i), quality=90) for i in range(args.images)]
    megabytes = sum(map(len, images)) / len(images) / 1e6
    print(f"{len(images)} JPEGs of 6.0 MP, {megabytes:.2f} MB on average, made in {time.perf_counter() - start:.1f} s")

    renders: dict[str, Render] = {
        "ours": lambda data: [t.data for t in thumbnailer.render(data, SIZES)],
        "naive": naive,
    }
    vips, vips_note = load_vips()
    print(f"pyvips baseline: {vips_note}")
    if vips is not None:
        renders["pyvips"] = vips

    for render in renders.values():  # warm-up: imports, lazily built tables, first-call allocations
        render(images[0])
    rates = images_per_second(renders, images, args.rounds)
    print(f"\nimages/s (all three sizes), median of {args.rounds} rounds of {len(images)} images:")
    for name, rate in rates.items():
        print(f"  {name:7} {rate:7.1f}  ({1000 / rate:.1f} ms per image)")
    print("\nratios:")
    for name, target in (("naive", None), ("pyvips", TARGET_VIPS)):
        if name in rates:
            ratio = rates["ours"] / rates[name]
            if target is None:
                judged = "information only, no target"
            else:
                judged = f"target >= {target}x: {'PASS' if ratio >= target else 'FAIL'}"
            print(f"  ours / {name:7} {ratio:5.2f}x  ({judged})")
        else:
            print(f"  ours / {name:7}   n/a  ({vips_note})")

    print("\nPSNR against a direct full-resolution LANCZOS resize, worst image, dB (large / medium / small):")
    for row, values in quality(renders, thumbnailer, images).items():
        print(f"  {row:15} " + " / ".join(f"{v:5.1f}" for v in values))
    if args.sweep:
        sweep(thumbnailer, args.sweep, args.seed)


if __name__ == "__main__":
    main()
