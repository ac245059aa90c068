"""Generators: pure functions from a ServicePlan to {relative path: text}."""
