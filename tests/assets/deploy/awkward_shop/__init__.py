"""A small monolith whose names are awkward for deployment artifacts: a unicode package, a model
called Deployment, route paths with quotes, braces and colons (tests of generators/deploy)."""
