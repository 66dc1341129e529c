"""Background workers (Dramatiq on Redis)."""
