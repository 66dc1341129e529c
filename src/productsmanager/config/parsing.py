"""How one environment variable's text becomes a typed value. Each parser names the variable in its error,
so that a typo stops the process at start-up with the setting to fix, never later on first use."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from productsmanager.domain.errors import ProductsManagerError


class ConfigError(ProductsManagerError):
    """A setting is present but unusable; the message names the variable."""

    code = "invalid_configuration"


_HOST_NAME = re.compile(r"^(?=.{1,253}\.?$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$")


def whole_number(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
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


def minutes(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    """A number of minutes, decimals allowed (`0.5` is 30 s)."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number of minutes") from None
    if not low <= value <= high:  # also refuses nan and inf
        raise ConfigError(f"{name}={raw} must be between {low} and {high}")
    return value


def first_set(env: Mapping[str, str], *names: str) -> tuple[str, str] | None:
    """The first of `names` set to a non-blank value, with its name (so errors name what was set)."""
    for name in names:
        value = env.get(name, "").strip()
        if value:
            return name, value
    return None


def http_url(name: str, raw: str) -> str:
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a valid URL") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(f"{name}={raw!r} must be an http:// or https:// URL with a host and no query")
    return raw.rstrip("/")


def endpoint(name: str, raw: str) -> str:
    """MinIO's own tooling writes endpoints as `host:9000`: without a scheme, plain `http://` is assumed
    (a TLS endpoint must say `https://`)."""
    return http_url(name, raw if "://" in raw else f"http://{raw}")


def networks(name: str, raw: str) -> tuple[str, ...]:
    """Comma-separated CIDRs (a bare address is its /32 or /128), normalised; a typo fails at start-up."""
    found = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            found.append(str(ipaddress.ip_network(item)))
        except ValueError as exc:
            raise ConfigError(f"{name}: {item!r} is not an IP network in CIDR form like 10.0.0.0/8 ({exc})") from None
    return tuple(found)


def outbound_allow(raw: str) -> tuple[str, ...]:
    """PM_OUTBOUND_ALLOW: comma-separated CIDRs (`10.0.0.0/8`, `127.0.0.1`) or host names (`odoo.lan`) that
    connections made on a user's behalf may reach although they are not public addresses."""
    entries = tuple(entry.strip() for entry in raw.split(",") if entry.strip())
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            if not _HOST_NAME.match(entry) or entry.replace(".", "").isdigit():
                raise ConfigError(
                    f"PM_OUTBOUND_ALLOW entry {entry!r} is neither a CIDR (10.0.0.0/8, 127.0.0.1) nor a host name"
                ) from None
    return entries


def smtp_url(raw: str) -> str:
    shown = without_credentials(raw)
    form = "smtp://[user:pass@]host[:port] or smtps://..., with user and password percent-encoded"
    try:
        parts = urlsplit(raw)
        port_ok = parts.port != 0  # ValueError on a port that is not a number from 0 to 65535
    except ValueError:
        port_ok = False
    if not port_ok:
        raise ConfigError(f"PM_SMTP_URL={shown!r}: no valid port (1 to 65535) or host; write it as {form}")
    host = parts.netloc.rpartition("@")[2]
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname or host.startswith("[") != ("]" in host):
        raise ConfigError(f"PM_SMTP_URL={shown!r} must be {form}")  # "[::1" with no "]" is no host either
    if parts.path not in {"", "/"} or parts.query or parts.fragment:
        raise ConfigError(f"PM_SMTP_URL={shown!r} takes no path, query or fragment; write it as {form}")
    if parts.password is not None and not parts.username:
        raise ConfigError(f"PM_SMTP_URL={shown!r} has a password but no user name")
    return raw


def without_credentials(raw: str) -> str:
    """What an error may show of an SMTP URL: anything before the last `@` could be (part of) a password."""
    head, at, host = raw.rpartition("@")
    if not at:
        return raw
    scheme, sep, _ = head.partition("://")
    return f"{scheme}://***@{host}" if sep else f"***@{host}"


def host_slots(raw: str) -> tuple[tuple[str, int], ...]:
    """PM_DOWNLOAD_HOST_SLOTS: comma-separated `host=slots` (`m.media-amazon.com=16,cdn.example.com=8`): how many
    image downloads may run at once from each of those hosts (others keep the default of 4)."""
    found: dict[str, int] = {}
    for entry in (part.strip() for part in raw.split(",")):
        if not entry:
            continue
        host, _, count = entry.partition("=")
        host = host.strip().lower().rstrip(".")
        if not _HOST_NAME.match(host) or not count.strip().isdigit() or not 1 <= int(count) <= 256:
            raise ConfigError(
                f"PM_DOWNLOAD_HOST_SLOTS entry {entry!r} is not host=slots with slots from 1 to 256 "
                "(m.media-amazon.com=16)"
            )
        found[host] = int(count)
    return tuple(found.items())
