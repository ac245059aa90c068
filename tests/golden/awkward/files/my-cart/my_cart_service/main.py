"""The my-cart service: the monolith's application, answering what the gateway gives my-cart, with
its internal endpoints, health checks and metrics.

Run: uvicorn my_cart_service.main:app --host 0.0.0.0 --port $PORT
"""

from my_cart_service import manifest
from my_cart_service.runtime.host import build

application = app = build(manifest)
