"""Catalog: categories, products and their price history."""
