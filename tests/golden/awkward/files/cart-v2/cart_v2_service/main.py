"""The cart-v2 service: the monolith's application, answering what the gateway gives cart-v2, with
its internal endpoints, health checks and metrics.

Run: uvicorn cart_v2_service.main:app --host 0.0.0.0 --port $PORT
"""

from cart_v2_service import manifest
from cart_v2_service.runtime.host import build

application = app = build(manifest)
