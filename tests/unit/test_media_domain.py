"""Media rules: thumbnail sizes (`ThumbnailPolicy.plan`) and the storage key layout (`MediaKey`)."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.media import (
    ORIGINAL_EXTENSIONS,
    THUMBNAIL_SIZES,
    InvalidMediaKey,
    InvalidThumbnailSize,
    MediaKey,
    MediaKind,
    ThumbnailPolicy,
)

POLICY = ThumbnailPolicy.standard()
SHA = "ab" * 32
PRODUCT = uuid.UUID("3f2504e0-4f89-41d3-9a0c-0305e82c3301")

sha256s = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
extensions = st.sampled_from(ORIGINAL_EXTENSIONS)
sizes = st.sampled_from(THUMBNAIL_SIZES)
dimensions = st.integers(min_value=1, max_value=40_000)


def test_the_standard_policy() -> None:
    assert POLICY.size_names == ("large", "medium", "small")
    assert [POLICY.box(s) for s in ("small", "medium", "large")] == [150, 300, 800]
    assert POLICY.jpeg_quality == 85


@given(dimensions, dimensions)
def test_plan_fits_the_box_keeps_the_aspect_and_never_upscales(width: int, height: int) -> None:
    plan = POLICY.plan(width, height)
    assert [p.size for p in plan] == ["large", "medium", "small"]
    for size, w, h in plan:
        edge = POLICY.box(size)
        assert 1 <= w <= width and 1 <= h <= height  # never enlarged, never empty
        assert w <= edge and h <= edge
        if max(width, height) <= edge:
            assert (w, h) == (width, height)
        else:
            assert max(w, h) == edge
            # the shorter side is the exact ratio rounded (half a pixel), or 1 when it would vanish
            if width >= height:
                assert abs(h - height * edge / width) <= 0.5 or h == 1
            else:
                assert abs(w - width * edge / height) <= 0.5 or w == 1
    areas = [w * h for _, w, h in plan]
    assert areas == sorted(areas, reverse=True)
    assert plan[0].width >= plan[1].width >= plan[2].width
    assert plan[0].height >= plan[1].height >= plan[2].height


def test_plan_examples() -> None:
    assert POLICY.plan(3000, 2000) == [("large", 800, 533), ("medium", 300, 200), ("small", 150, 100)]
    assert POLICY.plan(2000, 3000)[0] == ("large", 533, 800)
    assert POLICY.plan(100, 80) == [("large", 100, 80), ("medium", 100, 80), ("small", 100, 80)]
    assert POLICY.plan(10_000, 10)[2] == ("small", 150, 1)
    assert POLICY.plan(600, 400, ["small", "large"]) == [("large", 600, 400), ("small", 150, 100)]


@pytest.mark.parametrize(("width", "height"), [(0, 10), (10, -1), (True, 10)])
def test_plan_refuses_empty_images(width: int, height: int) -> None:
    with pytest.raises(InvalidValue):
        POLICY.plan(width, height)


def test_plan_refuses_unknown_sizes() -> None:
    with pytest.raises(InvalidThumbnailSize):
        POLICY.plan(10, 10, ["huge"])


@given(st.uuids(), sha256s, extensions, sizes)
def test_every_key_lands_in_the_shard_of_its_product_id(
    product_id: uuid.UUID, sha256: str, ext: str, size: str
) -> None:
    for key in (MediaKey.for_original(product_id, sha256, ext), MediaKey.for_thumbnail(product_id, sha256, size)):
        shard = key.value.split("/")[1]
        assert shard == str(product_id)[:2] == key.shard
        assert len(shard) == 2 and int(shard, 16) in range(256)


def test_shards_are_exactly_the_256_two_hex_digit_prefixes() -> None:
    shards = {MediaKey.for_original(uuid.UUID(int=n << 120), SHA, "jpg").shard for n in range(256)}
    assert shards == {f"{n:02x}" for n in range(256)}


@given(st.uuids(), sha256s, extensions, sizes)
def test_parse_round_trips_every_form(product_id: uuid.UUID, sha256: str, ext: str, size: str) -> None:
    keys = [
        MediaKey.for_original(product_id, sha256, ext),
        MediaKey.for_thumbnail(product_id, sha256, size),
        MediaKey.legacy_original(product_id, sha256, ext),
        MediaKey.legacy_thumbnail(product_id, sha256, size),
    ]
    for key in keys:
        parsed = MediaKey.parse(key.value)
        assert parsed == key
        assert parsed.value == str(key)
        assert parsed.product_id == product_id and parsed.sha256 == sha256


@given(st.uuids(), sha256s, extensions, sizes)
def test_legacy_keys_map_to_their_sharded_twin_idempotently(
    product_id: uuid.UUID, sha256: str, ext: str, size: str
) -> None:
    original = MediaKey.legacy_original(product_id, sha256, ext)
    thumbnail = MediaKey.legacy_thumbnail(product_id, sha256, size)
    assert original.sharded() == MediaKey.for_original(product_id, sha256, ext)
    assert thumbnail.sharded() == MediaKey.for_thumbnail(product_id, sha256, size)
    for key in (original, thumbnail):
        assert key.legacy and not key.sharded().legacy
        assert key.sharded().sharded() == key.sharded()
        assert MediaKey.parse(key.value).sharded().value == key.sharded().value


def test_the_layout_spelled_out() -> None:
    assert MediaKey.for_original(PRODUCT, SHA, "png").value == f"products/3f/{PRODUCT}/{SHA}.png"
    assert MediaKey.for_thumbnail(PRODUCT, SHA, "small").value == f"products/3f/{PRODUCT}/thumbs/small/{SHA}.jpg"
    assert MediaKey.legacy_original(PRODUCT, SHA, "gif").value == f"products/{PRODUCT}/{SHA}.gif"
    assert MediaKey.legacy_thumbnail(PRODUCT, SHA, "large").value == f"products/{PRODUCT}/thumbs/large/{SHA}.jpg"
    parsed = MediaKey.parse(f"products/{PRODUCT}/thumbs/medium/{SHA}.jpg")
    assert (parsed.kind, parsed.size, parsed.ext, parsed.legacy) == (MediaKind.THUMBNAIL, "medium", "jpg", True)


@pytest.mark.parametrize(
    ("sha256", "ext"),
    [("AB" * 32, "jpg"), ("ab" * 31, "jpg"), ("g" * 64, "jpg"), (SHA, "jpeg"), (SHA, "JPG"), (SHA, "svg"), (SHA, "")],
)
def test_originals_refuse_bad_parts(sha256: str, ext: str) -> None:
    with pytest.raises(InvalidMediaKey):
        MediaKey.for_original(PRODUCT, sha256, ext)


def test_thumbnails_refuse_unknown_sizes_and_ids_must_be_uuids() -> None:
    with pytest.raises(InvalidMediaKey):
        MediaKey.for_thumbnail(PRODUCT, SHA, "huge")
    with pytest.raises(InvalidMediaKey):
        MediaKey.for_original(str(PRODUCT), SHA, "jpg")  # type: ignore[arg-type]
    assert issubclass(InvalidMediaKey, InvalidValue)


@pytest.mark.parametrize(
    "key",
    [
        "",
        f"media/3f/{PRODUCT}/{SHA}.jpg",
        f"products/40/{PRODUCT}/{SHA}.jpg",  # wrong shard
        f"products/3F/{PRODUCT}/{SHA}.jpg",
        f"products/3f/{str(PRODUCT).upper()}/{SHA}.jpg",
        f"products/3f/{PRODUCT.hex}/{SHA}.jpg",
        f"products/3f/{PRODUCT}/{SHA}",
        f"products/3f/{PRODUCT}/{SHA}.svg",
        f"products/3f/{PRODUCT}/thumbs/small/{SHA}.png",
        f"products/3f/{PRODUCT}/thumbs/huge/{SHA}.jpg",
        f"products/3f/{PRODUCT}/thumb/small/{SHA}.jpg",
        f"products/3f/{PRODUCT}/../{SHA}.jpg",
        f"products/{PRODUCT}/x/{SHA}.jpg",
        f"products/3f/{PRODUCT}/thumbs/small/extra/{SHA}.jpg",
        f"/products/3f/{PRODUCT}/{SHA}.jpg",
    ],
)
def test_parse_refuses_anything_else(key: str) -> None:
    with pytest.raises(InvalidMediaKey):
        MediaKey.parse(key)
