"""The migration plan: extraction order, call and data treatments, boundary contracts."""
