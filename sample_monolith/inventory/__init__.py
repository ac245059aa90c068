"""Inventory: stock levels, manual adjustments and reservations for unpaid orders."""
