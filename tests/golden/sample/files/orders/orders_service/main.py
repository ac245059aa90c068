"""The orders service: the monolith's application, answering what the gateway gives orders, with
its internal endpoints, health checks and metrics.

Run: uvicorn orders_service.main:app --host 0.0.0.0 --port $PORT
"""

from orders_service import manifest
from orders_service.runtime.host import build

application = app = build(manifest)
