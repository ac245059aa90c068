"""The reviews service: the monolith's application restricted to what reviews owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn reviews_service.main:app --host 0.0.0.0 --port $PORT
"""

from reviews_service import manifest
from reviews_service.runtime.service import build

app = build(manifest)
