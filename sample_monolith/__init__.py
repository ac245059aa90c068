"""Sample Shop: the e-commerce monolith the migrator toolkit is exercised against.

The application is a single FastAPI process backed by one SQLAlchemy database.
Business code lives in one package per domain (``accounts``, ``catalog``,
``inventory``, ``cart``, ``orders``, ``payments``, ``shipping``,
``notifications``, ``reviews``, ``reporting``); cross-cutting helpers live in
``common`` and the ``utils`` grab bag.  See ``README.md`` for the map of how
the domains are coupled.
"""

__version__ = "3.4.1"

__all__ = ["__version__"]
