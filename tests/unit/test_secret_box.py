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
