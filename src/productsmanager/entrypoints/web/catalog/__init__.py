"""The catalog's pages: the products grid and a product's page (images, offers, sources, history, Amazon, Odoo)."""
