"""The catalog service: the monolith's application restricted to what catalog owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn catalog_service.main:app --host 0.0.0.0 --port $PORT
"""

from catalog_service import manifest
from catalog_service.runtime.service import build

app = build(manifest)
