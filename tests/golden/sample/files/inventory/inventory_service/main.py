"""The inventory service: the monolith's application restricted to what inventory owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn inventory_service.main:app --host 0.0.0.0 --port $PORT
"""

from inventory_service import manifest
from inventory_service.runtime.service import build

app = build(manifest)
