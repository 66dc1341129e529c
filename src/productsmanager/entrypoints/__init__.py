"""Thin transports over the use cases: REST (Falcon), workers (Dramatiq) and the CLI (click)."""
