"""Supplier imports: profiles, rows, jobs."""
