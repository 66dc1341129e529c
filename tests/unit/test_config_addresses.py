"""The addresses the configuration derives: the public URL from the address served, the data folder made
absolute, and the list of variables the configuration reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import productsmanager.config as config_package
from productsmanager.config import Config


def test_the_public_url_defaults_to_the_address_served() -> None:
    config = Config.from_env({"PM_HOST": "10.1.2.3", "PM_PORT": "8123"})
    assert config.public_url == "http://10.1.2.3:8123"
    assert config.serving_at("127.0.0.1", 8731).public_url == "http://127.0.0.1:8731"


@pytest.mark.parametrize(
    ("host", "url"),
    [("0.0.0.0", "http://127.0.0.1:8731"), ("::", "http://[::1]:8731"), ("fd00::5", "http://[fd00::5]:8731")],
)
def test_a_wildcard_or_ipv6_address_makes_a_usable_url(host: str, url: str) -> None:
    assert Config.from_env({}).serving_at(host, 8731).public_url == url


def test_an_explicit_public_url_wins_over_the_address_served() -> None:
    config = Config.from_env({"PM_PUBLIC_URL": "https://pm.example.com/", "PM_PORT": "9000"})
    served = config.serving_at("0.0.0.0", 8731)
    assert (served.public_url, served.host, served.port) == ("https://pm.example.com", "0.0.0.0", 8731)


def test_a_relative_data_dir_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = Config.from_env({"PM_DATA_DIR": "./var"})
    assert config.data_dir == tmp_path.resolve() / "var"
    assert config.database_url == f"sqlite:///{tmp_path.resolve() / 'var' / 'productsmanager.db'}"


def test_every_variable_the_configuration_reads_is_listed() -> None:
    source = "".join(path.read_text(encoding="utf-8") for path in Path(config_package.__file__).parent.glob("*.py"))
    read = set(re.findall(r'"((?:PM|MINIO|GOOGLE)_[A-Z0-9_]+)"', source))
    assert read == set(Config.ENVIRONMENT_VARIABLES)
    assert len(Config.ENVIRONMENT_VARIABLES) == len(set(Config.ENVIRONMENT_VARIABLES))
