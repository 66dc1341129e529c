"""Odoo sync rules: which catalog field goes to which Odoo field, how values are shaped, when schedules run."""
