"""Configuration is read from the environment once, with errors that name the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from productsmanager.config import Config, ConfigError


def test_embedded_defaults_need_no_variable() -> None:
    config = Config.from_env({})
    assert config.embedded
    assert config.database_url == f"sqlite:///{Path('var') / 'productsmanager.db'}"
    assert (config.host, config.port, config.workers, config.public_url) == (
        "127.0.0.1",
        8000,
        2,
        "http://127.0.0.1:8000",
    )


def test_production_settings_are_read() -> None:
    config = Config.from_env(
        {
            "PM_DATABASE_URL": "postgresql://db/pm",
            "PM_REDIS_URL": "redis://r:6379/0",
            "PM_SECRET_KEYS": " k1 , k2,",
            "PM_PUBLIC_URL": "https://pm.example.com/",
            "PM_LOG_LEVEL": "debug",
            "PM_PORT": "9000",
            "PM_WORKERS": "8",
            "PM_SESSION_HOURS": "24",
        }
    )
    assert not config.embedded
    assert config.secret_keys == ("k1", "k2")
    assert config.public_url == "https://pm.example.com"
    assert (config.log_level, config.port, config.workers, config.session_hours) == ("DEBUG", 9000, 8, 24)


@pytest.mark.parametrize(
    ("name", "value"),
    [("PM_PORT", "eighty"), ("PM_PORT", "70000"), ("PM_WORKERS", "0"), ("PM_LOG_LEVEL", "loud")],
)
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Config.from_env({name: value})
