"""Test images made on the spot (no fixtures on disk, no numpy): photo-like content and a PSNR measure.

Shared by the thumbnailer's unit tests and `benchmarks/thumbnails.py`, so that the benchmark's quality
figure and the tests' quality bar are measured the same way."""

from __future__ import annotations

import io
import math
import random
import struct

from PIL import Image, ImageChops, ImageDraw, ImageFilter


def photo(width: int, height: int, seed: int = 0, noise: int = 12) -> Image.Image:
    """RGB, deterministic for a seed: smooth gradients (sky, vignette), soft and hard-edged shapes, and
    sensor-like noise of +-`noise` levels, which is what makes real photos expensive to decode and
    what a poor resampler aliases."""
    rng = random.Random(seed)
    bands = []
    for _ in range(3):
        gradient = Image.linear_gradient("L").resize((512, 512), Image.Resampling.BILINEAR)
        gradient = gradient.rotate(rng.uniform(0, 360), Image.Resampling.BILINEAR).crop((128, 128, 384, 384))
        radial = Image.radial_gradient("L")
        mixed = Image.blend(gradient, radial, rng.uniform(0.2, 0.6))
        bands.append(mixed.point(_tone(rng)).resize((width, height), Image.Resampling.BICUBIC))
    image = Image.merge("RGB", bands)
    _shapes(image, rng, soft=True)
    image = image.filter(ImageFilter.BoxBlur(max(1, width // 600)))
    _shapes(image, rng, soft=False)
    if noise:
        grain = Image.frombytes("L", (width, height), rng.randbytes(width * height))
        grain = grain.point(lambda v: 128 + (v - 128) * noise // 128)
        image = ImageChops.add(image, Image.merge("RGB", [grain] * 3), scale=1.0, offset=-128)
    return image


def _tone(rng: random.Random) -> list[int]:
    low, high = rng.randint(0, 80), rng.randint(170, 255)
    gamma = rng.uniform(0.6, 1.6)
    return [round(low + (high - low) * (v / 255) ** gamma) for v in range(256)]


def _shapes(image: Image.Image, rng: random.Random, soft: bool) -> None:
    draw = ImageDraw.Draw(image)
    width, height = image.size
    for _ in range(12 if soft else 8):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randint(min(width, height) // 40, min(width, height) // 6)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        box = (x - r, y - r, x + r, y + r)
        match rng.randrange(3):
            case 0:
                draw.ellipse(box, fill=colour)
            case 1:
                draw.rectangle(box, fill=colour, outline=(0, 0, 0), width=max(1, r // 20))
            case _:
                points = [(x + r * math.cos(a), y + r * math.sin(a)) for a in (0, 2.1, 4.2)]
                draw.polygon(points, fill=colour)
    if not soft:  # thin lines and fine text-like stripes: high frequencies that expose aliasing
        for _ in range(6):
            draw.line([(rng.randrange(width), rng.randrange(height)) for _ in range(2)], fill=(20, 20, 20), width=2)


def encode(image: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def psnr(a: Image.Image, b: Image.Image) -> float:
    """Peak signal-to-noise ratio in dB over the 8-bit RGB channels of two images of the same size."""
    if a.size != b.size:
        raise ValueError(f"sizes differ: {a.size} and {b.size}")
    histogram = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).histogram()
    squared = sum(count * (level % 256) ** 2 for level, count in enumerate(histogram))
    mse = squared / (a.size[0] * a.size[1] * 3)
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


# A matrix/TRC ICC v2 display profile built from its colorants, so that colour-management tests need no
# profile file on disk. Adobe RGB (1998): D50-adapted colorants as in Adobe's profile, gamma 563/256.
ADOBE_RGB_COLORANTS = ((0.60974, 0.31111, 0.01947), (0.20528, 0.62567, 0.06087), (0.14919, 0.06322, 0.74457))
D50 = (0.9642, 1.0, 0.8249)


def rgb_icc_profile(
    colorants: tuple[tuple[float, float, float], ...] = ADOBE_RGB_COLORANTS,
    gamma: float = 563 / 256,
    description: str = "Adobe RGB (1998) compatible, for tests",
) -> bytes:
    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(values: tuple[float, float, float]) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(s15(v) for v in values)

    text = description.encode("ascii") + b"\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 4 + b"\0" * 4 + b"\0" * 3 + b"\0" * 67
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"
    tags = [
        (b"desc", desc),
        (b"cprt", b"text\0\0\0\0" + b"No copyright, test data\0"),
        (b"wtpt", xyz(D50)),
        (b"rXYZ", xyz(colorants[0])),
        (b"gXYZ", xyz(colorants[1])),
        (b"bXYZ", xyz(colorants[2])),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        padded = data + b"\0" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += padded
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + b"\0" * 4
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
        + b"acsp"
        + b"\0" * 24
        + b"\0" * 8  # attributes
        + struct.pack(">I", 0)  # perceptual
        + b"".join(s15(v) for v in D50)
        + b"\0" * 4
    )
    header += b"\0" * (128 - len(header))
    return header + struct.pack(">I", len(tags)) + table + body
