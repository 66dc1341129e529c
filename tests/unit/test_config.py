"""Configuration is read from the environment once, with errors that name the variable."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from productsmanager.config import Config, ConfigError


def test_embedded_defaults_need_no_variable() -> None:
    config = Config.from_env({})
    assert config.embedded
    assert config.database_url == f"sqlite:///{Path('var').resolve() / 'productsmanager.db'}"
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
    assert config.export_bucket == "exports"
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
            "PM_EXPORT_BUCKET": "shop-exports",
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
    assert config.export_bucket == "shop-exports"
    assert config.media_public_url == "https://cdn.example.com/media"
    assert (config.media_url_expiry_seconds, config.media_max_bytes, config.media_max_pixels) == (600, 1048576, 1000000)


def test_the_decoded_byte_limit_of_images_is_read() -> None:
    assert Config.from_env({}).media_max_decoded_bytes == 256 * 1024**2
    assert Config.from_env({"PM_MEDIA_MAX_DECODED_BYTES": "104857600"}).media_max_decoded_bytes == 104_857_600


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
        ({"PM_EXPORT_BUCKET": "Exports"}, "PM_EXPORT_BUCKET"),
        ({"PM_S3_MAX_CONNECTIONS": "0"}, "PM_S3_MAX_CONNECTIONS"),
        ({"PM_MEDIA_PUBLIC_URL": "cdn.example.com"}, "PM_MEDIA_PUBLIC_URL"),
        ({"PM_MEDIA_URL_EXPIRY_SECONDS": "604801"}, "PM_MEDIA_URL_EXPIRY_SECONDS"),
        ({"PM_MEDIA_URL_EXPIRY_SECONDS": "1h"}, "PM_MEDIA_URL_EXPIRY_SECONDS"),
        ({"PM_MEDIA_MAX_BYTES": "-1"}, "PM_MEDIA_MAX_BYTES"),
        ({"PM_MEDIA_MAX_PIXELS": "many"}, "PM_MEDIA_MAX_PIXELS"),
        ({"PM_MEDIA_MAX_DECODED_BYTES": "1000"}, "PM_MEDIA_MAX_DECODED_BYTES"),
    ],
)
def test_bad_media_settings_name_the_variable(environ: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Config.from_env(environ)


def test_mail_defaults_to_the_log_with_a_local_sender() -> None:
    config = Config.from_env({})
    assert (config.smtp_url, config.smtp_ca_file) == (None, None)
    assert (config.mail_from, config.smtp_timeout_seconds) == ("Products Manager <no-reply@localhost>", 10)


def test_mail_settings_are_read(tmp_path: Path) -> None:
    ca_file = tmp_path / "relay-ca.pem"
    ca_file.write_text("-----BEGIN CERTIFICATE-----\n")
    config = Config.from_env(
        {
            "PM_SMTP_URL": " smtps://mailer%40shop.example:s%2Fcr%3At@smtp.example.com:2465 ",
            "PM_MAIL_FROM": '"Shop, Inc." <no-reply@shop.example>',
            "PM_SMTP_TIMEOUT_SECONDS": "30",
            "PM_SMTP_CA_FILE": str(ca_file),
        }
    )
    assert config.smtp_url == "smtps://mailer%40shop.example:s%2Fcr%3At@smtp.example.com:2465"
    assert (config.mail_from, config.smtp_timeout_seconds, config.smtp_ca_file) == (
        '"Shop, Inc." <no-reply@shop.example>',
        30,
        ca_file,
    )


@pytest.mark.parametrize("url", ["smtp://mail.example.com", "smtp://relay:25", "smtps://[::1]:465/", "smtp://u@h"])
def test_smtp_urls_without_a_password_are_accepted(url: str) -> None:
    assert Config.from_env({"PM_SMTP_URL": url}).smtp_url == url


def test_the_smtp_password_stays_out_of_the_repr() -> None:
    assert "hush" not in repr(Config.from_env({"PM_SMTP_URL": "smtp://user:hush@mail.example.com"}))


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"PM_SMTP_URL": "http://mail.example.com"}, "PM_SMTP_URL"),
        ({"PM_SMTP_URL": "mail.example.com:587"}, "PM_SMTP_URL"),
        ({"PM_SMTP_URL": "smtp://"}, "PM_SMTP_URL"),
        ({"PM_SMTP_URL": "smtp://mail.example.com:smtp"}, "PM_SMTP_URL"),
        ({"PM_SMTP_URL": "smtp://mail.example.com/inbox"}, "PM_SMTP_URL"),
        ({"PM_SMTP_URL": "smtp://mail.example.com?starttls=no"}, "PM_SMTP_URL"),
        ({"PM_SMTP_URL": "smtp://:secret@mail.example.com"}, "PM_SMTP_URL"),
        ({"PM_SMTP_URL": "smtp://[::1:25"}, "PM_SMTP_URL"),
        ({"PM_MAIL_FROM": "no-reply"}, "PM_MAIL_FROM"),
        ({"PM_MAIL_FROM": "Shop <no-reply@>"}, "PM_MAIL_FROM"),
        ({"PM_MAIL_FROM": "a@shop.example, b@shop.example"}, "PM_MAIL_FROM"),
        ({"PM_MAIL_FROM": "a@shop.example\nBcc: eve@example.com"}, "PM_MAIL_FROM"),
        ({"PM_MAIL_FROM": "Zoë <zoë@shop.example>"}, "PM_MAIL_FROM"),
        ({"PM_SMTP_TIMEOUT_SECONDS": "0"}, "PM_SMTP_TIMEOUT_SECONDS"),
        ({"PM_SMTP_TIMEOUT_SECONDS": "121"}, "PM_SMTP_TIMEOUT_SECONDS"),
        ({"PM_SMTP_TIMEOUT_SECONDS": "2.5"}, "PM_SMTP_TIMEOUT_SECONDS"),
        ({"PM_SMTP_CA_FILE": "/nonexistent/relay-ca.pem"}, "PM_SMTP_CA_FILE"),
    ],
)
def test_bad_mail_settings_name_the_variable(environ: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Config.from_env(environ)


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=65536)))
def test_any_smtp_port_outside_1_to_65535_is_refused(port: int) -> None:
    with pytest.raises(ConfigError, match="PM_SMTP_URL"):
        Config.from_env({"PM_SMTP_URL": f"smtp://mail.example.com:{port}"})


@given(st.integers(min_value=1, max_value=65535))
def test_any_smtp_port_from_1_to_65535_is_accepted(port: int) -> None:
    assert Config.from_env({"PM_SMTP_URL": f"smtps://mail.example.com:{port}"}).smtp_url is not None


BROKEN_SMTP_URLS = [
    "smtp://user:{}@mail.example.com:99999",
    "smtp://user:{}@mail.example.com/path",
    "http://user:{}@mail.example.com",
    "smtp://:{}@mail.example.com",
    "smtp:user:{}@mail.example.com",
    "smtp://user:{}@[::1",
]


@given(st.text(min_size=1, max_size=30), st.sampled_from(BROKEN_SMTP_URLS), st.booleans())
@example("]", "smtp://user:{}@[::1", False)  # a "]" in the password once balanced the host's "[" for urlsplit
def test_no_error_about_the_smtp_url_repeats_its_password(secret: str, template: str, encoded: bool) -> None:
    """Whatever the password holds (an unencoded `/` or `@` included), the error shows none of it."""
    password = "pw-" + secret
    with pytest.raises(ConfigError, match="PM_SMTP_URL") as error:
        Config.from_env({"PM_SMTP_URL": template.format(quote(password, safe="") if encoded else password)})
    assert password not in str(error.value)
    assert quote(password, safe="") not in str(error.value)


def test_the_stall_time_takes_decimal_minutes_and_the_dispatch_grace_seconds() -> None:
    default = Config.from_env({})
    assert (default.import_stall_minutes, default.dispatch_grace_seconds) == (10, 60)
    drill = Config.from_env({"PM_IMPORT_STALL_MINUTES": "0.05", "PM_DISPATCH_GRACE_SECONDS": "1"})
    assert (drill.import_stall_minutes, drill.dispatch_grace_seconds) == (0.05, 1)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PM_IMPORT_STALL_MINUTES", "0.01"),
        ("PM_IMPORT_STALL_MINUTES", "nan"),
        ("PM_IMPORT_STALL_MINUTES", "two"),
        ("PM_DISPATCH_GRACE_SECONDS", "0"),
        ("PM_DISPATCH_GRACE_SECONDS", "1.5"),
    ],
)
def test_bad_recovery_times_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Config.from_env({name: value})
