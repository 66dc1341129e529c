"""The image stack is pillow-simd built with WebP, TIFF and ICC colour management."""

from __future__ import annotations

from importlib import metadata

import pytest
from PIL import features


@pytest.mark.parametrize("feature", ["webp", "libtiff", "littlecms2", "jpg", "zlib"])
def test_pillow_has_the_codecs_the_media_pipeline_needs(feature: str) -> None:
    assert features.check(feature), f"Pillow was built without {feature}: install the -dev packages first"


def test_pillow_simd_is_the_only_pillow() -> None:
    names = {d.metadata["Name"].lower() for d in metadata.distributions()}
    assert "pillow-simd" in names
    assert "pillow" not in names
