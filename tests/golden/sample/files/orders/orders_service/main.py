"""The orders service: the monolith's application restricted to what orders owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn orders_service.main:app --host 0.0.0.0 --port $PORT
"""

from orders_service import manifest
from orders_service.runtime.service import build

app = build(manifest)
