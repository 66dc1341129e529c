"""Use cases and the ports they need; no framework, driver or adapter is imported here."""
