"""Configuration: read from environment variables once, into one typed object (`Config`, in `settings`);
the parsing of each value is in `parsing`, the grouped settings (media, sign-in, imports, mail) in `sections`."""

from productsmanager.config.parsing import ConfigError
from productsmanager.config.settings import Config

__all__ = ["Config", "ConfigError"]
