"""Orders: checkout and the order life cycle."""
