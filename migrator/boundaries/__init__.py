"""Service boundaries: clustering, constraints and metrics (the propose and evaluate stages)."""
