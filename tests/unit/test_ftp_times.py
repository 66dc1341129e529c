"""FTP times (MLSD's modify fact, MDTM's answer): UTC by RFC 3659, with or without a fraction of a second."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from productsmanager.adapters.ftp.listing import ftp_time


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("20250301080000", datetime(2025, 3, 1, 8, 0, tzinfo=UTC)),
     ("20250301080000.5", datetime(2025, 3, 1, 8, 0, 0, 500_000, tzinfo=UTC)),
     (" 20250301080000.1234567 ", datetime(2025, 3, 1, 8, 0, 0, 123_456, tzinfo=UTC))],
)  # fmt: skip
def test_ftp_times_are_read_as_utc(raw: str, expected: datetime) -> None:
    assert ftp_time(raw) == expected


@pytest.mark.parametrize("raw", ["", "2025-03-01 08:00", "20251301080000", "202503010800", "20250301080000."])
def test_other_shapes_are_not_times(raw: str) -> None:
    with pytest.raises(ValueError):
        ftp_time(raw)
