"""The cart service: the monolith's application, answering what the gateway gives cart, with
its internal endpoints, health checks and metrics.

Run: uvicorn cart_service.main:app --host 0.0.0.0 --port $PORT
"""

from cart_service import manifest
from cart_service.runtime.host import build

application = app = build(manifest)
