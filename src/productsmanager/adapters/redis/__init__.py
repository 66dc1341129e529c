"""Redis adapters: reset tokens and rate-limit counters shared by every process of a deployment."""
