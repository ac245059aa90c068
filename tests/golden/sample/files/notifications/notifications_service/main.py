"""The notifications service: the monolith's application restricted to what notifications owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn notifications_service.main:app --host 0.0.0.0 --port $PORT
"""

from notifications_service import manifest
from notifications_service.runtime.service import build

app = build(manifest)
