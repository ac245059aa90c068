"""migrator: move a Python monolith onto a container platform as microservices."""

__version__ = "0.1.0"
