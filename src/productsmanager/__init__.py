"""Products Manager: a product catalog for merchants who buy from many suppliers."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("productsmanager")  # the installed package's, so that one number is shown everywhere
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
