"""Adapters on the local disk: the embedded defaults that need no server."""
