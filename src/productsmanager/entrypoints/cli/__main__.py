"""`python -m productsmanager.entrypoints.cli`: the command line where no `productsmanager` script is installed."""

from productsmanager.entrypoints.cli.main import cli

cli(prog_name="productsmanager")
