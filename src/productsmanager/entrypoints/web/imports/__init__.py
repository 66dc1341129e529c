"""The back office's suppliers, their import sources and the supplier imports (jobs, upload wizard)."""
