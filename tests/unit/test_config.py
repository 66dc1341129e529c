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


def test_the_settings_cache_keeps_changes_from_other_processes_under_5_seconds() -> None:
    assert Config.from_env({}).settings_cache_seconds == 2
    assert Config.from_env({"PM_SETTINGS_CACHE_SECONDS": "0"}).settings_cache_seconds == 0
    assert Config.from_env({"PM_SETTINGS_CACHE_SECONDS": "4"}).settings_cache_seconds == 4
    for value in ("5", "-1", "1.5"):
        with pytest.raises(ConfigError, match="PM_SETTINGS_CACHE_SECONDS"):
            Config.from_env({"PM_SETTINGS_CACHE_SECONDS": value})


def test_media_defaults_to_the_filesystem_store_under_the_data_dir() -> None:
    config = Config.from_env({"PM_DATA_DIR": "/srv/pm"})
    assert config.media_backend == "filesystem"
    assert config.media_dir == Path("/srv/pm/media")
    assert (config.s3_endpoint, config.s3_access_key, config.s3_secret_key, config.media_public_url) == (
        None,
        None,
        None,
        None,
    )
    assert (config.s3_region, config.s3_bucket, config.s3_max_connections) == ("us-east-1", "media-images", 10)
    assert (config.media_url_expiry_seconds, config.media_max_bytes, config.media_max_pixels) == (
        3600,
        26_214_400,
        50_000_000,
    )


def test_s3_settings_are_read() -> None:
    config = Config.from_env(
        {
            "PM_S3_ENDPOINT": "https://s3.example.com:9443/",
            "PM_S3_ACCESS_KEY": "AK",
            "PM_S3_SECRET_KEY": "SK",
            "PM_S3_REGION": "eu-west-3",
            "PM_S3_BUCKET": "shop.media-2",
            "PM_S3_MAX_CONNECTIONS": "32",
            "PM_MEDIA_PUBLIC_URL": "https://cdn.example.com/media/",
            "PM_MEDIA_URL_EXPIRY_SECONDS": "600",
            "PM_MEDIA_MAX_BYTES": "1048576",
            "PM_MEDIA_MAX_PIXELS": "1000000",
        }
    )
    assert config.media_backend == "s3"
    assert (config.s3_endpoint, config.s3_access_key, config.s3_secret_key) == (
        "https://s3.example.com:9443",
        "AK",
        "SK",
    )
    assert (config.s3_region, config.s3_bucket, config.s3_max_connections) == ("eu-west-3", "shop.media-2", 32)
    assert config.media_public_url == "https://cdn.example.com/media"
    assert (config.media_url_expiry_seconds, config.media_max_bytes, config.media_max_pixels) == (600, 1048576, 1000000)


def test_minio_aliases_are_accepted_and_a_bare_host_gets_http() -> None:
    config = Config.from_env({"MINIO_ENDPOINT": "minio:9000", "MINIO_ACCESS_KEY": "mk", "MINIO_SECRET_KEY": "ms"})
    assert (config.s3_endpoint, config.s3_access_key, config.s3_secret_key) == ("http://minio:9000", "mk", "ms")
    assert config.media_backend == "s3"


def test_pm_s3_names_win_over_minio_aliases() -> None:
    config = Config.from_env(
        {
            "PM_S3_ENDPOINT": "https://s3.internal",
            "MINIO_ENDPOINT": "minio:9000",
            "PM_S3_ACCESS_KEY": "pa",
            "MINIO_ACCESS_KEY": "ma",
            "PM_S3_SECRET_KEY": "ps",
            "MINIO_SECRET_KEY": "ms",
        }
    )
    assert (config.s3_endpoint, config.s3_access_key, config.s3_secret_key) == ("https://s3.internal", "pa", "ps")


def test_blank_endpoint_means_unset() -> None:
    assert Config.from_env({"PM_S3_ENDPOINT": " ", "MINIO_ENDPOINT": ""}).media_backend == "filesystem"


def test_the_s3_secret_key_stays_out_of_the_repr() -> None:
    config = Config.from_env({"PM_S3_ENDPOINT": "minio:9000", "PM_S3_ACCESS_KEY": "a", "PM_S3_SECRET_KEY": "hush"})
    assert "hush" not in repr(config)


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"PM_S3_ENDPOINT": "ftp://minio:9000"}, "PM_S3_ENDPOINT"),
        ({"MINIO_ENDPOINT": "minio:nine"}, "MINIO_ENDPOINT"),
        ({"PM_S3_ENDPOINT": "http://"}, "PM_S3_ENDPOINT"),
        ({"PM_S3_ENDPOINT": "http://minio:9000/?a=b"}, "PM_S3_ENDPOINT"),
        ({"PM_S3_ACCESS_KEY": "a"}, "PM_S3_ACCESS_KEY is set but PM_S3_SECRET_KEY"),
        ({"MINIO_SECRET_KEY": "s"}, "MINIO_SECRET_KEY is set but PM_S3_ACCESS_KEY"),
        ({"PM_S3_REGION": "eu west"}, "PM_S3_REGION"),
        ({"PM_S3_BUCKET": "Media_Images"}, "PM_S3_BUCKET"),
        ({"PM_S3_BUCKET": "ab"}, "PM_S3_BUCKET"),
        ({"PM_S3_BUCKET": "media..images"}, "PM_S3_BUCKET"),
        ({"PM_S3_BUCKET": "192.168.1.1"}, "PM_S3_BUCKET"),
        ({"PM_S3_MAX_CONNECTIONS": "0"}, "PM_S3_MAX_CONNECTIONS"),
        ({"PM_MEDIA_PUBLIC_URL": "cdn.example.com"}, "PM_MEDIA_PUBLIC_URL"),
        ({"PM_MEDIA_URL_EXPIRY_SECONDS": "604801"}, "PM_MEDIA_URL_EXPIRY_SECONDS"),
        ({"PM_MEDIA_URL_EXPIRY_SECONDS": "1h"}, "PM_MEDIA_URL_EXPIRY_SECONDS"),
        ({"PM_MEDIA_MAX_BYTES": "-1"}, "PM_MEDIA_MAX_BYTES"),
        ({"PM_MEDIA_MAX_PIXELS": "many"}, "PM_MEDIA_MAX_PIXELS"),
    ],
)
def test_bad_media_settings_name_the_variable(environ: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Config.from_env(environ)
