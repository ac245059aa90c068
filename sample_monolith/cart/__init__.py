"""Cart: one persistent shopping cart per customer."""
