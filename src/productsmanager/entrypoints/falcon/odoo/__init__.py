"""Odoo: the connection, product syncs and their log, mappings, and sync schedules."""
