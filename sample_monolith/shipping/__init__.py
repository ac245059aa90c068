"""Shipping: rate quotes, shipments and carrier tracking events."""
