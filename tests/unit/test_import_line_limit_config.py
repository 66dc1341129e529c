"""PM_IMPORT_MAX_LINE_BYTES: the longest line or cell of a supplier file, 1 MiB unless set, bounded."""

from __future__ import annotations

import pytest

from productsmanager.config import Config, ConfigError
from productsmanager.container.factories import build_import_file_reader


def test_the_line_limit_defaults_to_a_mebibyte_and_reaches_the_reader() -> None:
    assert Config.from_env({}).import_max_line_bytes == 1 << 20
    config = Config.from_env({"PM_IMPORT_MAX_LINE_BYTES": "65536"})
    assert config.import_max_line_bytes == 65536
    assert build_import_file_reader(config).max_line_bytes == 65536  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", ["0", "12", "lots", str(128 << 20)])
def test_a_line_limit_out_of_bounds_names_the_variable(value: str) -> None:
    with pytest.raises(ConfigError, match="PM_IMPORT_MAX_LINE_BYTES"):
        Config.from_env({"PM_IMPORT_MAX_LINE_BYTES": value})
