from __future__ import annotations

import pytest

from productsmanager.config import Config
from productsmanager.config.parsing import ConfigError


def test_the_seed_names_are_read_and_the_pm_names_win() -> None:
    config = Config.from_env(
        {
            "GOOGLE_CLIENT_ID": "seed-id",
            "PM_GOOGLE_CLIENT_ID": "pm-id",
            "GOOGLE_CLIENT_SECRET": "s3cret",
            "GOOGLE_REDIRECT_URI": "https://pm.example.com/api/v1/integrations/google/callback",
        }
    )
    assert (config.google_client_id, config.google_client_secret) == ("pm-id", "s3cret")
    assert config.google_token_uri == "https://oauth2.googleapis.com/token"
    assert "s3cret" not in repr(config)


def test_a_client_id_without_its_secret_stops_the_start() -> None:
    with pytest.raises(ConfigError, match="GOOGLE_CLIENT_ID"):
        Config.from_env({"GOOGLE_CLIENT_ID": "x"})


def test_the_endpoints_can_point_at_a_test_server() -> None:
    config = Config.from_env({"PM_GOOGLE_API_ENDPOINT": "https://127.0.0.1:8443/"})
    assert config.google_api_endpoint == "https://127.0.0.1:8443"
    with pytest.raises(ConfigError, match="PM_GOOGLE_TOKEN_URI"):
        Config.from_env({"PM_GOOGLE_TOKEN_URI": "ftp://x"})
