"""Secrets at rest with MultiFernet: the first key encrypts, every key decrypts, so keys can rotate."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from productsmanager.application.ports import SecretDecryptionFailed, SecretKeysMissing

__all__ = ["FernetSecretBox", "KeylessSecretBox", "SecretDecryptionFailed", "embedded_key", "new_key"]


class FernetSecretBox:
    def __init__(self, keys: list[str] | tuple[str, ...]) -> None:
        if not keys:
            raise ValueError("at least one Fernet key is required")
        try:
            self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])
        except ValueError as error:
            raise ValueError(f"PM_SECRET_KEYS holds an invalid Fernet key: {error}") from None

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise SecretDecryptionFailed("secret cannot be decrypted with the configured keys") from None

    def rotate(self, token: str) -> str:
        """Re-encrypts with the first key, for a key rotation pass over stored secrets."""
        return self._fernet.rotate(token.encode()).decode()


class KeylessSecretBox:
    """The secret box of a container built for production without keys (an embedding service that did not
    set them; the commands refuse to start that way): every use says so, instead of failing at start-up
    or with an unexplained error, and whatever needs no secret keeps working."""

    def encrypt(self, plaintext: str) -> str:
        raise SecretKeysMissing("no secret key is configured to encrypt with")

    def decrypt(self, token: str) -> str:
        raise SecretKeysMissing("no secret key is configured to decrypt with")


def new_key() -> str:
    """A new random Fernet key (32 bytes, URL-safe base64), usable as a `PM_SECRET_KEYS` entry."""
    return Fernet.generate_key().decode()


def embedded_key(data_dir: Path) -> str:
    """The embedded default keeps one generated key beside its database (mode 0600), so that it
    runs with zero configuration; production sets PM_SECRET_KEYS instead. Server workers start at the
    same moment: the key is written whole to a temporary file and linked into place, so exactly one
    generated key wins and nobody ever reads a half-written one."""
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = new_key()
    fd, temp = tempfile.mkstemp(dir=data_dir, prefix=".secret.key.")  # created with mode 0600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)  # fails if another process's key got there first
        except FileExistsError:
            return path.read_text().strip()
    finally:
        os.unlink(temp)
    return key
