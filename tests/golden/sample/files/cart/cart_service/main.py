"""The cart service: the monolith's application restricted to what cart owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn cart_service.main:app --host 0.0.0.0 --port $PORT
"""

from cart_service import manifest
from cart_service.runtime.service import build

app = build(manifest)
