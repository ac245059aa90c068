"""The cart-v2 service: the monolith's application restricted to what cart-v2 owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn cart_v2_service.main:app --host 0.0.0.0 --port $PORT
"""

from cart_v2_service import manifest
from cart_v2_service.runtime.service import build

app = build(manifest)
