"""The shipping service: the monolith's application restricted to what shipping owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn shipping_service.main:app --host 0.0.0.0 --port $PORT
"""

from shipping_service import manifest
from shipping_service.runtime.service import build

app = build(manifest)
