"""The my-cart service: the monolith's application restricted to what my-cart owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn my_cart_service.main:app --host 0.0.0.0 --port $PORT
"""

from my_cart_service import manifest
from my_cart_service.runtime.service import build

app = build(manifest)
