"""Odoo external API adapters: XML-RPC (Odoo up to 19) and JSON-2 (Odoo 19+)."""
