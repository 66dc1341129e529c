"""Memory of thumbnails, measured where it matters: the peak growth of a fresh process on the embedded
default (the serving process makes thumbnails in-process) uploading a 393 KB 16-bit RGBA PNG of 7000x7000,
which once lifted it by ~830 MB. The cap is 400 MB. Takes ~5 s: a child process, migrations, one
196 MB decode."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.hostile_images import BY_NAME

pytestmark = pytest.mark.integration
BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "hostile_images.py"


def _benchmark() -> object:
    spec = importlib.util.spec_from_file_location("hostile_images_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_thumbnails_of_a_16_bit_rgba_7000_square_png_stay_under_the_memory_cap() -> None:
    benchmark = _benchmark()
    measurement = benchmark.measure(BY_NAME["png-rgba16-7000"])  # type: ignore[attr-defined]
    assert measurement.outcome == "ready", measurement
    assert measurement.growth_bytes is not None and measurement.growth_bytes <= 400 * 1000 * 1000, measurement
    assert measurement.passed
