"""One version number everywhere: the installed package's metadata, shown by the CLI and the API document."""

from __future__ import annotations

from importlib.metadata import version

from productsmanager import __version__
from productsmanager.entrypoints.falcon.routes import openapi_document


def test_the_api_document_carries_the_package_version() -> None:
    assert __version__ == version("productsmanager") == "0.2.0"
    assert openapi_document()["info"]["version"] == __version__
