"""Secrets at rest: round trip, key rotation, and a clear error for a key that is gone."""

from __future__ import annotations

import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.adapters.fernet_secret_box import FernetSecretBox, SecretDecryptionFailed, embedded_key
from productsmanager.application.ports import SecretKeysMissing
from productsmanager.config import Config, ConfigError
from productsmanager.container.factories import build_media_url_signer, build_secret_box, generate_secret_key

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@given(st.text(max_size=200))
def test_round_trip_and_ciphertext_hides_the_secret(secret: str) -> None:
    box = FernetSecretBox([OLD])
    token = box.encrypt(secret)
    assert box.decrypt(token) == secret
    if len(secret) > 3:
        assert secret not in token


def test_rotation_keeps_old_secrets_readable() -> None:
    token = FernetSecretBox([OLD]).encrypt("ftp-password")
    rotated_box = FernetSecretBox([NEW, OLD])
    assert rotated_box.decrypt(token) == "ftp-password"
    assert FernetSecretBox([NEW]).decrypt(rotated_box.rotate(token)) == "ftp-password"
    with pytest.raises(SecretDecryptionFailed):
        FernetSecretBox([NEW]).decrypt(token)


def test_invalid_keys_are_named() -> None:
    with pytest.raises(ValueError, match="PM_SECRET_KEYS"):
        FernetSecretBox(["not-a-key"])


def test_embedded_key_is_created_once_and_private(tmp_path: Path) -> None:
    key = embedded_key(tmp_path)
    assert embedded_key(tmp_path) == key
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600


def test_processes_starting_at_once_on_a_fresh_data_dir_share_one_generated_key(tmp_path: Path) -> None:
    """Server workers build their app at the same moment (the media URL signer reads the key at start):
    one key is generated, never a crash or an empty read."""
    for attempt in range(20):
        folder = tmp_path / str(attempt)
        start = threading.Barrier(6, timeout=10)

        def read(folder: Path = folder, start: threading.Barrier = start) -> str:
            start.wait()
            return embedded_key(folder)

        with ThreadPoolExecutor(max_workers=6) as pool:
            keys = set(pool.map(lambda _: read(), range(6)))
        assert len(keys) == 1 and Fernet(keys.pop().encode())
        assert stat.S_IMODE((folder / "secret.key").stat().st_mode) == 0o600


def test_a_production_container_without_keys_gets_a_box_that_says_so(tmp_path: Path) -> None:
    config = Config.from_env({"PM_DATABASE_URL": "postgresql://db.invalid/shop", "PM_DATA_DIR": str(tmp_path)})
    box = build_secret_box(config)
    with pytest.raises(SecretKeysMissing):
        box.encrypt("odoo-key")
    with pytest.raises(SecretKeysMissing):
        box.decrypt(FernetSecretBox([OLD]).encrypt("odoo-key"))
    assert not (tmp_path / "secret.key").exists()  # no generated key in production


def test_the_embedded_default_keeps_its_generated_key(tmp_path: Path) -> None:
    box = build_secret_box(Config.from_env({"PM_DATA_DIR": str(tmp_path)}))
    assert box.decrypt(box.encrypt("ftp-password")) == "ftp-password"
    assert (tmp_path / "secret.key").exists()


def test_an_invalid_configured_key_is_a_configuration_error() -> None:
    config = Config.from_env({"PM_DATABASE_URL": "postgresql://db.invalid/shop", "PM_SECRET_KEYS": "not-a-key"})
    with pytest.raises(ConfigError, match="PM_SECRET_KEYS"):
        build_secret_box(config)


def test_a_generated_key_is_a_new_fernet_key() -> None:
    first, second = generate_secret_key(), generate_secret_key()
    assert first != second
    assert FernetSecretBox([first, second]).decrypt(FernetSecretBox([second]).encrypt("x")) == "x"


def test_a_production_container_without_keys_signs_no_media_url_and_says_why(tmp_path: Path) -> None:
    config = Config.from_env({"PM_DATABASE_URL": "postgresql://db.invalid/shop", "PM_DATA_DIR": str(tmp_path)})
    signer = build_media_url_signer(config)
    with pytest.raises(SecretKeysMissing):
        signer.sign("/api/v1/media/files/1/content")
    with pytest.raises(SecretKeysMissing):
        signer.check("/api/v1/media/files/1/content", "1", "00")
    assert not (tmp_path / "secret.key").exists()
