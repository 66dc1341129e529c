"""The back office's Odoo pages: the dashboard, the connection, syncs, mappings, schedules and the log."""
