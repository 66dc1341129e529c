"""Products, their supplier offers, and suppliers."""
