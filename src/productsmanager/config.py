"""Configuration: read from environment variables once, into one typed object. Nothing else reads
`os.environ`, so every setting is listed here (and in the README's configuration table)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from attrs import frozen


class ConfigError(Exception):
    """A setting is present but unusable; the message names the variable."""


@frozen
class Config:
    data_dir: Path = Path("var")
    database_url: str = ""
    redis_url: str | None = None
    secret_keys: tuple[str, ...] = ()
    public_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    session_hours: int = 12
    db_pool_size: int = 5

    @property
    def embedded(self) -> bool:
        """True when running on the built-in SQLite database rather than a production server."""
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("PM_DATA_DIR", "var"))
        database_url = env.get("PM_DATABASE_URL") or f"sqlite:///{data_dir / 'productsmanager.db'}"
        keys = tuple(k.strip() for k in env.get("PM_SECRET_KEYS", "").split(",") if k.strip())
        log_level = env.get("PM_LOG_LEVEL", "INFO").upper()
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ConfigError(f"PM_LOG_LEVEL={log_level!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            redis_url=env.get("PM_REDIS_URL") or None,
            secret_keys=keys,
            public_url=env.get("PM_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
            log_level=log_level,
            host=env.get("PM_HOST", "127.0.0.1"),
            port=_int(env, "PM_PORT", 8000, 1, 65535),
            workers=_int(env, "PM_WORKERS", 2, 1, 64),
            session_hours=_int(env, "PM_SESSION_HOURS", 12, 1, 24 * 90),
            db_pool_size=_int(env, "PM_DB_POOL_SIZE", 5, 1, 100),
        )


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={value} must be between {low} and {high}")
    return value
